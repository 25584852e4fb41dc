"""``data/uncertainty.csv``: every uncertain input with its range, distribution and source.

A row either *references* a figure already in ``data/`` (``ref`` = ``prices.csv:iv.infusion.{iv_protocol}``
or ``coverage.csv:{payer_type}/spravato/{indication}``), so the range and its source stay in
one place, or gives its own ``low``, ``base`` and ``high`` with a source of its own. This
module checks the table's shape and that every reference exists; which model input a row
moves, and how, is the analysis layer's business (:mod:`toolkit.analysis.levers`).

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

from .reader import SOURCE_COLUMNS, Problem, Source, TableReader
from .schemas import SourcedValue

DISTRIBUTIONS = ("pert", "triangular", "uniform", "discrete", "bernoulli", "fixed")
UNCERTAINTY_COLUMNS = ("name", "label", "ref", "low", "base", "high", "unit", "distribution", "grid", *SOURCE_COLUMNS)
APPROVAL_ROWS = {"iv_approval": "iv_ketamine", "spravato_approval": "spravato"}
REFERABLE_TABLES = ("prices.csv", "protocols.csv", "programs.csv", "rules.csv")
# fields a ref may be templated on, with every value they take (None: not expanded when checking)
REF_FIELDS: dict[str, tuple[str, ...] | None] = {"iv_protocol": ("depression", "pain"), "payer_type": None, "indication": None, "option": None}


@dataclass(frozen=True)
class UncertaintyRow:
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
    def table(self) -> str:
        return self.ref.partition(":")[0]

    def resolve_ref(self, fields: dict[str, str]) -> str:
        """The referenced row id for one patient: ``{iv_protocol}`` and the like filled in."""
        key = self.ref.partition(":")[2]
        for f, v in fields.items():
            key = key.replace("{" + f + "}", v)
        return key


def expand_ref(ref: str) -> list[str]:
    """Every concrete reference a templated ``ref`` can become (to check they all exist).

    >>> expand_ref("iv.infusion.{iv_protocol}")
    ['iv.infusion.depression', 'iv.infusion.pain']
    """
    out = [ref]
    for field, values in REF_FIELDS.items():
        if values and "{" + field + "}" in ref:
            out = [r.replace("{" + field + "}", v) for r in out for v in values]
    return out


def read_uncertainty(path: Path, parameters: dict[str, SourcedValue]) -> tuple[list[UncertaintyRow], list[Problem]]:
    """Read and check the table against the parameter rows it may reference."""
    t = TableReader(path, UNCERTAINTY_COLUMNS)
    rows: list[UncertaintyRow] = []
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
        low, base, high = (t.number(i, row, c, required=not ref) for c in ("low", "base", "high"))
        if ref:
            if any(row.get(c) for c in ("low", "base", "high")):
                t.fail(i, "ref", "give either a ref or low/base/high, not both (the referenced row holds the figures)")
            table, _, key = ref.partition(":")
            if table == "coverage.csv":
                if name not in APPROVAL_ROWS:
                    t.fail(i, "ref", "coverage.csv rows can only feed iv_approval or spravato_approval")
            elif table in REFERABLE_TABLES:
                for concrete in expand_ref(key):
                    v = parameters.get(concrete)
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
        if dist == "bernoulli" and name not in APPROVAL_ROWS:
            t.fail(i, "distribution", "bernoulli is only for the approval rows (iv_approval, spravato_approval)")
        if name in APPROVAL_ROWS and dist not in ("bernoulli", "fixed"):
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
            rows.append(UncertaintyRow(name, label, ref, low, base, high, unit, dist, grid, src))
    return rows, t.problems
