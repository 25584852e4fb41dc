"""The superbill path of IV ketamine: what the plan pays back, and why it is sometimes nothing.

The built-in example's "superbills paid back" path showed the same 12-month total as
"nothing paid back" ($9,170). Traced line by line it is a true result, not a broken rule:
the plan allows 50 % of each charge, and every allowed dollar of both plan years in the
horizon goes to the $3,000 out-of-network deductible ($1,885 in the plan year to Dec 2026,
$2,700 in 2027), so the superbill rule (allowed - deductible - coinsurance) sends back $0.
At high prices the same plan does pay back. The path now says so in its own words, so a
patient reading "$9,170" twice hears why.

From the test scenario in ``conftest.py``: IV $500 per infusion, no consultation charge,
six infusions in the first month (no boosters), 4 Jan 2027 on. Amounts are cents.
"""

from __future__ import annotations

from conftest import merge
from toolkit import compare
from toolkit.engine.paths import SUPERBILL_MEANS
from toolkit.examples import load_example

# allowed: 50 % of $500 = $250 a line, $1,500 for the six; 40 % coinsurance after the deductible
SUPERBILL = {"plan": {"iv_claim_route": "superbill", "oon_allowed_pct": "50",
                      "out_of_network": {"deductible": "2000", "coinsurance_pct": "40", "oop_max": "8000"}}}


def iv_paths(scenario, ds):
    opt = compare(scenario, ds).options["iv_ketamine"]
    return opt.path("approved"), opt.path("denied")


def test_a_deductible_not_reached_pays_nothing_back_and_says_why(make_scenario, ds):
    back, nothing = iv_paths(make_scenario(SUPERBILL), ds)
    lines = back.runs["typical"].lines
    # $1,500 allowed in the plan year, all of it to the $2,000 deductible: $500 of it still to meet
    assert [(a.allowed, a.deductible, a.coinsurance, a.reimbursement) for a in lines] == [(25000, 25000, 0, 0)] * 6
    assert lines[-1].deductible_left == 50000
    assert back.total() == nothing.total() == 6 * 50000
    assert back.means == ("you pay the clinic and the plan pays nothing back for the superbills: "
                          "the $2,000 out-of-network deductible is not reached in 1 month")
    assert back.short == "superbills: $0 back"
    assert back.notes == ["Superbills pay nothing back: the $2,000 out-of-network deductible is not reached in 1 month; "
                          "the plan allows $1,500 in Jan 2027-Dec 2027, all of it toward the deductible."]


def test_a_deductible_reached_pays_back_and_keeps_the_usual_words(make_scenario, ds):
    back, nothing = iv_paths(make_scenario(merge(SUPERBILL, {"plan": {"out_of_network": {"deductible": "1000"}}})), ds)
    # infusions 1-4: $1,000 to the deductible; 5 and 6: 40 % x $250 = $100 share, $150 back each
    assert [a.reimbursement for a in back.runs["typical"].lines] == [0, 0, 0, 0, 15000, 15000]
    assert back.total() == nothing.total() - 30000 == 300000 - 30000
    assert (back.means, back.short, back.notes) == (SUPERBILL_MEANS, "superbills paid back", [])


def test_the_deductible_already_met_is_counted_in_the_first_plan_year(make_scenario, ds):
    s = make_scenario(merge(SUPERBILL, {"plan": {"out_of_network": {"deductible_met": "400"}}}))  # $1,600 left > $1,500 allowed
    back, _ = iv_paths(s, ds)
    assert "the plan allows $1,500 in Jan 2027-Dec 2027 toward the $1,600 left to meet" in back.notes[0]
    s = make_scenario(merge(SUPERBILL, {"plan": {"out_of_network": {"deductible_met": "600"}}}))  # $1,400 left
    back, _ = iv_paths(s, ds)
    # lines 1-5: $1,250 to the deductible; line 6: the last $150 of it, 40 % x $100 = $40, back $250 - $190 = $60
    assert [a.reimbursement for a in back.runs["typical"].lines] == [0, 0, 0, 0, 0, 6000]
    assert back.means == SUPERBILL_MEANS


def test_no_out_of_network_benefits_says_so(make_scenario, ds):
    back, nothing = iv_paths(make_scenario(merge(SUPERBILL, {"plan": {"out_of_network": None}})), ds)
    assert back.total() == nothing.total()
    assert back.means.endswith("for the superbills: the plan has no out-of-network benefits")


def test_the_built_in_example_is_a_deductible_not_reached(ds):
    """The case that was reported: $9,170 on both IV paths at typical prices (12 months from 7 Dec 2026)."""
    back, nothing = iv_paths(load_example("commercial_ppo_trd"), ds)
    typical = back.runs["typical"].lines
    assert back.total() == nothing.total() and not any(a.reimbursement for a in typical)
    # every allowed dollar went to the $3,000 out-of-network deductible, in both plan years
    assert all(a.deductible == a.allowed for a in typical)
    by_year: dict[str, int] = {}
    for a in typical:
        by_year[a.plan_year] = by_year.get(a.plan_year, 0) + a.allowed
    assert by_year == {"Jan 2026-Dec 2026": 188500, "Jan 2027-Dec 2027": 270000}  # $175 + 6 x $285; 9 x $300
    assert back.means.endswith("the $3,000 out-of-network deductible is not reached in 12 months")
    assert "$1,885 in Jan 2026-Dec 2026 and $2,700 in Jan 2027-Dec 2027" in back.notes[0]
    # the rule itself works: at high prices the same plan pays back, so the words say "at typical prices"
    assert sum(a.reimbursement for a in back.runs["high"].lines) > 0
    assert "pays nothing back for the superbills at typical prices:" in back.means
    assert back.range()["low"] < back.range()["high"] < nothing.range()["high"]
