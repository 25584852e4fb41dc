"""data/workflow.csv: every figure the workflow uses exists, carries a source, and a broken
row is reported the way the other tables are (file, row, column)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from toolkit.data import DataError, default_data_dir, load_dataset
from toolkit.workflow.common import figure, workflow_values

USED = (
    # data/rules.csv
    "appeal.internal.filing_days",
    "appeal.external.filing_days",
    "appeal.expedited_external_hours",
    "appeal.pa_decision_days",
    "appeal.urgent_decision_hours",
    "appeal.internal_decision_days.pre_service",
    "appeal.internal_decision_days.post_service",
    "superbill.timely_filing_days",
    # data/workflow.csv
    "workflow.reminder_lead_days",
    "appeal.external_decision_days",
    "benefits.covered_no_pa.likelihood",
    "benefits.covered_with_pa.ready",
    "benefits.covered_with_pa.not_ready",
    "benefits.not_covered.likelihood",
    "pa.approval_months.trd",
    "pa.approval_months.mdsi",
    "pa.approval_months.range",
    "superbill.required_items",
    "self_pay.gfe_dispute_threshold",
    "self_pay.gfe_dispute_days",
    "abn.original_medicare",
)


@pytest.mark.parametrize("key", USED)
def test_every_figure_used_has_a_source(ds, key):
    v = figure(key, ds)
    assert v.source.title and v.source.url.startswith("http") and v.source.reliability
    if v.source.reliability == "assumption":
        assert v.source.title.startswith("Toolkit assumption")


def test_likelihood_rows_are_ordered_fractions(ds):
    for key in ("benefits.covered_no_pa.likelihood", "benefits.covered_with_pa.ready", "benefits.covered_with_pa.not_ready", "benefits.not_covered.likelihood"):
        v = figure(key, ds)
        assert v.unit == "fraction" and 0 <= v.low <= v.typical <= v.high <= 1
    assert figure("benefits.covered_with_pa.not_ready", ds).typical < figure("benefits.covered_with_pa.ready", ds).typical


def test_workflow_rows_are_read(ds):
    rows = workflow_values(ds)
    assert set(rows) >= {k for k in USED if not k.startswith(("appeal.internal", "appeal.expedited", "appeal.pa_", "appeal.urgent", "appeal.external.", "superbill.timely"))}
    assert all(v.source.table == "workflow.csv" for v in rows.values())


def test_broken_workflow_row_names_file_row_and_column(tmp_path: Path):
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "workflow.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    rows[2][header.index("typical")] = "soon"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    # read by the dataset loader (an optional parameter table) or, failing that, by workflow_values
    with pytest.raises(DataError, match=r"data/workflow\.csv, row 3, column 'typical': must be a number"):
        workflow_values(load_dataset(folder))
