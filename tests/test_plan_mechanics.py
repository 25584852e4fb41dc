"""Adjudication tables for the plan mechanics a benefits expert checks first (issue 11).

Each case is worked out by hand in the comments, line by line, from the test scenario in
``conftest.py`` (commercial plan, 20 % coinsurance, Spravato 56 mg on 4 Jan 2027 and after,
clinic quotes: $100 per device, $150 observation, $900 self-pay, IV $500 per infusion) with
the changes each test names. Amounts are cents.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import merge
from toolkit import compare

SAVINGS = {"plan": {"manufacturer_savings": True, "in_network": {"deductible": "1000", "oop_max": "2000"}},
           "prices": {"spravato_device": "400"}}  # a 56 mg drug line is 2 x $400 = $800


def run(scenario, ds, option="spravato", outcome="approved"):
    return compare(scenario, ds).options[option].run(outcome)


def drug_lines(result):
    return [a for a in result.lines if a.line.code == "J0013"]


def visit_lines(result):
    return [a for a in result.lines if a.line.code != "J0013"]


# --------------------------------------------------------------------------- copay assistance


def test_savings_that_count_fill_the_deductible(make_scenario, ds):
    r = run(make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "counts"}})), ds)
    d, v = drug_lines(r), visit_lines(r)
    # S1 drug $800: all to the deductible ($200 left); the program pays $790, the patient $10
    assert (d[0].deductible, d[0].coinsurance, d[0].savings, d[0].net) == (80000, 0, 79000, 1000)
    # S1 visit $150: to the deductible ($50 left); the observation rebate's cap is unpublished, so no rebate
    assert (v[0].deductible, v[0].net) == (15000, 15000)
    # S2 drug: $50 deductible + 20% x $750 = $150 -> $200; program $190
    assert (d[1].deductible, d[1].coinsurance, d[1].savings, d[1].net) == (5000, 15000, 19000, 1000)
    assert d[1].deductible_left == 0


def test_an_accumulator_counts_only_what_the_patient_paid(make_scenario, ds):
    r = run(make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "accumulator"}})), ds)
    d, v = drug_lines(r), visit_lines(r)
    # S1 drug $800: $800 to the deductible, the program pays $790, but only the patient's $10 counts: $990 left
    assert (d[0].deductible, d[0].savings, d[0].net, d[0].deductible_left) == (80000, 79000, 1000, 99000)
    assert "accumulator program" in d[0].note
    # S1 visit $150 to the deductible: $840 left
    assert v[0].deductible_left == 84000
    # S2 drug: $800 still all deductible (only $160 of it is met), program $790, patient $10: $830 left
    assert (d[1].deductible, d[1].savings, d[1].deductible_left) == (80000, 79000, 83000)
    # S2 visit $150 to the deductible: $680 left. S3 drug: $680 + 20% x $120 = $704, program $694, patient $10
    assert (d[2].deductible, d[2].coinsurance, d[2].savings, d[2].net) == (68000, 2400, 69400, 1000)
    # with savings counting, the same S3 drug line is 20% x $800 = $160 (the deductible was met on S2)
    assert sum(a.savings for a in d) <= 715000


def test_a_maximizer_spreads_the_program_over_the_months(make_scenario, ds):
    r = run(make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "maximizer"}})), ds)
    d, v = drug_lines(r), visit_lines(r)
    january = [a for a in d if a.line.day.month == 1]
    assert len(january) == 8  # induction: twice a week from 4 Jan
    # $7,150 / 12 = $595.83 a month; 8 January fills: $595.83 / 8 = $74.47 each (rounded down)
    assert {a.coinsurance for a in january} == {7447}
    # the program pays $64.47, the patient the $10 floor; nothing counts: the deductible stays at $1,000 left
    assert {(a.savings, a.net) for a in january} == {(6447, 1000)}
    assert january[0].deductible_left == 100000 and "maximizer" in january[0].note
    # the visits fill the deductible as usual: S1 visit $150 -> $850 left
    assert v[0].deductible_left == 85000
    # February's first fill (weekly from week 5) shares its month with the other February fills
    february = [a for a in d if a.line.day.month == 2]
    assert february and {a.coinsurance for a in february} == {59583 // len(february)}


def test_unknown_shows_both_ways(make_scenario, ds):
    s = make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "unknown"}}))
    path = compare(s, ds).options["spravato"].path("approved")
    counts = run(make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "counts"}})), ds)
    accum = run(make_scenario(merge(SAVINGS, {"plan": {"copay_assistance_counts": "accumulator"}})), ds)
    assert path.total("typical") == counts.totals()["net"]
    assert path.variant("accumulator").total("typical") == accum.totals()["net"]
    assert accum.totals()["net"] > counts.totals()["net"]


# --------------------------------------------------------------------------- out-of-network allowed amounts

SUPERBILL = {"plan": {"iv_claim_route": "superbill", "out_of_network": {"deductible": "0", "coinsurance_pct": "40", "oop_max": None}}}


@pytest.mark.parametrize("plan, allowed, reimbursed, says", [
    # 60 % of the $500 charge = $300; 40 % coinsurance = $120; the plan sends $180
    ({"oon_allowed_method": "percent_of_charge", "oon_allowed_pct": "60"}, 30000, 18000, "60% of the charge"),
    # 140 % of Medicare's $67.14 for 96365 = $93.996 -> $94.00; 40 % = $37.60; back $56.40
    ({"oon_allowed_method": "percent_of_medicare", "oon_medicare_pct": "140"}, 9400, 5640, "140% of Medicare's 67.14 for 96365"),
    # the insurer said "the allowed amount for 96365 is $350": 40 % = $140; back $210
    ({"oon_allowed_method": "per_code", "oon_allowed_amounts": {"96365": "350"}}, 35000, 21000, "quoted amount for 96365"),
    # per code, but 96365 not quoted: the published share of the charge (50 %): $250, back $150
    ({"oon_allowed_method": "per_code", "oon_allowed_amounts": {"90791": "200"}}, 25000, 15000, "96365 not quoted"),
])
def test_each_allowed_amount_method_on_a_superbill(make_scenario, ds, plan, allowed, reimbursed, says):
    r = run(make_scenario(merge(SUPERBILL, {"plan": plan})), ds, option="iv_ketamine")
    first = next(a for a in r.lines if a.line.billed == 50000)
    assert (first.allowed, first.reimbursement) == (allowed, reimbursed)
    assert says in first.allowed_by
    assert "allowed_by" in r.frame().columns


def test_a_longer_infusion_is_allowed_for_both_its_codes(make_scenario, ds):
    # pain protocol: about 4 hours -> 96365 + 96366 x 3 = $67.14 + 3 x $21.38 = $131.28 at Medicare; 140 % = $183.79
    s = make_scenario(merge(SUPERBILL, {"plan": {"oon_allowed_method": "percent_of_medicare", "oon_medicare_pct": "140"},
                                        "schedule": {"iv_protocol": "pain"}}))
    a = next(x for x in run(s, ds, option="iv_ketamine").lines if x.line.kind == "self_pay")
    assert a.line.codes == "96365; 96366 x 3"
    assert a.allowed == 18379


# --------------------------------------------------------------------------- Medicare

MEDICARE = {"plan": {"payer_type": "medicare", "in_network": {"deductible": "283", "coinsurance_pct": "20", "oop_max": None}}}


@pytest.mark.parametrize("medigap, first, second", [
    # G2082 $952.59: $283 + 20% x $669.59 = $133.92 -> $416.92; then 20% = $190.52
    ("none", 41692, 19052),
    # Plan G pays the 20%: the patient pays the Part B deductible only
    ("plan_g", 28300, 0),
    # Plan N pays the 20% but for up to $20 of an office visit: $283 + $20, then $20
    ("plan_n", 30300, 2000),
])
def test_medigap_variants(make_scenario, ds, medigap, first, second):
    r = run(make_scenario(merge(MEDICARE, {"plan": {"medigap": medigap}})), ds)
    assert [a.net for a in r.lines[:2]] == [first, second]


def test_part_d_has_its_own_deductible_coinsurance_and_cap(make_scenario, ds):
    s = make_scenario(merge(MEDICARE, {"plan": {"medicare_spravato_route": "part_d"}, "prices": {"spravato_device": "400"}}))
    r = run(s, ds)
    d = drug_lines(r)
    assert all(a.line.pharmacy and a.note.startswith("Part D") for a in d)
    # S1 $800: $615 deductible + 25% x $185 = $46.25 -> $661.25; then 25% x $800 = $200 a fill
    assert [a.patient_pays for a in d[:3]] == [66125, 20000, 20000]
    # $661.25 + 7 x $200 = $2,061.25; the 9th fill pays the last $38.75 of the $2,100 cap; then $0
    assert [a.patient_pays for a in d[7:10]] == [20000, 3875, 0][: len(d[7:10])]
    assert sum(a.patient_pays for a in d) == 210000
    # the visit is billed to Part B as an E/M and prolonged clinical staff codes at Medicare's amounts
    assert [(a.line.code, a.allowed) for a in visit_lines(r)[:3]] == [("99214", 13561), ("99415", 2305), ("99416", 1269)]


def test_part_b_route_stays_bundled(make_scenario, ds):
    r = run(make_scenario(merge(MEDICARE, {"plan": {"medicare_spravato_route": "part_b"}})), ds)
    assert {a.line.code for a in r.lines} == {"G2082"}


# --------------------------------------------------------------------------- Medicaid, networks, dose


def test_medicaid_monthly_cap_of_five_percent_of_income(make_scenario, ds):
    s = make_scenario({"plan": {"payer_type": "medicaid", "medicaid_monthly_income": "100",
                                "in_network": {"deductible": "0", "coinsurance_pct": "0", "copay": "4", "oop_max": None}}})
    r = run(s, ds)
    jan = [a for a in visit_lines(r) if a.line.day.month == 1]
    # 5% of $100 = $5 a month: the $4 copay on the first visit, $1 of the second, nothing after
    assert [a.net for a in jan[:3]] == [400, 100, 0]
    assert "5% of income" in jan[1].note
    feb = [a for a in visit_lines(r) if a.line.day.month == 2]
    assert feb[0].net == 400  # a new month starts the cap again


def test_drug_out_of_network_while_the_visit_is_in_network(make_scenario, ds):
    s = make_scenario({"plan": {"spravato_drug_in_network": False, "oon_allowed_pct": "50",
                                "out_of_network": {"deductible": "0", "coinsurance_pct": "40", "oop_max": None}}})
    r = run(s, ds)
    drug, visit = drug_lines(r)[0], visit_lines(r)[0]
    # drug $200 out of network: allowed $100, 40% = $40, balance bill $100 -> $140
    assert (drug.line.route, drug.allowed, drug.balance_bill, drug.net) == ("out_of_network", 10000, 10000, 14000)
    # the visit ($150 quote) in network: 20% = $30
    assert (visit.line.route, visit.net) == ("in_network", 3000)


def test_self_pay_price_follows_the_dose(ds, make_scenario):
    device = int(ds.value("spravato.device_28mg").typical * 100)
    published = make_scenario({"prices": {"spravato_cash_session": None, "spravato_device": None}, "schedule": {"spravato_dose_mg": 84}})
    lines = run(published, ds, outcome="denied").lines
    # the first session is 56 mg at the published $1,050; 84 mg sessions add one device
    assert [a.net for a in lines[:2]] == [105000, 105000 + device]
    quoted = make_scenario({"prices": {"spravato_cash_session": "900"}, "schedule": {"spravato_dose_mg": 84}})
    # a clinic's quote is its price at this patient's dose; the smaller first dose is not assumed cheaper
    assert {a.net for a in run(quoted, ds, outcome="denied").lines} == {90000}


def test_the_e_m_visit_lines_are_priced_from_the_fee_schedule(ds, make_scenario):
    s = make_scenario({"prices": {"spravato_observation": None}})
    v = visit_lines(run(s, ds))[:3]
    m = ds.value("commercial.physician_multiple").typical
    # 99214 $135.61 x 1.43 = $193.92; 99415 $23.05 x 1.43 = $32.96; 99416 $12.69 x 1.43 = $18.15
    assert float(m) == pytest.approx(1.43)
    assert [(a.line.code, a.line.billed) for a in v] == [("99214", 19392), ("99415", 3296), ("99416", 1815)]
    assert [a.line.addon for a in v] == [False, True, True]


def test_add_on_codes_share_the_visit_copay(ds, make_scenario):
    s = make_scenario({"prices": {"spravato_observation": None}, "plan": {"in_network": {"copay": "40"}}})
    v = visit_lines(run(s, ds))[:3]
    assert [a.copay for a in v] == [4000, 0, 0]
    assert [a.net for a in v] == [4000, 0, 0]


def test_earlier_files_open_with_the_same_meaning(make_scenario):
    s = make_scenario({"plan": {"accumulator_adjustment": True, "medicare_supplement": True}})
    assert (s.plan.copay_assistance_counts, s.plan.medigap) == ("accumulator", "plan_g")
    s = make_scenario({"plan": {"accumulator_adjustment": False, "medicare_supplement": False}})
    assert (s.plan.copay_assistance_counts, s.plan.medigap) == ("unknown", "none")
    assert date(2027, 1, 4) == s.start_date


def test_the_default_dose_is_the_one_most_trial_patients_were_on(ds):
    """Issue 11: about 61% (label's long-term Study 2) to 67% (TRANSFORM-2, day 28) were on 84 mg.

    The scenario's default and the data row's typical agree; 56 mg stays the low end, and the
    uncertainty table varies the dose so the simulation and the tornado both see it.
    """
    from toolkit.analysis.params import load_parameters
    from toolkit.scenario import Scenario

    row = ds.row("spravato.dose_mg") if hasattr(ds, "row") else None
    assert int(ds.number("spravato.dose_mg")) == 84 == Scenario().schedule.spravato_dose_mg
    if row is not None:
        assert "61%" in row.source_title
    names = {r.name for r in load_parameters(ds=ds)}
    assert "spravato_dose_mg" in names
