"""The parameter table: every uncertain input with its range, distribution and source.

Read from ``data/uncertainty.csv`` (one row per input, validated like the other tables: a bad
cell is reported as ``data/uncertainty.csv, row 4, column 'distribution': ...``). A row either
*references* a figure already in ``data/`` (``ref`` = ``prices.csv:iv.infusion.{iv_protocol}``,
``coverage.csv:{payer_type}/spravato/{indication}``), so the range and its source stay in one
place, or gives its own ``low``, ``base`` and ``high`` with a source of its own.

:func:`parameter_table` resolves the rows for one patient: ``base`` becomes the patient's own
value (a clinic quote if one was typed, the plan's figure, the coverage assessment), and the
range widens to include it. Every analysis is fed from this table, as in dampack: adding an
uncertain input is one row in the CSV.

Distributions (``distribution`` column):

- ``pert``: beta-PERT on [low, high] peaking at base (alpha = 1 + 4 (base - low) / (high - low)).
- ``triangular``: triangular on [low, high] with mode base.
- ``uniform``: uniform on [low, high].
- ``discrete``: equally likely values: every whole number from low to high for weeks, else
  each distinct value among low, base and high (schedules).
- ``bernoulli``: approval yes or no with probability base (coverage likelihood).
- ``fixed``: not varied by the Monte Carlo (still moved by the one-way analysis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..coverage import assess
from ..datasets import SOURCE_COLUMNS, DataError, Dataset, Source, _TableReader, dataset, default_data_dir
from ..scenario import Scenario
from .levers import LEVERS, MONEY, PROBABILITY, Lever, data_lever

DISTRIBUTIONS = ("pert", "triangular", "uniform", "discrete", "bernoulli", "fixed")
COLUMNS = ("name", "label", "ref", "low", "base", "high", "unit", "distribution", "grid", *SOURCE_COLUMNS)
REF_FIELDS = {"iv_protocol": ("depression", "pain"), "payer_type": None, "indication": None, "option": None}
UNIT_KINDS = {"USD": MONEY, "fraction": "fraction", "weeks": "weeks", "sessions per week": "per_week", "probability": PROBABILITY, "percent": "percent"}


@dataclass(frozen=True)
class ParamRow:
    """One row of data/uncertainty.csv, validated."""

    name: str
    label: str
    ref: str
    low: Decimal | None
    base: Decimal | None
    high: Decimal | None
    unit: str
    distribution: str
    grid: tuple[float, ...]
    source: Source

    @property
    def lever(self) -> Lever:
        if self.name in LEVERS:
            return LEVERS[self.name]
        key = self.ref.split(":", 1)[1]
        return data_lever(self.name, key, self.label, unit_kind(self.unit))


def unit_kind(unit: str) -> str:
    """The lever unit behind a table unit: ``USD per infusion`` -> ``money``."""
    for prefix, kind in UNIT_KINDS.items():
        if unit.startswith(prefix):
            return kind
    return "fraction" if unit == "fraction" else "count"


def _expand(ref: str) -> list[str]:
    """Every concrete reference a templated ``ref`` can become (to check they all exist)."""
    out = [ref]
    for field, values in REF_FIELDS.items():
        if values and "{" + field + "}" in ref:
            out = [r.replace("{" + field + "}", v) for r in out for v in values]
    return out


def load_parameters(path: Path | str | None = None, ds: Dataset | None = None) -> list[ParamRow]:
    """Read and validate data/uncertainty.csv; raise :class:`DataError` naming every bad cell."""
    path = Path(path) if path else default_data_dir() / "uncertainty.csv"
    ds = ds or dataset()
    t = _TableReader(path, COLUMNS)
    rows: list[ParamRow] = []
    seen: set[str] = set()
    for i, row in t.rows:
        name = t.text(i, row, "name")
        if name in seen:
            t.fail(i, "name", f"'{name}' appears twice")
        if name and not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            t.fail(i, "name", f"'{name}' must be lower-case letters, digits and _")
        label = t.text(i, row, "label")
        unit = t.text(i, row, "unit")
        dist = t.choice(i, row, "distribution", DISTRIBUTIONS)
        ref = row.get("ref", "")
        low = t.number(i, row, "low", required=not ref)
        base = t.number(i, row, "base", required=not ref)
        high = t.number(i, row, "high", required=not ref)
        if ref:
            if any(row.get(c) for c in ("low", "base", "high")):
                t.fail(i, "ref", "give either a ref or low/base/high, not both (the referenced row holds the figures)")
            table, _, key = ref.partition(":")
            if table == "coverage.csv":
                if name not in ("iv_approval", "spravato_approval"):
                    t.fail(i, "ref", "coverage.csv rows can only feed iv_approval or spravato_approval")
            elif table in ("prices.csv", "protocols.csv", "programs.csv", "rules.csv"):
                for concrete in _expand(key):
                    v = ds.parameters.get(concrete)
                    if v is None:
                        t.fail(i, "ref", f"'{table}:{concrete}' is not a row of data/{table}")
                    elif v.source.table != table:
                        t.fail(i, "ref", f"'{concrete}' is in data/{v.source.table}, not data/{table}")
                    elif v.low is None:
                        t.fail(i, "ref", f"'{concrete}' is a list, not a number")
            else:
                t.fail(i, "ref", f"'{ref}' must name a row as table.csv:id (prices, protocols, programs, rules or coverage)")
        elif None not in (low, base, high) and not (low <= base <= high):
            t.fail(i, "low", f"low <= base <= high does not hold ({low}, {base}, {high})")
        if name and name not in LEVERS and not ref.startswith(("prices.csv:", "protocols.csv:", "programs.csv:", "rules.csv:")):
            t.fail(i, "name", f"'{name}' is not an input the toolkit knows; a new input needs a ref to a row in prices, protocols, programs or rules")
        if dist == "bernoulli" and name not in ("iv_approval", "spravato_approval"):
            t.fail(i, "distribution", "bernoulli is only for the approval rows (iv_approval, spravato_approval)")
        if name in ("iv_approval", "spravato_approval") and dist not in ("bernoulli", "fixed"):
            t.fail(i, "distribution", "an approval row must be bernoulli (or fixed)")
        grid: tuple[float, ...] = ()
        if row.get("grid"):
            try:
                grid = tuple(float(x) for x in row["grid"].split(";") if x.strip())
            except ValueError:
                t.fail(i, "grid", f"must be numbers separated by ';' (got '{row['grid']}')")
        src = t.source(i, row)
        if name and src and name not in seen:
            seen.add(name)
            rows.append(ParamRow(name, label, ref, low, base, high, unit, dist, grid, src))
    if t.problems:
        raise DataError(t.problems)
    return rows


def _resolve_ref(p: ParamRow, scenario: Scenario, ds: Dataset) -> tuple[float, float, float, str, str, str, str]:
    """(low, typical, high, source, as_of, reliability, ref) of the figure a row points at."""
    if not p.ref:
        s = p.source
        return float(p.low), float(p.base), float(p.high), s.cite(), s.as_of.isoformat(), s.reliability, "data/uncertainty.csv"
    table, _, key = p.ref.partition(":")
    fields = {"iv_protocol": scenario.schedule.iv_protocol, "payer_type": scenario.plan.payer_type.value, "indication": scenario.indication.value}
    for f, v in fields.items():
        key = key.replace("{" + f + "}", v)
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
        lever = p.lever
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
                "note": note,
                "lever": lever,
            }
        )
    return pd.DataFrame(out)


def levers_of(table: pd.DataFrame) -> dict[str, Lever]:
    """The levers of a parameter table, for :func:`toolkit.scenarios.model` (``extra=``)."""
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


def sources_view(table: pd.DataFrame) -> pd.DataFrame:
    """The parameter table as an advisor reads it: input, range, how it varies, source and date."""
    return pd.DataFrame(
        {
            "input": table["label"],
            "this patient": table["base_text"],
            "low": table["low_text"],
            "high": table["high_text"],
            "how it varies": table["distribution"].map(HOW_IT_VARIES),
            "source": table["source"],
            "as of": table["as_of"],
            "reliability": table["reliability"],
        }
    )


__all__ = ["DISTRIBUTIONS", "ParamRow", "check_parameters", "levers_of", "load_parameters", "parameter_table", "sources_view"]


def check_parameters(data_dir: Path | str | None = None, ds: Dataset | None = None) -> list:
    """Problems in data/uncertainty.csv as a list (empty when valid), for a data-wide check.

    ``toolkit.datasets.load_dataset`` can add these to its own list so that ``check-data``
    covers this table too.
    """
    directory = Path(data_dir) if data_dir else default_data_dir()
    try:
        load_parameters(directory / "uncertainty.csv", ds)
    except DataError as exc:
        return list(exc.problems)
    return []
