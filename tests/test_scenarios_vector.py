"""The vectorised adjudicator against the exact engine, to the cent.

The Monte Carlo and the batch never run the engine line by line; they run
:mod:`toolkit.engine.evaluate`, which mirrors :class:`toolkit.engine.adjudication.Adjudicator` on
numpy arrays. These tests hold it to the engine: every example, random scenarios covering
every rule (copays before or after the deductible, caps, plan years starting in any month,
Medicare supplements, pharmacy benefit, out-of-network tiers and balance bills, superbills,
savings programs with accumulator adjustments, custom schedules), and draws with moved
inputs, each checked month by month against ``model()``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import compare, example_names, load_example, validate_scenario
from toolkit.scenario import ScenarioError
from toolkit.analysis import model
from toolkit.analysis.levers import LEVERS, quantize
from toolkit.engine.evaluate import evaluate as run_vector
from toolkit.engine.terms import priced_inputs
from toolkit.money import P_SCALE, scale_half_up, weigh

from fuzzing import fuzz_settings


def _assert_same(res, i, scenario, out):
    h = scenario.horizon_months
    for opt, o in out.options.items():
        assert res.monthly[opt]["approved"][i, :h].tolist() == list(o.approved), opt
        assert res.monthly[opt]["denied"][i, :h].tolist() == list(o.denied), opt
        assert res.expected(opt)[i, :h].tolist() == o.cumulative("expected"), opt
        assert not res.monthly[opt]["approved"][i, h:].any()


def test_every_example_in_one_batch(ds):
    scenarios = [load_example(n) for n in example_names()]
    res = run_vector(scenarios, ds)
    for i, s in enumerate(scenarios):
        _assert_same(res, i, s, model(s, ds))
        comp = compare(s, ds)
        for opt in comp.options.values():
            assert int(res.expected(opt.option)[i, s.horizon_months - 1]) == opt.total("expected")


def _tier(draw):
    ded = draw(st.sampled_from([0, 250, 1500, 3000]))
    oop = draw(st.sampled_from([None, ded, ded + 500, ded + 6000]))
    return {
        "deductible": ded,
        "deductible_met": draw(st.sampled_from([0, ded // 2, ded])),
        "coinsurance_pct": draw(st.sampled_from([0, 10, 20, 20.125, 40, 100])),
        "copay": draw(st.sampled_from([0, 0, 25, 40])),
        "oop_max": oop,
        "oop_met": 0 if oop is None else draw(st.sampled_from([0, oop // 3, oop])),
    }


@st.composite
def scenarios(draw):
    data = {
        "indication": draw(st.sampled_from(["trd", "trd", "mdd_si", "ptsd", "chronic_pain"])),
        "history": {"antidepressant_trials": draw(st.sampled_from([0, 2])), "different_classes": draw(st.booleans()),
                    "augmentation_tried": draw(st.booleans()), "baseline_scale": "PHQ-9", "baseline_score": draw(st.sampled_from([10, 20]))},
        "plan": {
            "payer_type": draw(st.sampled_from(["commercial", "hdhp", "medicare", "medicare_advantage", "medicaid", "tricare", "va", "uninsured"])),
            "plan_year_start_month": draw(st.integers(1, 12)),
            "in_network": _tier(draw),
            "out_of_network": draw(st.one_of(st.none(), st.just(_tier(draw)))),
            "oon_allowed_pct": draw(st.sampled_from([None, 45, 62.5])),
            "copay_before_deductible": draw(st.booleans()),
            "copays_count_toward_deductible": draw(st.booleans()),
            "spravato_drug_benefit": draw(st.sampled_from(["medical", "pharmacy"])),
            "pharmacy_coinsurance_pct": draw(st.sampled_from([0, 20, 33])),
            "pharmacy_copay": draw(st.sampled_from([0, 0, 50])),
            "spravato_clinic_in_network": draw(st.booleans()),
            "iv_claim_route": draw(st.sampled_from(["self_pay", "superbill", "in_network"])),
            "medigap": draw(st.sampled_from(["none", "plan_g", "plan_n"])),
            "manufacturer_savings": draw(st.booleans()),
            "copay_assistance_counts": draw(st.sampled_from(["unknown", "counts", "accumulator", "maximizer"])),
            "state": draw(st.sampled_from(["", "MN", "CA"])),
            "oon_allowed_method": draw(st.sampled_from(["percent_of_charge", "percent_of_medicare", "per_code"])),
            "oon_medicare_pct": draw(st.sampled_from([None, 125, 212.5])),
            "oon_allowed_amounts": draw(st.sampled_from([{}, {"96365": 350}, {"96365": 95.5, "96366": 30, "90791": 180, "99214": 150, "J0013": 12.5}])),
            "spravato_drug_in_network": draw(st.sampled_from([None, True, False])),
            "medicare_spravato_route": draw(st.sampled_from(["part_b", "part_d"])),
            "part_d_deductible": draw(st.sampled_from([None, 0, 250])),
            "medicaid_monthly_income": draw(st.sampled_from([None, 800, 3000])),
        },
        "prices": {k: draw(st.sampled_from([None, v])) for k, v in {
            "iv_infusion": 450, "iv_booster": 399.99, "iv_consultation": 0, "iv_package_discount_pct": 12.5,
            "spravato_device": 333.33, "spravato_observation": 250, "spravato_cash_session": 999}.items()},
        "schedule": {
            "iv_protocol": draw(st.sampled_from(["depression", "pain"])),
            "iv_induction_infusions": draw(st.integers(1, 8)),
            "iv_induction_per_week": draw(st.integers(1, 3)),
            "iv_maintenance_interval_weeks": draw(st.sampled_from([0, 3, 5, 8])),
            "spravato_dose_mg": draw(st.sampled_from([28, 56, 84])),
            "spravato_maintenance": draw(st.sampled_from(["weekly", "every_2_weeks"])),
        },
        "start_date": (date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 800)))).isoformat(),
        "horizon_months": draw(st.integers(1, 30)),
    }
    if draw(st.booleans()):
        data["spravato_likelihood_pct"] = {"low": 10, "typical": 37.125, "high": 60}
    if draw(st.integers(0, 9)) == 0:
        data["schedule"]["iv_custom_phases"] = [{"weeks": 3, "sessions_per_week": 2}, {"weeks": None, "sessions_per_week": 1, "every_weeks": 4}]
    if draw(st.integers(0, 9)) == 0:
        data["schedule"]["spravato_custom_phases"] = [{"weeks": 2, "sessions_per_week": 3}, {"weeks": None, "sessions_per_week": 1, "every_weeks": 3}]
    try:
        return validate_scenario(data)
    except ScenarioError:
        return validate_scenario({k: v for k, v in data.items() if k != "plan"})


@pytest.mark.fuzz
@fuzz_settings(60, database=None, derandomize=True)  # 60 by default: each case runs the exact engine too
@given(st.lists(scenarios(), min_size=1, max_size=4))
def test_random_scenarios_match_the_engine_to_the_cent(ds, batch):
    res = run_vector(batch, ds)
    for i, s in enumerate(batch):
        _assert_same(res, i, s, model(s, ds))


def test_moved_inputs_match_the_exact_levers(ds):
    """Draws with prices, shares and caps moved: each equals model() with the same values."""
    s = load_example("commercial_ppo_trd")
    rng = np.random.default_rng(5)
    n = 12
    values = {
        "iv_price": rng.uniform(300, 1500, n), "iv_consultation": rng.uniform(0, 350, n), "iv_package_discount": rng.uniform(0, 0.15, n),
        "spravato_device": rng.uniform(295, 400, n), "spravato_observation": rng.uniform(192, 500, n), "spravato_cash_session": rng.uniform(900, 1600, n),
        "oon_allowed_share": rng.uniform(0.3, 0.8, n), "savings_drug_annual_max": rng.uniform(5000, 8000, n),
    }
    q = {k: quantize(LEVERS[k].unit, v) for k, v in values.items()}
    base = priced_inputs(s, ds).values

    overrides = {
        "iv_infusion": q["iv_price"], "iv_booster": scale_half_up(base["iv_booster"], q["iv_price"], base["iv_infusion"]),
        "iv_consultation": q["iv_consultation"], "iv_discount_bp": q["iv_package_discount"], "spravato_device": q["spravato_device"],
        "spravato_observation": q["spravato_observation"], "spravato_cash": q["spravato_cash_session"], "oon_bp": q["oon_allowed_share"],
        "drug_cap": q["savings_drug_annual_max"],
    }
    # a plan where the out-of-network deductible is reached, so reimbursement and the share matter
    s = s.model_copy(update={"plan": s.plan.model_copy(update={"out_of_network": s.plan.out_of_network.model_copy(update={"deductible": Decimal("500")})})})
    res = run_vector([s], ds, np.zeros(n, dtype=np.int64), overrides)
    for i in range(n):
        exact = model(s, ds, {k: float(v[i]) for k, v in values.items()})
        _assert_same(res, i, s, exact)


def test_weigh_rounds_arrays_as_it_rounds_one_patient():
    rng = np.random.default_rng(1)
    a, d = rng.integers(0, 10**7, 500), rng.integers(0, 10**7, 500)
    for p in ("0", "0.075", "0.15", "0.37125", "0.5", "1"):
        got = weigh(np.full(500, int(Decimal(p) * P_SCALE)), a, d)
        assert got.tolist() == [weigh(Decimal(p), int(x), int(y)) for x, y in zip(a, d)], p


@pytest.mark.parametrize("horizon", [1, 36])
def test_empty_and_long_horizons(ds, make_scenario, horizon):
    s = make_scenario({"horizon_months": horizon, "schedule": {"iv_maintenance_interval_weeks": 4}})
    res = run_vector([s], ds)
    _assert_same(res, 0, s, model(s, ds))
