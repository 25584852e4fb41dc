"""Adjudicate claim lines in date order: who pays what, and when.

Why one pass in date order: deductibles and out-of-pocket maximums are running totals, so a
session's cost depends on every claim before it in the same plan year. :func:`adjudicate_line`
is that pass's one step: it keeps the accumulators (in network and out of network apart,
reset at the plan-year start; savings-program caps reset each calendar year), applies the
plan's rules from :mod:`toolkit.engine.rules`, then the Spravato savings program and the
superbill reimbursement. It runs on ints for one patient and on arrays for many draws: the
one-patient :class:`Adjudicator` below and the many-draws evaluator
(:mod:`toolkit.engine.evaluate`) both call it, so each rule is written once.

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
from ..money import NO_CAP, Cents, maximum, not_, where
from . import rules
from .claims import ClaimLine

# line routes, as numbers so a route can differ between draws at the same line
R_SELF, R_IN, R_OUT, R_SUPERBILL = 0, 1, 2, 3
ROUTE_CODE = {"self_pay": R_SELF, "in_network": R_IN, "out_of_network": R_OUT, "superbill": R_SUPERBILL}
SAVINGS_CODE = {"": 0, "drug": 1, "observation": 2}


@dataclass
class Running:
    """The accumulators carried from line to line (ints, or arrays with one entry per draw)."""

    plan_year: Any = -1
    cal_year: Any = -1
    in_ded_met: Any = 0
    in_oop_met: Any = 0
    out_ded_met: Any = 0
    out_oop_met: Any = 0
    drug_left: Any = 0
    obs_left: Any = 0

    def left(self, t: dict[str, Any], network: str) -> tuple[Any, Any]:
        """(deductible left, cap left) of one network; the cap left is ``NO_CAP``-sized when there is none."""
        ded, met = t[f"{network}_ded"], getattr(self, f"{network}_ded_met")
        oop, omet = t[f"{network}_oop"], getattr(self, f"{network}_oop_met")
        return maximum(0, ded - met), maximum(0, oop - omet)


@dataclass
class LineFacts:
    """What the adjudication needs to know about a line besides its amount."""

    route: Any
    pharmacy: Any
    visit: Any
    savings: Any  # SAVINGS_CODE
    plan_year: Any  # year in which the line's plan year starts
    cal_year: Any
    billed: Any
    valid: Any = True  # False for padding lines of shorter layouts (arrays only)


@dataclass
class LineResult:
    """Who pays what on one line (ints, or arrays of draws)."""

    claim: Any  # the line is adjudicated by the plan (in network, or out of network with benefits)
    superbill: Any
    in_network: Any
    new_plan_year: Any
    allowed: Any
    cost_share: rules.CostShare
    medigap_paid: Any
    patient_share: Any
    balance_bill: Any
    patient_pays: Any
    savings: Any
    reimbursement: Any
    uncredited: Any  # an accumulator program took the savings back off the accumulators
    net: Any


def adjudicate_line(acc: Running, f: LineFacts, t: dict[str, Any]) -> LineResult:
    """One claim line through the plan's rules; updates the accumulators in ``acc``.

    Steps, each a rule in :mod:`toolkit.engine.rules`: plan-year and calendar-year resets;
    the allowed amount (the charge in network, a share of it out of network); the cost share
    (copay or deductible then coinsurance, capped); Medigap paying the Part B coinsurance;
    the balance bill; a superbill's reimbursement; the savings program; an accumulator
    program taking the savings back off the deductible and cap.
    """
    # plan year: fresh accumulators; amounts met at the start count only in the first plan year
    new = f.valid & (f.plan_year != acc.plan_year)
    if new is not False:  # (one patient, same plan year: nothing to reset)
        first = f.plan_year == t["first_py"]
        for net in ("in", "out"):
            for what in ("ded", "oop"):
                name = f"{net}_{what}_met"
                setattr(acc, name, where(new, where(first, t[f"{net}_{what}_met0"], 0), getattr(acc, name)))
        acc.plan_year = where(new, f.plan_year, acc.plan_year)
    # savings-program caps run by calendar year
    new_cal = f.valid & (f.cal_year != acc.cal_year)
    if new_cal is not False:
        acc.drug_left = where(new_cal, t["drug_cap"], acc.drug_left)
        acc.obs_left = where(new_cal, t["obs_cap"], acc.obs_left)
        acc.cal_year = where(new_cal, f.cal_year, acc.cal_year)

    is_in = f.route == R_IN
    is_sb = f.route == R_SUPERBILL
    is_out = (f.route == R_OUT) | is_sb
    claim = f.valid & (is_in | (is_out & t["out_exists"]))
    ded = where(is_in, t["in_ded"], t["out_ded"])
    ded_met = where(is_in, acc.in_ded_met, acc.out_ded_met)
    oop_met = where(is_in, acc.in_oop_met, acc.out_oop_met)
    ded_left = maximum(0, ded - ded_met)
    oop_left = maximum(0, where(is_in, t["in_oop"], t["out_oop"]) - oop_met)
    billed = f.billed
    allowed = where(is_in, billed, rules.out_of_network_allowed(billed, t["oon_bp"]))
    pharm = f.pharmacy & not_(is_sb)
    copay = where(pharm, t["pharm_copay"], where(is_in, t["in_copay"], t["out_copay"]))
    rate = where(pharm, t["pharm_bp"], where(is_in, t["in_coins"], t["out_coins"]))
    copay_rule = (pharm & (t["pharm_copay"] > 0)) | (not_(pharm) & f.visit & (copay > 0) & not_(is_sb))
    cs = rules.cost_share(allowed, ded_left, rate, copay, oop_left, copay_rule=copay_rule, before_deductible=t["copay_before"])
    share_total = cs.total
    # accumulators (Medigap's payment still counts toward them)
    new_ded_met = ded_met + cs.deductible
    new_oop_met = oop_met + share_total
    bump = t["copay_counts"] & t["copay_before"] & (cs.copay > 0) & not_(is_sb)
    new_ded_met = where(bump, rules.copay_toward_deductible(ded, new_ded_met, cs.copay), new_ded_met)
    medigap = t["medigap"] & not_(is_sb)
    medigap_paid = where(medigap, cs.coinsurance, 0)
    patient_share = share_total - medigap_paid
    bb = where(is_out, rules.balance_bill(billed, allowed), 0)
    pays = where(claim & not_(is_sb), patient_share + bb, billed)
    reimb = where(claim & is_sb, rules.superbill_reimbursement(billed, allowed, share_total), 0)
    # the Spravato savings program, calendar-year caps
    use_drug = (pays > 0) & (f.savings == 1) & t["savings_ok"]
    use_obs = (pays > 0) & (f.savings == 2) & t["rebate_ok"]
    sav = where(use_drug, rules.savings_program_pay(pays, t["drug_floor"], acc.drug_left),
                where(use_obs, rules.savings_program_pay(pays, t["obs_floor"], acc.obs_left), 0))
    acc.drug_left = acc.drug_left - where(use_drug, sav, 0)
    acc.obs_left = acc.obs_left - where(use_obs, sav, 0)
    # accumulator programs: the manufacturer's payment does not count
    undo = claim & t["acc_adj"] & (sav > 0)
    ded_back, oop_back = rules.accumulator_uncredit(pays, bb, sav, cs.deductible)
    new_ded_met = where(undo, new_ded_met - ded_back, new_ded_met)
    new_oop_met = where(undo, new_oop_met - oop_back, new_oop_met)
    upd_in, upd_out = claim & is_in, claim & not_(is_in)
    acc.in_ded_met = where(upd_in, new_ded_met, acc.in_ded_met)
    acc.in_oop_met = where(upd_in, new_oop_met, acc.in_oop_met)
    acc.out_ded_met = where(upd_out, new_ded_met, acc.out_ded_met)
    acc.out_oop_met = where(upd_out, new_oop_met, acc.out_oop_met)
    net = where(f.valid, pays - sav - reimb, 0)
    return LineResult(claim, is_sb, is_in, new, allowed, cs, medigap_paid, patient_share, bb, pays, sav, reimb, undo, net)


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
                "price_source": ln.ref, "note": a.note,
            })
        return pd.DataFrame(rows)


def line_facts(ln: ClaimLine, start_month: int) -> LineFacts:
    """The facts of one priced line, for :func:`adjudicate_line` (one patient)."""
    return LineFacts(ROUTE_CODE[ln.route], ln.pharmacy, ln.kind == "visit", SAVINGS_CODE[ln.savings_kind],
                     plan_year_start(ln.day, start_month).year, ln.day.year, ln.billed)


class Adjudicator:
    """One patient's claim lines, adjudicated in date order, with notes and events for people."""

    def __init__(self, t: dict[str, Any], reimbursement_delay_days: int, savings_note: str = ""):
        self.t = t
        self.delay = timedelta(days=reimbursement_delay_days)
        self.savings_note = savings_note  # why the savings program does not apply, if it does not

    def run(self, option: str, outcome: str, level: str, lines: list[ClaimLine]) -> Adjudication:
        t = self.t
        result = Adjudication(option, outcome, level, [])
        acc = Running()
        flags: dict[str, bool] = {}
        for ln in sorted(lines, key=lambda x: (x.day, x.session)):
            r = adjudicate_line(acc, line_facts(ln, t["start_month"]), t)
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
            return AdjudicatedLine(ln, ln.billed, 0, 0, 0, 0, 0, r.patient_pays, r.savings, 0, None, None, None, plan_year, note)
        net = "in" if r.in_network else "out"
        d_left, o_left = acc.left(t, net)
        cap_left = None if t[f"{net}_oop"] == NO_CAP else o_left
        cs = r.cost_share
        notes = []
        if r.superbill:
            notes.append("paid in full at the clinic; reimbursement if the superbill claim is accepted")
        if r.medigap_paid:
            notes.append(f"Medicare supplement pays the {r.medigap_paid / 100:,.2f} coinsurance")
        if r.uncredited:
            notes.append("accumulator program: savings do not count toward the deductible or cap")
        plan_pays = 0 if r.superbill else r.allowed - r.patient_share
        return AdjudicatedLine(
            ln, r.allowed, plan_pays, cs.deductible, cs.coinsurance - r.medigap_paid, cs.copay, r.balance_bill, r.patient_pays,
            r.savings, r.reimbursement, ln.day + self.delay if r.superbill else None, d_left, cap_left, plan_year, "; ".join(notes),
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
    from .terms import savings_eligibility, terms

    return Adjudicator(terms(scenario, ds, level, overrides), int(ds.number("oon.reimbursement_delay_days")), savings_eligibility(scenario, ds).note)


def adjudicate(scenario: Any, ds: Any, option: str, outcome: str, lines: list[ClaimLine], level: str = "typical") -> Adjudication:
    """Priced claim lines of one option and outcome, adjudicated for this scenario's plan."""
    return adjudicator(scenario, ds, level).run(option, outcome, level, lines)
