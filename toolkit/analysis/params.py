"""The parameter table: every uncertain input with its range, distribution and source, for one patient.

The rows come from ``data/uncertainty.csv`` (read and checked by :mod:`toolkit.data.uncertainty`
when the data folder loads). :func:`parameter_table` resolves them for one patient: ``base``
becomes the patient's own value (a clinic quote if one was typed, the plan's figure, the
coverage assessment), and the range widens to include it. Every analysis is fed from this
table, as in dampack: adding an uncertain input is one row in the CSV, and the ``varies``
column says how the simulation moves it (see :mod:`toolkit.analysis.levers`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data import (
    DISTRIBUTIONS,
    DataError,
    Dataset,
    Problem,
    UncertaintyRow,
    dataset,
    default_data_dir,
    read_uncertainty,
)
from ..engine.coverage import assess
from ..scenario import Scenario
from .levers import LEVERS, MONEY, PROBABILITY, Lever, data_lever

UNIT_KINDS = {"USD": MONEY, "fraction": "fraction", "multiple of": "fraction", "weeks": "weeks", "sessions per week": "per_week", "probability": PROBABILITY, "percent": "percent", "mg": "mg"}
ParamRow = UncertaintyRow  # one row of data/uncertainty.csv


def unit_kind(unit: str) -> str:
    """The lever unit behind a table unit: ``USD per infusion`` -> ``money``."""
    for prefix, kind in UNIT_KINDS.items():
        if unit.startswith(prefix):
            return kind
    return "fraction" if unit == "fraction" else "count"


def lever_of(row: UncertaintyRow) -> Lever:
    """How a row moves the model: its built-in lever, or a lever on the data row it references."""
    if row.name in LEVERS:
        return LEVERS[row.name]
    return data_lever(row.name, row.ref.split(":", 1)[1], row.label, unit_kind(row.unit))


def lever_problems(rows: list[UncertaintyRow]) -> list[Problem]:
    """Rows naming no built-in input and referencing no data row: the model would not know them."""
    return [
        Problem("data/uncertainty.csv", r.source.row, "name",
                f"'{r.name}' is not an input the toolkit knows; a new input needs a ref to a row in prices, protocols, programs or rules")
        for r in rows
        if r.name not in LEVERS and not r.ref.startswith(("prices.csv:", "protocols.csv:", "programs.csv:", "rules.csv:"))
    ]


def load_parameters(path: Path | str | None = None, ds: Dataset | None = None) -> list[UncertaintyRow]:
    """The rows of an uncertainty table (default: the loaded data folder's), checked; :class:`DataError` names each bad cell."""
    ds = ds or dataset()
    if path is None:
        rows, problems = ds.uncertainty, []
    else:
        rows, problems = read_uncertainty(Path(path), ds.parameters)
    problems = problems + lever_problems(rows)
    if problems:
        raise DataError(problems)
    return rows


def check_parameters(data_dir: Path | str | None = None, ds: Dataset | None = None) -> list[Problem]:
    """Problems in an uncertainty table as a list (empty when valid), for ``check-data``."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    try:
        load_parameters(directory / "uncertainty.csv", ds)
    except DataError as exc:
        return list(exc.problems)
    return []


def _resolve_ref(p: ParamRow, scenario: Scenario, ds: Dataset) -> tuple[float, float, float, str, str, str, str]:
    """(low, typical, high, source, as_of, reliability, ref) of the figure a row points at."""
    if not p.ref:
        s = p.source
        return float(p.low), float(p.base), float(p.high), s.cite(), s.as_of.isoformat(), s.reliability, "data/uncertainty.csv"
    table = p.table
    key = p.resolve_ref({"iv_protocol": scenario.schedule.iv_protocol, "payer_type": scenario.plan.payer_type.value, "indication": scenario.indication.value})
    if table == "coverage.csv":
        option = "iv_ketamine" if p.name == "iv_approval" else "spravato"
        cov = assess(scenario, ds, option)
        row = ds.coverage_row(scenario.plan.payer_type.value, option, scenario.indication.value)
        lo, typ, hi = (float(x) for x in cov.likelihood)
        cite = row.source.cite()
        override = scenario.iv_likelihood_pct if option == "iv_ketamine" else scenario.spravato_likelihood_pct
        if override is not None:
            cite = "Advisor's figures (entered for this patient)"
        elif cov.likelihood != (row.likelihood_low, row.likelihood_typical, row.likelihood_high):
            cite += "; adjusted by the prior-authorization checklist (toolkit assumption)"
        return lo, typ, hi, cite, row.source.as_of.isoformat(), row.source.reliability, f"{table}:{key}"
    v = ds.value(key)
    return float(v.low), float(v.typical), float(v.high), v.source.cite(), v.source.as_of.isoformat(), v.source.reliability, f"{table}:{key}"


def parameter_table(scenario: Scenario, ds: Dataset | None = None, rows: list[ParamRow] | None = None) -> pd.DataFrame:
    """The uncertain inputs for this patient: one row each, with range, distribution and source.

    ``base`` is the patient's own value (clinic quote, plan figure or coverage assessment); when
    it falls outside the published range the range is widened to include it, and ``note`` says so.
    Inputs that do not apply (for example booster spacing on a custom IV schedule) are left out.
    The ``lever`` column holds how each input moves the scenario (see :func:`levers_of`).
    """
    ds = ds or dataset()
    rows = rows if rows is not None else load_parameters(ds=ds)
    out = []
    for p in rows:
        lever = lever_of(p).resolve(scenario, ds)
        if not lever.applies(scenario):
            continue
        lo, typ, hi, cite, as_of, reliability, ref = _resolve_ref(p, scenario, ds)
        base = lever.base(scenario, ds)
        note = ""
        if abs(base - typ) > 1e-9:
            note = "base is this patient's own figure" if lever.group != "approval" else ""
        if base < lo or base > hi:
            note = "this patient's figure lies outside the published range; the range is widened to include it"
            lo, hi = min(lo, base), max(hi, base)
        out.append(
            {
                "name": p.name,
                "label": p.label,
                "short_label": lever.label,
                "unit": lever.unit,
                "low": lo,
                "base": base,
                "high": hi,
                "distribution": p.distribution,
                "low_text": lever.describe(lo),
                "base_text": lever.describe(base),
                "high_text": lever.describe(hi),
                "source": cite,
                "as_of": as_of,
                "reliability": reliability,
                "ref": ref,
                "distribution_source": p.source.title,
                "grid": p.grid,
                "varies": lever.varies,
                "note": note,
                "lever": lever,
            }
        )
    return pd.DataFrame(out)


def levers_of(table: pd.DataFrame) -> dict[str, Lever]:
    """The levers of a parameter table, for :func:`toolkit.analysis.model` (``extra=``)."""
    if "lever" not in table:
        return {}
    return dict(zip(table["name"], table["lever"]))


HOW_IT_VARIES = {
    "pert": "most likely near this patient's value, less likely toward the ends (beta-PERT)",
    "triangular": "most likely at this patient's value, falling off in a straight line (triangular)",
    "uniform": "any value in the range equally likely",
    "discrete": "each value equally likely",
    "bernoulli": "the plan says yes or no, with this chance",
    "fixed": "not varied by the simulation",
}


VARIED_BY = {
    "input": "; drawn for each simulated patient",
    "scenario": "; simulated patients sharing a value are priced together",
    "dataset": "; simulated patients sharing a value are priced together",
    "approval": "",
}


def sources_view(table: pd.DataFrame) -> pd.DataFrame:
    """The parameter table as an advisor reads it: input, range, how it varies, source and date."""
    return pd.DataFrame(
        {
            "input": table["label"],
            "this patient": table["base_text"],
            "low": table["low_text"],
            "high": table["high_text"],
            "how it varies": [HOW_IT_VARIES[d] + (VARIED_BY[v] if d != "fixed" else "") for d, v in zip(table["distribution"], table["varies"])],
            "source": table["source"],
            "as of": table["as_of"],
            "reliability": table["reliability"],
        }
    )


__all__ = ["DISTRIBUTIONS", "ParamRow", "check_parameters", "lever_of", "levers_of", "load_parameters", "parameter_table", "sources_view"]
