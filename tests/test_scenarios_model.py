"""The model function and the levers: the same figures as the dashboard's engine, to the cent.

``model()`` runs the engine at typical prices, approved and denied; its expected running
totals must equal ``compare()``'s for every example, and setting every input to its base
value must change nothing. Hand-checked small case from ``conftest.BASE_SCENARIO``:
IV $500 x 6 infusions; Spravato 9 sessions of 2 x $100 devices + $150 visit at 20 %.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit import compare, example_names, load_example
from toolkit.scenario import ScenarioError
from toolkit.analysis import apply_values, model, parameter_table
from toolkit.analysis.levers import LEVERS, describe, quantize
from toolkit.money import scale_half_up


@pytest.mark.parametrize("name", example_names())
def test_model_equals_compare_for_every_example(ds, name):
    s = load_example(name)
    comp, out = compare(s, ds), model(s, ds)
    for key, opt in comp.options.items():
        mine = out.options[key]
        assert mine.cumulative("expected") == opt.cumulative("expected")
        assert mine.total("if_approved") == opt.run("approved").totals()["net"]
        assert mine.total("if_denied") == opt.run("denied").totals()["net"]
        assert mine.likelihood == opt.coverage.likelihood
        assert mine.sessions == opt.schedule.sessions
    # every uncertain input at its base value: nothing moves
    table = parameter_table(s, ds)
    same = model(s, ds, dict(zip(table["name"], table["base"])))
    for key in out.options:
        assert same.options[key].cumulative() == out.options[key].cumulative(), key


def test_hand_checked_small_case(ds, make_scenario):
    out = model(make_scenario(), ds)
    iv, sp = out.options["iv_ketamine"], out.options["spravato"]
    # IV: 6 self-paid infusions at $500 in the first month (Jan 4 - Feb 3)
    assert iv.total("if_approved") == iv.total("if_denied") == 300000
    # Spravato: 9 sessions (8 in weeks 1-4, Feb 1 in week 5); each $200 drug + $150 visit at 20 % = $70
    assert sp.sessions == 9
    assert sp.total("if_approved") == 9 * 7000
    assert sp.total("if_denied") == 9 * 90000
    # expected = 0.8 x $630 + 0.2 x $8,100 = $504 + $1,620
    assert sp.likelihood == (Decimal("0.6"), Decimal("0.8"), Decimal("0.9"))
    assert sp.total("expected") == 212400
    assert out.difference() == 300000 - 212400
    frame = out.frame()
    assert list(frame.columns) == ["option", "month", "expected", "if_approved", "if_denied"]
    assert frame["expected"].iloc[-1] == 2124.0


@pytest.mark.parametrize(
    "lever,value,check",
    [
        # input levers set the engine's priced inputs (cents, basis points)
        ("iv_price", 450, lambda a: (a.overrides["iv_infusion"], a.overrides["iv_booster"]) == (45000, 45000)),
        ("iv_consultation", 200, lambda a: a.overrides["iv_consultation"] == 20000),
        ("iv_package_discount", 0.1, lambda a: a.overrides["iv_discount_bp"] == 1000),
        ("spravato_device", 380, lambda a: a.overrides["spravato_device"] == 38000),
        ("spravato_observation", 250, lambda a: a.overrides["spravato_observation"] == 25000),
        ("spravato_cash_session", 1200, lambda a: a.overrides["spravato_cash"] == 120000),
        ("oon_allowed_share", 0.625, lambda a: a.overrides["oon_bp"] == 6250),
        # scenario levers edit the scenario, validated like any input
        ("iv_maintenance_interval_weeks", 3, lambda a: a.scenario.schedule.iv_maintenance_interval_weeks == 3),
        ("spravato_maintenance_per_week", 1, lambda a: a.scenario.schedule.spravato_maintenance == "weekly"),
        ("spravato_approval", 0.5, lambda a: a.scenario.spravato_likelihood_pct.typical == Decimal("50")),
        ("iv_approval", 0.075, lambda a: a.scenario.iv_likelihood_pct.low == Decimal("7.5")),
        ("coinsurance_pct", 35, lambda a: a.scenario.plan.in_network.coinsurance_pct == Decimal("35")),
        ("deductible_remaining", 300, lambda a: a.scenario.plan.in_network.deductible - a.scenario.plan.in_network.deductible_met == Decimal("300")),
        ("oop_max", 4000, lambda a: a.scenario.plan.in_network.oop_max == Decimal("4000")),
    ],
)
def test_each_lever_moves_its_own_field(ds, lever, value, check):
    s = load_example("commercial_ppo_trd")
    assert check(apply_values(s, ds, {lever: value}))


def test_savings_cap_lever_moves_the_input_not_the_data(ds):
    s = load_example("commercial_ppo_trd")
    applied = apply_values(s, ds, {"savings_drug_annual_max": 8000})
    assert applied.overrides == {"drug_cap": 800000}
    assert applied.ds.number("savings.drug.annual_max") == ds.number("savings.drug.annual_max") == Decimal("7150")


def test_booster_moves_in_proportion_with_the_infusion(ds, make_scenario):
    s = make_scenario({"prices": {"iv_infusion": "600", "iv_booster": "450"}})
    applied = apply_values(s, ds, {"iv_price": 400})
    assert applied.overrides["iv_booster"] == 30000  # 450 x 400 / 600
    assert scale_half_up(45000, 33333, 60000) == 25000  # 24,999.75 -> 25,000


def test_deductible_remaining_above_the_deductible_raises_it(ds, make_scenario):
    s = make_scenario({"plan": {"in_network": {"deductible": "500", "deductible_met": "100", "oop_max": "1000"}}})
    tier = apply_values(s, ds, {"deductible_remaining": 2000}).scenario.plan.in_network
    assert (tier.deductible, tier.deductible_met, tier.oop_max) == (Decimal("2000.00"), Decimal("0.00"), Decimal("2000.00"))


def test_impossible_values_are_refused_with_the_field_named(ds):
    with pytest.raises(ScenarioError) as exc:
        apply_values(load_example("commercial_ppo_trd"), ds, {"coinsurance_pct": 150})
    assert "coinsurance_pct" in str(exc.value)
    with pytest.raises(KeyError):
        apply_values(load_example("commercial_ppo_trd"), ds, {"no_such_input": 1})


def test_units_round_and_read_the_way_people_write_them():
    assert quantize("money", 599.995) == 60000
    assert quantize("per_week", 0.9) == 1.0
    assert describe("weeks", 0) == "no boosters"
    assert {lv.unit for lv in LEVERS.values()} <= {"money", "fraction", "weeks", "per_week", "probability", "percent", "mg"}
