"""Claim-by-claim patient cost through ``toolkit.engine.compare``, on hand-built situations.

Every test uses clinic quotes (see ``BASE_SCENARIO`` in conftest.py) so the arithmetic can
be checked by hand:

- Spravato 56 mg: drug line 2 devices x $100 = $200, observation visit $150, cash $900;
- IV ketamine: $500 an infusion, no consultation fee, no package discount;
- first session Monday 4 Jan 2027, 1-month horizon: Spravato on days 0, 3, 7, 10, 14, 17,
  21, 24 and 28 (9 sessions), IV on days 0, 3, 7, 10, 14, 17 (6 infusions).

Amounts in the tables are cents.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from conftest import merge as _merge
from toolkit import compare, example_names, load_example
from toolkit.engine.adjudication import Event, adjudicate
from toolkit.engine.claims import price_sessions
from toolkit.engine.compare import COMBINATIONS
from toolkit.engine.schedule import build_schedule
from toolkit.money import weigh

JAN4 = date(2027, 1, 4)


def run(scenario, ds, option="spravato", outcome="approved"):
    return compare(scenario, ds).options[option].run(outcome)


def shares(result, n=None):
    """(deductible, coinsurance, copay, patient_pays, plan_pays) per line."""
    return [(a.deductible, a.coinsurance, a.copay, a.patient_pays, a.plan_pays) for a in result.lines[:n]]


# --------------------------------------------------------------------------- deductible and cap


def test_deductible_crossed_in_the_middle_of_a_claim(make_scenario, ds):
    s = make_scenario({"plan": {"in_network": {"deductible": "500", "coinsurance_pct": "20"}}})
    r = run(s, ds)
    assert shares(r, 6) == [
        (20000, 0, 0, 20000, 0),  # S1 drug $200: all to the deductible ($300 left)
        (15000, 0, 0, 15000, 0),  # S1 visit $150: all to the deductible ($150 left)
        (15000, 1000, 0, 16000, 4000),  # S2 drug: $150 deductible + 20% x $50 = $160; plan $40
        (0, 3000, 0, 3000, 12000),  # S2 visit: 20% x $150 = $30
        (0, 4000, 0, 4000, 16000),  # S3 drug: 20% x $200 = $40
        (0, 3000, 0, 3000, 12000),  # S3 visit: $30
    ]
    # $200 + $150 + $160 + $30 + 7 more sessions x ($40 + $30) = $540 + $490
    assert r.totals()["net"] == 103000
    assert Event(date(2027, 1, 7), "deductible met", "in_network") in r.events


def test_out_of_pocket_cap_then_the_plan_pays_everything(make_scenario, ds):
    s = make_scenario({"plan": {"in_network": {"deductible": "0", "coinsurance_pct": "50", "oop_max": "300"}}})
    r = run(s, ds)
    assert [a.patient_pays for a in r.lines[:6]] == [
        10000,  # S1 drug: 50% x $200 ($200 of the cap left)
        7500,  # S1 visit: 50% x $150 ($125 left)
        10000,  # S2 drug ($25 left)
        2500,  # S2 visit: $75 cut to the $25 left
        0,  # S3 onward: the plan pays 100%
        0,
    ]
    assert all(a.plan_pays == a.allowed for a in r.lines[4:])
    assert r.totals()["patient_pays"] == 30000  # exactly the cap
    assert r.lines[3].oop_left == 0
    assert Event(date(2027, 1, 7), "out-of-pocket maximum reached", "in_network") in r.events


def test_oop_met_at_start_counts_toward_the_cap(make_scenario, ds):
    s = make_scenario({"plan": {"in_network": {"coinsurance_pct": "50", "oop_max": "300", "oop_met": "250"}}})
    r = run(s, ds)
    assert r.lines[0].patient_pays == 5000  # $100 owed, only $300 - $250 = $50 of cap left
    assert r.totals()["patient_pays"] == 5000


# --------------------------------------------------------------------------- plan years


DEC_START = {
    # Mon 7 Dec 2026, 2 months: Dec 7, 10, 14, 17, 21, 24, 28, 31; Jan 4, 11, 18, 25; Feb 1
    "start_date": "2026-12-07",
    "horizon_months": 2,
    "plan": {"plan_year_start_month": 1, "in_network": {"deductible": "500", "coinsurance_pct": "20", "oop_max": "6000"}},
}


def by_year(result):
    out: dict[str, int] = {}
    for a in result.lines:
        out[a.plan_year] = out.get(a.plan_year, 0) + a.net
    return out


def test_deductible_starts_again_in_january(make_scenario, ds):
    r = run(make_scenario(DEC_START), ds)
    assert by_year(r) == {
        # $200 + $150 (deductible) + $160 + $30 (crossing) + 6 sessions x $70
        "Jan 2026-Dec 2026": 96000,
        # Jan 4, 11, 18, 25, Feb 1: the same $540 for the first two, then 3 x $70
        "Jan 2027-Dec 2027": 75000,
    }
    first_january = next(a for a in r.lines if a.line.day.year == 2027)
    assert first_january.deductible == 20000  # $200 drug line all to the new deductible
    assert Event(date(2027, 1, 1), "plan year resets") in r.events


def test_met_amounts_at_start_count_only_in_the_first_plan_year(make_scenario, ds):
    over = {"plan": {"in_network": {"deductible_met": "500", "oop_max": "1000", "oop_met": "1000"}}}
    r = run(make_scenario(_merge(DEC_START, over)), ds)
    assert by_year(r) == {
        "Jan 2026-Dec 2026": 0,  # cap already reached this plan year: the plan pays everything
        "Jan 2027-Dec 2027": 75000,  # fresh deductible and cap in January: as above
    }


def test_deductible_met_at_start_skips_the_deductible_in_december(make_scenario, ds):
    r = run(make_scenario(_merge(DEC_START, {"plan": {"in_network": {"deductible_met": "500"}}})), ds)
    assert by_year(r) == {"Jan 2026-Dec 2026": 8 * 7000, "Jan 2027-Dec 2027": 75000}  # 8 x ($40 + $30)


def test_july_plan_year(make_scenario, ds):
    # Mon 7 Jun 2027, 2 months: Jun 7, 10, 14, 17, 21, 24, 28; Jul 1, 5, 12, 19, 26; Aug 2
    s = make_scenario(
        {
            "start_date": "2027-06-07",
            "horizon_months": 2,
            "plan": {"plan_year_start_month": 7, "in_network": {"deductible": "500", "deductible_met": "500"}},
        }
    )
    r = run(s, ds)
    assert by_year(r) == {
        "Jul 2026-Jun 2027": 7 * 7000,  # deductible met at start: 7 x ($40 + $30)
        # Jul 1: $200 + $150 deductible; Jul 5: $160 + $30; Jul 12, 19, 26, Aug 2: 4 x $70
        "Jul 2027-Jun 2028": 54000 + 28000,
    }
    assert Event(date(2027, 7, 1), "plan year resets") in r.events


# --------------------------------------------------------------------------- copays


@pytest.mark.parametrize(
    "plan,expected",
    [
        (  # copay before the deductible, not counted toward it
            {"copay_before_deductible": True},
            [
                (20000, 0, 0, 20000),  # S1 drug: $200 to the deductible ($100 left)
                (0, 0, 4000, 4000),  # S1 visit: $40 copay, deductible untouched
                (10000, 2000, 0, 12000),  # S2 drug: $100 + 20% x $100
                (0, 0, 4000, 4000),  # S2 visit: $40 copay
            ],
        ),
        (  # deductible first, then the copay
            {"copay_before_deductible": False},
            [
                (20000, 0, 0, 20000),  # S1 drug: $200 to the deductible ($100 left)
                (10000, 0, 4000, 14000),  # S1 visit: $100 deductible + $40 copay
                (0, 4000, 0, 4000),  # S2 drug: 20% x $200
                (0, 0, 4000, 4000),  # S2 visit: $40 copay
            ],
        ),
        (  # copay before the deductible and counted toward it
            {"copay_before_deductible": True, "copays_count_toward_deductible": True},
            [
                (20000, 0, 0, 20000),  # S1 drug: $200 ($100 left)
                (0, 0, 4000, 4000),  # S1 visit: $40 copay counts ($60 left)
                (6000, 2800, 0, 8800),  # S2 drug: $60 + 20% x $140 = $60 + $28
                (0, 0, 4000, 4000),
            ],
        ),
    ],
)
def test_copay_visit_and_coinsurance_drug(make_scenario, ds, plan, expected):
    s = make_scenario({"plan": {**plan, "in_network": {"deductible": "300", "coinsurance_pct": "20", "copay": "40"}}})
    r = run(s, ds)
    assert [(a.deductible, a.coinsurance, a.copay, a.patient_pays) for a in r.lines[:4]] == expected
    assert [a.line.kind for a in r.lines[:2]] == ["drug", "visit"]


# --------------------------------------------------------------------------- government plans

MEDICARE = {"plan": {"payer_type": "medicare", "in_network": {"deductible": "283", "coinsurance_pct": "20", "oop_max": None}}}


def test_original_medicare_part_b(make_scenario, ds):
    r = run(make_scenario(MEDICARE), ds)
    assert {a.line.code for a in r.lines} == {"G2082"}  # 56 mg sessions, bundled, $952.59
    assert {a.allowed for a in r.lines} == {95259}
    # S1: $283 + 20% x $669.59 = $283 + $133.918 -> $416.92; then 20% x $952.59 = $190.518 -> $190.52
    assert [a.patient_pays for a in r.lines[:3]] == [41692, 19052, 19052]
    assert r.totals()["net"] == 41692 + 8 * 19052  # = $1,941.08, no yearly cap
    assert all(a.oop_left is None for a in r.lines)


def test_original_medicare_resets_in_january_whatever_the_plan_year_says(make_scenario, ds):
    s = make_scenario(_merge(MEDICARE, {"start_date": "2026-12-07", "horizon_months": 2, "plan": {"plan_year_start_month": 7}}))
    r = run(s, ds)
    first_january = next(a for a in r.lines if a.line.day.year == 2027)
    assert first_january.deductible == 28300
    assert first_january.plan_year == "Jan 2027-Dec 2027"


def test_medicare_supplement_leaves_only_the_deductible(make_scenario, ds):
    r = run(make_scenario(_merge(MEDICARE, {"plan": {"medigap": "plan_g"}})), ds)
    assert [a.patient_pays for a in r.lines[:3]] == [28300, 0, 0]
    assert r.lines[0].plan_pays == 95259 - 28300  # Medicare plus Medigap pay $669.59
    assert r.totals()["net"] == 28300


@pytest.mark.parametrize("payer", ["medicare", "medicare_advantage", "tricare"])
def test_bundled_g_code_by_dose(make_scenario, ds, payer):
    s = make_scenario(_merge(MEDICARE, {"plan": {"payer_type": payer}, "schedule": {"spravato_dose_mg": 84}}))
    r = run(s, ds)
    # first session 56 mg -> G2082 ($952.59); 84 mg after -> G2083 ($1,356.08)
    assert [(a.line.code, a.line.billed) for a in r.lines[:3]] == [("G2082", 95259), ("G2083", 135608), ("G2083", 135608)]
    assert all(a.line.kind == "bundle" for a in r.lines)


def test_medicaid_nominal_copay(make_scenario, ds):
    s = make_scenario({"plan": {"payer_type": "medicaid", "in_network": {"coinsurance_pct": "0", "copay": "4", "oop_max": None}}})
    r = run(s, ds)
    assert [a.patient_pays for a in r.lines[:2]] == [0, 400]  # drug $0, visit $4
    assert r.totals()["net"] == 9 * 400  # 9 sessions x $4


# --------------------------------------------------------------------------- denied, uninsured


def test_denied_spravato_costs_the_cash_price(make_scenario, ds):
    r = run(make_scenario(), ds, outcome="denied")
    assert [(a.line.route, a.patient_pays, a.plan_pays) for a in r.lines] == [("self_pay", 90000, 0)] * 9
    assert r.totals()["net"] == 9 * 90000  # $8,100


def test_denied_iv_is_self_pay_with_nothing_back(make_scenario, ds):
    s = make_scenario({"plan": {"iv_claim_route": "superbill", "out_of_network": {"deductible": "0", "coinsurance_pct": "40"}}})
    r = run(s, ds, option="iv_ketamine", outcome="denied")
    assert {a.line.route for a in r.lines} == {"self_pay"}
    assert r.totals()["reimbursement"] == 0
    assert r.totals()["net"] == 6 * 50000


def test_denied_without_a_quote_uses_the_published_cash_price(ds):
    r = run(load_example("commercial_ppo_trd"), ds, outcome="denied")
    # the published $1,050 is a 56 mg session; an 84 mg session adds the price of one device
    device = ds.value("spravato.device_28mg").typical
    assert {(a.line.billed, a.line.ref) for a in r.lines} == {
        (105000, "prices.csv:spravato.cash_per_session"),
        (105000 + int(device * 100),  # an 84 mg session: one device more
        "prices.csv:spravato.cash_per_session; plus one device prices.csv:spravato.device_28mg"),
    }


def test_uninsured_pays_the_cash_price_even_when_approved(make_scenario, ds):
    r = run(make_scenario({"plan": {"payer_type": "uninsured", "in_network": {"oop_max": None}}}), ds)
    assert r.totals()["net"] == 9 * 90000


# --------------------------------------------------------------------------- out of network

OON_CLINIC = {
    "plan": {
        "spravato_clinic_in_network": False,
        "oon_allowed_pct": "50",
        "in_network": {"deductible": "500"},
        "out_of_network": {"deductible": "300", "coinsurance_pct": "40", "oop_max": "2000"},
    }
}


def test_out_of_network_spravato_clinic(make_scenario, ds):
    r = run(make_scenario(OON_CLINIC), ds)
    # (allowed, deductible, coinsurance, balance bill, patient pays, plan pays, cap left)
    assert [(a.allowed, a.deductible, a.coinsurance, a.balance_bill, a.patient_pays, a.plan_pays, a.oop_left) for a in r.lines[:4]] == [
        (10000, 10000, 0, 10000, 20000, 0, 190000),  # S1 drug: allowed 50% x $200; $100 deductible + $100 balance bill
        (7500, 7500, 0, 7500, 15000, 0, 182500),  # S1 visit: allowed $75, all deductible ($125 left) + $75 balance
        (10000, 10000, 0, 10000, 20000, 0, 172500),  # S2 drug: $100 deductible ($25 left)
        (7500, 2500, 2000, 7500, 12000, 3000, 168000),  # S2 visit: $25 + 40% x $50 = $45, + $75 balance
    ]
    # the cap counts only the cost share: $2,000 - ($100 + $75 + $100 + $45) = $1,680, balance bills excluded
    assert all(a.line.route == "out_of_network" for a in r.lines)


def test_balance_bill_still_owed_after_the_oon_cap(make_scenario, ds):
    s = make_scenario(_merge(OON_CLINIC, {"plan": {"out_of_network": {"oop_max": "300"}}}))
    r = run(s, ds)
    # cost shares $100 + $75 + $100 + $25 reach the $300 cap in S2's visit
    assert r.lines[3].oop_left == 0
    for a in r.lines[4:]:
        assert a.patient_pays == a.balance_bill > 0  # only the balance bill is left to pay
        assert a.plan_pays == a.allowed


def test_separate_deductibles_in_and_out_of_network(make_scenario, ds):
    # drug from a specialty pharmacy (in network), visit at an out-of-network clinic
    s = make_scenario(_merge(OON_CLINIC, {"plan": {"spravato_drug_benefit": "pharmacy", "pharmacy_coinsurance_pct": "10"}}))
    r = run(s, ds)
    drug, visit = r.lines[0], r.lines[1]
    assert (drug.line.route, drug.line.pharmacy, drug.deductible, drug.deductible_left) == ("in_network", True, 20000, 30000)  # $500 - $200
    assert (visit.line.route, visit.deductible, visit.deductible_left) == ("out_of_network", 7500, 22500)  # $300 - $75


def test_no_out_of_network_benefits_means_the_full_charge(make_scenario, ds):
    s = make_scenario({"plan": {"spravato_clinic_in_network": False, "out_of_network": None}})
    r = run(s, ds)
    assert all(a.patient_pays == a.line.billed and a.plan_pays == 0 for a in r.lines)
    assert "no out-of-network benefits" in r.lines[0].note


def test_iv_superbill_reimbursement(make_scenario, ds):
    s = make_scenario(
        {
            "prices": {"iv_infusion": "600"},
            "plan": {"iv_claim_route": "superbill", "oon_allowed_pct": "60", "out_of_network": {"deductible": "300", "coinsurance_pct": "40", "oop_max": "5000"}},
        }
    )
    r = run(s, ds, option="iv_ketamine")
    delay = int(ds.number("oon.reimbursement_delay_days"))
    assert delay == 35
    # (paid, allowed, share, reimbursement, balance bill, reimbursed on)
    got = [(a.patient_pays, a.allowed, a.deductible + a.coinsurance, a.reimbursement, a.balance_bill, a.reimbursement_day) for a in r.lines[:2]]
    assert got == [
        # allowed 60% x $600 = $360; $300 deductible + 40% x $60 = $324; plan sends $360 - $324 = $36
        (60000, 36000, 32400, 3600, 24000, JAN4 + timedelta(days=35)),  # 8 Feb 2027
        # deductible met: 40% x $360 = $144; plan sends $216
        (60000, 36000, 14400, 21600, 24000, date(2027, 1, 7) + timedelta(days=35)),
    ]
    t = r.totals()
    assert t["reimbursement"] == 3600 + 5 * 21600  # $1,116
    assert t["net"] == 6 * 60000 - 111600  # $3,600 - $1,116 = $2,484
    assert all(a.plan_pays == 0 for a in r.lines)  # paid in full at the clinic


def test_pharmacy_benefit_uses_pharmacy_coinsurance(make_scenario, ds):
    s = make_scenario({"plan": {"spravato_drug_benefit": "pharmacy", "pharmacy_coinsurance_pct": "10", "in_network": {"coinsurance_pct": "30"}}})
    r = run(s, ds)
    assert [(a.line.pharmacy, a.coinsurance) for a in r.lines[:2]] == [
        (True, 2000),  # drug: 10% x $200 (pharmacy)
        (False, 4500),  # visit: 30% x $150 (medical)
    ]


def test_pharmacy_copay_replaces_pharmacy_coinsurance(make_scenario, ds):
    s = make_scenario({"plan": {"spravato_drug_benefit": "pharmacy", "pharmacy_copay": "25"}})
    r = run(s, ds)
    assert (r.lines[0].copay, r.lines[0].coinsurance, r.lines[0].patient_pays) == (2500, 0, 2500)


# --------------------------------------------------------------------------- savings program

SAVINGS = {"plan": {"manufacturer_savings": True, "in_network": {"deductible": "0", "coinsurance_pct": "50"}}}


def test_savings_leave_10_dollars_per_treatment(make_scenario, ds):
    r = run(make_scenario(SAVINGS), ds)
    drug = [a for a in r.lines if a.line.kind == "drug"]
    # 50% x $200 = $100 share; the program pays $90; the patient pays $10
    assert {(a.patient_pays, a.savings, a.net) for a in drug} == {(10000, 9000, 1000)}
    assert all(a.savings == 0 for a in r.lines if a.line.kind == "visit")  # rebate cap unpublished: $0


def test_no_savings_below_the_floor(make_scenario, ds):
    r = run(make_scenario(_merge(SAVINGS, {"prices": {"spravato_device": "10"}})), ds)
    assert r.lines[0].patient_pays == 1000  # 50% x $20 = $10: nothing for the program to pay
    assert r.lines[0].savings == 0


def test_savings_cap_resets_each_calendar_year(make_scenario, ds):
    # July plan year, so only the calendar year can explain the January reset
    s = make_scenario(
        {
            "start_date": "2026-12-07",
            "horizon_months": 2,
            "prices": {"spravato_device": "2000"},  # 56 mg drug line $4,000
            "plan": {"manufacturer_savings": True, "plan_year_start_month": 7, "in_network": {"coinsurance_pct": "100", "oop_max": None}},
        }
    )
    r = run(s, ds)
    drug = [a for a in r.lines if a.line.kind == "drug"]
    assert [a.savings for a in drug[:3]] == [
        399000,  # Dec 7: $4,000 - $10
        316000,  # Dec 10: the $7,150 yearly maximum leaves $3,160
        0,  # Dec 14: maximum used up
    ]
    assert sum(a.savings for a in drug if a.line.day.year == 2026) == 715000
    first_january = next(a for a in drug if a.line.day.year == 2027)
    assert first_january.savings == 399000  # new calendar year, new $7,150
    assert {a.plan_year for a in r.lines} == {"Jul 2026-Jun 2027"}


@pytest.mark.parametrize("payer", ["medicare", "medicare_advantage", "medicaid", "tricare", "va"])
def test_no_savings_program_for_government_plans(make_scenario, ds, payer):
    s = make_scenario(_merge(SAVINGS, {"plan": {"payer_type": payer}}))
    r = run(s, ds)
    assert r.totals()["savings"] == 0
    assert any("commercial plans only" in n for n in r.notes)


@pytest.mark.parametrize("payer", ["commercial", "hdhp"])
def test_savings_program_for_commercial_plans(make_scenario, ds, payer):
    r = run(make_scenario(_merge(SAVINGS, {"plan": {"payer_type": payer}})), ds)
    assert r.totals()["savings"] == 9 * 9000


def test_savings_turned_off(make_scenario, ds):
    r = run(make_scenario(_merge(SAVINGS, {"plan": {"manufacturer_savings": False}})), ds)
    assert r.totals()["savings"] == 0
    assert any("turned off" in n for n in r.notes)


@pytest.mark.parametrize("state", ["MA", "MI", "MN", "RI"])
def test_observation_rebate_excluded_states(make_scenario, ds_with_observation_cap, state):
    s = make_scenario(_merge(SAVINGS, {"plan": {"state": state}}))
    r = run(s, ds_with_observation_cap)
    assert all(a.savings == 0 for a in r.lines if a.line.kind == "visit")
    assert all(a.savings == 9000 for a in r.lines if a.line.kind == "drug")  # the drug program still applies
    assert any(f"residents of {state}" in n for n in r.notes)


def test_observation_rebate_elsewhere(make_scenario, ds_with_observation_cap):
    r = run(make_scenario(_merge(SAVINGS, {"plan": {"state": "NY"}})), ds_with_observation_cap)
    visits = [a for a in r.lines if a.line.kind == "visit"]
    # 50% x $150 = $75 share, floor $0: the rebate pays all $75; 9 x $75 = $675, inside the $1,000 test cap
    assert [a.savings for a in visits] == [7500] * 9
    assert r.totals()["savings"] == 9 * 9000 + 9 * 7500


# --------------------------------------------------------------------------- accumulator programs

ACCUMULATOR = {
    "horizon_months": 4,
    "prices": {"spravato_observation": "100"},
    "schedule": {"spravato_maintenance": "weekly"},
    "plan": {"manufacturer_savings": True, "in_network": {"deductible": "2000", "coinsurance_pct": "20", "oop_max": "6000"}},
}


def test_accumulator_makes_the_deductible_last_longer(make_scenario, ds):
    plain = run(make_scenario(ACCUMULATOR), ds)
    accum = run(make_scenario(_merge(ACCUMULATOR, {"plan": {"copay_assistance_counts": "accumulator"}})), ds)
    # without: each session counts $200 drug + $100 visit; 6 x $300 = $1,800, met on S7's drug line (day 21)
    assert [e for e in plain.events if e.kind == "deductible met"] == [Event(date(2027, 1, 25), "deductible met", "in_network")]
    # with: only the patient's $10 + $100 count; 18 x $110 = $1,980, met in S19 (week 15, day 98)
    assert [e for e in accum.events if e.kind == "deductible met"] == [Event(date(2027, 4, 12), "deductible met", "in_network")]
    assert accum.totals()["net"] > plain.totals()["net"]
    assert "accumulator program" in accum.lines[0].note


def test_accumulator_with_balance_billing_keeps_accumulators_in_range(make_scenario, ds):
    # out-of-network clinic allowing 30%: the balance bill is larger than the cost share,
    # and the savings program pays more than the cost share
    s = make_scenario(
        _merge(
            OON_CLINIC,
            {"plan": {"oon_allowed_pct": "30", "manufacturer_savings": True, "copay_assistance_counts": "accumulator", "out_of_network": {"oop_max": "12000"}}},
        )
    )
    r = run(s, ds)
    for a in r.lines:
        assert 0 <= a.deductible_left <= 30000
        assert 0 <= a.oop_left <= 1200000
        assert a.deductible <= a.allowed


# --------------------------------------------------------------------------- every total from its lines

REF = re.compile(r"^(clinic quote|entered|fee schedule|(prices|protocols|programs|rules)\.csv:[a-z0-9_.]+)$")


def all_runs(ds):
    for name in example_names():
        comp = compare(load_example(name), ds)
        for opt in comp.options.values():
            yield name, comp, opt


def test_every_total_is_the_sum_of_its_lines(ds):
    for name, comp, opt in all_runs(ds):
        for (outcome, level), adj in opt.runs.items():
            t = adj.totals()
            assert t["net"] == sum(a.net for a in adj.lines), name
            assert t["patient_pays"] == sum(a.patient_pays for a in adj.lines), name
            assert sum(opt.monthly_net(outcome, level)) == t["net"], name
            frame = adj.frame()
            for col, key in [("billed", "billed"), ("allowed", "allowed"), ("plan_pays", "plan_pays"), ("patient_pays", "patient_pays"), ("savings", "savings"), ("reimbursement", "reimbursement"), ("net_patient_cost", "net")]:
                assert round(frame[col].sum() * 100) == t[key], (name, col)
        # headline figures are weighted sums of the two claim tables: expected at typical prices and
        # likelihood; best and worst the lowest and highest over every price level x low/high likelihood
        def weighted(level, i):
            return weigh(opt.coverage.likelihood[i], opt.run("approved", level).totals()["net"], opt.run("denied", level).totals()["net"])

        combos = [weighted(level, i) for level, i in COMBINATIONS]
        assert opt.total("expected") == weighted("typical", 1), name
        assert (opt.total("best"), opt.total("worst")) == (min(combos), max(combos)), name
        summary = comp.summary()["options"][opt.option]
        assert round(summary["if_approved_total"] * 100) == opt.run("approved").totals()["net"]
        assert round(summary["if_denied_total"] * 100) == opt.run("denied").totals()["net"]


def test_every_claim_line_names_its_price_source(ds, make_scenario):
    quoted = make_scenario({"prices": {"iv_package_discount_pct": "10"}, "schedule": {"iv_maintenance_interval_weeks": 2}})
    scenarios = [(n, load_example(n)) for n in example_names()] + [("quoted", quoted)]
    for name, scenario in scenarios:
        comp = compare(scenario, ds)
        for opt in comp.options.values():
            for adj in opt.runs.values():
                for a in adj.lines:
                    for part in re.split(r"; (?:discount |times |codes |plus one device |plus 2 devices )", a.line.ref):
                        assert REF.match(part), (name, a.line.service, a.line.ref)
                        if ":" in part:
                            assert part.split(":", 1)[1] in ds.parameters, (name, part)
    lines = compare(quoted, ds).options["iv_ketamine"].run("denied").lines
    assert lines[0].line.ref == "clinic quote; discount entered"
    assert lines[0].line.billed == 45000  # $500 - 10%


def test_adjudicate_directly_matches_compare(make_scenario, ds):
    s = make_scenario({"plan": {"in_network": {"deductible": "500"}}})
    sessions = build_schedule(s, ds, "spravato")
    direct = adjudicate(s, ds, "spravato", "approved", price_sessions(s, ds, "spravato", sessions, "approved"))
    assert direct.totals() == run(s, ds).totals()
