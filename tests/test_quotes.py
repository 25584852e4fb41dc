"""Clinic quotes: each quote runs through the same engine on the patient's own schedule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit import default_scenario
from toolkit.paying.quotes import QuoteError, compare_quotes, package_per_infusion, parse_quotes, quote_scenario


def test_two_iv_clinics_by_hand():
    # Built-in example: 6 first-series infusions + 9 boosters = 15 sessions; the superbill
    # brings nothing back this year (out-of-network deductible $3,000 not reached).
    # Clinic A: 15 x $550 + $350 consultation = $8,600
    # Clinic B: package of 6 for $3,000 ($500 each) + 9 x $600 = $8,400
    qc = compare_quotes(default_scenario(), [
        {"label": "Clinic A", "price_per_session": "550", "consultation_fee": "350"},
        {"label": "Clinic B", "price_per_session": "600", "package_price": "3000"},
    ])
    totals = {r.quote.label: r.outcome_total("denied") for r in qc.results}
    assert totals == {"Clinic A": 860000, "Clinic B": 840000}
    assert [r.quote.label for r in qc.ranked()] == ["Clinic B", "Clinic A"]
    df = qc.table()
    assert list(df["clinic"]) == ["Clinic B", "Clinic A"]
    assert df.iloc[0]["total (expected)"] == 8400.0


def test_late_cancellations_add_each_clinics_fee():
    qc = compare_quotes(default_scenario(), [
        {"label": "A", "price_per_session": "550", "cancellation_fee": "150"},
        {"label": "B", "price_per_session": "560", "cancellation_fee": "0"},
    ], late_cancellations=2)
    # A: 15 x 550 = 8,250 + 2 x 150 = 8,550; B: 15 x 560 = 8,400 + 0: B comes first
    assert [r.quote.label for r in qc.ranked()] == ["B", "A"]
    assert qc.table().set_index("clinic").loc["A", "total with late cancellations"] == 8550.0


def test_no_superbill_means_nothing_comes_back(make_scenario):
    s = make_scenario({
        "plan": {"iv_claim_route": "superbill", "out_of_network": {"deductible": "0", "coinsurance_pct": "40", "oop_max": None}, "oon_allowed_pct": "50"},
        "iv_likelihood_pct": {"low": 100, "typical": 100, "high": 100},
    })
    qc = compare_quotes(s, [
        {"label": "With superbill", "price_per_session": "500"},
        {"label": "No superbill", "price_per_session": "500", "superbill_offered": False},
    ])
    by = {r.quote.label: r for r in qc.results}
    # allowed 50 % of $500 = $250, plan pays 60 % of it = $150 back per infusion
    with_sb = by["With superbill"].option.run("approved").totals()
    assert with_sb["reimbursement"] == 15000 * by["With superbill"].option.schedule.sessions
    assert by["No superbill"].option.run("approved").totals()["reimbursement"] == 0
    assert "nothing to claim back" in by["No superbill"].notes[0]
    assert qc.ranked()[0].quote.label == "With superbill"


def test_spravato_quotes_set_the_self_pay_price():
    s = default_scenario()
    qc = compare_quotes(s, [
        {"label": "Clinic S1", "option": "spravato", "price_per_session": "900", "observation_fee": "300"},
        {"label": "Clinic S2", "option": "spravato", "price_per_session": "1200", "consultation_fee": "200"},
    ])
    s1, s2 = qc.results
    n = s1.option.schedule.sessions
    # the quote is for this patient's 84 mg dose; the 56 mg first session is not assumed to cost less
    assert s1.outcome_total("denied") == n * 90000
    assert s2.outcome_total("denied") == n * 120000 + 20000  # the consultation fee is added
    assert s1.comparison.scenario.prices.spravato_observation == Decimal("300")


def test_package_per_infusion_and_a_package_above_the_sessions():
    assert package_per_infusion(Decimal(3100), 6) == Decimal("516.67")
    with pytest.raises(QuoteError, match="is more than 6 sessions"):
        quote_scenario(default_scenario(), parse_quotes([
            {"label": "A", "price_per_session": "500", "package_price": "3500"},
            {"label": "B", "price_per_session": "500"},
        ])[0])


@pytest.mark.parametrize("rows, words", [
    ([{"label": "A", "price_per_session": "500"}], "two to five"),
    ([{"label": f"C{i}", "price_per_session": "500"} for i in range(6)], "two to five"),
    ([{"label": "A", "price_per_session": "500"}, {"label": "A", "price_per_session": "600"}], "different clinic label"),
    ([{"label": "A", "price_per_session": "five hundred"}, {"label": "B", "price_per_session": "1"}], "Quote 1 (A), Price per session ($): 'five hundred' is not a number"),
    ([{"label": "A", "price_per_session": "500"}, {"price_per_session": "600"}], "Quote 2, Clinic (e.g. Clinic A): give the clinic a short label"),
    ([{"label": "A", "price_per_session": "500"}, {"label": "B", "package_price": "3000"}], "Quote 2 (B), Price per session ($): is required"),
    ([{"label": "A", "price_per_session": "500"}, {"label": "B", "price_per_session": "-1"}], "cannot be negative"),
    ([{"label": "A", "price_per_session": "500", "patient_name": "x"}, {"label": "B", "price_per_session": "1"}], "unknown field"),
])
def test_bad_quotes_name_the_quote_and_field(rows, words):
    with pytest.raises(QuoteError) as err:
        parse_quotes(rows)
    assert words in str(err.value)


def test_empty_rows_are_skipped():
    rows = [{"label": "", "price_per_session": "", "superbill_offered": True}, {"label": "A", "price_per_session": "1"}, {}, {"label": "B", "price_per_session": "2"}]
    assert [q.label for q in parse_quotes(rows)] == ["A", "B"]


def test_spravato_quote_refuses_a_package():
    with pytest.raises(QuoteError, match="billed per session"):
        compare_quotes(default_scenario(), [
            {"label": "S", "option": "spravato", "price_per_session": "900", "package_price": "5000"},
            {"label": "T", "option": "spravato", "price_per_session": "900"},
        ])


def test_quotes_widget_shows_the_comparison():
    from toolkit.faces.explorers import quotes_explorer

    w = quotes_explorer()
    assert "Clinic B" in w.out.value and "(lowest)" in w.out.value
