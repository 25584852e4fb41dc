"""The parameter table: data/uncertainty.csv, validated like the other tables, resolved per patient.

Every uncertain input carries its range, distribution, source and as-of date; ranges come
from the rows of data/ they reference (never typed twice). A corrupted copy is reported by
file, row and column.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit import load_example, validate_scenario
from toolkit.data import DataError, default_data_dir
from toolkit.analysis import load_parameters, parameter_table, sources_view
from toolkit.analysis.params import levers_of
from toolkit.analysis.params import DISTRIBUTIONS, check_parameters, lever_of

DATA = default_data_dir()


def test_every_row_loads_and_references_a_real_figure(ds):
    rows = load_parameters(ds=ds)
    names = [r.name for r in rows]
    assert {"iv_price", "iv_maintenance_interval_weeks", "spravato_approval", "iv_approval", "oon_allowed_share", "spravato_maintenance_per_week"} <= set(names)
    for r in rows:
        assert r.distribution in DISTRIBUTIONS
        assert r.ref, f"{r.name}: ranges should come from a data row"
        assert r.source.as_of and r.source.reliability
    assert check_parameters(ds=ds) == []


def test_table_carries_range_source_and_date_for_the_patient(ds):
    t = parameter_table(load_example("commercial_ppo_trd"), ds)
    assert list(t["name"])[:2] == ["iv_price", "iv_consultation"]
    row = t.set_index("name").loc["iv_price"]
    # prices.csv:iv.infusion.depression: 300 / 600 / 1500, HealingMaps
    assert (row["low"], row["base"], row["high"]) == (300.0, 600.0, 1500.0)
    assert row["ref"] == "prices.csv:iv.infusion.depression"
    assert "HealingMaps" in row["source"] and row["as_of"] == "2026-11-01"
    appr = t.set_index("name").loc["spravato_approval"]
    assert (appr["low"], appr["base"], appr["high"]) == (0.6, 0.8, 0.9)
    assert appr["ref"] == "coverage.csv:commercial/spravato/trd"
    assert t["source"].str.len().min() > 0 and t["as_of"].str.match(r"\d{4}-\d\d-\d\d").all()
    view = sources_view(t)
    assert list(view.columns) == ["input", "this patient", "low", "high", "how it varies", "source", "as of", "reliability"]


def test_clinic_quote_becomes_the_base_and_widens_the_range(ds, make_scenario):
    t = parameter_table(make_scenario({"prices": {"iv_infusion": "250"}}), ds).set_index("name")
    assert (t.loc["iv_price", "low"], t.loc["iv_price", "base"], t.loc["iv_price", "high"]) == (250.0, 250.0, 1500.0)
    assert "widened" in t.loc["iv_price", "note"]


def test_pain_protocol_uses_the_pain_price_row(ds):
    t = parameter_table(load_example("commercial_ppo_chronic_pain"), ds).set_index("name")
    assert t.loc["iv_price", "ref"] == "prices.csv:iv.infusion.pain"


def test_inputs_that_do_not_apply_are_left_out(ds, make_scenario):
    custom = make_scenario({"indication": "mdd_si", "schedule": {"iv_custom_phases": [{"weeks": 2, "sessions_per_week": 2}]}})
    names = set(parameter_table(custom, ds)["name"])
    assert "iv_maintenance_interval_weeks" not in names and "spravato_maintenance_per_week" not in names


def test_advisor_override_is_named_as_the_source(ds):
    data = load_example("commercial_ppo_trd").model_dump()
    data["spravato_likelihood_pct"] = {"low": Decimal(40), "typical": Decimal(50), "high": Decimal(70)}
    s = validate_scenario(data)
    row = parameter_table(s, ds).set_index("name").loc["spravato_approval"]
    assert (row["low"], row["base"], row["high"]) == (0.4, 0.5, 0.7)
    assert "Advisor" in row["source"]


def _corrupt(tmp_path: Path, column: str, value: str, row: int = 3) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "uncertainty.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize(
    "column,value,words",
    [
        ("source_title", "", "empty"),
        ("as_of", "2026-02-30", "YYYY-MM-DD"),
        ("reliability", "rumour", "not one of"),
        ("distribution", "lognormal", "not one of"),
        ("distribution", "bernoulli", "bernoulli is only for"),
        ("ref", "prices.csv:iv.no_such_row", "not a row"),
        ("ref", "somewhere", "table.csv:id"),
        ("name", "iv_price", "appears twice"),
        ("grid", "2;three", "numbers"),
    ],
)
def test_corrupted_copy_names_row_and_column(tmp_path, ds, column, value, words):
    path = _corrupt(tmp_path, column, value)
    with pytest.raises(DataError) as exc:
        load_parameters(path, ds)
    hit = [p for p in exc.value.problems if p.file == "data/uncertainty.csv" and p.row == 3 and p.column == column]
    assert hit, str(exc.value)
    assert words in str(exc.value)
    assert check_parameters(path.parent, ds)


def test_own_numbers_must_be_ordered(tmp_path, ds):
    path = _corrupt(tmp_path, "ref", "")
    with pytest.raises(DataError) as exc:
        load_parameters(path, ds)
    assert "is empty; a number is needed" in str(exc.value)


def test_a_new_input_is_one_row(tmp_path, ds):
    """A row naming any figure in data/ becomes an input of the one-way analysis with no new code."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with (folder / "uncertainty.csv").open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow([
            "medicare_g2082", "Medicare payment for a Spravato session up to 56 mg", "prices.csv:medicare.g2082", "", "", "", "USD per session", "pert", "",
            "Toolkit assumption: beta-PERT over the referenced row's range", "https://neolytix.com/articles/spravato-reimbursement-rates", "2026-11-01", "assumption", "", "",
        ])
    rows = load_parameters(folder / "uncertainty.csv", ds)
    assert lever_of(rows[-1]).data_row == "medicare.g2082"
    from toolkit.analysis import model, monte_carlo, owsa

    s = load_example("medicare_original_trd")  # 56 mg sessions billed as G2082, 20 % coinsurance
    moved = model(s, ds, {"medicare_g2082": 1100}, extra={"medicare_g2082": lever_of(rows[-1])})
    assert moved.total("spravato", "if_approved") > model(s, ds).total("spravato", "if_approved")
    table = parameter_table(s, ds, rows)
    row = table.set_index("name").loc["medicare_g2082"]
    assert (row["low"], row["base"], row["high"]) == (906.51, 952.59, 952.59)
    sens = owsa(s, ds, table=table).set_index("name")
    assert sens.loc["medicare_g2082", "swing"] > 0
    # the Monte Carlo varies it too, draw by draw, with no code change
    assert row["varies"] == "input"
    mc = monte_carlo(s, ds, n=200, table=table, vary=["medicare_g2082"], approval="approved")
    assert "medicare_g2082" in mc.inputs and mc.inputs["medicare_g2082"].nunique() > 100
    assert len(set(mc.cost["spravato"][:, -1].tolist())) > 100
    for i in (0, 1):
        exact = model(s, ds, {"medicare_g2082": float(mc.inputs["medicare_g2082"][i])}, extra=levers_of(table))
        assert int(mc.cost["spravato"][i, -1]) == exact.total("spravato", "if_approved")
