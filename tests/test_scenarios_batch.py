"""``python -m toolkit batch``: many scenarios from a CSV, malformed rows reported and skipped.

Runs as a clinic's script would (a subprocess from a temporary folder). Every valid row's
figures equal the exact engine's; every bad row is named by row number and column on stderr;
a missing or unreadable file ends with exit 2 and one message; never a traceback.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import compare, load_example
from toolkit.examples import examples_dir
from toolkit.analysis import model
from toolkit.analysis.batch import COLUMNS, OUTPUT_COLUMNS, BatchFileError, parse_batch, read_batch, run_batch, to_csv

EXAMPLE = examples_dir() / "batch_example.csv"


def batch(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit", "batch", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_example_file_runs_and_matches_the_engine(tmp_path, ds):
    r = batch(str(EXAMPLE), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert tuple(rows[0].keys()) == OUTPUT_COLUMNS
    inp = read_batch(EXAMPLE)
    assert len(rows) == len(inp.scenarios) == 15 and inp.skipped == 0
    assert "15 rows evaluated; 0 rows skipped." in r.stderr
    for out, s in zip(rows, inp.scenarios):
        exact = model(s, ds)
        assert out["iv_average"] == f"{exact.total('iv_ketamine') / 100:.2f}"
        assert out["spravato_average"] == f"{exact.total('spravato') / 100:.2f}"
        assert out["spravato_if_denied"] == f"{exact.total('spravato', 'if_denied') / 100:.2f}"
        # the likely paths lead, to the cent of the exact engine's decision paths
        comp = compare(s, ds)
        iv, sp = comp.options["iv_ketamine"].likely_path, comp.options["spravato"].likely_path
        assert (out["iv_likely_path"], out["spravato_likely_path"]) == (iv.key, sp.key)
        assert out["iv_likely_cost"] == f"{iv.total() / 100:.2f}" and out["spravato_likely_cost"] == f"{sp.total() / 100:.2f}"
        assert out["spravato_likely_first_month"] == f"{sp.total('typical', 1) / 100:.2f}"
        assert out["iv_minus_spravato"] == f"{(iv.total() - sp.total()) / 100:.2f}"
        # where nobody has asked whether the plan counts the savings program: the likely path with an accumulator too
        expected = f"{sp.variant('accumulator').total() / 100:.2f}" if "accumulator" in sp.variants else ""
        assert out["spravato_likely_cost_if_accumulator"] == expected
    # row 2 is the built-in example as it stands
    assert rows[0]["row"] == "2" and rows[0]["example"] == "commercial_ppo_trd"
    # row 3 has a $450 quote but boosters every 3 weeks: more boosters outweigh the lower price
    assert float(rows[1]["iv_likely_cost"]) > float(rows[0]["iv_likely_cost"])


def test_every_column_is_documented_and_in_the_example_header():
    doc = (Path(__file__).resolve().parent.parent / "toolkit" / "analysis" / "batch.py").read_text(encoding="utf-8")
    for col in COLUMNS:
        assert f"``{col}``" in doc, col
    header = EXAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert set(header) <= set(COLUMNS)


MALFORMED = """example,label,deductible,deductible_met,coinsurance_pct,payer_type,start_date,iv_price,horizon_months
commercial_ppo_trd,fine,,,,,,,
commercial_ppo_trd,bad number,lots,,,,,,
no_such_example,unknown example,,,,,,,
commercial_ppo_trd,met above deductible,500,900,,,,,
commercial_ppo_trd,too much coinsurance,,,150,,,,
commercial_ppo_trd,unknown plan,,,,acme,,,
commercial_ppo_trd,bad date,,,,,2027-02-30,,
commercial_ppo_trd,too many cells,,,,,,,,,extra

hdhp_hsa_trd,also fine,,,,,,$450.00,24
"""


def test_malformed_rows_are_reported_and_skipped(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_text(MALFORMED, encoding="utf-8")
    out = tmp_path / "results.csv"
    r = batch(str(path), "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    err = r.stderr
    assert "row 3, column deductible: 'lots' is not a number" in err
    assert "row 4, column example: no example named 'no_such_example'" in err
    assert "row 5, column deductible_met: cannot be more than the deductible" in err
    assert "row 6, column coinsurance_pct: must be 100 or less" in err
    assert "row 7, column payer_type: must be one of" in err
    assert "row 8, column start_date: must be a real date" in err
    assert "row 9: has 11 cells but the header has 9 columns" in err
    assert f"2 rows evaluated to {out}; 7 rows skipped" in err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["row"] for r in rows] == ["2", "11"]  # the blank line 10 is not a row
    assert rows[1]["months"] == "24"


@pytest.mark.parametrize(
    "setup,words",
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00bad"), "not a text (UTF-8)"),
        (lambda p: p.write_text("", encoding="utf-8"), "is empty"),
        (lambda p: p.write_text("example,member_id\ncommercial_ppo_trd,1\n", encoding="utf-8"), "column 'member_id' is not a batch column"),
        (lambda p: p.write_text("label,label\na,b\n", encoding="utf-8"), "appears twice"),
    ],
)
def test_file_problems_exit_2_with_one_message(tmp_path, setup, words):
    path = tmp_path / "caseload.csv"
    setup(path)
    r = batch(str(path), cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], r.stderr


def test_unwritable_output_exits_2(tmp_path):
    r = batch(str(EXAMPLE), "--out", str(tmp_path / "no" / "such" / "dir" / "r.csv"), cwd=tmp_path)
    assert r.returncode == 2 and "cannot write" in r.stderr and "Traceback" not in r.stderr


def test_api_in_process(ds):
    b = parse_batch("example,spravato_likelihood_pct,oop_max\ncommercial_ppo_trd,50,none\n")
    assert b.scenarios[0].spravato_likelihood_pct.typical == 50
    assert b.scenarios[0].plan.in_network.oop_max is None
    frame = run_batch(b, ds)
    assert frame["spravato_chance_approved"].iloc[0] == 0.5
    assert to_csv(frame).splitlines()[0] == ",".join(OUTPUT_COLUMNS)
    assert run_batch(parse_batch("example\n"), ds).empty
    with pytest.raises(BatchFileError):
        parse_batch("  ")


def test_break_even_month_in_the_output(ds):
    b = parse_batch("example\nhdhp_hsa_trd\ncommercial_ppo_trd\n")
    frame = run_batch(b, ds)
    from toolkit.analysis import breakeven_month

    from toolkit.analysis.breakeven import crossings

    def likely_crossing(name):
        comp = compare(load_example(name), ds)
        iv, sp = (comp.options[o].likely_path.cumulative() for o in ("iv_ketamine", "spravato"))
        found = crossings([a - b for a, b in zip(iv, sp)])
        return found[0] if found else None

    expected = [likely_crossing(n) for n in ("hdhp_hsa_trd", "commercial_ppo_trd")]
    got = [None if v is None or str(v) == "<NA>" else int(v) for v in frame["break_even_month"]]
    assert got == expected


def test_a_short_row_is_reported_not_silent():
    from toolkit.analysis.batch import parse_batch

    text = "example,label,iv_price\ncommercial_ppo_trd,cut short\n"
    batch = parse_batch(text, "short.csv")
    assert batch.problems and "row 2" in batch.problems[0] and "iv_price" in batch.problems[0]
    assert len(batch.scenarios) == 1  # read as far as it goes


def test_labels_cannot_become_spreadsheet_formulas():
    from toolkit import dataset
    from toolkit.analysis.batch import parse_batch, run_batch, to_csv

    batch = parse_batch('example,label\ncommercial_ppo_trd,"=HYPERLINK(""x"")"\n', "f.csv")
    out = to_csv(run_batch(batch, dataset()))
    assert "'=HYPERLINK" in out
