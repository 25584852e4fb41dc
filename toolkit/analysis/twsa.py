"""Two-way sensitivity: a grid of two inputs, and which option costs the patient less in each cell.

Typical pairs: IV price per infusion x weeks between boosters; deductible still to pay x
coinsurance. Each cell is one exact run of the model (a 8 x 7 grid takes about a quarter of a
second). The grid for an input comes from ``data/uncertainty.csv`` (its ``grid`` column, or
seven steps across its range); plan inputs use the plan's own figures and the year's limits.
The patient's own value is always one of the grid lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import Dataset, dataset
from ..scenario import OPTION_LABELS, Scenario, ScenarioError
from .levers import MONEY, PERCENT, get_lever
from .model import model, months_for
from .owsa import Model
from .params import levers_of, parameter_table

DEFAULT_PAIRS = (("iv_price", "iv_maintenance_interval_weeks"), ("deductible_remaining", "coinsurance_pct"))


def _nice(values: np.ndarray, unit: str) -> list[float]:
    if unit == MONEY:
        span = float(values.max() - values.min())
        step = 50 if span >= 500 else 10 if span >= 50 else 1
        return sorted({float(round(v / step) * step) for v in values})
    return sorted({round(float(v), 2) for v in values})


def grid_values(scenario: Scenario, lever: str, ds: Dataset | None = None, table: pd.DataFrame | None = None, steps: int = 7) -> list[float]:
    """Grid values for one input, the patient's own value included."""
    ds = ds or dataset()
    table = parameter_table(scenario, ds) if table is None else table
    lv = get_lever(lever, levers_of(table))
    base = lv.base(scenario, ds)
    rows = table[table["name"] == lever]
    if len(rows):
        r = rows.iloc[0]
        if r["grid"]:
            values = list(r["grid"])
        else:
            values = _nice(np.linspace(r["low"], r["high"], steps), lv.unit)
    elif lever == "deductible_remaining":
        top = max(float(scenario.plan.in_network.deductible), float(ds.number("hdhp.min_deductible.self_only")))
        values = _nice(np.linspace(0, top, 6), MONEY)
    elif lever == "coinsurance_pct":
        values = [0, 10, 20, 30, 40, 50]
    elif lever == "oop_max":
        lo = float(scenario.plan.in_network.deductible)
        values = _nice(np.linspace(max(lo, 1000), float(ds.number("aca.oop_max.self_only")), 6), MONEY)
    else:
        values = [base]
    if lv.unit == PERCENT:
        values = [float(v) for v in values]
    return sorted({*(float(v) for v in values), float(base)})


def twsa(
    scenario: Scenario,
    x: str = "iv_price",
    y: str = "iv_maintenance_interval_weeks",
    ds: Dataset | None = None,
    x_values: list[float] | None = None,
    y_values: list[float] | None = None,
    months: int | None = None,
    table: pd.DataFrame | None = None,
    model: Model = model,
) -> pd.DataFrame:
    """Tidy: one row per grid cell with both options' costs (dollars) and which is cheaper.

    Cells whose inputs make no valid scenario (say a deductible above the out-of-pocket
    maximum) are left out, never guessed.
    """
    ds = ds or dataset()
    if x == y:
        raise ValueError("choose two different inputs")
    m = months_for(scenario, months)
    table = parameter_table(scenario, ds) if table is None else table
    extra = levers_of(table)
    xs = x_values if x_values is not None else grid_values(scenario, x, ds, table)
    ys = y_values if y_values is not None else grid_values(scenario, y, ds, table)
    lx, ly = get_lever(x, extra), get_lever(y, extra)
    bx, by = lx.base(scenario, ds), ly.base(scenario, ds)
    rows = []
    for yv in ys:
        for xv in xs:
            try:
                o = model(scenario, ds, {x: xv, y: yv}, extra)
            except ScenarioError:
                continue
            iv, sp = o.total("iv_ketamine", "expected", m), o.total("spravato", "expected", m)
            cheaper = OPTION_LABELS["spravato"] if sp < iv else OPTION_LABELS["iv_ketamine"] if iv < sp else "same"
            rows.append(
                {
                    "x": x, "y": y, "x_value": xv, "y_value": yv, "x_text": lx.describe(xv), "y_text": ly.describe(yv),
                    "iv_ketamine": iv / 100, "spravato": sp / 100, "iv_minus_spravato": (iv - sp) / 100,
                    "cheaper": cheaper, "months": m, "is_patient": abs(xv - bx) < 1e-9 and abs(yv - by) < 1e-9,
                }
            )
    return pd.DataFrame(rows)
