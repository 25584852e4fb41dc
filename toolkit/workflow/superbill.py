"""Superbills for out-of-network reimbursement of IV ketamine: what the clinic must put on
them, what the plan is likely to send back, and the filing deadline for each session.

No money math here: the reimbursement comes from the engine's own claim lines. The IV
option is run with ``iv_claim_route="superbill"`` through :func:`toolkit.compare.run_option`,
whose adjudicator applies :func:`toolkit.engine.rules.out_of_network_allowed`,
:func:`~toolkit.engine.rules.superbill_reimbursement` and
:func:`~toolkit.engine.rules.balance_bill` claim by claim, with the out-of-network
deductible and coinsurance carried from session to session. This module only reads those
lines, adds the timely-filing deadline (``superbill.timely_filing_days`` in
``data/rules.csv``, or the limit the insurer gave on the benefits call) and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ..data import Dataset, dataset
from ..engine.adjudication import AdjudicatedLine
from ..engine.compare import run_option
from ..money import Cents, fmt
from ..scenario import Scenario
from .benefits_check import DIAGNOSIS_CODES, BenefitsCall, read_call
from .common import cited, figure, format_day, html_document, render
from .self_pay import Notice, self_pay_notices

PLACE_OF_SERVICE_OFFICE = "11"


@dataclass(frozen=True)
class SuperbillLine:
    session: int
    day: date
    service: str
    code: str
    units: int
    charge: Cents
    allowed: Cents
    deductible: Cents
    coinsurance: Cents
    balance_bill: Cents
    reimbursement: Cents
    net: Cents
    file_by: date
    reimbursed_about: date | None

    @property
    def when(self) -> str:
        return format_day(self.day)


@dataclass
class SuperbillEstimate:
    lines: list[SuperbillLine]
    totals: dict[str, Cents]
    reimbursement_range: tuple[Cents, Cents, Cents]  # low, typical, high published prices
    filing_days: int
    filing_source: str
    required_items: tuple[str, ...]
    items_source: str
    diagnosis_codes: tuple[str, ...]
    worked_example: str
    notes: list[str] = field(default_factory=list)
    today: date | None = None
    notices: list[Notice] = field(default_factory=list)  # owed before paying the clinic (good-faith estimate, ABN)

    @property
    def next_deadline(self) -> SuperbillLine | None:
        upcoming = [ln for ln in self.lines if self.today is None or ln.file_by >= self.today]
        return min(upcoming, key=lambda ln: ln.file_by) if upcoming else None

    def to_markdown(self) -> str:
        return render("superbill_checklist.md.j2", e=self, fmt=fmt)

    def to_html(self, standalone: bool = False) -> str:
        fragment = render("superbill_checklist.html.j2", e=self, fmt=fmt)
        return html_document("Superbill checklist: IV ketamine", fragment) if standalone else fragment


def _line(a: AdjudicatedLine, filing: int) -> SuperbillLine:
    ln = a.line
    return SuperbillLine(
        ln.session, ln.day, ln.service, ln.code or "(clinic to give the code)", ln.units, ln.billed, a.allowed, a.deductible,
        a.coinsurance, a.balance_bill, a.reimbursement, a.net, ln.day + timedelta(days=filing), a.reimbursement_day,
    )


def superbill_estimate(
    scenario: Scenario,
    ds: Dataset | None = None,
    call: BenefitsCall | dict | None = None,
    today: date | None = None,
) -> SuperbillEstimate:
    """Per-session superbill lines for IV ketamine, with reimbursement and filing deadlines."""
    ds = ds or dataset()
    call = read_call(call) if call is not None else BenefitsCall()
    notes: list[str] = []
    plan = scenario.plan
    s = scenario.model_copy(update={"plan": plan.model_copy(update={"iv_claim_route": "superbill"})})
    opt = run_option(s, ds, "iv_ketamine")
    tf = figure("superbill.timely_filing_days", ds)
    if call.timely_filing_days:
        filing = call.timely_filing_days
        filing_source = f"the insurer's answer on the benefits call{f' of {format_day(call.insurer_call_date)}' if call.insurer_call_date else ''}"
    else:
        filing = int(tf.typical)  # type: ignore[arg-type]
        filing_source = f"{cited('superbill.timely_filing_days', ds).cite}: published limits run {tf.low:g} to {tf.high:g} days; the toolkit uses the shortest until the plan confirms its own"
    run = opt.run("approved")
    lines = [_line(a, filing) for a in run.lines]
    totals = run.totals()
    totals["balance_bill"] = sum(a.balance_bill for a in run.lines)
    totals["deductible"] = sum(a.deductible for a in run.lines)
    totals["coinsurance"] = sum(a.coinsurance for a in run.lines)
    rng = tuple(opt.run("approved", lvl).totals()["reimbursement"] for lvl in ("low", "typical", "high"))
    payer = plan.payer_type.value
    if payer == "uninsured":
        notes.append("No insurance: there is no plan to claim from. A superbill still documents the payment for an HSA/FSA or taxes.")
    elif plan.out_of_network is None:
        notes.append("The scenario has no out-of-network benefits, so a superbill brings nothing back. If the insurer says there are, record them in the benefits check.")
    elif payer in ("medicare", "medicaid", "medicare_advantage", "tricare", "va"):
        notes.append("Government plans rarely pay patient-filed out-of-network claims for IV ketamine; check with the plan before counting on it.")
    if plan.iv_claim_route != "superbill":
        notes.append(f"This scenario currently pays IV ketamine as '{plan.iv_claim_route.replace('_', ' ')}'; the figures below show what a superbill claim would bring instead.")
    items = figure("superbill.required_items", ds)
    worked = _worked_example(run.lines[0] if run.lines else None, s)
    return SuperbillEstimate(
        lines, totals, rng, filing, filing_source, items.items, cited("superbill.required_items", ds).cite,
        DIAGNOSIS_CODES[scenario.indication.value], worked, notes, today, self_pay_notices(s, ds),
    )


def _worked_example(a: AdjudicatedLine | None, scenario: Scenario) -> str:
    """The first session's arithmetic in words, every number read from its claim line."""
    if a is None:
        return ""
    tier = scenario.plan.out_of_network
    if tier is None or scenario.plan.payer_type.value == "uninsured":
        return f"First session: the clinic charges {fmt(a.line.billed)}; with no out-of-network benefits nothing comes back."
    pct = f"{a.allowed / a.line.billed:.0%}" if a.line.billed else "0%"
    return (
        f"First session ({format_day(a.line.day)}): the clinic charges {fmt(a.line.billed)} and the patient pays it at the visit. "
        f"The plan allows {fmt(a.allowed)} ({pct} of the charge). Of that, {fmt(a.deductible)} goes to the out-of-network deductible "
        f"and {fmt(a.coinsurance)} is coinsurance ({tier.coinsurance_pct:g}%), so the plan sends back {fmt(a.reimbursement)}"
        + (f", about {format_day(a.reimbursement_day)}" if a.reimbursement_day else "")
        + f". The {fmt(a.balance_bill)} above the allowed amount (the balance bill) stays with the patient. Net cost of the session: {fmt(a.net)}."
    )


def render_superbill(e: SuperbillEstimate, fmt_: Literal["md", "html"] = "md") -> str:
    return e.to_markdown() if fmt_ == "md" else e.to_html()
