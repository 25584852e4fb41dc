"""Payer-specific truths (issue 11, section 5): TRICARE's beneficiary groups set the tiers.

Adjudication tables worked out by hand in the comments. The scenario is the one in
``conftest.py`` (Spravato 56 mg on Mon 4 Jan 2027, then twice weekly) with TRICARE as the
coverage: the clinic bills the bundled G2082 (56 mg) and G2083 (84 mg), priced at the
published Medicare amounts (``data/prices.csv``: medicare.g2082 / medicare.g2083), and the
cost shares come from ``data/tricare.csv`` by group. Amounts are cents.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import merge
from toolkit import compare
from toolkit.engine.payers import effective_tiers, enrollment_fee, group_rows

TRICARE = {"plan": {"payer_type": "tricare", "in_network": {"deductible": "2000", "coinsurance_pct": "20", "copay": "0", "oop_max": "6000"}}}


def tricare(make_scenario, group, b=False, junior=False, horizon=None, **plan):
    extra = {"horizon_months": horizon} if horizon else {}
    return make_scenario(merge(merge(TRICARE, {"plan": {"tricare_group": group, "tricare_group_b": b, "tricare_junior_enlisted": junior, **plan}}), extra))


def spravato(scenario, ds, outcome="approved"):
    return compare(scenario, ds).options["spravato"].run(outcome)


def cents(ds, key):
    return int(ds.number(key) * 100)


def test_group_rows_come_from_the_tricare_table(ds):
    # every row a group can name is in data/tricare.csv and sourced
    assert all(v.source.table == "tricare.csv" for k, v in ds.parameters.items() if k.startswith("tricare."))
    assert ds.value("tricare.adfm.a.cap").pick() == Decimal("1000")


def test_active_duty_family_in_prime_pays_nothing_in_network(make_scenario, ds):
    r = spravato(tricare(make_scenario, "adfm_prime"), ds)
    g2082 = r.lines[0]
    # S1 G2082 at Medicare's amount; Prime: no deductible, $0 copay, 0% -> the plan pays all of it
    assert g2082.line.code == "G2082" and g2082.allowed == cents(ds, "medicare.g2082")
    assert all(a.net == 0 and a.plan_pays == a.allowed for a in r.lines)
    # the scenario's own $2,000 deductible and 20% are not used once the group is known
    in_tier, out_tier = effective_tiers(tricare(make_scenario, "adfm_prime"), ds)
    assert (in_tier.deductible, in_tier.coinsurance_pct, in_tier.oop_max) == (0, 0, 1000)
    # outside the network without a referral: point-of-service, $300 deductible, 50%, no cap
    assert (out_tier.deductible, out_tier.coinsurance_pct, out_tier.oop_max) == (300, 50, None)


def test_active_duty_family_on_select_group_a(make_scenario, ds):
    r = spravato(tricare(make_scenario, "adfm_select", horizon=12), ds)
    a = cents(ds, "medicare.g2082")
    s1, s2 = r.lines[0], r.lines[1]
    # S1 G2082: the $150 deductible first (Select: the deductible, then the network copay), then the $39 copay
    assert (s1.deductible, s1.copay, s1.coinsurance) == (15000, 3900, 0)
    assert s1.net == 18900 and s1.plan_pays == a - 18900
    # S2 G2083: deductible met, the $39 copay alone
    assert (s2.deductible, s2.copay, s2.net) == (0, 3900, 3900)
    # the $1,000 family cap: S1 $189 + 20 x $39 = $969 after S21; S22's copay is cut to $31; then $0
    year = [x for x in r.lines if x.line.day.year == 2027]
    assert [x.net for x in year[20:23]] == [3900, 3100, 0]
    assert sum(x.net for x in year) == 100000 and year[-1].oop_left == 0


def test_select_deductible_by_group_and_rank(make_scenario, ds):
    # Group B, sponsor E-1 to E-4: $66 deductible, then the copay
    s1 = spravato(tricare(make_scenario, "adfm_select", b=True, junior=True), ds).lines[0]
    assert (s1.deductible, s1.copay) == (6600, cents(ds, "tricare.adfm_select.b.copay"))
    # Group A, E-1 to E-4: $50
    assert spravato(tricare(make_scenario, "adfm_select", junior=True), ds).lines[0].deductible == 5000
    # Group B, E-5 and above: $198
    assert spravato(tricare(make_scenario, "adfm_select", b=True), ds).lines[0].deductible == 19800


def test_group_a_retiree_on_select_pays_a_share(make_scenario, ds):
    r = spravato(tricare(make_scenario, "retiree_select", horizon=12), ds)
    a = cents(ds, "medicare.g2082")
    s1 = r.lines[0]
    # S1: $150 deductible + 20% x (A - $150), rounded half up to the cent
    expected_c = (20 * (a - 15000) + 50) // 100
    assert (s1.deductible, s1.coinsurance, s1.copay) == (15000, expected_c, 0)
    # cap: Group A retirees on Select, typical of the range in data/tricare.csv
    assert effective_tiers(tricare(make_scenario, "retiree_select"), ds)[0].oop_max == ds.number("tricare.retiree.a.select_cap")
    assert sum(x.net for x in r.lines if x.line.day.year == 2027) == cents(ds, "tricare.retiree.a.select_cap")


def test_group_b_retiree_on_prime_pays_the_copay_up_to_the_higher_cap(make_scenario, ds):
    s = tricare(make_scenario, "retiree_prime", b=True)
    r = spravato(s, ds)
    copay = cents(ds, "tricare.retiree_prime.b.copay")
    # Prime: no deductible; each visit the network copay ($34 typical: 2020's $31 grown toward 2026)
    assert {(x.deductible, x.copay) for x in r.lines[:5]} == {(0, copay)}
    assert effective_tiers(s, ds)[0].oop_max == ds.number("tricare.retiree.b.cap")
    # the enrollment fee is shown beside the totals, never in a claim line
    assert enrollment_fee(s, ds) == Decimal("462.96")
    assert "Enrollment fee" in " ".join(x.text for x in compare(s, ds).options["spravato"].coverage.reasons)


def test_tricare_for_life_pays_after_medicare(make_scenario, ds):
    r = spravato(tricare(make_scenario, "tricare_for_life"), ds)
    # Medicare first, then TRICARE pays Medicare's deductible and 20%: nothing left to the patient
    assert all(a.net == 0 for a in r.lines)
    assert effective_tiers(tricare(make_scenario, "tricare_for_life"), ds)[0].oop_max == 3000


def test_amounts_met_stay_the_advisors_within_the_group(make_scenario, ds):
    s = tricare(make_scenario, "adfm_select", in_network={"deductible": "2000", "deductible_met": "500", "oop_met": "40"})
    in_tier, _ = effective_tiers(s, ds)
    # $500 met of a $2,000 deductible typed by hand: the group's deductible is $150, so $150 is met
    assert (in_tier.deductible_met, in_tier.oop_met) == (150, 40)
    assert spravato(s, ds).lines[0].deductible == 0


def test_no_group_keeps_the_typed_tiers(make_scenario, ds):
    s = make_scenario(TRICARE)
    assert group_rows(s) is None
    assert effective_tiers(s, ds) == (s.plan.in_network, s.plan.out_of_network)
    reasons = " ".join(x.text for x in compare(s, ds).options["spravato"].coverage.reasons)
    assert "beneficiary group is not set" in reasons


GROUPS = [(g, b) for g in ("adfm_prime", "adfm_select", "retiree_prime", "retiree_select", "tricare_for_life") for b in (False, True)]


def test_the_many_draws_path_uses_the_group_to_the_cent(make_scenario, ds):
    from toolkit.engine.evaluate import evaluate as run_vector

    scenarios = [tricare(make_scenario, g, b) for g, b in GROUPS]
    res = run_vector(scenarios, ds)
    for i, s in enumerate(scenarios):
        opt = compare(s, ds).options["spravato"]
        assert int(res.monthly["spravato"]["approved"][i].sum()) == sum(a.net for a in opt.run("approved").lines), GROUPS[i]


def test_batch_takes_the_group_as_columns(ds, tmp_path):
    from toolkit.analysis.batch import COLUMNS

    assert {"tricare_group", "tricare_group_b", "tricare_junior_enlisted"} <= set(COLUMNS)


# --------------------------------------------------------------------------- Medicaid


def test_medicaid_card_names_the_site_barrier_and_the_policy_share(make_scenario, ds):
    s = make_scenario({"plan": {"payer_type": "medicaid"}})
    cov = compare(s, ds).options["spravato"].coverage
    text = " ".join(r.text for r in cov.reasons)
    assert "REMS-certified Spravato site that takes Medicaid" in text
    assert "not a chance of approval" in text
    assert "capped at 5% of family income" in text
    assert not cov.rate_published
    assert cov.raise_odds[0].startswith("Ask the Medicaid plan")


# --------------------------------------------------------------------------- VA


@pytest.mark.parametrize("indication", ["trd", "mdd_si"])
def test_va_spravato_names_community_care_not_the_2020_rollout(ds, indication):
    row = ds.coverage_row("va", "spravato", indication)
    assert "Community Care Network" in row.reasoning
    assert "statnews" not in row.source.url and row.source.as_of.year >= 2022


# --------------------------------------------------------------------------- indication rules


@pytest.mark.parametrize("indication", ["ptsd", "anxiety", "chronic_pain"])
@pytest.mark.parametrize("payer", ["commercial", "medicare", "medicaid", "tricare"])
def test_spravato_off_label_has_no_approved_path(make_scenario, ds, payer, indication):
    s = make_scenario({"indication": indication, "plan": {"payer_type": payer}})
    opt = compare(s, ds).options["spravato"]
    assert opt.coverage.level_label == "Not indicated (off-label)"
    assert opt.coverage.likelihood == (0, 0, 0) and not opt.coverage.checklist
    # one path, the clinic's price for every session: nothing approved is priced
    assert [p.key for p in opt.paths] == ["not_applicable"]
    assert "off-label" in opt.paths[0].means
    assert all(a.plan_pays == 0 for a in opt.paths[0].runs["typical"].lines)


def test_off_label_ignores_an_advisors_likelihood(make_scenario, ds):
    s = make_scenario({"indication": "ptsd", "spravato_likelihood_pct": {"low": 40, "typical": 50, "high": 60}})
    assert compare(s, ds).options["spravato"].coverage.likelihood == (0, 0, 0)


def test_mdd_si_does_not_ask_for_the_augmentation_trial(make_scenario, ds):
    s = make_scenario({"indication": "mdd_si", "history": {"augmentation_tried": False}})
    cov = compare(s, ds).options["spravato"].coverage
    status = {c.id: c.status for c in cov.checklist}
    assert status["augmentation"] == "not needed"
    assert "augmentation" not in [c.id for c in cov.missing]
    # for treatment-resistant depression it is still asked
    trd = compare(make_scenario({"history": {"augmentation_tried": False}}), ds).options["spravato"].coverage
    assert "augmentation" in [c.id for c in trd.missing]


# --------------------------------------------------------------------------- state accumulator bans

BANNED = {"plan": {"manufacturer_savings": True, "copay_assistance_counts": "unknown", "state": "VA"}}


def approved_notes(scenario, ds):
    return " ".join(compare(scenario, ds).options["spravato"].run("approved").notes)


def test_the_ban_table_loads_with_sources(ds):
    assert {"VA", "WV", "IL", "AZ", "CT", "KY", "PR"} <= set(ds.accumulator_bans)
    assert all(b.fully_insured_only and b.source.url.startswith("https://") for b in ds.accumulator_bans.values())


def test_a_banning_state_is_named_while_nobody_has_asked(make_scenario, ds):
    text = approved_notes(make_scenario(BANNED), ds)
    assert "VA bans copay accumulators for fully insured plans" in text
    assert "self-funded employer plan is exempt under ERISA" in text


@pytest.mark.parametrize("change", [
    {"plan": {"copay_assistance_counts": "accumulator"}},  # the plan has answered
    {"plan": {"state": "CA"}},  # not in the table
    {"plan": {"payer_type": "medicare"}},  # no savings program for government plans
])
def test_no_ban_note_otherwise(make_scenario, ds, change):
    assert "bans copay accumulators" not in approved_notes(make_scenario(merge(BANNED, change)), ds)


def test_the_ban_note_reaches_the_handout(make_scenario, ds):
    from toolkit.faces.handout import render_html

    html = render_html(compare(make_scenario(BANNED), ds), ds)
    assert "bans copay accumulators" in html
