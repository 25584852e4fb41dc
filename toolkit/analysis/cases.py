"""Best, expected and worst case, from the parameter table.

For each option separately, every input in the table is set to whichever end of its range
(low or high) is kinder to that option's cost (best) or harsher (worst), judged from the
one-way analysis; approval likelihoods included. Expected is every input at this patient's
base value. Each case is then one exact run of the model, so best <= expected <= worst holds
whenever the inputs act independently (tests check it for every example).

The dashboard's best and worst move prices and likelihoods only; these also move booster
spacing, Spravato maintenance, out-of-network reimbursement and the savings cap.
"""

from __future__ import annotations

import pandas as pd

from ..data import Dataset, dataset
from ..engine.compare import OPTIONS
from ..scenario import OPTION_LABELS, Scenario
from .levers import describe
from .model import model, months_for
from .owsa import Model, owsa
from .params import levers_of, parameter_table

CASE_ORDER = ("best", "expected", "worst")
_COL = {"iv_ketamine": "iv", "spravato": "spravato"}


def case_values(sens: pd.DataFrame, option: str, case: str) -> dict[str, float]:
    """Input values for one option's best or worst case (from a one-way table)."""
    if case == "expected":
        return {}
    col = _COL[option]
    out = {}
    for r in sens.to_dict("records"):
        lo_cost, hi_cost = r[f"{col}_at_low"], r[f"{col}_at_high"]
        if lo_cost == hi_cost:
            continue
        kinder_low = lo_cost < hi_cost
        out[r["name"]] = r["low"] if (kinder_low == (case == "best")) else r["high"]
    return out


def cases(scenario: Scenario, ds: Dataset | None = None, months: int | None = None, table: pd.DataFrame | None = None, sens: pd.DataFrame | None = None,
          model: Model = model) -> pd.DataFrame:
    """Tidy: option, case (best / expected / worst), cost in dollars, and the inputs that make it."""
    ds = ds or dataset()
    m = months_for(scenario, months)
    table = parameter_table(scenario, ds) if table is None else table
    sens = owsa(scenario, ds, table=table, months=m, model=model) if sens is None else sens
    extra = levers_of(table)
    units = dict(zip(table["name"], table["unit"]))
    labels = dict(zip(table["name"], table["label"]))
    rows = []
    for option in OPTIONS:
        for case in CASE_ORDER:
            values = case_values(sens, option, case)
            cost = model(scenario, ds, values, extra).total(option, "expected", m)
            inputs = "; ".join(f"{labels[k]}: {describe(units[k], v)}" for k, v in values.items()) or "every input at this patient's estimate"
            rows.append({"option": OPTION_LABELS[option], "case": case, "months": m, "cost": cost / 100, "inputs": inputs})
    return pd.DataFrame(rows)
