"""Financing: amortization by hand, the deferred-interest cliff, HSA/FSA rules, and routes
that tie back to the adjudicated claim lines.

Hand arithmetic is in the comments so a benefits counsellor can check each case.
"""

from __future__ import annotations

from decimal import Decimal

import numpy_financial as npf
import pytest

from toolkit import compare, load_example
from toolkit.faces.money_view import cash_out_png, financing_html
from toolkit.paying.loans import amortize, card_schedule, card_suggested_payment, deferred_interest, installments, loan_payment, monthly_interest
from toolkit.paying.routes import plan_financing
from toolkit.paying.terms import FinancingError, FinancingTerms, financing_data
from toolkit.paying.hsa_fsa import (
    allocate_yearly,
    fsa_carryover_limit,
    fsa_eligibility,
    fsa_forfeit,
    fsa_limit,
    hsa_eligibility,
    hsa_limit,
    tax_saving,
)

# --------------------------------------------------------------------------- loans by hand

LOANS = [
    # principal, APR, months, payment, total interest
    # $1,000 at 12 %: r = 1 %; P = 1000 x 0.01 / (1 - 1.01^-3) = 340.0221 -> $340.02;
    # interest 10.00 + 6.70 + 3.37 = $20.07 (last payment $340.03)
    (100000, "0.12", 3, 34002, 2007),
    # $1,200 at 0 % over 12 months: $100 a month, no interest
    (120000, "0", 12, 10000, 0),
    # $2,400 at 6 %: r = 0.5 %; P = 2400 x 0.005 / (1 - 1.005^-12) = 206.5585 -> $206.56
    (240000, "0.06", 12, 20656, None),
]


@pytest.mark.parametrize("principal, apr, months, payment, interest", LOANS)
def test_loan_payment_and_schedule_by_hand(principal, apr, months, payment, interest):
    assert loan_payment(principal, apr, months) == payment
    rows = amortize(principal, apr, months)
    assert len(rows) == months
    assert rows[-1].balance == 0
    total_interest = sum(r.interest for r in rows)
    if interest is not None:
        assert total_interest == interest
    # every cent of principal is repaid exactly once
    assert sum(r.principal for r in rows) == principal
    assert sum(r.payment for r in rows) == principal + total_interest


def test_amortization_first_month_by_hand():
    rows = amortize(100000, "0.12", 3)
    # month 1: interest $10.00, principal $330.02, balance $669.98
    assert (rows[0].interest, rows[0].principal, rows[0].balance) == (1000, 33002, 66998)
    # month 2: interest 669.98 x 1 % = 6.6998 -> $6.70
    assert rows[1].interest == 670


def test_loan_payment_matches_numpy_financial():
    for principal, apr, months in [(917000, "0.114", 24), (1234567, "0.0799", 60), (50000, "0.36", 12)]:
        expected = -npf.pmt(float(apr) / 12, months, principal / 100)
        assert abs(loan_payment(principal, apr, months) / 100 - expected) <= 0.005


def test_installments_add_up_exactly():
    assert installments(100000, 3) == [33334, 33333, 33333]
    for amount in (1, 99, 917000, 123457):
        for n in (1, 6, 7, 12):
            parts = installments(amount, n)
            assert sum(parts) == amount and max(parts) - min(parts) <= 1
    with pytest.raises(ValueError):
        installments(1000, 0)


# --------------------------------------------------------------------------- the cliff


def test_card_suggested_payment_uses_the_30_dollar_minimum():
    # CareCredit: the greater of amount / promo months or $30
    assert card_suggested_payment(120000, 12, 3000) == 10000
    assert card_suggested_payment(100000, 12, 3000) == 8334  # 1000/12 = 83.333 -> rounded up
    assert card_suggested_payment(20000, 12, 3000) == 3000
    assert card_suggested_payment(2000, 12, 3000) == 2000  # never more than the balance


def test_paid_on_time_costs_no_interest():
    plan = card_schedule(120000, "0.2999", 12, 10000)
    assert plan.cleared_in_promo
    assert plan.payments == [10000] * 12
    assert plan.interest == 0


def test_one_missed_payment_charges_interest_back_to_the_purchase_date():
    # $1,200, $100 a month, 29.99 % APR, month 12 missed: $100 left when the promotion ends.
    # Deferred interest = sum of round(B x 0.2999 / 12) for B = 1,200, 1,100, ..., 100:
    # 29.99 + 27.49 + 24.99 + 22.49 + 19.99 + 17.49 + 15.00 + 12.50 + 10.00 + 7.50 + 5.00 + 2.50 = 194.94
    plan = card_schedule(120000, "0.2999", 12, 10000, missed={12})
    assert not plan.cleared_in_promo
    assert plan.deferred_interest_charged == 19494
    assert deferred_interest([120000 - 10000 * k for k in range(12)], "0.2999") == 19494
    # after the promotion: $294.94 at 29.99 %: 7.37, 5.06, 2.68, 0.25 of interest; last payment $10.30
    assert plan.payments[11:] == [0, 10000, 10000, 10000, 1030]
    assert plan.interest_after_promo == 737 + 506 + 268 + 25
    assert sum(plan.payments) == 120000 + plan.interest
    # the cliff: missing $100 of a $1,200 plan costs about $211 of interest
    assert plan.interest > 20000


def test_a_payment_too_small_is_refused_not_looped():
    with pytest.raises(ValueError, match="too small"):
        card_schedule(1_000_000, "0.2999", 6, 1000)


def test_monthly_interest_rounds_half_up():
    assert monthly_interest(60000, "0.2999") == 1500  # 14.995 -> 15.00


# --------------------------------------------------------------------------- HSA / FSA


def test_2026_limits_come_from_the_rules_table(ds):
    assert hsa_limit(ds, "self_only") == 440000
    assert hsa_limit(ds, "family") == 875000
    assert hsa_limit(ds, "self_only", age_55_or_over=True) == 540000
    assert fsa_limit(ds) == 340000
    assert fsa_carryover_limit(ds) == 68000
    with pytest.raises(ValueError):
        hsa_limit(ds, "couple")  # type: ignore[arg-type]


@pytest.mark.parametrize("payer, hsa_ok, fsa_ok", [
    ("hdhp", True, False),  # HSA yes; a general FSA cannot sit beside HSA contributions
    ("commercial", False, True),
    ("medicare", False, True),
    ("uninsured", False, True),
])
def test_account_eligibility_follows_the_plan_type(make_scenario, payer, hsa_ok, fsa_ok):
    s = make_scenario({"plan": {"payer_type": payer}})
    assert hsa_eligibility(s).ok is hsa_ok
    assert fsa_eligibility(s).ok is fsa_ok
    if not hsa_ok:
        assert "HDHP" in hsa_eligibility(s).reason


def test_tax_saving_and_fsa_forfeit_by_hand():
    assert tax_saving(200000, 22) == 44000  # 22 % of $2,000
    assert tax_saving(0, 35) == 0
    with pytest.raises(ValueError):
        tax_saving(100, 101)
    # $3,400 elected, $1,200 spent: $2,200 left, $680 carried over, $1,520 lost
    assert fsa_forfeit(340000, 120000, 68000) == 152000
    assert fsa_forfeit(340000, 120000, 68000, plan_allows_carryover=False) == 220000
    assert fsa_forfeit(340000, 400000, 68000) == 0
    assert allocate_yearly([300000, 300000, 300000], [2027] * 3, {2027: 440000}) == [300000, 140000, 0]


def test_hsa_saving_is_capped_at_the_yearly_limit():
    # HDHP example, Spravato if denied: $36,750 of self-pay in 2027, far above the limit.
    # HSA pays $4,400 of it (self-only limit) -> 24 % x $4,400 = $1,056 saved.
    comp = compare(load_example("hdhp_hsa_trd"))
    plan = plan_financing(comp, outcome="denied")
    spr = plan.options["spravato"]
    hsa = spr.route("hsa")
    assert hsa.available
    assert sum(hsa.tax_saving) == 105600
    assert hsa.total == spr.route("pay_as_you_go").total - 105600
    family = plan_financing(comp, FinancingTerms.from_values({"hsa_coverage": "family"}), outcome="denied")
    assert sum(family.options["spravato"].route("hsa").tax_saving) == 210000  # 24 % x $8,750
    assert not spr.route("fsa").available  # HDHP with an HSA: limited-purpose FSA only


def test_fsa_route_uses_the_election_and_warns_about_forfeit():
    comp = compare(load_example("commercial_ppo_trd"))
    terms = FinancingTerms.from_values({"fsa_election": "1000"})
    plan = plan_financing(comp, terms, outcome="denied")
    fsa = plan.options["iv_ketamine"].route("fsa")
    assert fsa.available
    # plan year 2026 (Jan-Dec): only the first treatment month; $1,000 elected at 22 % = $220,
    # then up to the $3,400 limit in the 2027 plan year
    first_year_saving = fsa.tax_saving[0]
    assert first_year_saving == 22000
    assert "use it or lose it" in fsa.note.lower()
    too_much = plan_financing(comp, FinancingTerms.from_values({"fsa_election": "5000"}), outcome="denied")
    assert "above the $3,400.00 limit" in too_much.options["iv_ketamine"].route("fsa").note
    assert not plan.options["iv_ketamine"].route("hsa").available


# --------------------------------------------------------------------------- routes tie back to the claims


@pytest.fixture(scope="module")
def default_plan():
    return plan_financing(compare(load_example("commercial_ppo_trd")), outcome="expected")


def test_default_finances_the_more_likely_outcome_of_each_option():
    """Spravato is likely covered here (80 %): its approved claims; IV ketamine is not (15 %): self-pay."""
    plan = plan_financing(compare(load_example("commercial_ppo_trd")))
    comp = plan.comparison
    assert plan.options["spravato"].needs.net == comp.options["spravato"].run("approved").totals()["net"]
    assert plan.options["iv_ketamine"].needs.net == comp.options["iv_ketamine"].run("denied").totals()["net"]


def test_routes_tie_back_to_the_comparison(default_plan):
    comp = default_plan.comparison
    for key, of in default_plan.options.items():
        opt = comp.options[key]
        assert of.needs.net == opt.total("expected")
        for r in of.routes:
            if r.available:
                assert len(r.cash_out) == default_plan.months
                # total = payments + interest - refunds - tax, exactly
                assert r.total == sum(r.payments) - sum(r.refunds) - sum(r.tax_saving)
    spr = default_plan.options["spravato"]
    assert spr.route("pay_as_you_go").total == comp.options["spravato"].total("expected")
    assert not spr.route("package").available
    loan = spr.route("loan")
    assert loan.total == spr.route("in_house").total + loan.interest
    assert spr.route("card_on_time").interest == 0
    assert spr.route("card_cliff").total > spr.route("card_on_time").total


def test_package_discount_is_the_difference_from_pay_as_you_go():
    # built-in example, IV if denied: 6 first-series infusions at $600 with the published
    # typical 5 % package discount: 6 x $30 = $180 less than paying visit by visit
    plan = plan_financing(compare(load_example("commercial_ppo_trd")), outcome="denied")
    iv = plan.options["iv_ketamine"]
    assert iv.route("pay_as_you_go").total - iv.route("package").total == 18000
    # the package is paid at the first visit
    assert iv.route("package").payments[0] >= 6 * 57000


def test_savings_program_is_shown_from_the_claim_lines_not_recomputed():
    comp = compare(load_example("commercial_ppo_trd"))
    plan = plan_financing(comp, outcome="approved")
    spr = plan.options["spravato"]
    assert spr.needs.savings == comp.options["spravato"].run("approved").totals()["savings"] > 0
    text = " ".join(spr.savings_program)
    assert "commercial plans only" in text and "$10.00 per treatment" in text and "$7,150.00" in text
    assert "MA, MI, MN, RI" in text
    # excluded state and government plans say so
    mn = " ".join(plan_financing(compare(load_example("hdhp_hsa_trd"))).options["spravato"].savings_program)
    assert "not valid for residents of MN" in mn
    medicare = " ".join(plan_financing(compare(load_example("medicare_original_trd"))).options["spravato"].savings_program)
    assert "commercial plans only" in medicare and "government" in medicare


def test_defaults_come_from_the_financing_table():
    rows = financing_data()
    for v in rows.values():
        assert v.source.reliability in ("vendor", "low", "assumption")
        assert v.source.url.startswith("https://")
    t = FinancingTerms.defaults()
    assert t.card_min_payment == rows["financing.card.min_payment"].typical
    assert t.card_apr_pct == Decimal("29.99")
    assert t.loan_months == int(rows["financing.loan.term_months"].typical)


@pytest.mark.parametrize("values, field", [
    ({"loan_apr_pct": "abc"}, "Loan: APR (%)"),
    ({"loan_months": "0"}, "Loan: number of monthly payments"),
    ({"card_promo_months": "6.5"}, "Credit card: promotional months"),
    ({"card_apr_pct": "120"}, "Credit card: standard APR (%)"),
    ({"fsa_election": "-5"}, "FSA amount"),
    ({"hsa_coverage": "couple"}, "HSA coverage"),
])
def test_bad_terms_name_the_field(values, field):
    with pytest.raises(FinancingError) as err:
        FinancingTerms.from_values(values)
    assert str(err.value).startswith(field)


def test_table_chart_and_html(default_plan):
    df = default_plan.table()
    assert set(df["option"]) == {"IV ketamine", "Spravato (esketamine)"}
    assert df[df["available"]]["total cost"].notna().all()
    frame = default_plan.cash_out_frame()
    assert len(frame) == sum(1 for of in default_plan.options.values() for r in of.routes if r.available) * default_plan.months
    png = cash_out_png(default_plan)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    html = financing_html(default_plan)
    assert "Medical credit card, one payment missed" in html and "not available" in html


def test_nothing_to_finance_when_the_patient_pays_nothing(make_scenario):
    # VA-style zero cost: set a plan that pays everything (0 % coinsurance, no deductible)
    s = make_scenario({"plan": {"in_network": {"coinsurance_pct": "0"}}, "spravato_likelihood_pct": {"low": 100, "typical": 100, "high": 100}})
    plan = plan_financing(compare(s), outcome="approved")
    spr = plan.options["spravato"]
    assert spr.needs.net == 0
    assert not spr.route("loan").available and "Nothing to finance" in spr.route("loan").note
