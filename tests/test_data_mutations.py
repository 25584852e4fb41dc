"""Mutation check of the shipped data: every table, every way a row can go wrong.

For each table and each mutation that applies to it (a missing source, a negative price,
a bad date, an unknown code, a low above a high, an unknown category), corrupt one row of a
copy and assert the loader's message names that file, that row and that column. The number
of mutations caught is printed at the end of the run (see the README's Testing section).
"""

from __future__ import annotations

import csv
import shutil

import pytest

from toolkit.data import DataError, default_data_dir, load_dataset

DATA = default_data_dir()


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _mutations() -> list[tuple[str, str, str, str]]:
    """(table, mutation, column, new value) for every table and every way that matters."""
    out = []
    for name in sorted(p.name for p in DATA.glob("*.csv")):
        header = _rows(name)[0]
        cols = set(header)
        if "source_title" in cols:
            out.append((name, "missing source", "source_title", ""))
            out.append((name, "missing source link", "source_url", ""))
            out.append((name, "bad date", "as_of", "2026-02-30"))
            out.append((name, "future date", "as_of", "2999-01-01"))
            out.append((name, "unknown reliability", "reliability", "rumour"))
        if {"low", "typical", "high"} <= cols:
            out.append((name, "negative value", "low", "-5"))
            out.append((name, "not a number", "typical", "about 300"))
            out.append((name, "low above high", "low", "99999999"))
        if "code" in cols and name == "prices.csv":
            out.append((name, "unknown code", "code", "Z9999"))
        if "likelihood_low" in cols:
            out.append((name, "likelihood above 1", "likelihood_high", "1.5"))
            out.append((name, "low above high", "likelihood_low", "0.99"))
            out.append((name, "unknown payer", "payer_type", "acme_health"))
            out.append((name, "unknown level", "level", "maybe"))
        if name == "codes.csv":
            out.append((name, "unknown code system", "system", "LOINC"))
        if name == "pa_criteria.csv":
            out.append((name, "unknown criterion", "id", "vibes"))
    return out


MUTATIONS = _mutations()
CAUGHT: list[str] = []


def _target_row(rows: list[list[str]], col: int) -> int:
    """A data row (0-based list index) whose cell in ``col`` is not already the mutated kind: the middle one with a number if possible."""
    candidates = [i for i in range(1, len(rows)) if rows[i][col].strip()]
    return candidates[len(candidates) // 2] if candidates else 1


@pytest.mark.parametrize("table,mutation,column,value", MUTATIONS, ids=[f"{t}-{m}" for t, m, _, _ in MUTATIONS])
def test_loader_names_the_corrupted_row(tmp_path, table, mutation, column, value):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    rows = _rows(table)
    col = rows[0].index(column)
    idx = _target_row(rows, col)
    if rows[idx][col] == value:  # already that value: choose another row
        idx = 1 if idx != 1 else 2
    rows[idx][col] = value
    with open(folder / table, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    spreadsheet_row = idx + 1  # the header is row 1
    named = [p for p in exc.value.problems if p.file == f"data/{table}" and p.row == spreadsheet_row]
    assert named, f"{mutation}: no problem names data/{table} row {spreadsheet_row}: {exc.value}"
    assert any(p.column in (column, "low", "likelihood_low") for p in named), [str(p) for p in named]
    CAUGHT.append(f"{table}: {mutation}")


def test_every_table_is_mutated():
    tables = {t for t, *_ in MUTATIONS}
    assert tables == {p.name for p in DATA.glob("*.csv")} - {"batch_example.csv"}


def test_zz_report_mutations_caught(record_property):
    """Reports the figure the README gives (runs last in this file; conftest.py prints it at the end of the run).

    A recorded property travels with the test's report, so the figure is printed even when
    the file ran in a pytest-xdist worker, whose own output nobody sees.
    """
    record_property("figure", f"data mutations caught: {len(CAUGHT)} of {len(MUTATIONS)} across {len({t for t, *_ in MUTATIONS})} tables")
