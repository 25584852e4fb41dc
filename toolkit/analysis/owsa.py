"""One-way sensitivity: move one input at a time across its range, the others held at base.

The tornado chart of this table answers "what could change the answer for this patient?":
each bar is one input, running from the cost difference at its low value to that at its high
value, the widest bar on top. The difference is IV ketamine minus Spravato over the window
(12 months unless told otherwise): positive means Spravato costs the patient less.

:func:`one_way` answers a single "what if" over any values, e.g. boosters every 3 weeks
instead of 6.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ..data import Dataset, dataset
from ..scenario import OPTION_LABELS, Scenario
from .levers import get_lever
from .model import Outcome, model, months_for

Model = Callable[..., Outcome]  # model(scenario, ds, values, extra) -> something with .total(option, what, months)
from .params import levers_of, parameter_table


def _costs(scenario: Scenario, ds: Dataset, values: dict, m: int, extra: dict | None = None, fn: Model = model) -> tuple[int, int]:
    o = fn(scenario, ds, values, extra)
    return o.total("iv_ketamine", "expected", m), o.total("spravato", "expected", m)


def owsa(scenario: Scenario, ds: Dataset | None = None, table: pd.DataFrame | None = None, months: int | None = None, model: Model = model) -> pd.DataFrame:
    """Tidy: one row per input, sorted by swing (widest first). Money in dollars.

    Columns: ``name``, ``label``, ``low``/``base``/``high`` (input values) and their ``*_text``,
    ``iv_at_low``, ``iv_at_high``, ``spravato_at_low``, ``spravato_at_high``, ``diff_at_low``,
    ``diff_at_high``, ``diff_base`` (IV minus Spravato), ``swing`` and the input's ``source``.
    ``model`` is the model function (dampack's ``FUN``); tests hand it a toy one.
    Inputs are those of ``table`` (default: :func:`~toolkit.analysis.params.parameter_table`).
    """
    ds = ds or dataset()
    m = months_for(scenario, months)
    table = parameter_table(scenario, ds) if table is None else table
    extra = levers_of(table)
    base_iv, base_sp = _costs(scenario, ds, {}, m, None, model)
    rows = []
    for r in table.to_dict("records"):
        if r["low"] == r["high"]:
            lo_iv = hi_iv = base_iv
            lo_sp = hi_sp = base_sp
        else:
            lo_iv, lo_sp = _costs(scenario, ds, {r["name"]: r["low"]}, m, extra, model)
            hi_iv, hi_sp = _costs(scenario, ds, {r["name"]: r["high"]}, m, extra, model)
        d_lo, d_hi = lo_iv - lo_sp, hi_iv - hi_sp
        rows.append(
            {
                "name": r["name"], "label": r["label"], "short_label": r["short_label"], "unit": r["unit"],
                "low": r["low"], "base": r["base"], "high": r["high"],
                "low_text": r["low_text"], "base_text": r["base_text"], "high_text": r["high_text"],
                "iv_at_low": lo_iv / 100, "iv_at_high": hi_iv / 100,
                "spravato_at_low": lo_sp / 100, "spravato_at_high": hi_sp / 100,
                "diff_at_low": d_lo / 100, "diff_at_high": d_hi / 100, "diff_base": (base_iv - base_sp) / 100,
                "swing": abs(d_hi - d_lo) / 100, "months": m,
                "source": r["source"], "as_of": r["as_of"],
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values(["swing", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def one_way(scenario: Scenario, lever: str, values: list[float], ds: Dataset | None = None, months: int | None = None, table: pd.DataFrame | None = None,
            model: Model = model) -> pd.DataFrame:
    """Both options' costs for each value of one input ("what if boosters every 3 weeks?").

    >>> from toolkit import load_example
    >>> t = one_way(load_example("commercial_ppo_trd"), "iv_maintenance_interval_weeks", [3, 6])
    >>> for r in t.itertuples():
    ...     print(f"{r.value_text}: IV ${r.iv_ketamine:,.2f}, Spravato ${r.spravato:,.2f}")
    every 3 weeks: IV $13,208.00, Spravato $10,948.00
    every 6 weeks: IV $8,570.00, Spravato $10,948.00
    """
    ds = ds or dataset()
    extra = levers_of(table) if table is not None else None
    lv = get_lever(lever, extra)
    m = months_for(scenario, months)
    rows = []
    for v in values:
        iv, sp = _costs(scenario, ds, {lever: v}, m, extra, model)
        cheaper = OPTION_LABELS["spravato"] if sp < iv else OPTION_LABELS["iv_ketamine"] if iv < sp else "same"
        rows.append({"input": lv.label, "value": v, "value_text": lv.describe(v), "months": m, "iv_ketamine": iv / 100, "spravato": sp / 100, "iv_minus_spravato": (iv - sp) / 100, "cheaper": cheaper})
    return pd.DataFrame(rows)
