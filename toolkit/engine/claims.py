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
- Spravato, Medicare / Medicare Advantage / TRICARE: one bundled G2082 (up to 56 mg) or
  G2083 (over 56 mg) line that includes drug, visit and 2-hour observation.
- Spravato, other plans: a drug line (J0013, billed per mg) plus an observation visit line.
- Spravato self-pay: one cash line per session.
- IV ketamine self-pay: one line per infusion (plus the consultation at the first visit);
  the patient may file these as a superbill for out-of-network reimbursement.
- IV ketamine billed in network: psychiatric diagnostic evaluation 90791 (first session),
  96365 first hour, 96366 each additional hour, J3490 drug.
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


def extra_infusion_hours(minutes: int) -> int:
    """CPT 96366 units: one per additional hour, counted once more than 30 minutes past the hour.

    >>> [extra_infusion_hours(m) for m in (40, 90, 91, 150, 151, 240)]
    [0, 0, 1, 1, 2, 3]
    """
    if minutes <= 90:
        return 0
    return (minutes - 91) // 60 + 1


def _line(s: Session, service: str, code: str, units: int, kind: Kind, route: Route, ref: str, price: str, *,
          mult: int = 1, savings_kind: str = "", pharmacy: bool = False, optional: bool = False) -> ClaimLine:
    return ClaimLine(s.option, s.number, s.day, service, code, units, kind, route, pharmacy, savings_kind, ref, price, mult, optional)


def iv_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, priced: PricedInputs) -> list[ClaimLine]:
    refs = priced.refs
    route: Route = scenario.plan.iv_claim_route if outcome == "approved" else "self_pay"
    if scenario.plan.payer_type == "uninsured":
        route = "self_pay"
    lines: list[ClaimLine] = []
    if route == "in_network":
        # the first visit is a new patient's psychiatric diagnostic evaluation (90791), not an
        # established-patient E/M visit; code meaning marked unverified in data/codes.csv
        em_code = ds.value("iv.claim.90791").code or "90791"
        for s in sessions:
            if s.number == 1:
                lines.append(_line(s, "Psychiatric diagnostic evaluation", em_code, 1, "visit", route, refs["iv_claim_90791"], "iv_claim_90791"))
            lines.append(_line(s, "IV infusion, first hour", "96365", 1, "infusion", route, refs["iv_claim_96365"], "iv_claim_96365"))
            extra = extra_infusion_hours(s.infusion_minutes)
            if extra:
                lines.append(_line(s, "IV infusion, each additional hour", "96366", extra, "infusion", route, refs["iv_claim_96366"], "iv_claim_96366", mult=extra))
            lines.append(_line(s, "Ketamine (unclassified drug)", "J3490", 1, "drug", route, refs["iv_claim_j3490"], "iv_claim_j3490"))
        return lines
    # self-pay, with or without a superbill claim afterwards
    discounted = f"{refs['iv_infusion']}; discount {refs['iv_discount_bp']}" if priced.values["iv_discount_bp"] else refs["iv_infusion"]
    for s in sessions:
        if s.number == 1:
            lines.append(_line(s, "Consultation (self-pay)", "90791", 1, "consultation", route, refs["iv_consultation"], "iv_consultation", optional=True))
        if s.phase == "booster":
            lines.append(_line(s, "Booster infusion (self-pay)", "96365", 1, "self_pay", route, refs["iv_booster"], "iv_booster"))
        elif s.phase == "first series":
            lines.append(_line(s, "IV ketamine infusion (self-pay)", "96365", 1, "self_pay", route, discounted, "iv_first_series"))
        else:
            lines.append(_line(s, "IV ketamine infusion (self-pay)", "96365", 1, "self_pay", route, refs["iv_infusion"], "iv_infusion"))
    return lines


def spravato_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, priced: PricedInputs) -> list[ClaimLine]:
    refs = priced.refs
    plan = scenario.plan
    if outcome == "denied" or plan.payer_type == "uninsured":
        return [_line(s, f"Spravato {s.dose_mg} mg session (self-pay)", "", 1, "self_pay", "self_pay", refs["spravato_cash"], "spravato_cash") for s in sessions]
    route: Route = "in_network" if plan.spravato_clinic_in_network else "out_of_network"
    if plan.payer_type in BUNDLED_PAYERS:
        out = []
        for s in sessions:
            code = "G2082" if (s.dose_mg or 0) <= 56 else "G2083"
            name = f"medicare_{code.lower()}"
            out.append(_line(s, f"Spravato {s.dose_mg} mg visit with 2-hour observation (bundled)", code, 1, "bundle", route, refs[name], name))
        return out
    pharmacy = plan.spravato_drug_benefit == "pharmacy"
    lines: list[ClaimLine] = []
    for s in sessions:
        lines.append(_line(s, f"Spravato {s.dose_mg} mg ({s.devices} x 28 mg devices)", "J0013", s.dose_mg or 0, "drug",
                           "in_network" if pharmacy else route, refs["spravato_device"], "spravato_device",
                           mult=s.devices, savings_kind="drug", pharmacy=pharmacy))
        lines.append(_line(s, "Observation visit (2 hours or more)", "", 1, "visit", route, refs["spravato_observation"], "spravato_observation", savings_kind="observation"))
    return lines


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
