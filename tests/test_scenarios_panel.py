"""The 05_scenarios widgets, driven from Python as an advisor would with the mouse.

Starts on the dashboard's built-in example; every tab renders a chart (with alt text), a
sentence and its numbers; a change re-renders; bad input shows a message, not a traceback,
and the last good results stay.
"""

from __future__ import annotations

import ipywidgets as W
import pytest

from toolkit import default_scenario
from toolkit.faces.scenarios_panel import SECTIONS, ScenariosPanel, scenarios_panel


@pytest.fixture(scope="module")
def panel(ds):
    p = ScenariosPanel(ds)
    p.draws.value = 1000  # keep the test quick; the default is 10,000
    return p


def test_starts_on_the_dashboard_example(panel):
    assert panel.scenario == default_scenario()
    assert panel.current == "denied"
    html = panel.html["denied"]
    assert "<img" in html and 'alt="Bar chart: Over 12 months' in html
    assert "The numbers behind this chart" in html
    assert "$49,500" in html


@pytest.mark.parametrize("key", [k for k, _ in SECTIONS])
def test_every_tab_renders(panel, key):
    panel.select(key)
    assert panel.last_error is None
    html = panel.html[key]
    assert "class='kt " in html
    if key != "inputs":
        assert "<img" in html and "alt=" in html and "<details>" in html


def test_changing_the_booster_interval_rerenders(panel):
    panel.select("denied")
    before = panel.html["denied"]
    panel.interval.value = 3
    assert panel.scenario.schedule.iv_maintenance_interval_weeks == 3
    assert panel.html["denied"] != before
    assert panel.stale["tornado"]  # other tabs catch up when opened
    panel.select("tornado")
    assert not panel.stale["tornado"]
    panel.interval.value = 5


def test_bad_input_shows_a_message_and_keeps_results(panel):
    panel.select("denied")
    good = panel.html["denied"]
    panel.iv_price.value = "six hundred"
    assert panel.last_error == "IV price per infusion: 'six hundred' is not a number"
    assert "role='alert'" in panel.status.value
    assert panel.html["denied"] == good
    panel.iv_price.value = "450"
    assert panel.last_error is None
    assert panel.scenario.prices.iv_infusion == 450
    panel.iv_price.value = ""


def test_bad_what_if_values_and_same_grid_inputs(panel):
    panel.select("what_if")
    panel.what_if_values.value = "3, soon"
    assert "not a number" in panel.last_error
    panel.what_if_values.value = "3, 6"
    assert panel.last_error is None
    panel.select("inputs")
    panel.grid_y.value = panel.grid_x.value
    panel.select("grid")
    assert "Choose two different inputs" in panel.html["grid"]
    panel.select("inputs")
    panel.grid_y.value = "iv_maintenance_interval_weeks"


def test_monte_carlo_options(panel):
    panel.select("inputs")  # change the options while another tab is open: one render when opened
    panel.approval.value = "denied"
    panel.seed.value = 5
    assert panel.stale["montecarlo"]
    panel.select("montecarlo")
    assert "Assuming the plan says no to both" in panel.html["montecarlo"]
    assert "1,000 simulations, seed 5" in panel.html["montecarlo"]
    panel.select("inputs")
    panel.approval.value = "draw"


def test_switching_example_loads_its_schedule(panel):
    panel.select("inputs")
    panel.example.value = "commercial_hmo_suicidal_ideation"
    assert panel.months.value == 3
    assert panel.scenario.indication == "mdd_si"
    panel.example.value = "commercial_ppo_trd"
    assert panel.months.value == 12


def test_widget_factory(panel):
    assert "988" in panel.notices.value and panel.notices in panel.widget.children
    assert isinstance(scenarios_panel(), W.VBox)
