"""Lay each session out as claim lines, the way a clinic would bill it, then price them.

Why lines, not a price per session: insurers adjudicate line by line (drug, observation
visit, infusion hour), and different lines can fall under different benefits (Spravato's
drug under the pharmacy benefit, its visit under the medical benefit). Every line names the
data row (or the clinic quote) its price comes from, so any total can be traced back.

Why layout apart from prices: a line's *shape* (date, code, route, which benefit) depends on
the schedule and the plan, its *amount* only on the priced inputs (:mod:`toolkit.engine.terms`).
Each line says which input prices it (``price``) and how many of it (``mult``), so one
patient and ten thousand draws are priced by the same :func:`price_lines`.

Billing routes used (sources in ``data/codes.csv``):
- Spravato, Medicare Part B / Medicare Advantage / TRICARE: one bundled G2082 (up to 56 mg)
  or G2083 (over 56 mg) line that includes drug, visit and 2-hour observation.
- Spravato, other plans (and Medicare's Part D route): a drug line (J0013, billed per mg, or a
  specialty-pharmacy fill) plus the visit as the clinic bills it: an E/M visit and
  prolonged clinical staff service codes (``data/rules.csv: spravato.observation.codes``),
  priced from the Medicare amounts; a clinic's own observation fee, when quoted, replaces them.
- Spravato self-pay: one cash line per session, priced by dose.
- IV ketamine self-pay: one line per infusion (plus the consultation at the first visit),
  standing for the codes a superbill lists (96365 and 96366 per extra hour); the patient may
  file them for out-of-network reimbursement.
- IV ketamine billed in network: psychiatric diagnostic evaluation 90791 (first session),
  96365 first hour, 96366 each additional hour, J3490 drug.

Each line also carries Medicare's fee for its codes (``fee``) and the insurer's quoted
allowed amount (``quote``), so an out-of-network claim can be allowed the way the plan says
(a share of the charge, a multiple of Medicare, or dollars by code).
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ..data import Dataset
from ..scenario import Scenario
from .schedule import Session
from .terms import PricedInputs

Route = Literal["in_network", "out_of_network", "superbill", "self_pay"]
Kind = Literal["drug", "visit", "infusion", "consultation", "bundle", "self_pay"]
Outcome = Literal["approved", "denied"]
OUTCOMES: tuple[Outcome, ...] = ("approved", "denied")

BUNDLED_PAYERS = {"medicare", "medicare_advantage", "tricare"}


@dataclass(frozen=True)
class ClaimLine:
    option: str
    session: int
    day: date
    service: str
    code: str
    units: int
    kind: Kind
    route: Route
    pharmacy: bool  # adjudicated under the pharmacy benefit
    savings_kind: str  # "drug", "observation" or ""
    ref: str
    price: str  # the priced input that sets the amount (see toolkit.engine.terms)
    mult: int = 1  # how many of that input: devices, additional hours
    optional: bool = False  # a line billed only when its price is above $0 (a free consultation is no line)
    billed: int = 0  # cents, once priced
    fee: int = -1  # Medicare's fee for the codes this line stands for, cents (-1: none published)
    quote: int = -1  # the insurer's quoted allowed amount for them, cents (-1: not quoted)
    addon: bool = False  # an add-on code of the visit before it (prolonged service): no copay of its own
    codes: str = ""  # the codes and units the line stands for, as a superbill lists them: "96365; 96366 x 3"


def extra_infusion_hours(minutes: int) -> int:
    """CPT 96366 units: one per additional hour, counted once more than 30 minutes past the hour.

    >>> [extra_infusion_hours(m) for m in (40, 90, 91, 150, 151, 240)]
    [0, 0, 1, 1, 2, 3]
    """
    if minutes <= 90:
        return 0
    return (minutes - 91) // 60 + 1


def code_amounts(codes: tuple[tuple[str, int], ...], values: dict[str, Any]) -> tuple[int, int, str]:
    """(Medicare fee, insurer's quote, label) for the codes a line stands for, in cents.

    Rule: the fee is the sum of Medicare's amount x units over the codes (-1 when a code has
    no published amount, e.g. J0013 or J3490); the quote the same over the insurer's
    per-code amounts (-1 unless every code is quoted).

    >>> code_amounts((("96365", 1), ("96366", 2)), {"mpfs_96365": 6714, "mpfs_96366": 2138, "quote_96365": 35000})
    (10990, -1, '96365; 96366 x 2')
    """
    fee, quote, parts = 0, 0, []
    for code, units in codes:
        if units <= 0:
            continue
        parts.append(code if units == 1 else f"{code} x {units}")
        f, q = values.get(f"mpfs_{code}"), values.get(f"quote_{code}")
        fee = -1 if fee < 0 or f is None else fee + int(f) * units
        quote = -1 if quote < 0 or q is None else quote + int(q) * units
    if not parts:
        return -1, -1, ""
    return fee, quote, "; ".join(parts)


def _line(s: Session, service: str, code: str, units: int, kind: Kind, route: Route, ref: str, price: str, values: dict[str, Any], *,
          mult: int = 1, savings_kind: str = "", pharmacy: bool = False, optional: bool = False, addon: bool = False,
          codes: tuple[tuple[str, int], ...] | None = None) -> ClaimLine:
    fee, quote, label = code_amounts(codes if codes is not None else ((code, units),) if code else (), values)
    return ClaimLine(s.option, s.number, s.day, service, code, units, kind, route, pharmacy, savings_kind, ref, price, mult, optional,
                     0, fee, quote, addon, label)


def iv_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, priced: PricedInputs) -> list[ClaimLine]:
    refs, v = priced.refs, priced.values
    route: Route = scenario.plan.iv_claim_route if outcome == "approved" else "self_pay"
    if scenario.plan.payer_type == "uninsured":
        route = "self_pay"
    lines: list[ClaimLine] = []
    if route == "in_network":
        # the first visit is a new patient's psychiatric diagnostic evaluation (90791); in-network
        # rates are the Medicare amounts times the plan's multiple (toolkit.engine.terms.with_derived)
        def rate(code: str) -> str:
            return inn_ref(refs, code)

        for s in sessions:
            if s.number == 1:
                lines.append(_line(s, "Psychiatric diagnostic evaluation", "90791", 1, "visit", route, rate("90791"), "inn_90791", v))
            lines.append(_line(s, "IV infusion, first hour", "96365", 1, "infusion", route, rate("96365"), "inn_96365", v))
            extra = extra_infusion_hours(s.infusion_minutes)
            if extra:
                lines.append(_line(s, "IV infusion, each additional hour", "96366", extra, "infusion", route, rate("96366"), "inn_96366", v, mult=extra))
            lines.append(_line(s, "Ketamine (unclassified drug)", "J3490", 1, "drug", route, refs["iv_claim_j3490"], "iv_claim_j3490", v))
        return lines
    # self-pay, with or without a superbill claim afterwards: the superbill lists the infusion codes
    discounted = f"{refs['iv_infusion']}; discount {refs['iv_discount_bp']}" if priced.values["iv_discount_bp"] else refs["iv_infusion"]
    for s in sessions:
        hours = (("96365", 1), ("96366", extra_infusion_hours(s.infusion_minutes)))
        if s.number == 1:
            lines.append(_line(s, "Consultation (self-pay)", "90791", 1, "consultation", route, refs["iv_consultation"], "iv_consultation", v, optional=True))
        if s.phase == "booster":
            lines.append(_line(s, "Booster infusion (self-pay)", "96365", 1, "self_pay", route, refs["iv_booster"], "iv_booster", v, codes=hours))
        elif s.phase == "first series":
            lines.append(_line(s, "IV ketamine infusion (self-pay)", "96365", 1, "self_pay", route, discounted, "iv_first_series", v, codes=hours))
        else:
            lines.append(_line(s, "IV ketamine infusion (self-pay)", "96365", 1, "self_pay", route, refs["iv_infusion"], "iv_infusion", v, codes=hours))
    return lines


OBSERVATION_NAMES = {
    "99214": "Office visit, established patient (E/M)",
    "99215": "Office visit, established patient, high level (E/M)",
    "99415": "Prolonged clinical staff service, first hour (observation)",
    "99416": "Prolonged clinical staff service, each 30 minutes more (observation)",
    "99417": "Prolonged visit time, each 15 minutes (observation)",
    "G2212": "Prolonged visit time, each 15 minutes (observation)",
}


def spravato_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, priced: PricedInputs) -> list[ClaimLine]:
    """Spravato's lines as clinics bill them: bundled G-codes (Medicare Part B, MA, TRICARE), or the drug
    (J0013 per mg, or a specialty-pharmacy fill) plus the visit as an E/M and prolonged-service codes."""
    from .terms import uses_part_d

    refs, v = priced.refs, priced.values
    plan = scenario.plan
    if outcome == "denied" or plan.payer_type == "uninsured":
        ref_mg = 28 * v["cash_ref_devices"]
        return [_line(s, f"Spravato {s.dose_mg} mg session (self-pay)", "", 1, "self_pay", "self_pay", _cash_ref(refs, s.dose_mg, ref_mg),
                      f"spravato_cash_{s.dose_mg or ref_mg}", v) for s in sessions]
    visit_route: Route = "in_network" if plan.spravato_clinic_in_network else "out_of_network"
    drug_in = plan.spravato_clinic_in_network if plan.spravato_drug_in_network is None else plan.spravato_drug_in_network
    drug_route: Route = "in_network" if drug_in else "out_of_network"
    part_d = uses_part_d(scenario)
    if plan.payer_type in BUNDLED_PAYERS and not part_d:
        out = []
        for s in sessions:
            code = "G2082" if (s.dose_mg or 0) <= 56 else "G2083"
            name = f"medicare_{code.lower()}"
            out.append(_line(s, f"Spravato {s.dose_mg} mg visit with 2-hour observation (bundled)", code, 1, "bundle", drug_route, refs[name], name, v))
        return out
    pharmacy = plan.spravato_drug_benefit == "pharmacy" or part_d
    observation = ds.value("spravato.observation.codes")
    lines: list[ClaimLine] = []
    for s in sessions:
        lines.append(_line(s, f"Spravato {s.dose_mg} mg ({s.devices} x 28 mg devices)" + (" from a Part D pharmacy" if part_d else ""), "J0013", s.dose_mg or 0, "drug",
                           "in_network" if pharmacy else drug_route, refs["spravato_device"], "spravato_device", v,
                           mult=s.devices, savings_kind="drug", pharmacy=pharmacy))
        if plan.payer_type not in ("medicare", "medicare_advantage") and scenario.prices.spravato_observation is not None:
            lines.append(_line(s, "Observation visit (2 hours or more, the clinic's fee)", "", 1, "visit", visit_route, refs["spravato_observation"],
                               "spravato_observation", v, savings_kind="observation"))
            continue
        for i, code in enumerate(observation.items):
            lines.append(_line(s, OBSERVATION_NAMES.get(code, f"Observation ({code})"), code, 1, "visit", visit_route,
                               f"{inn_ref(refs, code)}; codes {observation.ref}", f"inn_{code}", v,
                               savings_kind="observation", addon=i > 0))
    return lines


def inn_ref(refs: dict[str, str], code: str) -> str:
    """Where an in-network rate comes from: the plan's amount from an EOB, else Medicare's fee times the plan's multiple."""
    quoted = refs.get(f"inn_quote_{code}")
    return quoted if quoted else f"{refs[f'mpfs_{code}']}; times {refs['inn_bp']}"


def _cash_ref(refs: dict[str, str], dose: int | None, ref_mg: int) -> str:
    """The self-pay line's source: the price for ``ref_mg``, plus a device for each 28 mg more."""
    base = refs["spravato_cash"]
    if dose is None or dose <= ref_mg:
        return base
    n = (dose - ref_mg) // 28
    return f"{base}; plus {'one device' if n == 1 else f'{n} devices'} {refs['spravato_device']}"


def claim_lines(scenario: Scenario, ds: Dataset, option: str, sessions: list[Session], outcome: Outcome, priced: PricedInputs) -> list[ClaimLine]:
    """The claim lines of one option and outcome, in date order, not yet priced."""
    build = iv_lines if option == "iv_ketamine" else spravato_lines
    return sorted(build(scenario, ds, sessions, outcome, priced), key=lambda x: (x.day, x.session))


def line_amount(line: ClaimLine, values: dict[str, Any]) -> Any:
    """What the clinic bills for a line: ``mult x`` its priced input (an int, or an array of draws)."""
    return line.mult * values[line.price]


def price_lines(lines: list[ClaimLine], values: dict[str, Any]) -> list[ClaimLine]:
    """The lines with their billed amounts for one patient; an optional line priced at $0 is no line."""
    out = []
    for ln in lines:
        billed = line_amount(ln, values)
        if ln.optional and billed == 0:
            continue
        priced = copy(ln)
        object.__setattr__(priced, "billed", billed)  # a frozen line, priced once (faster than dataclasses.replace)
        out.append(priced)
    return out


def price_sessions(scenario: Scenario, ds: Dataset, option: str, sessions: list[Session], outcome: Outcome, level: str = "typical",
                   overrides: dict[str, Any] | None = None) -> list[ClaimLine]:
    """The claim lines of one option and outcome, priced at ``level`` (inputs moved by ``overrides``)."""
    from .terms import priced_inputs, terms

    return price_lines(claim_lines(scenario, ds, option, sessions, outcome, priced_inputs(scenario, ds, level)), terms(scenario, ds, level, overrides))
