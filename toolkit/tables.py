"""Tidy tables for the topic notebooks (coverage, costs, schedules, scenarios, sources).

Each function returns a pandas DataFrame built from the engine or the data tables, so a
notebook cell is one call and the numbers can be checked in tests.
"""

from __future__ import annotations

import pandas as pd

from .compare import compare
from .coverage import LEVEL_LABELS
from .datasets import INDICATIONS, OPTIONS, PAYER_TYPES, Dataset, dataset
from .examples import example_names, load_example
from .money import fmt_pct
from .scenario import INDICATION_LABELS, OPTION_LABELS, PAYER_LABELS


def coverage_matrix(indication: str = "trd", ds: Dataset | None = None) -> pd.DataFrame:
    """Base coverage level and likelihood by payer type for one indication (before the PA checklist)."""
    ds = ds or dataset()
    rows = []
    for payer in PAYER_TYPES:
        row = {"coverage": PAYER_LABELS[payer]}
        for option in OPTIONS:
            c = ds.coverage_row(payer, option, indication)
            rate = "published" if c.rate_published else "assumed"
            span = fmt_pct(c.likelihood_low) if c.likelihood_low == c.likelihood_high else f"{fmt_pct(c.likelihood_low)}-{fmt_pct(c.likelihood_high)}"
            row[OPTION_LABELS[option]] = f"{LEVEL_LABELS[c.level]} ({span}, {rate})"
        rows.append(row)
    return pd.DataFrame(rows).set_index("coverage")


def criteria_table(ds: Dataset | None = None) -> pd.DataFrame:
    """The prior-authorization criteria payers usually apply, with who supplies the evidence."""
    ds = ds or dataset()
    rows = []
    for entries in ds.criteria.values():
        for c in entries:
            rows.append({"criterion": c.criterion, "applies to": c.option.replace("_", " "), "how common": c.how_common, "who supplies it": c.who_supplies, "source": c.source.cite()})
    return pd.DataFrame(rows)


def rules_table(prefixes: tuple[str, ...] = ("appeal.",), ds: Dataset | None = None) -> pd.DataFrame:
    """Rules of the year (limits, deadlines) whose id starts with one of ``prefixes``."""
    ds = ds or dataset()
    rows = []
    for v in ds.parameters.values():
        if v.id.startswith(prefixes):
            value = f"{v.typical:g} {v.unit}" if v.low == v.high else f"{v.low:g} to {v.high:g} {v.unit} (typical {v.typical:g})"
            rows.append({"rule": v.label, "value": value, "source": v.source.cite(), "conflict": v.source.conflict})
    return pd.DataFrame(rows)


def examples_overview(ds: Dataset | None = None) -> pd.DataFrame:
    """Every example situation: coverage level and 12-month patient cost (expected, if approved, if denied)."""
    ds = ds or dataset()
    rows = []
    for name in example_names():
        comp = compare(load_example(name), ds)
        for opt in comp.options.values():
            rows.append(
                {
                    "example": comp.scenario.title,
                    "option": opt.label,
                    "coverage": opt.coverage.level_label,
                    "months": comp.scenario.horizon_months,
                    "expected": opt.total("expected") / 100,
                    "best": opt.total("best") / 100,
                    "worst": opt.total("worst") / 100,
                    "if approved": opt.run("approved").totals()["net"] / 100,
                    "if denied": opt.run("denied").totals()["net"] / 100,
                }
            )
    return pd.DataFrame(rows)


def indication_options() -> list[tuple[str, str]]:
    return [(INDICATION_LABELS[i], i) for i in INDICATIONS]
