"""Properties that must hold for any plan, any prices and any schedule.

Hypothesis builds random but valid scenarios (deductible <= out-of-pocket maximum, amount
met <= amount due, ...) with clinic quotes for the prices, runs the whole comparison and
checks every claim line of every run (approved and denied, low, typical and high prices).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from toolkit import compare, dataset, validate_scenario
from toolkit.dates import plan_year_start
from toolkit.engine.adjudication import adjudicate
from toolkit.engine.claims import price_sessions
from toolkit.money import to_cents
from toolkit.engine.schedule import build_schedule

from fuzzing import fuzz_settings

# 200 cases per property by default; TOOLKIT_FUZZ_CASES raises it (tests/fuzzing.py)
SETTINGS = fuzz_settings(database=None, suppress_health_check=[HealthCheck.too_slow])

DS = dataset()  # module-level, not a fixture: keeps the 100 kB dataset out of failure reports
PAYERS = ["commercial", "hdhp", "medicare", "medicare_advantage", "medicaid", "tricare", "va", "uninsured"]
PRICE_FIELDS = ["iv_infusion", "iv_booster", "iv_consultation", "spravato_device", "spravato_observation", "spravato_cash_session"]


def dollars(lo: int, hi: int):
    """Whole cents between lo and hi, as a Decimal dollar amount."""
    return st.integers(lo, hi).map(lambda c: Decimal(c) / 100)


def percent():
    return st.integers(0, 1000).map(lambda t: Decimal(t) / 10)  # 0.0 .. 100.0 %


@st.composite
def tiers(draw, fresh: bool = False):
    """A valid network tier; ``fresh`` = nothing met at the start."""
    if draw(st.booleans()):
        cap = draw(st.integers(0, 15_000_00))
        deductible = draw(st.integers(0, cap))
        oop_met = 0 if fresh else draw(st.integers(0, cap))
    else:
        cap = None
        deductible = draw(st.integers(0, 5_000_00))
        oop_met = 0 if fresh else draw(st.integers(0, 5_000_00))
    deductible_met = 0 if fresh else draw(st.integers(0, deductible))
    return {
        "deductible": Decimal(deductible) / 100,
        "deductible_met": Decimal(deductible_met) / 100,
        "coinsurance_pct": draw(percent()),
        "copay": draw(st.one_of(st.just(Decimal(0)), dollars(0, 150_00))),
        "oop_max": None if cap is None else Decimal(cap) / 100,
        "oop_met": Decimal(oop_met) / 100,
    }


@st.composite
def scenarios(draw, fresh=False, savings=None, start=None, horizon=None, payers=PAYERS):
    payer = draw(st.sampled_from(payers))
    plan = {
        "payer_type": payer,
        "plan_year_start_month": draw(st.integers(1, 12)),
        "in_network": draw(tiers(fresh)),
        "out_of_network": draw(st.one_of(st.none(), tiers(fresh))),
        "oon_allowed_pct": draw(st.one_of(st.none(), percent())),
        "copay_before_deductible": draw(st.booleans()),
        "copays_count_toward_deductible": draw(st.booleans()),
        "spravato_drug_benefit": draw(st.sampled_from(["medical", "pharmacy"])),
        "pharmacy_coinsurance_pct": draw(percent()),
        "pharmacy_copay": draw(st.one_of(st.just(Decimal(0)), dollars(0, 100_00))),
        "spravato_clinic_in_network": draw(st.booleans()),
        "iv_claim_route": draw(st.sampled_from(["self_pay", "superbill", "in_network"])),
        "medigap": draw(st.sampled_from(["none", "plan_g", "plan_n"])),
        "manufacturer_savings": draw(st.booleans()) if savings is None else savings,
        "copay_assistance_counts": draw(st.sampled_from(["unknown", "counts", "accumulator", "maximizer"])),
        "state": draw(st.sampled_from(["", "NY", "MN"])),
        "oon_allowed_method": draw(st.sampled_from(["percent_of_charge", "percent_of_medicare", "per_code"])),
        "oon_medicare_pct": draw(st.one_of(st.none(), st.integers(0, 400).map(Decimal))),
        "oon_allowed_amounts": draw(st.dictionaries(st.sampled_from(["96365", "96366", "90791", "99214", "99415", "J0013"]), dollars(0, 2_000_00), max_size=4)),
        "spravato_drug_in_network": draw(st.sampled_from([None, True, False])),
        "medicare_spravato_route": draw(st.sampled_from(["part_b", "part_d"])),
        "part_d_deductible": draw(st.one_of(st.none(), dollars(0, 1_000_00))),
        "medicaid_monthly_income": draw(st.one_of(st.none(), dollars(0, 10_000_00))),
    }
    prices = {f: draw(st.one_of(st.none(), dollars(0, 3_000_00))) for f in PRICE_FIELDS}
    prices["iv_package_discount_pct"] = draw(st.one_of(st.none(), st.integers(0, 50).map(Decimal)))
    schedule = {
        "iv_protocol": draw(st.sampled_from(["depression", "pain"])),
        "iv_induction_infusions": draw(st.integers(1, 10)),
        "iv_induction_per_week": draw(st.integers(1, 3)),
        "iv_maintenance_interval_weeks": draw(st.integers(0, 8)),
        "spravato_dose_mg": draw(st.sampled_from([28, 56, 84])),
        "spravato_maintenance": draw(st.sampled_from(["weekly", "every_2_weeks"])),
    }
    return validate_scenario(
        {
            "indication": draw(st.sampled_from(["trd", "mdd_si", "ptsd", "anxiety", "chronic_pain"])),
            "plan": plan,
            "prices": prices,
            "schedule": schedule,
            "start_date": start or draw(st.dates(date(2026, 1, 1), date(2028, 12, 31))),
            "horizon_months": horizon or draw(st.integers(1, 15)),
        }
    )


def every_line(comparison):
    for opt in comparison.options.values():
        for adj in opt.runs.values():
            for a in adj.lines:
                yield a


def plan_year_of(scenario, day: date) -> date:
    month = 1 if scenario.plan.payer_type == "medicare" else scenario.plan.plan_year_start_month
    return plan_year_start(day, month)


def counted(scenario, a) -> int:
    """What one line adds to its network's out-of-pocket total.

    Lines outside the plan's cap count nothing here: a maximizer's drug line (the plan treats
    the drug as a non-essential benefit: neither the program's nor the patient's payments
    count, by design) and a Part D line (Part D has its own cap, checked on its own).
    """
    if "maximizer:" in a.note or a.note.startswith("Part D"):
        return 0
    if a.line.route == "superbill":
        share = a.deductible + a.coinsurance
    else:
        share = a.patient_pays - a.balance_bill
    if scenario.plan.copay_assistance_counts == "accumulator":
        share = max(0, share - a.savings)  # the manufacturer's payment does not count
    return share


# --------------------------------------------------------------------------- per line


@pytest.mark.fuzz
@SETTINGS
@given(scenarios())
def test_every_line_is_sane(scenario):
    for a in every_line(compare(scenario, DS)):
        ln = a.line
        assert ln.billed >= 0
        assert a.patient_pays >= 0 and a.plan_pays >= 0
        assert 0 <= a.savings <= a.patient_pays
        assert 0 <= a.reimbursement <= a.patient_pays
        assert a.net >= 0
        if ln.route == "in_network":
            # the patient's share never exceeds the allowed amount; plan + patient = allowed
            assert a.allowed == ln.billed
            assert a.patient_pays <= a.allowed
            assert a.plan_pays + a.patient_pays == a.allowed
            assert a.balance_bill == 0
        elif ln.route == "out_of_network":
            assert a.allowed <= ln.billed
            assert a.patient_pays <= ln.billed
            if "no out-of-network benefits" in a.note:
                assert (a.patient_pays, a.plan_pays) == (ln.billed, 0)
            else:
                # plan + the patient's cost share = allowed; the balance bill is the rest of the charge
                assert a.plan_pays + (a.patient_pays - a.balance_bill) == a.allowed
                assert a.balance_bill == ln.billed - a.allowed
        elif ln.route == "superbill":
            assert a.patient_pays == ln.billed
            assert a.reimbursement <= a.allowed <= ln.billed
            assert a.reimbursement == 0 or a.reimbursement_day > ln.day
        else:
            assert (ln.route, a.patient_pays, a.plan_pays) == ("self_pay", ln.billed, 0)
        assert a.deductible + a.coinsurance + a.copay <= a.allowed


@pytest.mark.fuzz
@SETTINGS
@given(st.one_of(scenarios(), scenarios(savings=True, payers=["commercial", "hdhp"])))
def test_accumulators_stay_in_range(scenario):
    """Deductible and out-of-pocket left never below 0 nor above the plan's figures.

    Half of the examples are commercial plans with the savings program, where accumulator
    programs take the manufacturer's payments back out of the running totals.
    """
    for a in every_line(compare(scenario, DS)):
        if a.note.startswith("Part D"):  # Part D's own deductible and cap
            assert 0 <= a.deductible_left <= to_cents(PART_D_DEDUCTIBLE if scenario.plan.part_d_deductible is None else scenario.plan.part_d_deductible)
            assert 0 <= a.oop_left <= to_cents(PART_D_CAP)
            continue
        tier = scenario.plan.in_network if a.line.route == "in_network" else scenario.plan.out_of_network
        if a.deductible_left is not None:
            assert 0 <= a.deductible_left <= to_cents(tier.deductible)
        if a.oop_left is not None:
            assert 0 <= a.oop_left <= to_cents(tier.oop_max)


# --------------------------------------------------------------------------- plan year totals

PART_D_DEDUCTIBLE, PART_D_CAP = DS.number("medicare.partd.deductible"), DS.number("medicare.partd.oop_cap")


@pytest.mark.fuzz
@SETTINGS
@given(scenarios(payers=["medicare", "medicare_advantage"]))
def test_part_d_spending_in_a_calendar_year_never_passes_its_cap(scenario):
    """Part D's 2026 cap ($2,100) holds per calendar year, whatever the drug costs (patient's cost share only)."""
    scenario = scenario.model_copy(update={"plan": scenario.plan.model_copy(update={"medicare_spravato_route": "part_d"})})
    for adj in compare(scenario, DS).options["spravato"].runs.values():
        spent: dict[int, int] = {}
        for a in adj.lines:
            if a.note.startswith("Part D"):
                spent[a.line.day.year] = spent.get(a.line.day.year, 0) + a.patient_pays
        assert all(v <= to_cents(PART_D_CAP) for v in spent.values()), spent


@pytest.mark.fuzz
@SETTINGS
@given(scenarios())
def test_spending_within_a_plan_year_never_passes_the_cap(scenario):
    plan = scenario.plan
    first_year = plan_year_of(scenario, scenario.start_date)
    for opt in compare(scenario, DS).options.values():
        for adj in opt.runs.values():
            spent: dict[tuple[str, date], int] = {}
            for a in adj.lines:
                route = a.line.route
                if route == "self_pay" or "no out-of-network" in a.note:
                    continue
                network = "in_network" if route == "in_network" else "out_of_network"
                key = (network, plan_year_of(scenario, a.line.day))
                spent[key] = spent.get(key, 0) + counted(scenario, a)
            for (network, year), amount in spent.items():
                tier = plan.in_network if network == "in_network" else plan.out_of_network
                if tier.oop_max is None:
                    continue
                left = to_cents(tier.oop_max) - (to_cents(tier.oop_met) if year == first_year else 0)
                assert amount <= left, (network, year)


@pytest.mark.fuzz
@SETTINGS
@given(
    st.sampled_from([2025, 2029]).flatmap(  # no 29 February in either plan year
        lambda y: st.integers(1, 12).flatmap(lambda m: scenarios(fresh=True, start=date(y, m, 1), horizon=12))
    )
)
def test_two_identical_plan_years_cost_the_same(scenario):
    if scenario.plan.payer_type == "medicare" and scenario.start_date.month != 1:
        scenario = scenario.model_copy(update={"start_date": scenario.start_date.replace(month=1)})
    if scenario.start_date.month != 1:
        # the savings program's cap and Part D's accumulators run by calendar year, not plan year
        scenario = scenario.model_copy(update={"plan": scenario.plan.model_copy(update={"manufacturer_savings": False, "medicare_spravato_route": "part_b"})})
    scenario = scenario.model_copy(update={"plan": scenario.plan.model_copy(update={"plan_year_start_month": scenario.start_date.month})})
    for option in ("iv_ketamine", "spravato"):
        sessions = build_schedule(scenario, DS, option)
        for outcome in ("approved", "denied"):
            year1 = price_sessions(scenario, DS, option, sessions, outcome)
            year2 = [replace(ln, day=ln.day.replace(year=ln.day.year + 1)) for ln in year1]
            adj = adjudicate(scenario, DS, option, outcome, year1 + year2)
            first = [(a.patient_pays, a.plan_pays, a.savings, a.reimbursement, a.net) for a in adj.lines[: len(year1)]]
            second = [(a.patient_pays, a.plan_pays, a.savings, a.reimbursement, a.net) for a in adj.lines[len(year1) :]]
            assert first == second, (option, outcome)


# --------------------------------------------------------------------------- prices


@pytest.mark.fuzz
@SETTINGS
@given(scenarios(), st.sampled_from(PRICE_FIELDS), dollars(1, 1_000_00))
def test_raising_a_clinic_quote_never_lowers_the_patient_cost(scenario, field, raise_by):
    """Holds except where the savings program pays a deductible that still counts (see below)."""
    plan = scenario.plan
    if plan.manufacturer_savings and plan.copay_assistance_counts != "accumulator":
        scenario = scenario.model_copy(update={"plan": plan.model_copy(update={"copay_assistance_counts": "accumulator"})})
    cheaper = scenario
    old = getattr(scenario.prices, field)
    if old is None:
        # no quote yet: start from a $0 quote, then raise it
        cheaper = scenario.model_copy(update={"prices": scenario.prices.model_copy(update={field: Decimal(0)})})
        old = Decimal(0)
    dearer = cheaper.model_copy(update={"prices": cheaper.prices.model_copy(update={field: old + raise_by})})
    low, high = compare(cheaper, DS), compare(dearer, DS)
    for option in ("iv_ketamine", "spravato"):
        a, b = low.options[option], high.options[option]
        for key in a.runs:
            assert a.runs[key].totals()["net"] <= b.runs[key].totals()["net"], (option, key)
        for case in ("best", "expected", "worst"):
            assert a.total(case) <= b.total(case), (option, case)


def test_why_the_price_property_needs_an_accumulator_with_savings(make_scenario, ds):
    """With the savings program on and no accumulator program, a dearer drug can cost less.

    The program pays the drug line's share, deductible included; a dearer drug uses up more
    of the deductible on that line, leaving less deductible for the visit lines the patient
    pays in full. Real copay cards behave this way, which is why accumulator programs exist.

    $1,000 deductible, 20% coinsurance, $500 visits, 9 sessions of 2 devices:
    - $250 a device: S1 drug $500 to the deductible (program pays $490), S1 visit $500 to
      the deductible; patient pays $10 + $500 + 8 x ($10 + $100) = $1,390
    - $500 a device: S1 drug $1,000 to the deductible (program pays $990), every visit at
      20%; patient pays 9 x ($10 + $100) = $990
    """
    def net(device):
        s = make_scenario(
            {
                "prices": {"spravato_device": device, "spravato_observation": "500"},
                "plan": {"manufacturer_savings": True, "in_network": {"deductible": "1000", "coinsurance_pct": "20"}},
            }
        )
        return compare(s, ds).options["spravato"].run().totals()["net"]

    assert net("250") == 139000
    assert net("500") == 99000
