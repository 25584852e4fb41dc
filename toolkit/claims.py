"""Price each session into claim lines, the way a clinic would bill it.

Why lines, not a price per session: insurers adjudicate line by line (drug, observation
visit, infusion hour), and different lines can fall under different benefits (Spravato's
drug under the pharmacy benefit, its visit under the medical benefit). Every line names the
data row (or the clinic quote) its price comes from, so any total can be traced back.

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

from dataclasses import dataclass
from typing import Literal

from .datasets import Dataset, Level
from .money import Cents, rate_to_bp, share, to_cents
from .scenario import Scenario
from .schedule import Session

Route = Literal["in_network", "out_of_network", "superbill", "self_pay"]
Kind = Literal["drug", "visit", "infusion", "consultation", "bundle", "self_pay"]
Outcome = Literal["approved", "denied"]

BUNDLED_PAYERS = {"medicare", "medicare_advantage", "tricare"}


@dataclass(frozen=True)
class Price:
    cents: Cents
    ref: str  # "clinic quote" or the data row, e.g. "prices.csv:iv.infusion.depression"


@dataclass(frozen=True)
class ClaimLine:
    option: str
    session: int
    day: object  # datetime.date
    service: str
    code: str
    units: int
    billed: Cents
    kind: Kind
    route: Route
    pharmacy: bool  # adjudicated under the pharmacy benefit
    savings_kind: str  # "drug", "observation" or ""
    ref: str


def resolve_price(quote, ds: Dataset, key: str, level: Level) -> Price:
    """The clinic's quote when the advisor entered one, else the published figure at ``level``."""
    if quote is not None:
        return Price(to_cents(quote), "clinic quote")
    v = ds.value(key)
    return Price(to_cents(v.pick(level)), v.ref)


def resolve_fraction_bp(quote_pct, ds: Dataset, key: str, level: Level) -> tuple[int, str]:
    if quote_pct is not None:
        return rate_to_bp(quote_pct / 100), "entered"
    v = ds.value(key)
    return rate_to_bp(v.pick(level)), v.ref


def extra_infusion_hours(minutes: int) -> int:
    """CPT 96366 units: one per additional hour, counted once more than 30 minutes past the hour.

    >>> [extra_infusion_hours(m) for m in (40, 90, 91, 150, 151, 240)]
    [0, 0, 1, 1, 2, 3]
    """
    if minutes <= 90:
        return 0
    return (minutes - 91) // 60 + 1


def iv_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, level: Level) -> list[ClaimLine]:
    p = scenario.prices
    protocol = scenario.schedule.iv_protocol
    route = scenario.plan.iv_claim_route if outcome == "approved" else "self_pay"
    if scenario.plan.payer_type == "uninsured":
        route = "self_pay"
    lines: list[ClaimLine] = []
    if route == "in_network":
        # the first visit is a new patient's psychiatric diagnostic evaluation (90791), not an
        # established-patient E/M visit; code meaning marked unverified in data/codes.csv
        em = ds.value("iv.claim.90791")
        first_hour = ds.value("iv.claim.96365")
        extra_hour = ds.value("iv.claim.96366")
        drug = ds.value("iv.claim.j3490")
        for s in sessions:
            if s.number == 1:
                lines.append(_line(s, "Psychiatric diagnostic evaluation", em.code or "90791", 1, to_cents(em.pick(level)), "visit", route, em.ref))
            lines.append(_line(s, "IV infusion, first hour", "96365", 1, to_cents(first_hour.pick(level)), "infusion", route, first_hour.ref))
            extra = extra_infusion_hours(s.infusion_minutes)
            if extra:
                lines.append(_line(s, "IV infusion, each additional hour", "96366", extra, extra * to_cents(extra_hour.pick(level)), "infusion", route, extra_hour.ref))
            lines.append(_line(s, "Ketamine (unclassified drug)", "J3490", 1, to_cents(drug.pick(level)), "drug", route, drug.ref))
        return lines
    # self-pay, with or without a superbill claim afterwards
    infusion = resolve_price(p.iv_infusion, ds, f"iv.infusion.{protocol}", level)
    booster = resolve_price(p.iv_booster if p.iv_booster is not None else p.iv_infusion, ds, "iv.booster.depression" if protocol == "depression" else "iv.infusion.pain", level)
    consult = resolve_price(p.iv_consultation, ds, "iv.consultation", level)
    # a package discount is a saving, so the best case takes the high end of its range
    discount_level: Level = {"low": "high", "typical": "typical", "high": "low"}[level]
    discount_bp, discount_ref = resolve_fraction_bp(p.iv_package_discount_pct, ds, "iv.package_discount", discount_level)
    for s in sessions:
        if s.number == 1 and consult.cents:
            lines.append(_line(s, "Consultation (self-pay)", "90791", 1, consult.cents, "consultation", route, consult.ref))
        if s.phase == "booster":
            lines.append(_line(s, "Booster infusion (self-pay)", "96365", 1, booster.cents, "self_pay", route, booster.ref))
        else:
            price = infusion.cents - share(infusion.cents, discount_bp) if s.phase == "first series" else infusion.cents
            ref = infusion.ref if not discount_bp or s.phase != "first series" else f"{infusion.ref}; discount {discount_ref}"
            lines.append(_line(s, "IV ketamine infusion (self-pay)", "96365", 1, price, "self_pay", route, ref))
    return lines


def spravato_lines(scenario: Scenario, ds: Dataset, sessions: list[Session], outcome: Outcome, level: Level) -> list[ClaimLine]:
    p = scenario.prices
    plan = scenario.plan
    lines: list[ClaimLine] = []
    if outcome == "denied" or plan.payer_type == "uninsured":
        cash = resolve_price(p.spravato_cash_session, ds, "spravato.cash_per_session", level)
        for s in sessions:
            lines.append(_line(s, f"Spravato {s.dose_mg} mg session (self-pay)", "", 1, cash.cents, "self_pay", "self_pay", cash.ref))
        return lines
    route: Route = "in_network" if plan.spravato_clinic_in_network else "out_of_network"
    if plan.payer_type in BUNDLED_PAYERS:
        for s in sessions:
            code = "G2082" if (s.dose_mg or 0) <= 56 else "G2083"
            v = ds.value(f"medicare.{code.lower()}")
            lines.append(_line(s, f"Spravato {s.dose_mg} mg visit with 2-hour observation (bundled)", code, 1, to_cents(v.pick(level)), "bundle", route, v.ref))
        return lines
    device = resolve_price(p.spravato_device, ds, "spravato.device_28mg", level)
    visit = resolve_price(p.spravato_observation, ds, "spravato.observation_visit", level)
    pharmacy = plan.spravato_drug_benefit == "pharmacy"
    for s in sessions:
        lines.append(
            ClaimLine("spravato", s.number, s.day, f"Spravato {s.dose_mg} mg ({s.devices} x 28 mg devices)", "J0013", s.dose_mg or 0,
                      s.devices * device.cents, "drug", "in_network" if pharmacy else route, pharmacy, "drug", device.ref)
        )
        lines.append(_line(s, "Observation visit (2 hours or more)", "", 1, visit.cents, "visit", route, visit.ref, savings_kind="observation"))
    return lines


def _line(s: Session, service: str, code: str, units: int, billed: Cents, kind: Kind, route: Route, ref: str, savings_kind: str = "") -> ClaimLine:
    return ClaimLine(s.option, s.number, s.day, service, code, units, billed, kind, route, False, savings_kind, ref)


def price_sessions(scenario: Scenario, ds: Dataset, option: str, sessions: list[Session], outcome: Outcome, level: Level = "typical") -> list[ClaimLine]:
    if option == "iv_ketamine":
        return iv_lines(scenario, ds, sessions, outcome, level)
    return spravato_lines(scenario, ds, sessions, outcome, level)
