"""One claim line through the plan's rules: the single step of every adjudication.

Why its own module: the one-patient adjudicator (:mod:`toolkit.engine.adjudication`, with its
notes and events) and the many-draws evaluator (:mod:`toolkit.engine.evaluate`) both call
:func:`adjudicate_line`, on ints for one patient and on numpy arrays for many draws, so each
rule is written once. It keeps the accumulators (in network and out of network apart, reset
at the plan-year start; Part D and the savings-program caps by calendar year; Medicaid's cap
by month) and applies the rules of :mod:`toolkit.engine.rules` in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..money import NO_CAP, maximum, not_, where
from . import rules

# line routes, as numbers so a route can differ between draws at the same line
R_SELF, R_IN, R_OUT, R_SUPERBILL = 0, 1, 2, 3
ROUTE_CODE = {"self_pay": R_SELF, "in_network": R_IN, "out_of_network": R_OUT, "superbill": R_SUPERBILL}
SAVINGS_CODE = {"": 0, "drug": 1, "observation": 2}
# how a line's allowed amount is set: the plan's own rate (in network), a share of the charge,
# a multiple of Medicare's fee, or the insurer's quoted amount (toolkit.engine.terms: oon_method)
A_RATE, A_SHARE, A_MEDICARE, A_QUOTE = 0, 1, 2, 3


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
    rx_ded_met: Any = 0  # Part D, by calendar year
    rx_oop_met: Any = 0
    month: Any = -1  # Medicaid's cap, by calendar month
    month_spent: Any = 0

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
    fee: Any = -1  # Medicare's fee for the line's codes (-1: none published)
    quote: Any = -1  # the insurer's quoted allowed amount (-1: not quoted)
    addon: Any = False  # an add-on code (prolonged service): no copay of its own
    fills: Any = 1  # drug lines in the line's calendar month (a maximizer spreads its amount over them)
    month: Any = 0  # calendar month of service, as year x 12 + month


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
    basis: Any = A_RATE  # how the allowed amount was set
    maximizer: Any = False  # a maximizer program set the patient's share; nothing counted
    part_d: Any = False  # adjudicated under Part D's own accumulators
    month_cut: Any = 0  # what Medicaid's monthly cap took off the patient's share


def _resets(acc: Running, f: LineFacts, t: dict[str, Any]) -> Any:
    """Start fresh accumulators where a line opens a new plan year, calendar year or month; returns "new plan year"."""
    # plan year: amounts met at the start count only in the first plan year
    new = f.valid & (f.plan_year != acc.plan_year)
    if new is not False:  # (one patient, same plan year: nothing to reset)
        first = f.plan_year == t["first_py"]
        for net in ("in", "out"):
            for what in ("ded", "oop"):
                name = f"{net}_{what}_met"
                setattr(acc, name, where(new, where(first, t[f"{net}_{what}_met0"], 0), getattr(acc, name)))
        acc.plan_year = where(new, f.plan_year, acc.plan_year)
    # savings-program caps and Part D run by calendar year
    new_cal = f.valid & (f.cal_year != acc.cal_year)
    if new_cal is not False:
        acc.drug_left = where(new_cal, t["drug_cap"], acc.drug_left)
        acc.obs_left = where(new_cal, t["obs_cap"], acc.obs_left)
        acc.rx_ded_met = where(new_cal, 0, acc.rx_ded_met)
        acc.rx_oop_met = where(new_cal, 0, acc.rx_oop_met)
        acc.cal_year = where(new_cal, f.cal_year, acc.cal_year)
    new_month = f.valid & (f.month != acc.month)
    if new_month is not False:
        acc.month_spent = where(new_month, 0, acc.month_spent)
        acc.month = where(new_month, f.month, acc.month)
    return new


def adjudicate_line(acc: Running, f: LineFacts, t: dict[str, Any]) -> LineResult:
    """One claim line through the plan's rules; updates the accumulators in ``acc``.

    Steps, each a rule in :mod:`toolkit.engine.rules`: plan-year, calendar-year and month
    resets; the allowed amount (in network the plan's rate; out of network a share of the
    charge, a multiple of Medicare's fee, or the insurer's quoted amount, as the plan sets
    it); the cost share (copay or deductible then coinsurance, capped; Part D with its own
    deductible, 25 % and cap; a maximizer's share on the drug); Medicaid's monthly cap;
    Medigap paying the Part B coinsurance (Plan N: but up to $20 of an office visit); the
    balance bill; a superbill's reimbursement; the savings program; and what counts toward
    the deductible and cap (an accumulator takes the program's payment back off; under a
    maximizer nothing on the drug counts).
    """
    new = _resets(acc, f, t)
    is_in = f.route == R_IN
    is_sb = f.route == R_SUPERBILL
    is_out = (f.route == R_OUT) | is_sb
    claim = f.valid & (is_in | (is_out & t["out_exists"]))
    pharm = f.pharmacy & not_(is_sb)
    rx = pharm & t["rx_sep"]
    ded = where(rx, t["rx_ded"], where(is_in, t["in_ded"], t["out_ded"]))
    ded_met = where(rx, acc.rx_ded_met, where(is_in, acc.in_ded_met, acc.out_ded_met))
    oop_met = where(rx, acc.rx_oop_met, where(is_in, acc.in_oop_met, acc.out_oop_met))
    ded_left = maximum(0, ded - ded_met)
    oop_left = maximum(0, where(rx, t["rx_oop"], where(is_in, t["in_oop"], t["out_oop"])) - oop_met)
    billed = f.billed
    method = t["oon_method"]
    basis = where(is_in, A_RATE, where((method == 2) & (f.quote >= 0), A_QUOTE, where((method == 1) & (f.fee >= 0), A_MEDICARE, A_SHARE)))
    allowed = where(basis == A_RATE, billed,
                    where(basis == A_QUOTE, rules.quoted_allowed(billed, f.quote),
                          where(basis == A_MEDICARE, rules.medicare_multiple_allowed(billed, maximum(0, f.fee), t["oon_mc_bp"]),
                                rules.out_of_network_allowed(billed, t["oon_bp"]))))
    copay = where(pharm, t["pharm_copay"], where(is_in, t["in_copay"], t["out_copay"]))
    rate = where(rx, t["rx_coins"], where(pharm, t["pharm_bp"], where(is_in, t["in_coins"], t["out_coins"])))
    copay_rule = not_(rx) & ((pharm & (t["pharm_copay"] > 0)) | (not_(pharm) & f.visit & (copay > 0) & not_(is_sb)))
    copay = where(f.addon | rx, 0, copay)  # an add-on code shares its visit's copay
    cs = rules.cost_share(allowed, ded_left, rate, copay, oop_left, copay_rule=copay_rule, before_deductible=t["copay_before"])
    # a maximizer sets the drug's share itself; it counts toward nothing
    maxi = claim & (t["assist"] == 2) & (f.savings == 1) & t["savings_ok"] & not_(is_sb)
    if maxi is not False:
        m_share = rules.maximizer_share(allowed, t["drug_cap"], f.fills)
        cs = rules.CostShare(where(maxi, 0, cs.deductible), where(maxi, m_share, cs.coinsurance), where(maxi, 0, cs.copay),
                             where(maxi, 0, cs.capped_by_oop))
    # Medicaid: the household's cost sharing in a month stays within 5 % of its income
    before_cut = cs.total
    cs = rules.apply_cap(cs.deductible, cs.coinsurance, cs.copay, where(claim, maximum(0, t["month_cap"] - acc.month_spent), NO_CAP))
    month_cut = before_cut - cs.total
    acc.month_spent = acc.month_spent + where(claim, cs.total, 0)
    share_total = cs.total
    # accumulators (Medigap's payment still counts toward them)
    new_ded_met = ded_met + cs.deductible
    new_oop_met = oop_met + share_total
    bump = t["copay_counts"] & t["copay_before"] & (cs.copay > 0) & not_(is_sb)
    new_ded_met = where(bump, rules.copay_toward_deductible(ded, new_ded_met, cs.copay), new_ded_met)
    medigap = (t["medigap"] > 0) & not_(is_sb) & not_(rx)
    medigap_paid = where(medigap, rules.medigap_pays(cs.coinsurance, t["medigap"], f.visit & not_(f.addon), t["medigap_copay"]), 0)
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
    undo = claim & (t["assist"] == 1) & (sav > 0)
    ded_back, oop_back = rules.accumulator_uncredit(pays, bb, sav, cs.deductible)
    new_ded_met = where(undo, new_ded_met - ded_back, where(maxi, ded_met, new_ded_met))
    new_oop_met = where(undo, new_oop_met - oop_back, where(maxi, oop_met, new_oop_met))
    upd_rx = claim & rx
    upd_in, upd_out = claim & is_in & not_(rx), claim & not_(is_in)
    acc.rx_ded_met = where(upd_rx, new_ded_met, acc.rx_ded_met)
    acc.rx_oop_met = where(upd_rx, new_oop_met, acc.rx_oop_met)
    acc.in_ded_met = where(upd_in, new_ded_met, acc.in_ded_met)
    acc.in_oop_met = where(upd_in, new_oop_met, acc.in_oop_met)
    acc.out_ded_met = where(upd_out, new_ded_met, acc.out_ded_met)
    acc.out_oop_met = where(upd_out, new_oop_met, acc.out_oop_met)
    net = where(f.valid, pays - sav - reimb, 0)
    return LineResult(claim, is_sb, is_in, new, allowed, cs, medigap_paid, patient_share, bb, pays, sav, reimb, undo, net,
                      basis, maxi, rx, month_cut)


