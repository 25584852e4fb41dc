"""Totals per plan year (toolkit/engine/plan_years.py): a comparison that crosses a reset shows
each plan year beside the cap, so a total above the cap is not read as a breach; examples in a
year the data's yearly limits do not cover say which year's figures are shown."""

from __future__ import annotations

from datetime import date

from toolkit import compare
from toolkit.engine.plan_years import limits_year_note, plan_year_totals
from toolkit.faces.cli import render_table
from toolkit.faces.fragments import plan_year_lines, plan_years_html, plan_years_print
from toolkit.faces.handout import render_html

# Spravato in network, no savings program: $3,000 deductible, 20% after it, $4,000 cap a plan year
# (a window from 1 Jan: 12 months from 4 Jan would reach into the next plan year by a few days)
TWO_YEARS = {"start_date": "2027-01-01", "horizon_months": 24,
             "plan": {"in_network": {"deductible": "3000", "coinsurance_pct": "20", "oop_max": "4000"}}}


def test_each_plan_year_stays_under_the_cap_while_the_total_does_not(make_scenario, ds):
    s = make_scenario(TWO_YEARS)
    comp = compare(s, ds)
    run = comp.options["spravato"].run("approved")
    years = plan_year_totals(run, s)
    assert [y.label for y in years] == ["Jan 2027-Dec 2027", "Jan 2028-Dec 2028"]
    # every cent of the run is in exactly one plan year
    assert sum(y.net for y in years) == run.totals()["net"]
    assert sum(y.sessions for y in years) == len(comp.options["spravato"].sessions)
    assert run.totals()["net"] > 400000  # two years of cost sharing: above one year's cap ...
    assert all(y.net <= 400000 and y.cap == 400000 for y in years)  # ... while no plan year breaks it
    assert all(y.claims > 0 for y in years)


def test_one_plan_year_needs_no_breakdown(make_scenario, ds):
    comp = compare(make_scenario({"start_date": "2027-01-01", "horizon_months": 12}), ds)
    assert len(comp.plan_years("spravato")) == 1
    assert plan_year_lines(comp) == [] and plan_years_print(comp) == ""


def test_self_pay_has_no_plan_year_to_label(make_scenario, ds):
    comp = compare(make_scenario({**TWO_YEARS, "plan": {"payer_type": "uninsured"}}), ds)
    assert all(y.claims == 0 for y in comp.plan_years("iv_ketamine"))
    assert not any("IV ketamine" in line for line in plan_year_lines(comp))  # no deductible or cap to reset


def test_the_faces_show_the_plan_years(make_scenario, ds):
    comp = compare(make_scenario(TWO_YEARS), ds)
    (line,) = [x for x in plan_year_lines(comp) if x.startswith("Spravato")]
    assert "Jan 2027-Dec 2027" in line and "Jan 2028-Dec 2028" in line and "$4,000" in line and "own deductible and cap" in line
    assert "Jan 2027-Dec 2027" in plan_years_html(comp)
    assert "Most likely path by plan year" in render_table(comp)
    assert "By plan year (most likely path): Spravato 2027 " in render_html(comp, ds, prepared=date(2026, 12, 1))
    years = comp.summary()["options"]["spravato"]["likely_path_by_plan_year"]
    assert list(years) == ["Jan 2027-Dec 2027", "Jan 2028-Dec 2028"]


def test_yearly_limits_say_which_year_is_shown(make_scenario, ds):
    medicare = make_scenario({"start_date": "2027-02-01", "plan": {"payer_type": "medicare", "in_network": {"deductible": "283", "oop_max": None}}})
    note = limits_year_note(medicare, ds, date(2027, 12, 1))
    assert note is not None and "from 2026" in note and "Medicare Part B annual deductible" in note and "2027 figures" in note
    assert compare(medicare, ds).limits_note == note or "2026" in compare(medicare, ds).limits_note
    assert limits_year_note(medicare, ds, date(2026, 12, 1)) is None  # within the data's year
    assert limits_year_note(make_scenario({"start_date": "2027-02-01"}), ds, date(2027, 12, 1)) is None  # commercial: the plan's own figures
    comp = compare(medicare, ds)
    assert comp.limits_note in render_table(comp) or comp.limits_note.split(";")[0] in render_table(comp).replace("\n", " ")
