"""One-call summaries of the data tables for the start and data-and-sources notebooks."""

from __future__ import annotations

from datetime import date

import pandas as pd

from .datasets import STALE_AFTER_MONTHS, dataset


def data_counts() -> str:
    """Row counts per table (deterministic: safe for nbval to compare)."""
    ds = dataset()
    by_table: dict[str, int] = {}
    for table, _key, _label, _src in ds.all_sources():
        by_table[table] = by_table.get(table, 0) + 1
    lines = ["data/ is valid: every row has a source, a link, an as-of date and a reliability tag."]
    lines += [f"  {table}: {n} rows" for table, n in sorted(by_table.items())]
    return "\n".join(lines)


def data_check_summary(today: date | None = None) -> str:
    """Row counts plus how many rows are stale (older than 18 months) as of ``today``."""
    ds = dataset()
    stale = ds.stale(today)
    total = len(ds.all_sources())
    undated = sum(1 for *_, src in ds.all_sources() if src.undated)
    return (
        data_counts()
        + f"\n{undated} of {total} rows come from undated pages (as-of = the day the page was read; real age unknown)."
        + f"\n{len(stale)} of {total} rows have an as-of date more than {STALE_AFTER_MONTHS} months old: re-check them (see 06_data_and_sources)."
    )


def sources_table(today: date | None = None) -> pd.DataFrame:
    """Every figure with its source, date, reliability and a stale flag."""
    return dataset().sources_frame(today)[["table", "id", "what", "value", "source", "as_of", "reliability", "stale", "undated", "url"]]


def conflicts_table() -> pd.DataFrame:
    """Rows where sources disagree, with who says what."""
    df = dataset().sources_frame()
    return df[df["conflict"].astype(str).str.len() > 0][["table", "id", "value", "conflict"]].reset_index(drop=True)
