"""Shared fixtures: the shipped dataset and a scenario builder with hand-checkable defaults.

``make_scenario`` starts from a plain, fully specified situation (commercial plan, clinic
quotes for every price, savings program off) and deep-merges the overrides a test gives,
so each test states only what it is about.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal

import pytest

from toolkit import dataset, validate_scenario
from toolkit.scenario import Scenario

# Monday 4 Jan 2027; Spravato twice weekly falls on Mondays and Thursdays.
BASE_SCENARIO: dict = {
    "title": "test situation",
    "indication": "trd",
    "history": {
        "adult": True,
        "antidepressant_trials": 2,
        "different_classes": True,
        "augmentation_tried": True,
        "on_oral_antidepressant": True,
        "psychiatrist_involved": True,
        "baseline_scale": "PHQ-9",
        "baseline_score": 20,
    },
    "plan": {
        "payer_type": "commercial",
        "plan_year_start_month": 1,
        "in_network": {"deductible": "0", "coinsurance_pct": "20", "copay": "0", "oop_max": "6000"},
        "out_of_network": None,
        "iv_claim_route": "self_pay",
        "manufacturer_savings": False,
    },
    # clinic quotes: the engine uses these, never the published ranges
    "prices": {
        "iv_infusion": "500",
        "iv_booster": "500",
        "iv_consultation": "0",
        "iv_package_discount_pct": "0",
        "spravato_device": "100",  # 56 mg = 2 devices = $200 drug line
        "spravato_observation": "150",
        "spravato_cash_session": "900",
    },
    "schedule": {"spravato_dose_mg": 56, "spravato_maintenance": "every_2_weeks", "iv_maintenance_interval_weeks": 0},
    "start_date": "2027-01-04",
    "horizon_months": 1,
}


def merge(base: dict, over: dict) -> dict:
    """Deep merge: nested dicts are merged, everything else replaced."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


@pytest.fixture(scope="session")
def ds():
    """The shipped, validated dataset."""
    return dataset()


@pytest.fixture
def make_scenario():
    def _make(over: dict | None = None) -> Scenario:
        return validate_scenario(merge(BASE_SCENARIO, over or {}))

    return _make


@pytest.fixture(scope="session")
def ds_with_observation_cap(ds):
    """The shipped data with a $1,000 yearly observation-rebate cap (the real cap is unpublished)."""
    other = copy.copy(ds)
    other.parameters = dict(ds.parameters)
    v = ds.parameters["savings.observation.annual_max"]
    other.parameters[v.id] = replace(v, low=Decimal(1000), typical=Decimal(1000), high=Decimal(1000))
    return other
