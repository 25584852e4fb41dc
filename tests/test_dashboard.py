"""Drive the dashboard from Python, as an advisor would with the mouse.

Checks: numbers and chart change when an input changes; bad input shows a message next to
the field, names it at the top, and keeps the last good result (numbers and chart).
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

import toolkit
from toolkit.faces.dashboard import Dashboard
from toolkit.money import fmt_round
from toolkit.scenario import ScenarioError

UNEXPECTED = "Something unexpected went wrong"  # toolkit/faces/widgets.py unexpected()


@pytest.fixture(scope="module")
def dash() -> Dashboard:
    return Dashboard()


def _reset(d: Dashboard) -> None:
    d.example_picker.value = "commercial_hmo_suicidal_ideation"
    d.example_picker.value = "commercial_ppo_trd"
    assert d.last_error is None


def test_starts_on_the_built_in_example(dash):
    _reset(dash)
    comp = dash.comparison
    assert comp.scenario == toolkit.default_scenario()
    assert "Likely covered" in dash.cards.value
    # the cost table shows the engine's 12-month expected totals, rounded to dollars
    for opt in comp.options.values():
        assert fmt_round(opt.total("expected", 12)) in dash.table.value
    assert dash.chart_svg.startswith("<svg") and "</svg>" in dash.chart_svg
    assert 'alt="Chart of the running total' in dash.chart.value
    assert "988" in dash.header.value
    assert "not medical, financial or legal advice" in dash.header.value


def test_changing_an_input_updates_numbers_and_chart(dash):
    _reset(dash)
    before_table, before_chart = dash.table.value, dash.chart.value
    before = dash.comparison.options["iv_ketamine"].total("expected")
    dash.set("prices.iv_infusion", "900")
    assert dash.last_error is None
    after = dash.comparison.options["iv_ketamine"].total("expected")
    assert after > before
    assert dash.table.value != before_table
    assert dash.chart.value != before_chart


def test_schedule_choice_changes_sessions(dash):
    _reset(dash)
    before = dash.comparison.options["spravato"].schedule.sessions
    dash.set("schedule.spravato_maintenance", "weekly")
    assert dash.comparison.options["spravato"].schedule.sessions > before


BAD_INPUTS = [
    ("prices.iv_infusion", "-600", "cannot be negative"),
    ("plan.in_network.coinsurance_pct", "150", "must be 100 or less"),
    ("plan.in_network.deductible", "9000", "cannot be above the out-of-pocket maximum"),
    ("plan.in_network.deductible_met", "1600", "cannot be more than the deductible"),
    ("start_date", None, "enter a valid date"),
    ("prices.spravato_device", "lots", "is not a number"),
    ("plan.in_network.deductible", "", "enter a number"),
    ("history.baseline_score", "99", "must be 60 or less"),
    ("plan.state", "Mass", "at most 2 characters"),
]


@pytest.mark.parametrize("path,value,expected", BAD_INPUTS)
def test_bad_input_shows_message_and_keeps_last_result(dash, path, value, expected):
    _reset(dash)
    good_comp, good_table, good_chart = dash.comparison, dash.table.value, dash.chart.value
    good_value = dash.fields[path].widget.value
    dash.set(path, value)
    # the toolkit's own validation message, not the catch-all for an error it did not foresee
    # (the callback guard turns any exception into "Something unexpected went wrong")
    assert UNEXPECTED not in dash.status.value, dash.status.value
    assert isinstance(dash.last_error, ScenarioError), dash.last_error
    msg = dash.message(path)
    assert expected in msg, msg
    assert "role='alert'" in msg, msg  # read out by a screen reader
    label = dash.fields[path].widget.description
    status = html.unescape(dash.status.value)
    assert "role='alert'" in status, status
    assert label in status, status
    # the last good result stays on screen, untouched
    assert dash.comparison is good_comp
    assert dash.table.value == good_table
    assert dash.chart.value == good_chart
    # fixing the field clears the message and recomputes
    dash.set(path, good_value)
    assert dash.message(path) == ""
    assert dash.last_error is None


def test_every_example_loads_and_round_trips(dash):
    for name in toolkit.example_names():
        dash.example_picker.value = name
        assert dash.last_error is None, (name, dash.status.value)
        assert dash.status.value == ""
        assert dash.read() == toolkit.load_example(name)


def test_explanation_renders_claim_lines_when_opened(dash):
    _reset(dash)
    assert dash.explain.value == ""  # not rendered until opened
    dash.explain_acc.selected_index = 0
    html = dash.explain.value
    assert "claim lines" in html and "J0013" in html
    dash.explain_acc.selected_index = None


def test_chart_numbers_table_matches_engine(dash):
    _reset(dash)
    dash.chart_acc.selected_index = 0
    opt = dash.comparison.options["iv_ketamine"]
    assert fmt_round(opt.likely_path.total("typical", 1)) in dash.chart_numbers.value  # the likely path, first month
    dash.chart_acc.selected_index = None


def test_no_field_asks_for_an_identifier(dash):
    words = re.compile(r"\b(name|birth|dob|member id|member_id|address|phone|email|ssn)\b", re.I)
    for path, fld in dash.fields.items():
        label = fld.widget.description
        assert not words.search(path), path
        assert not words.search(label) or "no names" in label, label


def test_a_date_change_moves_the_schedule(dash):
    _reset(dash)
    dash.set("start_date", date(2027, 3, 1))
    first = dash.comparison.options["spravato"].sessions[0].day
    assert first == date(2027, 3, 1)


def test_take_it_home_panel_follows_the_form(dash):
    """Financing figures redo themselves after a change; handout links made from old figures are withdrawn."""
    _reset(dash)
    financing = dash.takeaway.financing
    financing.button.click()
    table = financing.table
    assert "kt-t" in table.value
    before = table.value
    dash.set("prices.iv_infusion", "950")
    assert table.value != before
    handout = dash.takeaway.handout
    handout.html_button.click()
    link = handout.link
    assert "download=" in link.value
    dash.set("prices.iv_infusion", "900")
    assert link.value == ""


def test_accumulator_question_shows_above_the_results(dash):
    _reset(dash)  # the commercial PPO example: savings program on, accumulator not asked
    assert dash.comparison.scenario.plan.copay_assistance_counts == "unknown"
    assert "copay-accumulator or maximizer program" in dash.ask_first.value
    dash.set("plan.copay_assistance_counts", "counts")
    assert dash.ask_first.value == ""
    _reset(dash)
