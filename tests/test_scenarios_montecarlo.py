"""Monte Carlo: reproducible with a seed, exact for a typical draw, converging to the expectation."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit import compare, example_names, load_example
from toolkit.analysis import model, monte_carlo, parameter_table
from toolkit.analysis.montecarlo import draw, stream


def test_same_seed_same_result_other_seed_other_result(ds):
    s = load_example("commercial_ppo_trd")
    a, b = monte_carlo(s, ds, n=2000, seed=11), monte_carlo(s, ds, n=2000, seed=11)
    c = monte_carlo(s, ds, n=2000, seed=12)
    for opt in a.cost:
        assert np.array_equal(a.cost[opt], b.cost[opt])
    assert a.inputs.equals(b.inputs)
    assert not a.inputs.equals(c.inputs)
    assert a.summary().equals(b.summary())


def test_each_input_has_its_own_stream(ds):
    """Leaving one input out does not change the draws of the others."""
    s = load_example("commercial_ppo_trd")
    full = monte_carlo(s, ds, n=500, seed=3)
    fewer = monte_carlo(s, ds, n=500, seed=3, vary=["iv_price", "spravato_approval"])
    assert np.array_equal(full.inputs["iv_price"], fewer.inputs["iv_price"])
    assert np.array_equal(full.inputs["spravato_approval"], fewer.inputs["spravato_approval"])


@pytest.mark.parametrize("name", example_names())
def test_typical_draws_equal_compare_to_the_cent(ds, name):
    """Every input pinned at its typical value (through the same override path the draws use)."""
    s = load_example(name)
    table = parameter_table(s, ds)
    table["distribution"] = "fixed"
    vary = [n for n in table["name"] if not n.endswith("_approval")]
    comp = compare(s, ds)
    weighted = monte_carlo(s, ds, n=3, vary=vary, approval="weighted", table=table)
    approved = monte_carlo(s, ds, n=3, vary=vary, approval="approved", table=table)
    denied = monte_carlo(s, ds, n=3, vary=vary, approval="denied", table=table)
    for key, opt in comp.options.items():
        for i in range(3):
            assert weighted.cost[key][i].tolist() == opt.cumulative("expected")
            assert int(approved.cost[key][i, -1]) == opt.run("approved").totals()["net"]
            assert int(denied.cost[key][i, -1]) == opt.run("denied").totals()["net"]


def test_drawn_outcomes_equal_the_exact_model(ds):
    s = load_example("hdhp_hsa_trd")
    mc = monte_carlo(s, ds, n=400, seed=5)
    for i in range(0, 400, 57):
        values = {k: float(mc.inputs[k][i]) for k in mc.inputs.columns if not k.endswith("_approval")}
        exact = model(s, ds, values)
        for opt in mc.cost:
            what = "if_approved" if mc.approved[opt][i] else "if_denied"
            assert mc.cost[opt][i].tolist() == exact.options[opt].cumulative(what), (i, opt)


def test_converges_to_the_expectation(ds):
    """Only approval drawn: the mean tends to p x approved + (1 - p) x denied (within 4 standard errors)."""
    s = load_example("commercial_ppo_trd")
    comp = compare(s, ds)
    mc = monte_carlo(s, ds, n=20_000, seed=1, vary=["iv_approval", "spravato_approval"])
    summary = mc.summary().set_index("option")
    for opt in comp.options.values():
        row = summary.loc[opt.label]
        expected = opt.total("expected") / 100
        assert abs(row["mean"] - expected) <= 4 * row["mean_se"] + 0.01, (opt.label, row["mean"], expected)
        assert abs(row["chance_approved"] - float(opt.coverage.likelihood[1])) < 0.02


def test_probability_by_month_and_summary_shapes(ds):
    mc = monte_carlo(load_example("commercial_ppo_trd"), ds, n=1000, seed=2)
    by = mc.probability_by_month()
    assert list(by["month"]) == list(range(1, 13))
    assert np.allclose(by["spravato_costs_less"] + by["iv_costs_less"] + by["same"], 1.0)
    s = mc.summary()
    assert list(s["option"]) == ["IV ketamine", "Spravato (esketamine)"]
    assert (s["p5"] <= s["median"]).all() and (s["median"] <= s["p95"]).all()
    assert s["chance_costs_less"].sum() <= 1.0
    totals = mc.totals()
    assert len(totals) == 2 * 1000 and set(totals.columns) == {"draw", "option", "approved", "cost"}
    assert mc.chance_spravato_cheaper() == pytest.approx(float(s.iloc[1]["chance_costs_less"]))


def test_schedule_choices_are_drawn_from_their_ranges(ds):
    mc = monte_carlo(load_example("commercial_ppo_trd"), ds, n=3000, seed=4)
    assert set(np.unique(mc.inputs["iv_maintenance_interval_weeks"])) == {4.0, 5.0, 6.0}
    assert set(np.unique(mc.inputs["spravato_maintenance_per_week"])) == {0.5, 1.0}
    assert mc.inputs["iv_price"].between(300, 1500).all()


def test_distributions():
    rng = stream(1, "x")
    row = {"low": 0.0, "base": 2.0, "high": 10.0, "unit": "money"}
    assert draw({**row, "distribution": "uniform"}, 50_000, rng).mean() == pytest.approx(5.0, abs=0.1)
    assert draw({**row, "distribution": "triangular"}, 50_000, rng).mean() == pytest.approx(4.0, abs=0.1)
    assert draw({**row, "distribution": "pert"}, 50_000, rng).mean() == pytest.approx((0 + 4 * 2 + 10) / 6, abs=0.1)
    assert set(draw({**row, "distribution": "discrete", "unit": "weeks", "low": 4, "base": 5, "high": 6}, 1000, rng)) == {4, 5, 6}
    assert draw({**row, "distribution": "bernoulli", "base": 0.25}, 50_000, rng).mean() == pytest.approx(0.25, abs=0.01)
    assert (draw({**row, "distribution": "fixed"}, 10, rng) == 2.0).all()


def test_bad_arguments(ds):
    s = load_example("commercial_ppo_trd")
    with pytest.raises(ValueError):
        monte_carlo(s, ds, n=0)
    with pytest.raises(ValueError):
        monte_carlo(s, ds, n=10, approval="maybe")
    mc = monte_carlo(s, ds, n=10, vary=["no_such_input"])
    assert any("no_such_input" in n for n in mc.notes)


def test_every_row_of_the_uncertainty_table_is_drawn_with_no_code_change(tmp_path):
    """Two new rows in a copy of data/: one feeds a priced input (drawn per simulated patient), one shapes
    the claim lines (a schedule figure: simulated patients sharing a value are priced together)."""
    import csv
    import shutil

    from toolkit.analysis import model, parameter_table
    from toolkit.analysis.params import levers_of
    from toolkit.data import default_data_dir, load_dataset

    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    source = ["Toolkit assumption: uniform over the referenced row's range", "https://www.cms.gov/medicare/physician-fee-schedule/search", "2026-11-01", "assumption", "", ""]
    with (folder / "uncertainty.csv").open("a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["claim_96365", "In-network rates as a multiple of Medicare", "prices.csv:commercial.physician_multiple", "", "", "", "multiple of the Medicare fee", "uniform", "", *source])
        w.writerow(["pain_infusion_minutes", "Pain infusion length", "protocols.csv:iv.infusion_minutes.pain", "", "", "", "minutes", "uniform", "", *source])
    ds = load_dataset(folder)
    s = load_example("commercial_ppo_chronic_pain")
    s = s.model_copy(update={"plan": s.plan.model_copy(update={"iv_claim_route": "in_network"})})
    table = parameter_table(s, ds).set_index("name")
    assert table.loc["claim_96365", "varies"] == "input" and table.loc["pain_infusion_minutes", "varies"] == "dataset"
    mc = monte_carlo(s, ds, n=300, seed=9, approval="approved")
    assert not [n for n in mc.notes if "claim_96365" in n or "pain_infusion_minutes" in n]
    assert mc.inputs["claim_96365"].nunique() > 250 and mc.inputs["pain_infusion_minutes"].nunique() > 50
    assert len(set(mc.cost["iv_ketamine"][:, -1].tolist())) > 200
    levers = levers_of(parameter_table(s, ds))
    for i in (0, 7):
        values = {k: float(mc.inputs[k][i]) for k in mc.inputs}
        exact = model(s, ds, values, extra=levers)
        assert int(mc.cost["iv_ketamine"][i, -1]) == exact.total("iv_ketamine", "if_approved")
