"""The shipped data tables: they load, every row is sourced, the picture is the real one, and
a broken copy is refused with a message naming the file, the row and the column.

Row numbers count the header as row 1, as a spreadsheet does: the first data row is row 2.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from itertools import product
from pathlib import Path

import pytest

from toolkit import DataError, load_dataset
from toolkit.data import INDICATIONS, OPTIONS, PARAMETER_TABLES, PAYER_TYPES, RELIABILITY, default_data_dir

DATA = Path(__file__).resolve().parent.parent / "data"


def data_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- shipped data


def test_shipped_data_loads(ds):
    assert ds.directory.resolve() == DATA
    assert default_data_dir().resolve() == DATA


def test_no_row_is_dropped_on_loading(ds):
    assert len(ds.parameters) == sum(len(data_rows(f"{t}.csv")) for t in PARAMETER_TABLES)
    assert len(ds.coverage) == len(data_rows("coverage.csv")) == 80
    assert sum(len(v) for v in ds.criteria.values()) == len(data_rows("pa_criteria.csv"))
    assert len(ds.codes) == len(data_rows("codes.csv"))


def test_every_row_has_a_source(ds):
    rows = ds.all_sources()
    assert len(rows) == (len(ds.parameters) + len(ds.coverage) + sum(map(len, ds.criteria.values())) + len(ds.codes)
                         + len(ds.accumulator_bans))
    for table, key, _label, src in rows:
        where = f"{table} {key}"
        assert src.title.strip(), where
        assert src.url.startswith(("http://", "https://")), where
        assert isinstance(src.as_of, date) and src.as_of <= date.today(), where
        assert src.reliability in RELIABILITY, where
        if src.reliability == "assumption":
            assert src.title.startswith("Toolkit assumption"), where


def test_coverage_has_all_80_combinations(ds):
    expected = set(product(PAYER_TYPES, OPTIONS, INDICATIONS))
    assert len(expected) == 8 * 2 * 5 == 80
    assert set(ds.coverage) == expected


def test_price_codes_exist_in_codes_csv(ds):
    for v in ds.parameters.values():
        if v.code:
            assert v.code in ds.codes, v.id


# --------------------------------------------------------------------------- the real picture


def test_spravato_for_trd_is_likely_on_commercial_plans(ds):
    assert ds.coverage_row("commercial", "spravato", "trd").level == "likely"
    assert ds.coverage_row("commercial", "spravato", "trd").basis == "fda_approved"


@pytest.mark.parametrize("payer", PAYER_TYPES)
@pytest.mark.parametrize("indication", ["ptsd", "anxiety", "chronic_pain"])
def test_spravato_off_label_uses_are_not_indicated(ds, payer, indication):
    # issue 11: Spravato is not indicated for PTSD, anxiety or chronic pain: no plan's approval is priced
    row = ds.coverage_row(payer, "spravato", indication)
    assert row.level == "not_eligible" and row.likelihood_high == 0
    if payer != "uninsured":
        assert row.basis == "off_label" and row.reasoning.startswith("Not indicated (off-label).")


@pytest.mark.parametrize("indication", INDICATIONS)
def test_tricare_never_pays_for_iv_ketamine(ds, indication):
    row = ds.coverage_row("tricare", "iv_ketamine", indication)
    assert row.level == "not_eligible"
    assert row.likelihood_high == 0


@pytest.mark.parametrize("option,indication", list(product(OPTIONS, INDICATIONS)))
def test_uninsured_is_not_eligible(ds, option, indication):
    row = ds.coverage_row("uninsured", option, indication)
    assert (row.level, row.basis, row.likelihood_high) == ("not_eligible", "no_insurance", 0)


@pytest.mark.parametrize("indication", ["trd", "mdd_si"])
def test_medicaid_policy_share_is_not_an_approval_rate(ds, indication):
    row = ds.coverage_row("medicaid", "spravato", indication)
    # Aug 2025 review: 75 of 165 Medicaid policy entities had a policy covering Spravato = 45.5%:
    # a share of programmes, not a chance of approval (issue 11), so the likelihood is an assumption
    assert row.likelihood_typical == Decimal("0.455")
    assert row.rate_published is False
    assert "not a chance of approval" in row.reasoning
    assert "REMS-certified site that takes Medicaid" in row.reasoning


def test_likelihoods_are_ordered_fractions(ds):
    for row in ds.coverage.values():
        assert 0 <= row.likelihood_low <= row.likelihood_typical <= row.likelihood_high <= 1
        if row.level == "not_eligible":
            assert row.likelihood_high == 0, row.ref


def test_ranges_are_ordered(ds):
    for v in ds.parameters.values():
        if v.unit != "list":
            assert v.low <= v.typical <= v.high, v.id


# --------------------------------------------------------------------------- corrupted copies


def broken_copy(tmp_path: Path, file: str, edit) -> Path:
    """Copy data/ and let ``edit(header, rows)`` change one table; returns the new folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    path = target / file
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames), list(reader)
    header = edit(header, rows) or header
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return target


def set_cell(key_column: str, key: str, column: str, value: str):
    def edit(header, rows):
        row = next(r for r in rows if r[key_column] == key)
        row[column] = value

    return edit


def row_number(file: str, key_column: str, key: str) -> int:
    """Spreadsheet row of a data row: header is row 1."""
    return next(i for i, r in enumerate(data_rows(file), start=2) if r[key_column] == key)


CORRUPTIONS = [
    # file, key column, key, column, bad value, words expected in the message
    ("prices.csv", "id", "iv.infusion.pain", "source_title", "", "is empty"),
    ("prices.csv", "id", "iv.infusion.depression", "low", "-300", "must not be negative"),
    ("protocols.csv", "id", "iv.recovery_minutes", "as_of", "2025-02-30", "YYYY-MM-DD"),
    ("rules.csv", "id", "fsa.limit", "as_of", "next year", "YYYY-MM-DD"),
    ("prices.csv", "id", "spravato.device_28mg", "code", "J9999", "unknown code 'J9999'"),
    ("prices.csv", "id", "iv.infusion.depression", "low", "2000", "low <= typical <= high"),
    ("programs.csv", "id", "savings.drug.annual_max", "typical", "lots", "must be a number"),
    ("coverage.csv", "reasoning", None, "payer_type", "medigap", "'medigap' is not one of"),
    ("coverage.csv", "reasoning", None, "likelihood_high", "1.5", "between 0 and 1"),
    ("codes.csv", "code", "G2083", "system", "ICD-11", "'ICD-11' is not one of"),
    ("pa_criteria.csv", "id", "rems", "reliability", "gossip", "'gossip' is not one of"),
    ("tricare.csv", "id", "tricare.adfm.a.cap", "typical", "a thousand", "must be a number"),
    ("accumulator_bans.csv", "state", "VA", "state", "Virginia", "'Virginia' is not one of"),
    ("accumulator_bans.csv", "state", "KY", "effective_date", "1 Jan 2022", "YYYY-MM-DD"),
    ("accumulator_bans.csv", "state", "AZ", "fully_insured_only", "mostly", "'mostly' is not one of"),
]


@pytest.mark.parametrize("file,key_col,key,column,value,words", CORRUPTIONS)
def test_corrupted_cell_is_named(tmp_path, file, key_col, key, column, value, words):
    if key is None:  # the first data row
        key = data_rows(file)[0][key_col]
    folder = broken_copy(tmp_path, file, set_cell(key_col, key, column, value))
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    message = str(err.value)
    row = row_number(file, key_col, key)
    assert f"data/{file}, row {row}, column '{column}'" in message
    assert words in message


def test_first_data_row_is_row_2(tmp_path):
    folder = broken_copy(tmp_path, "coverage.csv", set_cell("payer_type", "commercial", "payer_type", "medigap"))
    with pytest.raises(DataError, match=r"data/coverage\.csv, row 2, column 'payer_type'"):
        load_dataset(folder)


def test_missing_column_is_named(tmp_path):
    def drop_unit(header, rows):
        return [c for c in header if c != "unit"]

    folder = broken_copy(tmp_path, "rules.csv", drop_unit)
    with pytest.raises(DataError, match=r"data/rules\.csv, row 1, column 'unit': required column is missing"):
        load_dataset(folder)


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    def two_bad_cells(header, rows):
        rows[0]["low"] = "-1"
        rows[1]["as_of"] = "yesterday"

    folder = broken_copy(tmp_path, "prices.csv", two_bad_cells)
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    assert "row 2, column 'low'" in str(err.value)
    assert "row 3, column 'as_of'" in str(err.value)
    assert len(err.value.problems) == 2


def test_a_blank_line_counts_as_a_spreadsheet_row(tmp_path):
    # a blank line left in the file is a blank row in a spreadsheet: later rows keep their number
    folder = broken_copy(tmp_path, "prices.csv", set_cell("id", "iv.consultation", "low", "-1"))
    path = folder / "prices.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + lines[1] + "\n" + "".join(lines[2:]), encoding="utf-8")
    row = row_number("prices.csv", "id", "iv.consultation") + 1
    with pytest.raises(DataError, match=rf"data/prices\.csv, row {row}, column 'low'"):
        load_dataset(folder)


def test_a_spreadsheet_saved_with_a_byte_order_mark_loads(tmp_path):
    # "CSV UTF-8" from a spreadsheet starts the file with a byte order mark
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "prices.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "iv.infusion.depression" in load_dataset(folder).parameters


def test_env_var_points_the_toolkit_at_another_folder(tmp_path, monkeypatch):
    folder = broken_copy(tmp_path, "coverage.csv", set_cell("payer_type", "commercial", "payer_type", "medigap"))
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(folder))
    assert default_data_dir() == folder
    with pytest.raises(DataError, match="data/coverage.csv, row 2, column 'payer_type'"):
        load_dataset()


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="data folder not found"):
        load_dataset(tmp_path / "nowhere")


def test_missing_table(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "codes.csv").unlink()
    with pytest.raises(DataError, match=r"data/codes\.csv: file is missing"):
        load_dataset(folder)


# --------------------------------------------------------------------------- stale rows


def test_stale_rows_with_a_fixed_today(ds):
    today = date(2026, 11, 28)  # 18 months earlier: 28 May 2025
    stale = ds.stale(today=today)
    keys = {(table, key) for table, key, _ in stale}
    assert ("protocols.csv", "iv.induction.infusions") in keys  # ELEKT-D, 2023
    assert ("coverage.csv", "commercial/iv_ketamine/trd") in keys  # BCBS Alabama policy, Nov 2024
    assert all(src.as_of < date(2025, 5, 28) for _, _, src in stale)
    fresh = [s for t, k, _, s in ds.all_sources() if (t, k) not in keys]
    assert all(src.as_of >= date(2025, 5, 28) for src in fresh)
    assert ds.stale(today=date(2019, 7, 1)) == []  # oldest row: 1 Jan 2018


def test_stale_boundary_at_a_month_end(tmp_path):
    # 18 months before 30 Apr 2028 is 30 Oct 2026: a row from 29 Oct 2026 is older than that
    folder = broken_copy(tmp_path, "rules.csv", set_cell("id", "fsa.limit", "as_of", "2026-10-29"))
    ds = load_dataset(folder)
    stale = {key for _, key, _ in ds.stale(today=date(2028, 4, 30))}
    assert "fsa.limit" in stale
    # ... and a row from exactly 30 Oct 2026 is not
    folder2 = broken_copy(tmp_path / "b", "rules.csv", set_cell("id", "fsa.limit", "as_of", "2026-10-30"))
    assert "fsa.limit" not in {key for _, key, _ in load_dataset(folder2).stale(today=date(2028, 4, 30))}


def test_sources_frame_flags_stale_rows(ds):
    frame = ds.sources_frame(today=date(2026, 11, 28))
    assert len(frame) == len(ds.all_sources())
    assert frame["stale"].sum() == len(ds.stale(today=date(2026, 11, 28)))
