"""Money invariants over the whole scenario space, extreme values included (issue 13).

A random search over valid scenarios, the way an outside tester would, through the exact
engine (``compare``) and the many-draws evaluator. For every option, outcome and price
level: the patient never pays a negative amount; plan + patient = allowed on every claim
line; what the patient pays in network in a plan year never passes the cap left;
reimbursement never exceeds what was paid; best <= expected <= worst; raising a price,
coinsurance, copay or deductible never lowers the patient's cost share (what the patient's side
is billed before the savings program) nor, unless the savings program's payments count toward
the deductible and cap, the patient's own cost (two documented exceptions, see
:func:`toolkit.engine.rules.cost_share` and :func:`toolkit.engine.rules.savings_program_pay`);
the evaluator equals the engine to the cent.

Every case the search found and shrank is a table test below, with its arithmetic.
``TOOLKIT_FUZZ_CASES`` sets the number of random scenarios (a few hundred by default;
20,000 for a nightly-style run).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit import compare, dataset, validate_scenario
from toolkit.dates import plan_year_start
from toolkit.engine.compare import COMBINATIONS, PRICE_LEVELS
from toolkit.engine.evaluate import evaluate
from toolkit.money import NO_CAP, to_cents, weigh
from toolkit.scenario import ScenarioError

DS = dataset()
CASES = int(os.environ.get("TOOLKIT_FUZZ_CASES", "150"))
SETTINGS = settings(max_examples=CASES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
MAX = 10_000_000  # the largest amount the scenario model takes, in dollars


def _money(hi_cents: int):
    # extremes on purpose: $0, a cent, the largest valid amount, and everything between
    return st.one_of(st.sampled_from([0, 1, hi_cents]), st.integers(0, hi_cents)).map(lambda c: Decimal(c) / 100)


def _pct():
    return st.one_of(st.sampled_from([0, 100_000]), st.integers(0, 100_000)).map(lambda t: Decimal(t) / 1000)


@st.composite
def tiers(draw):
    big = draw(st.sampled_from([5_000_00, MAX * 100]))
    cap = draw(st.one_of(st.none(), st.integers(0, big)))
    ded = draw(st.integers(0, cap if cap is not None else big))
    return {
        "deductible": Decimal(ded) / 100,
        "deductible_met": Decimal(draw(st.integers(0, ded))) / 100,
        "coinsurance_pct": draw(_pct()),
        "copay": draw(st.one_of(st.just(Decimal(0)), _money(big))),
        "oop_max": None if cap is None else Decimal(cap) / 100,
        "oop_met": Decimal(draw(st.integers(0, cap if cap is not None else big))) / 100,
    }


@st.composite
def scenarios(draw):
    prices = {k: draw(st.one_of(st.none(), _money(MAX * 100))) for k in (
        "iv_infusion", "iv_booster", "iv_consultation", "spravato_device", "spravato_observation", "spravato_cash_session")}
    prices["iv_package_discount_pct"] = draw(st.one_of(st.none(), _pct()))
    data = {
        "indication": draw(st.sampled_from(["trd", "mdd_si", "ptsd", "anxiety", "chronic_pain"])),
        "history": {"antidepressant_trials": draw(st.integers(0, 4)), "different_classes": draw(st.booleans()),
                    "augmentation_tried": draw(st.booleans()), "baseline_score": draw(st.sampled_from([None, 10, 20]))},
        "plan": {
            "payer_type": draw(st.sampled_from(["commercial", "hdhp", "medicare", "medicare_advantage", "medicaid", "tricare", "va", "uninsured"])),
            "plan_year_start_month": draw(st.integers(1, 12)),
            "in_network": draw(tiers()),
            "out_of_network": draw(st.one_of(st.none(), tiers())),
            "oon_allowed_pct": draw(st.one_of(st.none(), _pct())),
            "copay_before_deductible": draw(st.booleans()),
            "copays_count_toward_deductible": draw(st.booleans()),
            "spravato_drug_benefit": draw(st.sampled_from(["medical", "pharmacy"])),
            "pharmacy_coinsurance_pct": draw(_pct()),
            "pharmacy_copay": draw(st.one_of(st.just(Decimal(0)), _money(50_000_00))),
            "spravato_clinic_in_network": draw(st.booleans()),
            "iv_claim_route": draw(st.sampled_from(["self_pay", "superbill", "in_network"])),
            "medigap": draw(st.sampled_from(["none", "plan_g", "plan_n"])),
            "manufacturer_savings": draw(st.booleans()),
            "copay_assistance_counts": draw(st.sampled_from(["unknown", "counts", "accumulator", "maximizer"])),
            "state": draw(st.sampled_from(["", "MN", "CA", "VA"])),
            "tricare_group": draw(st.sampled_from([None, "adfm_prime", "adfm_select", "retiree_prime", "retiree_select", "tricare_for_life"])),
            "tricare_group_b": draw(st.booleans()),
            "tricare_junior_enlisted": draw(st.booleans()),
            "oon_allowed_method": draw(st.sampled_from(["percent_of_charge", "percent_of_medicare", "per_code"])),
            "oon_medicare_pct": draw(st.one_of(st.none(), st.integers(0, 1000).map(Decimal))),
            "oon_allowed_amounts": draw(st.dictionaries(st.sampled_from(["96365", "96366", "90791", "99214", "99415", "99416", "J0013"]), _money(10_000_000_00), max_size=5)),
            "spravato_drug_in_network": draw(st.sampled_from([None, True, False])),
            "medicare_spravato_route": draw(st.sampled_from(["part_b", "part_d"])),
            "part_d_deductible": draw(st.one_of(st.none(), _money(10_000_00))),
            "medicaid_monthly_income": draw(st.one_of(st.none(), _money(100_000_00))),
        },
        "prices": prices,
        "schedule": {
            "iv_protocol": draw(st.sampled_from(["depression", "pain"])),
            "iv_induction_infusions": draw(st.integers(1, 20)),
            "iv_induction_per_week": draw(st.integers(1, 5)),
            "iv_maintenance_interval_weeks": draw(st.integers(0, 52)),
            "spravato_dose_mg": draw(st.sampled_from([28, 56, 84])),
            "spravato_maintenance": draw(st.sampled_from(["weekly", "every_2_weeks"])),
        },
        "start_date": (date(2000, 1, 1) + timedelta(days=draw(st.integers(0, 36_000)))).isoformat(),
        "horizon_months": draw(st.integers(1, 36)),
    }
    if draw(st.booleans()):
        lo = draw(st.integers(0, 100_000))
        hi = draw(st.integers(lo, 100_000))
        data["spravato_likelihood_pct"] = {"low": Decimal(lo) / 1000, "typical": Decimal(draw(st.integers(lo, hi))) / 1000, "high": Decimal(hi) / 1000}
    try:
        return validate_scenario(data)
    except ScenarioError:
        data["start_date"] = "2027-01-04"
        return validate_scenario(data)


def check_lines(comp) -> None:
    """Every claim line of every run: signs, plan + patient = allowed, reimbursement, the in-network cap per plan year."""
    from toolkit import dataset
    from toolkit.engine.payers import effective_tiers

    s = comp.scenario
    tier = effective_tiers(s, dataset())[0]  # a TRICARE group's tier when one is set (the plan's own otherwise)
    start_month = 1 if s.plan.payer_type == "medicare" else s.plan.plan_year_start_month
    first_year = plan_year_start(s.start_date, start_month)
    for opt in comp.options.values():
        for (outcome, level), adj in opt.runs.items():
            paid_in_network: dict[date, int] = {}
            for a in adj.lines:
                where = (opt.option, outcome, level, a.line.service, a.line.day)
                for v in (a.allowed, a.plan_pays, a.deductible, a.coinsurance, a.copay, a.balance_bill, a.patient_pays, a.savings, a.reimbursement, a.net):
                    assert v >= 0, where
                assert a.reimbursement <= a.patient_pays, where
                assert a.savings <= a.patient_pays, where
                assert a.allowed <= a.line.billed, where
                share = a.deductible + a.coinsurance + a.copay
                if a.line.route == "superbill" and "no out-of-network" not in a.note:
                    assert a.reimbursement + share == a.allowed, where
                elif a.note.startswith(("self-pay", "no out-of-network")):
                    assert a.patient_pays == a.line.billed == a.allowed and share == 0, where
                else:
                    # plan_pays includes what a Medicare supplement pays of the coinsurance (the note says how much)
                    assert a.plan_pays + share == a.allowed, where
                    assert a.patient_pays == share + a.balance_bill, where
                    # a maximizer's drug line and a Part D fill sit outside the plan's cap (non-essential benefit; Part D's own cap)
                    if a.line.route == "in_network" and "maximizer:" not in a.note and not a.note.startswith("Part D"):
                        year = plan_year_start(a.line.day, start_month)
                        paid_in_network[year] = paid_in_network.get(year, 0) + share - a.savings
            if tier.oop_max is not None and s.plan.payer_type != "medicare":
                for year, paid in paid_in_network.items():
                    left = to_cents(tier.oop_max) - (to_cents(tier.oop_met) if year == first_year else 0)
                    assert paid <= left, (opt.option, outcome, level, year, paid, left)


def check_cases(comp) -> None:
    """Best <= expected <= worst at every month; best and worst are the lowest and highest combination."""
    for opt in comp.options.values():
        best, exp, worst = (opt.cumulative(c) for c in ("best", "expected", "worst"))
        assert all(b <= e <= w for b, e, w in zip(best, exp, worst)), opt.option
        combos = [weigh(opt.coverage.likelihood[i], opt.run("approved", lv).totals()["net"], opt.run("denied", lv).totals()["net"]) for lv, i in COMBINATIONS]
        assert (best[-1], worst[-1]) == (min(combos), max(combos))


def check_evaluator(s, comp) -> None:
    """The many-draws evaluator, one draw, equals the exact engine to the cent, month by month."""
    res = evaluate([s], DS)
    for opt in comp.options.values():
        for outcome in ("approved", "denied"):
            assert res.monthly[opt.option][outcome][0].tolist() == opt.monthly_net(outcome, "typical"), (opt.option, outcome)
        assert int(res.expected(opt.option)[0, -1]) == opt.total("expected"), opt.option


def _net(comp) -> dict:
    """Each run's (net patient cost, what the savings program paid), in cents."""
    out = {}
    for k, opt in comp.options.items():
        for o in ("approved", "denied"):
            for lv in PRICE_LEVELS:
                t = opt.run(o, lv).totals()
                out[(k, o, lv)] = (t["net"], t["savings"])
    return out


def _raised(s, path: str, by: Decimal):
    data = s.model_dump()
    node = data
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k] if node is not None else None
    if node is None:
        return None
    old = node[keys[-1]]
    if old is None or (keys[-1].endswith("copay") and old == 0):
        return None  # no quote to raise; a $0 copay means "no copay" (the documented exception)
    if node is None:
        return None
    node[keys[-1]] = old + by
    try:
        return validate_scenario(data)
    except ScenarioError:
        return None  # e.g. a deductible raised above the out-of-pocket maximum


RAISE = ["prices.iv_infusion", "prices.iv_booster", "prices.iv_consultation", "prices.spravato_device", "prices.spravato_observation",
         "prices.spravato_cash_session", "plan.in_network.coinsurance_pct", "plan.in_network.deductible", "plan.in_network.copay",
         "plan.pharmacy_coinsurance_pct", "plan.pharmacy_copay", "plan.out_of_network.deductible", "plan.out_of_network.coinsurance_pct"]


def check_monotone(s, comp, path: str) -> None:
    """Raising one price, coinsurance or deductible never lowers any run's cost share, nor its net patient cost
    unless the savings program paid more and its payments count toward the deductible and cap.

    The cost share is net + savings: what the patient's side owes before the manufacturer's
    program (patient pays - reimbursement). Where the program's payments count ("counts", or
    "unknown", which prices the approved runs as "counts"), a higher price makes the program
    pay more of a share that fills the deductible and cap, so they are reached sooner and the
    patient's own cost can fall (see :func:`toolkit.engine.rules.savings_program_pay`). It
    falls by no more than the program's extra payment, and never where the program's payments
    do not count (accumulator, maximizer) or where it paid nothing more.
    """
    other = _raised(s, path, Decimal("0.01") if "pct" not in path else Decimal("0.001"))
    if other is None:
        return
    before, after = _net(comp), _net(compare(other, DS))
    counts = s.plan.copay_assistance_counts in ("counts", "unknown")
    share_lower = {k: (before[k], after[k]) for k in before if sum(after[k]) < sum(before[k])}
    assert not share_lower, (path, "cost share lower", share_lower)
    net_lower = {k: (before[k], after[k]) for k in before if after[k][0] < before[k][0] and not (counts and after[k][1] > before[k][1])}
    assert not net_lower, (path, "net lower", net_lower)


def _make(**over):
    base = {"prices": {"iv_infusion": "500", "iv_consultation": "0", "iv_package_discount_pct": "0", "spravato_device": "100",
                       "spravato_observation": "150", "spravato_cash_session": "900"},
            "schedule": {"spravato_dose_mg": 56},  # the figures below are for 56 mg (two devices) every session
            "start_date": "2027-01-04", "horizon_months": 1}
    for path, value in over.items():
        node = base
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return validate_scenario(base)


# the case the search found and shrank (a 1-cent fall): a $10.00 drug line (one 28 mg device, pharmacy benefit, all to
# the $10.01 deductible, the program's $10 floor) leaves 1 cent of the $10.01 cap for the visit; at $10.01 the program
# pays that cent and it counts, so the visit costs $0.00: $10.01 -> $10.00. Hand-built twin with a $50 cap below, see
# test_savings_that_count_can_lower_the_patient_cost_when_a_price_rises
SEARCH_FIND = {"plan__manufacturer_savings": True, "plan__spravato_drug_benefit": "pharmacy", "plan__pharmacy_coinsurance_pct": "0",
               "plan__in_network__deductible": "10.01", "plan__in_network__oop_max": "10.01", "plan__in_network__coinsurance_pct": "0",
               "prices__spravato_device": "10", "schedule__spravato_dose_mg": 28}
SAVINGS_CAP = {"plan__manufacturer_savings": True, "plan__copay_assistance_counts": "counts", "plan__in_network__deductible": "0",
               "plan__in_network__coinsurance_pct": "20", "plan__in_network__oop_max": "50", "prices__spravato_device": "100.01"}


@SETTINGS
@given(scenarios(), st.sampled_from(RAISE))
@example(_make(**SEARCH_FIND), "prices.spravato_device")
@example(_make(**SAVINGS_CAP), "prices.spravato_device")
@example(_make(**{**SAVINGS_CAP, "plan__copay_assistance_counts": "accumulator"}), "prices.spravato_device")
def test_invariants_hold_over_the_scenario_space(s, path):
    comp = compare(s, DS)
    check_lines(comp)
    check_cases(comp)
    check_evaluator(s, comp)
    check_monotone(s, comp, path)


# --------------------------------------------------------------------------- the cases the search found


def test_overflow_the_largest_price_through_every_evaluator():
    """$10,000,000 a Spravato session (the model's largest amount), weekly, 36 months, denied: 161 sessions.

    161 x $10,000,000 = $1,610,000,000.00 = 161,000,000,000 cents. The many-draws evaluator
    returned -23,467,440,737 cents: the likelihood weighting multiplied cents by 10^8 in int64.
    It now splits the difference into multiples of 10^8 first, so no product passes 10^16.
    """
    s = validate_scenario({"prices": {"spravato_cash_session": "10000000"}, "horizon_months": 36, "schedule": {"spravato_maintenance": "weekly"}})
    comp = compare(s, DS)
    spr = comp.options["spravato"]
    assert spr.schedule.sessions == 161
    assert spr.run("denied").totals()["net"] == 161 * 10_000_000 * 100 == 161_000_000_000
    res = evaluate([s], DS)
    assert int(res.cumulative("spravato", "denied")[0, -1]) == 161_000_000_000
    assert int(res.expected("spravato")[0, -1]) == spr.total("expected") > 0
    check_lines(comp)
    check_cases(comp)


def test_weigh_never_overflows_near_the_int64_limit():
    # 4 x 10^18 cents is far beyond any bill; the weighting still rounds exactly
    a, d = np.array([4 * 10**18]), np.array([0])
    assert weigh(np.array([50_000_000]), a, d).tolist() == [2 * 10**18]
    assert weigh(np.array([1]), np.array([10**18]), np.array([0])).tolist() == [10**10]  # 10^18 x 10^-8


@pytest.mark.parametrize("over, why", [
    ({"prices__spravato_cash_session": "0"}, "a $0 cash quote: denied costs less than approved"),
    ({"plan__spravato_clinic_in_network": False, "plan__out_of_network": None}, "an out-of-network clinic, no out-of-network benefits"),
])
def test_best_is_never_above_worst_whichever_way_a_denial_points(over, why):
    """Best used to mean low prices with the high likelihood; when denial is the cheaper path that put best above worst.

    $0 cash quote, 1 month (9 Spravato sessions, $350 each approved: $200 drug + $150 visit,
    20 % coinsurance after the $0 deductible = $70 a session; no savings program): approved $630 at every price
    level, denied $0. Likelihood low/typical/high 60/80/90 %, halved to 30/40/45 % while the usual
    prior-authorization criteria are not shown: the weighted cost is $630 x p, so best is
    $630 x 30 % = $189 (the low likelihood, not the high one) and worst $630 x 45 % = $283.50.
    """
    comp = compare(_make(**{"plan__in_network__coinsurance_pct": "20", "plan__manufacturer_savings": False, **over}), DS)
    check_cases(comp)
    spr = comp.options["spravato"]
    assert spr.total("best") <= spr.total("expected") <= spr.total("worst"), why
    if "prices__spravato_cash_session" in over:
        assert spr.run("denied").totals()["net"] == 0
        assert spr.run("approved").totals()["net"] == 9 * 7000
        lo, _, hi = spr.coverage.likelihood
        assert (spr.total("best"), spr.total("worst")) == (weigh(lo, 63000, 0), weigh(hi, 63000, 0)) == (18900, 28350)


def test_copay_from_none_to_a_little_is_the_one_documented_exception():
    """A $0 visit copay means the plan has no visit copay: coinsurance applies to the visit.

    The search found raising the in-network copay lowering the cost. 50 % coinsurance, no
    deductible, the $150 observation visit: no copay -> 50 % = $75; a $1 copay -> $1 (the
    copay replaces the coinsurance, as a plan printing "$40 copay" means). Above $0 the copay
    is monotone: $1 -> $2 raises each visit by $1.
    """
    def visit_cost(copay):
        comp = compare(_make(plan__in_network__coinsurance_pct="50", plan__in_network__copay=copay), DS)
        return [a.patient_pays for a in comp.options["spravato"].run("approved").lines if a.line.kind == "visit"][0]

    assert visit_cost("0") == 7500
    assert visit_cost("1") == 100
    assert visit_cost("2") == 200


def test_savings_that_count_can_lower_the_patient_cost_when_a_price_rises():
    """The search once saw a 1-cent fall in the patient's cost after a 1-cent price rise. It is no rounding slip.

    One Spravato session in the month counts (56 mg: two devices), 20 % coinsurance, no
    deductible, a $50 cap, the savings program on and its payments counting toward the cap:

    - $100.01 a device: drug $200.02, share 20 % = $40.004 -> $40.00; the program pays $30.00,
      the patient the $10 floor. $40.00 of the $50 cap is used, so the $150 visit's 20 % ($30)
      is cut to the $10.00 left. Patient: $10 + $10 = $20.00; cost share $20.00 + $30.00 = $50.00.
    - $100.02 a device: drug $200.04, share $40.008 -> $40.01; the program pays $30.01; the
      visit is cut to $9.99. Patient: $19.99; cost share $19.99 + $30.01 = $50.00.

    The program paid the extra cent and it counted toward the cap, so the cap was reached a
    cent sooner: the patient pays less. Real plans behave so where the program counts (the
    reason accumulator programs exist). Rounding sets only the size: each line's coinsurance
    moves 0 or 1 cent, so a 1-cent rise shows up as a fall of up to one cent per drug line
    before the cap; a $1 rise lowers the same patient's cost by $0.40, by $4.80 when the
    program fills a $1,000 deductible instead. So the property allows no tolerance; it allows
    the fall where the program's payments count and paid it, and checks the cost share always.
    Under an accumulator the program's payments do not count: $50.00 both ways.
    """
    def totals(**over):
        t = compare(_make(**{**SAVINGS_CAP, **over}), DS).options["spravato"].run("approved").totals()
        return t["net"], t["savings"]

    # the search's own case ("unknown" prices the approved run as "counts")
    find = {**SEARCH_FIND, "plan__copay_assistance_counts": "unknown"}
    assert totals(**find) == (1001, 0) and totals(**{**find, "prices__spravato_device": "10.01"}) == (1000, 1)
    assert totals() == (2000, 3000)
    assert totals(prices__spravato_device="100.02") == (1999, 3001)
    assert totals(prices__spravato_device="101.01") == (1960, 3040)  # $1 more a device: $0.40 less for the patient
    # the deductible, not the cap: each drug line goes to the $1,000 deductible, paid by the program down to $10, so
    # the visits meet less of it. $1 more a device: $202 + $150 + $202 + $150 + $202 leaves $94 for the third visit
    # (was $100), and its other $56 at 20 % = $11.20: $105.20 instead of $110, $4.80 less for the patient
    ded = {"plan__in_network__deductible": "1000", "plan__in_network__oop_max": None, "horizon_months": 2}
    (n0, s0), (n1, s1) = totals(**ded, prices__spravato_device="100"), totals(**ded, prices__spravato_device="101")
    assert (n0, n1, n0 + s0, n1 + s1) == (84000, 83520, 171000, 171520)
    for assist in ("accumulator", "maximizer"):
        a, b = totals(plan__copay_assistance_counts=assist), totals(plan__copay_assistance_counts=assist, prices__spravato_device="100.02")
        assert b[0] >= a[0], assist
    check_monotone(_make(**SAVINGS_CAP), compare(_make(**SAVINGS_CAP), DS), "prices.spravato_device")
