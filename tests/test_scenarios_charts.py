"""Charts of the scenario analyses: plain-language titles, labels that carry the meaning
without colour, the tornado's widest bar on top. Pixels are not compared; the drawn data is.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from toolkit import load_example
from toolkit.analysis import approval_vs_denial, breakeven_frame, cases, model, monte_carlo, one_way, owsa, twsa
from toolkit.faces import montecarlo_charts as M
from toolkit.faces import scenarios_charts as C


@pytest.fixture(scope="module")
def patient():
    return load_example("commercial_ppo_trd")


def _texts(fig: Figure) -> str:
    return " | ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text())


def _png_ok(fig: Figure, tmp_path, name: str) -> None:
    data = C.png(fig)
    assert data[:4] == b"\x89PNG"
    (tmp_path / f"{name}.png").write_bytes(data)
    # money is text, never mathtext: "$300 ... $1,500" must not be typeset as a formula
    assert all(not t.get_parse_math() for t in fig.findobj(lambda a: hasattr(a, "get_parse_math")))


def test_tornado_widest_bar_on_top_and_labelled_with_input_values(ds, patient, tmp_path):
    sens = owsa(patient, ds)
    fig = C.tornado_chart(sens)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    moving = sens[sens["swing"] > 0]
    assert labels[0] == moving.iloc[0]["short_label"] == "IV ketamine price per infusion"
    assert len(labels) == min(10, len(moving))
    text = _texts(fig)
    assert "What could change the answer for this patient?" in text
    assert "$300" in text and "$1,500" in text  # the input values at the ends of the top bar
    assert "Spravato costs less" in text and "IV ketamine costs less" in text
    assert "No effect for this patient" in text
    widths = [abs(r["diff_at_high"] - r["diff_at_low"]) for r in moving.head(10).to_dict("records")]
    assert widths == sorted(widths, reverse=True)
    _png_ok(fig, tmp_path, "tornado")


def test_approval_chart(ds, patient, tmp_path):
    fig = C.approval_chart(approval_vs_denial(patient, ds))
    text = _texts(fig)
    assert "What if the plan says no?" in text
    assert "If the plan says no" in text and "$49,500" in text
    _png_ok(fig, tmp_path, "approval")


def test_heatmap_says_who_is_cheaper_in_every_cell(ds, patient, tmp_path):
    g = twsa(patient, ds=ds)
    fig = C.heatmap_chart(g, "IV price per infusion", "Weeks between IV boosters")
    text = _texts(fig)
    assert "Which option costs this patient less?" in text
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert len(cells) == len(g)
    assert all(c.startswith(("Spravato", "IV", "same", "n/a")) for c in cells)
    outlined = [p for p in fig.axes[0].patches if not p.get_fill()]
    assert len(outlined) == 1  # this patient's cell
    _png_ok(fig, tmp_path, "heatmap")


def test_monte_carlo_charts(ds, patient, tmp_path):
    mc = monte_carlo(patient, ds, n=2000, seed=9)
    fig = M.distribution_chart(mc.totals(), mc.summary(), mc.seed)
    assert "What could the next 12 months cost?" in _texts(fig)
    assert "seed 9" in _texts(fig)
    _png_ok(fig, tmp_path, "distribution")
    fig = M.probability_chart(mc.probability_by_month(), mc.n)
    text = _texts(fig)
    assert "How sure are we that Spravato costs this patient less?" in text
    assert "Spravato costs less:" in text and "even odds" in text
    lines = fig.axes[0].get_lines()
    assert {ln.get_linestyle() for ln in lines[:2]} == {"-", "--"}  # not colour alone
    _png_ok(fig, tmp_path, "probability")


def test_cases_breakeven_and_what_if_charts(ds, patient, tmp_path):
    fig = C.cases_chart(cases(patient, ds))
    assert "Best case, expected and worst case" in _texts(fig)
    _png_ok(fig, tmp_path, "cases")
    f = breakeven_frame(model(load_example("hdhp_hsa_trd"), ds))
    fig = M.breakeven_chart(f)
    assert "costs cross\nin month 7" in _texts(fig)
    _png_ok(fig, tmp_path, "breakeven")
    fig = C.what_if_chart(one_way(patient, "iv_maintenance_interval_weeks", [3, 6], ds))
    text = _texts(fig)
    assert "What if? Weeks between IV boosters" in text and "every 3 weeks" in text
    _png_ok(fig, tmp_path, "what_if")


def test_money_formats():
    assert C.dollars(np.float64(-0.4)) == "$0"
    assert C.short_dollars(-9420) == "$9.4k"
