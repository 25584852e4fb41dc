"""Approval vs denial, best / expected / worst, one-way (tornado), two-way grid and break-even,
against small cases checked by hand.

The base case is ``conftest.BASE_SCENARIO``: commercial plan, no deductible, 20 %
coinsurance, $6,000 cap, IV self-pay at $500 (consultation $0, no discount, no boosters),
Spravato 56 mg at $100 per device plus a $150 visit, cash price $900; one month from Monday
4 Jan 2027. In that month IV is 6 infusions ($3,000); Spravato is 9 sessions: $70 each if
approved (20 % of $350), $900 each if denied. Spravato is likely covered (60 / 80 / 90 %).
"""

from __future__ import annotations

import numpy as np
import pytest

from toolkit import load_example
from toolkit.analysis import approval_vs_denial, breakeven_frame, breakeven_month, cases, crossings, denial_sentence, model, one_way, owsa, twsa
from toolkit.analysis.breakeven import breakeven_months_array, describe_breakeven
from toolkit.analysis.twsa import grid_values


def test_approval_vs_denial_by_hand(ds, make_scenario):
    t = approval_vs_denial(make_scenario(), ds).set_index("option")
    sp, iv = t.loc["Spravato (esketamine)"], t.loc["IV ketamine"]
    assert (sp["if_approved"], sp["if_denied"]) == (630.0, 8100.0)
    # expected 0.8 x 630 + 0.2 x 8,100 = 2,124; at 90 %: 567 + 810 = 1,377; at 60 %: 378 + 3,240 = 3,618
    assert (sp["expected"], sp["expected_low"], sp["expected_high"]) == (2124.0, 1377.0, 3618.0)
    assert (sp["chance_approved_low"], sp["chance_approved"], sp["chance_approved_high"]) == (0.6, 0.8, 0.9)
    assert iv["if_approved"] == iv["if_denied"] == iv["expected"] == 3000.0
    assert "paid at the clinic" in iv["if_approved_means"]
    assert "cash price" in sp["if_denied_means"]
    assert denial_sentence(t.reset_index()) == (
        "Over 1 month, IV ketamine: $3,000 either way. Spravato (esketamine): $8,100 if denied, $7,470 more than if approved ($630)."
    )


def test_one_way_by_hand_and_tornado_order(ds, make_scenario):
    o = owsa(make_scenario(), ds)
    top = o.set_index("name")
    # IV price $300 .. $1,500 (quote $500): 6 x 300 = 1,800 and 6 x 1,500 = 9,000, against Spravato's 2,124
    assert (top.loc["iv_price", "diff_at_low"], top.loc["iv_price", "diff_at_high"], top.loc["iv_price", "swing"]) == (-324.0, 6876.0, 7200.0)
    # Spravato approval 60 % .. 90 %: Spravato 3,618 .. 1,377
    assert (top.loc["spravato_approval", "diff_at_low"], top.loc["spravato_approval", "diff_at_high"]) == (-618.0, 1623.0)
    # cash price $900 (quote) .. $1,600: denied 9 x 1,600 = 14,400, expected 504 + 2,880 = 3,384
    assert top.loc["spravato_cash_session", "diff_at_high"] == 3000 - 3384
    # widest bar first, then by name among equals
    assert list(o["name"][:7]) == ["iv_price", "spravato_approval", "spravato_cash_session", "spravato_device", "spravato_observation", "iv_package_discount", "iv_consultation"]
    assert list(o["swing"]) == sorted(o["swing"], reverse=True)
    assert (o["diff_base"] == 876.0).all()
    assert o.set_index("name").loc["iv_price", "low_text"] == "$300"


def test_tornado_order_on_every_example(ds):
    for name in ("commercial_ppo_trd", "medicare_original_trd", "uninsured_trd"):
        o = owsa(load_example(name), ds)
        assert list(o["swing"]) == sorted(o["swing"], reverse=True), name
        assert o["source"].str.len().min() > 0


def test_what_if_boosters(ds, make_scenario):
    s = make_scenario({"horizon_months": 3})
    t = one_way(s, "iv_maintenance_interval_weeks", [0, 2], ds)
    # every 2 weeks after 21 Jan: 4 Feb, 18 Feb, 4 Mar, 18 Mar, 1 Apr = 5 boosters x $500 on top of $3,000
    assert list(t["iv_ketamine"]) == [3000.0, 5500.0]
    assert list(t["value_text"]) == ["no boosters", "every 2 weeks"]


def test_best_expected_worst_by_hand(ds, make_scenario):
    c = cases(make_scenario(), ds).set_index(["option", "case"])["cost"]
    # IV best: $300 less 15 % = $255 x 6; worst: $1,500 x 6 + $350 consultation
    assert c[("IV ketamine", "best")] == 1530.0
    assert c[("IV ketamine", "expected")] == 3000.0
    assert c[("IV ketamine", "worst")] == 9350.0
    # Spravato best = 90 % chance at the quoted prices (56 mg); worst: 60 % chance, $400 devices, $500 visit,
    # $1,600 cash, and the dose titrated up to 84 mg after day 1 (the uncertainty row's high end):
    # approved day 1 (2 x 400 + 500) x 20 % = $260, then 8 x (3 x 400 + 500) x 20 % = 8 x $340 = $2,720: $2,980;
    # denied 9 x $1,600 = $14,400 (a clinic's quote is for the patient's dose); 0.6 x 2,980 + 0.4 x 14,400 = 7,548
    assert c[("Spravato (esketamine)", "best")] == 1377.0
    assert c[("Spravato (esketamine)", "worst")] == 7548.0


@pytest.mark.parametrize("name", ["commercial_ppo_trd", "hdhp_hsa_trd", "medicaid_trd", "va_trd"])
def test_best_expected_worst_ordered(ds, name):
    c = cases(load_example(name), ds)
    for opt in c["option"].unique():
        v = c[c["option"] == opt].set_index("case")["cost"]
        assert v["best"] <= v["expected"] <= v["worst"], (name, opt)


def test_two_way_grid(ds, make_scenario):
    s = make_scenario()
    g = twsa(s, "iv_price", "spravato_approval", ds, x_values=[300, 500], y_values=[0.6, 0.9])
    assert len(g) == 4
    cell = g[(g["x_value"] == 300) & (g["y_value"] == 0.9)].iloc[0]
    # IV 1,800 vs Spravato 1,377: Spravato $423 less
    assert (cell["iv_ketamine"], cell["spravato"], cell["iv_minus_spravato"], cell["cheaper"]) == (1800.0, 1377.0, 423.0, "Spravato (esketamine)")
    cell = g[(g["x_value"] == 300) & (g["y_value"] == 0.6)].iloc[0]
    assert cell["cheaper"] == "IV ketamine"
    assert g["is_patient"].sum() == 0  # the patient's 80 % is not on this grid
    default = twsa(load_example("commercial_ppo_trd"))
    assert default["is_patient"].sum() == 1
    assert set(default["y_value"]) == {2, 3, 4, 5, 6, 8, 10, 12}  # the grid column of data/uncertainty.csv
    with pytest.raises(ValueError):
        twsa(s, "iv_price", "iv_price", ds)


def test_grid_values_include_the_patient(ds, make_scenario):
    s = make_scenario({"prices": {"iv_infusion": "555"}})
    assert 555.0 in grid_values(s, "iv_price", ds)
    assert grid_values(s, "coinsurance_pct", ds) == [0, 10, 20, 30, 40, 50]


def test_impossible_grid_cells_are_left_out(ds, make_scenario):
    s = make_scenario()
    g = twsa(s, "coinsurance_pct", "iv_price", ds, x_values=[20, 150], y_values=[500])
    assert list(g["x_value"]) == [20]


def test_crossings():
    assert crossings([-150, -550, 250]) == [3]
    assert crossings([0, 0]) == []
    assert breakeven_months_array(__import__("numpy").array([[-150, -550, 250], [5, 5, 5]])).tolist() == [3, 0]


def test_break_even_by_hand(ds, make_scenario):
    """IV: $3,000 first series, then $500 boosters every 2 weeks; Spravato certain, at 100 % coinsurance ($350 a session).

    Running totals: IV 3,000 / 4,000 / 5,500; Spravato 9 x 350 = 3,150 / + 4 x 350 = 4,550 / + 2 x 350 = 5,250.
    Spravato costs more in months 1-2, IV from month 3.
    """
    s = make_scenario({
        "horizon_months": 3,
        "schedule": {"iv_maintenance_interval_weeks": 2},
        "plan": {"in_network": {"coinsurance_pct": "100", "oop_max": "9000"}},
        "spravato_likelihood_pct": {"low": 100, "typical": 100, "high": 100},
    })
    out = model(s, ds)
    f = breakeven_frame(out)
    assert list(f["iv_ketamine"]) == [3000.0, 4000.0, 5500.0]
    assert list(f["spravato"]) == [3150.0, 4550.0, 5250.0]
    assert list(f["costs_cross"]) == [False, False, True]
    assert breakeven_month(out) == 3
    assert describe_breakeven(out) == "The running costs cross in month 3: IV ketamine is cheaper until then, Spravato (esketamine) after."
    assert breakeven_month(model(make_scenario(), ds)) is None


# --------------------------------------------------------------------------- a toy model


class _Toy:
    """A model with known answers: IV costs its price x 10 sessions, Spravato a flat $5,000."""

    def __init__(self, values):
        self.values = values

    def total(self, option, what="expected", months=None):
        return round(self.values.get("iv_price", 600) * 100) * 10 if option == "iv_ketamine" else 500000


def _toy(scenario, ds, values=None, extra=None):
    return _Toy(values or {})


def test_the_analyses_take_the_model_function(ds):
    """dampack's run_owsa_det(..., FUN): one-way, two-way and best/worst call the model they are handed."""
    from toolkit.analysis import cases, one_way, owsa, twsa

    s = load_example("commercial_ppo_trd")
    row = owsa(s, ds, model=_toy).set_index("name").loc["iv_price"]
    # prices.csv: $300 to $1,500 per infusion -> $3,000 to $15,000; Spravato flat
    assert (row["iv_at_low"], row["iv_at_high"], row["swing"]) == (3000.0, 15000.0, 12000.0)
    assert one_way(s, "iv_price", [450], ds, model=_toy)["iv_ketamine"].tolist() == [4500.0]
    grid = twsa(s, "iv_price", "spravato_device", ds, x_values=[300.0, 700.0], y_values=[350.0], model=_toy)
    assert grid["cheaper"].tolist() == ["IV ketamine", "Spravato (esketamine)"]  # $3,000 < $5,000 < $7,000
    best_worst = cases(s, ds, model=_toy).set_index(["option", "case"])["cost"]
    assert (best_worst[("IV ketamine", "best")], best_worst[("IV ketamine", "worst")]) == (3000.0, 15000.0)


def test_the_monte_carlo_takes_the_many_draws_model(ds):
    from toolkit.analysis import monte_carlo
    from toolkit.engine.evaluate import Draws

    def toy_draws(scenario, ds, values, levers):
        n = len(values["iv_price"])
        iv = np.round(values["iv_price"] * 100).astype(np.int64)[:, None] * np.ones((1, 12), dtype=np.int64)
        flat = np.full((n, 12), 10000, dtype=np.int64)
        monthly = {"iv_ketamine": {"approved": iv, "denied": iv}, "spravato": {"approved": flat, "denied": flat}}
        return Draws(monthly, {o: np.full((n, 3), 50_000_000) for o in monthly}, np.full(n, 12))

    mc = monte_carlo(load_example("commercial_ppo_trd"), ds, n=500, seed=1, vary=["iv_price"], approval="weighted", model=toy_draws)
    # 12 months at the drawn price each month, against $1,200 a year of Spravato
    assert np.array_equal(mc.cost["iv_ketamine"][:, -1], np.round(mc.inputs["iv_price"].to_numpy() * 100).astype(np.int64) * 12)
    assert mc.chance_spravato_cheaper() == 1.0
