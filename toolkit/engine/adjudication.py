"""Adjudicate claim lines in date order: who pays what, and when.

Why one pass in date order: deductibles and out-of-pocket maximums are running totals, so a
session's cost depends on every claim before it in the same plan year. That pass's one step
is :func:`toolkit.engine.line.adjudicate_line`; it runs on ints for one patient and on
arrays for many draws: the one-patient :class:`Adjudicator` below and the many-draws
evaluator (:mod:`toolkit.engine.evaluate`) both call it, so each rule is written once.

The one-patient result is one claims table from which every summary derives; this module
adds only what a person reads beside the numbers: notes per line and the events
(deductible met, cap reached, plan year resets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from ..dates import plan_year_label, plan_year_start
from ..money import NO_CAP, Cents
from .claims import ClaimLine
from .line import (  # noqa: F401  (re-exported: the evaluator and tests import them from here)
    A_MEDICARE,
    A_QUOTE,
    A_RATE,
    A_SHARE,
    R_IN,
    R_OUT,
    R_SELF,
    R_SUPERBILL,
    ROUTE_CODE,
    SAVINGS_CODE,
    LineFacts,
    LineResult,
    Running,
    adjudicate_line,
)

# ----------------------------------------------------------------------------- one patient


@dataclass
class AdjudicatedLine:
    line: ClaimLine
    allowed: Cents
    plan_pays: Cents
    deductible: Cents
    coinsurance: Cents
    copay: Cents
    balance_bill: Cents
    patient_pays: Cents  # paid to the clinic (or pharmacy), before savings and reimbursement
    savings: Cents
    reimbursement: Cents
    reimbursement_day: date | None
    deductible_left: Cents | None
    oop_left: Cents | None
    plan_year: str
    note: str = ""
    allowed_by: str = ""  # how the allowed amount was set, in words: "140 % of Medicare's $67.14 (96365)"

    @property
    def net(self) -> Cents:
        """What this line costs the patient in the end."""
        return self.patient_pays - self.savings - self.reimbursement


@dataclass
class Event:
    day: date
    kind: str  # "deductible met", "out-of-pocket maximum reached", "plan year resets"
    network: str = ""


@dataclass
class Adjudication:
    option: str
    outcome: str
    level: str
    lines: list[AdjudicatedLine]
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, Cents]:
        keys = ("billed", "allowed", "plan_pays", "patient_pays", "savings", "reimbursement", "net")
        out = dict.fromkeys(keys, 0)
        for a in self.lines:
            out["billed"] += a.line.billed
            out["allowed"] += a.allowed
            out["plan_pays"] += a.plan_pays
            out["patient_pays"] += a.patient_pays
            out["savings"] += a.savings
            out["reimbursement"] += a.reimbursement
            out["net"] += a.net
        return out

    def frame(self) -> pd.DataFrame:
        """The claims table: one row per line, money in dollars (exact to the cent)."""
        def dollars(c: Cents | None) -> float | None:
            return None if c is None else c / 100

        rows = []
        for a in self.lines:
            ln = a.line
            rows.append({
                "date": ln.day, "session": ln.session, "service": ln.service, "code": ln.code, "units": ln.units,
                "route": ln.route.replace("_", " ") + (" (pharmacy benefit)" if ln.pharmacy else ""),
                "billed": ln.billed / 100, "allowed": a.allowed / 100, "plan_pays": a.plan_pays / 100,
                "deductible": a.deductible / 100, "coinsurance": a.coinsurance / 100, "copay": a.copay / 100,
                "balance_bill": a.balance_bill / 100, "patient_pays": a.patient_pays / 100, "savings": a.savings / 100,
                "reimbursement": a.reimbursement / 100, "reimbursed_on": a.reimbursement_day, "net_patient_cost": a.net / 100,
                "deductible_left": dollars(a.deductible_left), "oop_left": dollars(a.oop_left), "plan_year": a.plan_year,
                "price_source": ln.ref, "allowed_by": a.allowed_by, "note": a.note,
            })
        return pd.DataFrame(rows)


VISIT_KINDS = ("visit", "bundle")  # lines a visit copay (or Medigap Plan N's office copay) applies to


def line_facts(ln: ClaimLine, start_month: int, fills: int = 1) -> LineFacts:
    """The facts of one priced line, for :func:`adjudicate_line` (one patient)."""
    return LineFacts(ROUTE_CODE[ln.route], ln.pharmacy, ln.kind in VISIT_KINDS, SAVINGS_CODE[ln.savings_kind],
                     plan_year_start(ln.day, start_month).year, ln.day.year, ln.billed, True, ln.fee, ln.quote, ln.addon,
                     fills, ln.day.year * 12 + ln.day.month)


def fills_by_month(lines: list[ClaimLine]) -> dict[tuple[int, int], int]:
    """Drug lines per calendar month (a maximizer spreads its monthly amount over them)."""
    out: dict[tuple[int, int], int] = {}
    for ln in lines:
        if ln.savings_kind == "drug":
            key = (ln.day.year, ln.day.month)
            out[key] = out.get(key, 0) + 1
    return out


def _pct(bp: int) -> str:
    return f"{bp / 100:g}%"


def allowed_by(ln: ClaimLine, r: LineResult, t: dict[str, Any]) -> str:
    """How a claimed line's allowed amount was set, in words the plan uses (for the claims table)."""
    codes = ln.codes or ln.code or "this service"
    if r.basis == A_RATE:
        return "Part D plan's drug price" if r.part_d else ("pharmacy benefit price" if ln.pharmacy else "in network: the plan's rate")
    if r.basis == A_QUOTE:
        return f"out of network: the insurer's quoted amount for {codes}"
    if r.basis == A_MEDICARE:
        return f"out of network: {_pct(t['oon_mc_bp'])} of Medicare's {ln.fee / 100:,.2f} for {codes}"
    why = ""
    if t["oon_method"] == 2:
        why = f" ({codes} not quoted)"
    elif t["oon_method"] == 1:
        why = f" (no Medicare fee for {codes})"
    return f"out of network: {_pct(t['oon_bp'])} of the charge{why}"


class Adjudicator:
    """One patient's claim lines, adjudicated in date order, with notes and events for people."""

    def __init__(self, t: dict[str, Any], reimbursement_delay_days: int, savings_note: str = "", law_note: str = ""):
        self.t = t
        self.delay = timedelta(days=reimbursement_delay_days)
        self.savings_note = savings_note  # why the savings program does not apply, if it does not
        self.law_note = law_note  # a state law that bears on a plan rule nobody has asked about yet

    def run(self, option: str, outcome: str, level: str, lines: list[ClaimLine]) -> Adjudication:
        t = self.t
        result = Adjudication(option, outcome, level, [])
        acc = Running()
        flags: dict[str, bool] = {}
        fills = fills_by_month(lines)
        for ln in sorted(lines, key=lambda x: (x.day, x.session)):
            r = adjudicate_line(acc, line_facts(ln, t["start_month"], fills.get((ln.day.year, ln.day.month), 1)), t)
            year = plan_year_start(ln.day, t["start_month"])
            if r.new_plan_year:
                if result.lines or result.events:
                    result.events.append(Event(year, "plan year resets"))
                # accumulators already met when the year (or the comparison) starts raise no event
                flags = {}
                for net in ("in", "out"):
                    exists = net == "in" or t["out_exists"]
                    d_left, o_left = self._left_at_start(net, year.year == t["first_py"])
                    flags[f"ded-{net}"] = exists and t[f"{net}_ded"] > 0 and d_left == 0
                    flags[f"oop-{net}"] = exists and t[f"{net}_oop"] != NO_CAP and o_left == 0
            a = self._record(ln, r, acc, plan_year_label(year))
            self._events(a, acc, flags, result)
            result.lines.append(a)
        if option == "spravato":
            if self.savings_note and outcome == "approved":
                result.notes.append(self.savings_note)
            if self.law_note and outcome == "approved":
                result.notes.append(self.law_note)
            if t["rebate_ok"] and t["obs_cap"] == 0:
                result.notes.append("The observation rebate is not counted: its yearly cap is not published. Enter it in data/programs.csv if the program terms give it.")
        return result

    def _left_at_start(self, net: str, first_year: bool) -> tuple[Cents, Cents]:
        """(deductible left, cap left) when a plan year starts: amounts met count only in the first."""
        t = self.t
        ded_met, oop_met = (t[f"{net}_ded_met0"], t[f"{net}_oop_met0"]) if first_year else (0, 0)
        return max(0, t[f"{net}_ded"] - ded_met), max(0, t[f"{net}_oop"] - oop_met)

    def _record(self, ln: ClaimLine, r: LineResult, acc: Running, plan_year: str) -> AdjudicatedLine:
        t = self.t
        if not r.claim:
            note = "self-pay: no claim" if ln.route == "self_pay" else "no out-of-network benefits: the patient pays the full charge"
            return AdjudicatedLine(ln, ln.billed, 0, 0, 0, 0, 0, r.patient_pays, r.savings, 0, None, None, None, plan_year, note,
                                   "the clinic's price (no claim)")
        if r.part_d:
            d_left, o_left = max(0, t["rx_ded"] - acc.rx_ded_met), max(0, t["rx_oop"] - acc.rx_oop_met)
            cap_left = o_left
        else:
            net = "in" if r.in_network else "out"
            d_left, o_left = acc.left(t, net)
            cap_left = None if t[f"{net}_oop"] == NO_CAP else o_left
        cs = r.cost_share
        notes = []
        if r.superbill:
            notes.append("paid in full at the clinic; reimbursement if the superbill claim is accepted")
        if r.part_d:
            notes.append("Part D: its own deductible, 25% coinsurance and yearly cap")
        if r.medigap_paid:
            notes.append(f"Medicare supplement pays {r.medigap_paid / 100:,.2f} of the coinsurance")
        if r.maximizer:
            notes.append(f"maximizer: the plan set your share to {cs.coinsurance / 100:,.2f} (the program's yearly maximum spread by month); it counts toward neither the deductible nor the cap")
        if r.uncredited:
            notes.append("accumulator program: savings do not count toward the deductible or cap")
        if r.month_cut:
            notes.append(f"Medicaid's 5% of income monthly cap took {r.month_cut / 100:,.2f} off")
        plan_pays = 0 if r.superbill else r.allowed - r.patient_share
        return AdjudicatedLine(
            ln, r.allowed, plan_pays, cs.deductible, cs.coinsurance - r.medigap_paid, cs.copay, r.balance_bill, r.patient_pays,
            r.savings, r.reimbursement, ln.day + self.delay if r.superbill else None, d_left, cap_left, plan_year, "; ".join(notes),
            allowed_by(ln, r, t),
        )

    def _events(self, a: AdjudicatedLine, acc: Running, flags: dict[str, bool], result: Adjudication) -> None:
        t = self.t
        for net, name in (("in", "in_network"), ("out", "out_of_network")):
            if net == "out" and not t["out_exists"]:
                continue
            d_left, o_left = acc.left(t, net)
            if t[f"{net}_ded"] and d_left == 0 and not flags.get(f"ded-{net}"):
                flags[f"ded-{net}"] = True
                result.events.append(Event(a.line.day, "deductible met", name))
            if t[f"{net}_oop"] != NO_CAP and o_left == 0 and not flags.get(f"oop-{net}"):
                flags[f"oop-{net}"] = True
                result.events.append(Event(a.line.day, "out-of-pocket maximum reached", name))


def adjudicator(scenario: Any, ds: Any, level: str = "typical", overrides: dict[str, Any] | None = None) -> Adjudicator:
    """The one-patient adjudicator for a scenario at a price level (inputs moved by ``overrides``)."""
    from .state_laws import accumulator_ban_note
    from .terms import savings_eligibility, terms

    return Adjudicator(terms(scenario, ds, level, overrides), int(ds.number("oon.reimbursement_delay_days")),
                       savings_eligibility(scenario, ds).note, accumulator_ban_note(scenario, ds))


def adjudicate(scenario: Any, ds: Any, option: str, outcome: str, lines: list[ClaimLine], level: str = "typical") -> Adjudication:
    """Priced claim lines of one option and outcome, adjudicated for this scenario's plan."""
    return adjudicator(scenario, ds, level).run(option, outcome, level, lines)
