"""Adjudicate claim lines in date order: who pays what, and when.

Why one pass in date order: deductibles and out-of-pocket maximums are running totals, so a
session's cost depends on every claim before it in the same plan year. The adjudicator keeps
those accumulators (in network and out of network apart, reset at the plan-year start),
applies the plan's rules from :mod:`toolkit.benefit_rules` line by line, then the Spravato
savings program (calendar-year caps) and the superbill reimbursement (paid weeks later).

The result is one claims table from which every summary derives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd

from . import benefit_rules as rules
from .claims import ClaimLine
from .datasets import Dataset, Level
from .money import Cents, rate_to_bp, to_cents
from .scenario import Scenario, Tier

COMMERCIAL_PAYERS = {"commercial", "hdhp"}


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

    @property
    def net(self) -> Cents:
        """What this line costs the patient in the end."""
        return self.patient_pays - self.savings - self.reimbursement


@dataclass
class _Accumulator:
    deductible: Cents
    oop_max: Cents | None
    ded_met: Cents = 0
    oop_met: Cents = 0

    @property
    def ded_left(self) -> Cents:
        return max(0, self.deductible - self.ded_met)

    @property
    def oop_left(self) -> Cents | None:
        return None if self.oop_max is None else max(0, self.oop_max - self.oop_met)


@dataclass
class Event:
    day: date
    kind: str  # "deductible met", "out-of-pocket maximum reached", "plan year resets", "savings cap reached"
    network: str = ""


@dataclass
class Adjudication:
    option: str
    outcome: str
    level: Level
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
        rows = []
        for a in self.lines:
            ln = a.line
            rows.append(
                {
                    "date": ln.day,
                    "session": ln.session,
                    "service": ln.service,
                    "code": ln.code,
                    "units": ln.units,
                    "route": ln.route.replace("_", " ") + (" (pharmacy benefit)" if ln.pharmacy else ""),
                    "billed": a.line.billed / 100,
                    "allowed": a.allowed / 100,
                    "plan_pays": a.plan_pays / 100,
                    "deductible": a.deductible / 100,
                    "coinsurance": a.coinsurance / 100,
                    "copay": a.copay / 100,
                    "balance_bill": a.balance_bill / 100,
                    "patient_pays": a.patient_pays / 100,
                    "savings": a.savings / 100,
                    "reimbursement": a.reimbursement / 100,
                    "reimbursed_on": a.reimbursement_day,
                    "net_patient_cost": a.net / 100,
                    "deductible_left": None if a.deductible_left is None else a.deductible_left / 100,
                    "oop_left": None if a.oop_left is None else a.oop_left / 100,
                    "plan_year": a.plan_year,
                    "price_source": ln.ref,
                    "note": a.note,
                }
            )
        return pd.DataFrame(rows)


def plan_year_start(day: date, start_month: int) -> date:
    """First day of the plan year containing ``day``.

    >>> plan_year_start(date(2027, 3, 9), 7)
    datetime.date(2026, 7, 1)
    """
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


class Adjudicator:
    """Holds one patient's accumulators while claim lines are processed in date order."""

    def __init__(self, scenario: Scenario, ds: Dataset, level: Level = "typical"):
        self.s = scenario
        self.plan = scenario.plan
        self.ds = ds
        self.level = level
        self.medicare = self.plan.payer_type == "medicare"
        self.start_month = 1 if self.medicare else self.plan.plan_year_start_month
        if self.plan.oon_allowed_pct is not None:
            self.oon_allowed_bp = rate_to_bp(self.plan.oon_allowed_pct / 100)
        else:
            self.oon_allowed_bp = rate_to_bp(ds.number("oon.allowed_share", level))
        self.pharmacy_bp = rate_to_bp(self.plan.pharmacy_coinsurance_pct / 100)
        self.pharmacy_copay = to_cents(self.plan.pharmacy_copay)
        self.delay = timedelta(days=int(ds.number("oon.reimbursement_delay_days")))
        self.savings_ok, self.rebate_ok, self.savings_note = self._savings_eligibility()
        self.drug_floor = to_cents(ds.number("savings.drug.patient_pays"))
        self.drug_cap = to_cents(ds.number("savings.drug.annual_max"))
        self.obs_floor = to_cents(ds.number("savings.observation.patient_pays"))
        self.obs_cap = to_cents(ds.number("savings.observation.annual_max"))

    # ------------------------------------------------------------------ set-up
    def _savings_eligibility(self) -> tuple[bool, bool, str]:
        p = self.plan
        excluded = set(self.ds.value("savings.excluded_payers").items)
        if not p.manufacturer_savings:
            return False, False, "Savings program not used (turned off)."
        if p.payer_type not in COMMERCIAL_PAYERS or p.payer_type in excluded:
            return False, False, "The Spravato savings program is for commercial plans only; government plans are excluded."
        states = set(self.ds.value("savings.observation.excluded_states").items)
        if p.state and p.state in states:
            return True, False, f"The observation rebate is not valid for residents of {p.state}."
        return True, True, ""

    def _tier(self, network: str) -> Tier | None:
        return self.plan.in_network if network == "in_network" else self.plan.out_of_network

    def _fresh(self, tier: Tier, first_year: bool) -> _Accumulator:
        acc = _Accumulator(to_cents(tier.deductible), None if tier.oop_max is None else to_cents(tier.oop_max))
        if first_year:
            acc.ded_met = to_cents(tier.deductible_met)
            acc.oop_met = to_cents(tier.oop_met)
        return acc

    # ------------------------------------------------------------------ run
    def run(self, option: str, outcome: str, lines: list[ClaimLine]) -> Adjudication:
        result = Adjudication(option, outcome, self.level, [])
        first_year = plan_year_start(self.s.start_date, self.start_month)
        year: date | None = None
        accs: dict[str, _Accumulator | None] = {}
        cal_year = None
        drug_left = obs_left = 0
        flags: dict[str, bool] = {}
        for ln in sorted(lines, key=lambda x: (x.day, x.session)):
            y = plan_year_start(ln.day, self.start_month)
            if y != year:
                if year is not None:
                    result.events.append(Event(y, "plan year resets"))
                year = y
                accs = {}
                for net in ("in_network", "out_of_network"):
                    tier = self._tier(net)
                    accs[net] = self._fresh(tier, y == first_year) if tier is not None else None
                # accumulators already met when the year (or the comparison) starts raise no event
                flags = {}
                for net, acc in accs.items():
                    if acc is not None:
                        flags[f"ded-{net}"] = acc.deductible > 0 and acc.ded_left == 0
                        flags[f"oop-{net}"] = acc.oop_max is not None and acc.oop_left == 0
            if ln.day.year != cal_year:
                cal_year = ln.day.year
                drug_left, obs_left = self.drug_cap, self.obs_cap
            a = self._line(ln, accs, f"{y:%b %Y}-{_year_end(y):%b %Y}")
            # manufacturer savings on the patient's share (Spravato, commercial plans)
            if a.patient_pays and ln.savings_kind == "drug" and self.savings_ok:
                a.savings = rules.savings_program_pay(a.patient_pays, self.drug_floor, drug_left)
                drug_left -= a.savings
            elif a.patient_pays and ln.savings_kind == "observation" and self.rebate_ok:
                a.savings = rules.savings_program_pay(a.patient_pays, self.obs_floor, obs_left)
                obs_left -= a.savings
            if a.savings and self.plan.accumulator_adjustment:
                self._undo_credit(a, accs)
            self._events(a, accs, flags, result)
            result.lines.append(a)
        if self.savings_note and option == "spravato" and outcome == "approved":
            result.notes.append(self.savings_note)
        if option == "spravato" and self.rebate_ok and self.obs_cap == 0:
            result.notes.append("The observation rebate is not counted: its yearly cap is not published. Enter it in data/programs.csv if the program terms give it.")
        return result

    def _line(self, ln: ClaimLine, accs: dict[str, _Accumulator | None], plan_year: str) -> AdjudicatedLine:
        if ln.route == "self_pay":
            return AdjudicatedLine(ln, ln.billed, 0, 0, 0, 0, 0, ln.billed, 0, 0, None, None, None, plan_year, "self-pay: no claim")
        network = "in_network" if ln.route == "in_network" else "out_of_network"
        acc = accs.get(network)
        tier = self._tier(network)
        if acc is None or tier is None:
            note = "no out-of-network benefits: the patient pays the full charge"
            return AdjudicatedLine(ln, ln.billed, 0, 0, 0, 0, 0, ln.billed, 0, 0, None, None, None, plan_year, note)
        if ln.route == "superbill":
            allowed = rules.out_of_network_allowed(ln.billed, self.oon_allowed_bp)
            reimb, cs = rules.superbill_reimbursement(ln.billed, allowed, acc.ded_left, rate_to_bp(tier.coinsurance_pct / 100), acc.oop_left)
            self._credit(acc, cs)
            return AdjudicatedLine(
                ln, allowed, 0, cs.deductible, cs.coinsurance, 0, rules.balance_bill(ln.billed, allowed), ln.billed, 0,
                reimb, ln.day + self.delay, acc.ded_left, acc.oop_left, plan_year,
                "paid in full at the clinic; reimbursement if the superbill claim is accepted",
            )
        allowed = ln.billed if network == "in_network" else rules.out_of_network_allowed(ln.billed, self.oon_allowed_bp)
        copay = to_cents(tier.copay)
        if ln.pharmacy:
            if self.pharmacy_copay:
                cs = rules.copay_claim(allowed, acc.ded_left, self.pharmacy_copay, acc.oop_left, before_deductible=self.plan.copay_before_deductible)
            else:
                cs = rules.coinsurance_claim(allowed, acc.ded_left, self.pharmacy_bp, acc.oop_left)
        elif ln.kind == "visit" and copay:
            cs = rules.copay_claim(allowed, acc.ded_left, copay, acc.oop_left, before_deductible=self.plan.copay_before_deductible)
        else:
            cs = rules.coinsurance_claim(allowed, acc.ded_left, rate_to_bp(tier.coinsurance_pct / 100), acc.oop_left)
        note = ""
        share_total = cs.total
        if self.medicare and self.plan.medicare_supplement and cs.coinsurance:
            # Medigap pays the 20 % after the Part B deductible
            note = f"Medicare supplement pays the {cs.coinsurance / 100:,.2f} coinsurance"
            self._credit(acc, cs)
            cs = replace(cs, coinsurance=0)
            share_total = cs.total
        else:
            self._credit(acc, cs)
        if cs.copay and self.plan.copays_count_toward_deductible and self.plan.copay_before_deductible:
            acc.ded_met = min(acc.deductible, acc.ded_met + cs.copay)
        bb = rules.balance_bill(ln.billed, allowed) if network == "out_of_network" else 0
        return AdjudicatedLine(
            ln, allowed, allowed - share_total, cs.deductible, cs.coinsurance, cs.copay, bb, share_total + bb, 0, 0, None,
            acc.ded_left, acc.oop_left, plan_year, note,
        )

    @staticmethod
    def _credit(acc: _Accumulator, cs: rules.CostShare) -> None:
        acc.ded_met += cs.deductible
        acc.oop_met += cs.total

    def _undo_credit(self, a: AdjudicatedLine, accs: dict[str, _Accumulator | None]) -> None:
        """Accumulator programs: the manufacturer's payment does not count toward the deductible or cap."""
        if a.line.route == "self_pay":
            return  # a self-paid line credited no accumulator, so there is nothing to take back
        network = "in_network" if a.line.route == "in_network" else "out_of_network"
        acc = accs.get(network)
        if acc is None:
            return
        counted = max(0, a.patient_pays - a.balance_bill - a.savings)  # savings beyond the cost share paid the balance bill
        uncount = (a.patient_pays - a.balance_bill) - counted
        ded_uncount = max(0, a.deductible - min(a.deductible, counted))
        acc.ded_met -= ded_uncount
        acc.oop_met -= uncount
        a.deductible_left, a.oop_left = acc.ded_left, acc.oop_left
        a.note = (a.note + "; " if a.note else "") + "accumulator program: savings do not count toward the deductible or cap"

    @staticmethod
    def _events(a: AdjudicatedLine, accs: dict[str, _Accumulator | None], flags: dict[str, bool], result: Adjudication) -> None:
        for net, acc in accs.items():
            if acc is None:
                continue
            if acc.deductible and acc.ded_left == 0 and not flags.get(f"ded-{net}"):
                flags[f"ded-{net}"] = True
                result.events.append(Event(a.line.day, "deductible met", net))
            if acc.oop_max is not None and acc.oop_left == 0 and not flags.get(f"oop-{net}"):
                flags[f"oop-{net}"] = True
                result.events.append(Event(a.line.day, "out-of-pocket maximum reached", net))


def _year_end(start: date) -> date:
    return date(start.year + 1, start.month, 1) - timedelta(days=1)


def adjudicate(scenario: Scenario, ds: Dataset, option: str, outcome: str, lines: list[ClaimLine], level: Level = "typical") -> Adjudication:
    return Adjudicator(scenario, ds, level).run(option, outcome, lines)
