"""``python -m toolkit``: real subprocesses, as a clinic script or CI would run it.

Good input prints parseable output; bad input exits with status 2 and a short message on
stderr, never a traceback. Processes run from a temporary folder to prove the toolkit finds
its data from the package, not from the working directory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import CRISIS_LINE, DISCLAIMER, example_names, load_example

DATA = Path(__file__).resolve().parent.parent / "data"


def env(**extra) -> dict:
    e = {k: v for k, v in os.environ.items() if k != "TOOLKIT_DATA_DIR"}
    e.update(extra)
    return e


def toolkit(*args: str, cwd: Path, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], cwd=cwd, env=env(**extra_env), capture_output=True, text=True, timeout=60
    )


def assert_clean_failure(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 5, result.stderr  # argparse adds a usage line or three
    assert lines[-1].startswith("error:")
    for w in words:
        assert w in result.stderr


# --------------------------------------------------------------------------- good input


def test_default_table(tmp_path):
    r = toolkit("compare", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    out = r.stdout
    assert load_example("commercial_ppo_trd").title in out
    assert "IV ketamine" in out and "Spravato (esketamine)" in out
    assert DISCLAIMER in out
    assert CRISIS_LINE in out and "988" in out


def test_every_example(tmp_path):
    names = example_names()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "toolkit", "compare", "--example", name, "--format", "json"],
            cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name in names
    }
    for name, p in procs.items():
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, (name, err)
        summary = json.loads(out)
        assert summary["title"] == load_example(name).title
        assert set(summary["options"]) == {"iv_ketamine", "spravato"}
        for opt in summary["options"].values():
            assert opt["sessions"] > 0
            avg = opt["average_for_comparison"]["First month"]
            assert avg["best"] <= avg["expected"] <= avg["worst"]
            # the paths contract: each path's likelihood and costs; typical likelihoods sum to 1; one likely path
            paths = opt["paths"]
            assert {p["path"] for p in paths} <= {"approved", "approved_on_appeal", "denied", "not_applicable"}
            assert abs(sum(p["likelihood"][1] for p in paths) - 1) < 1e-9, name
            assert sum(p["likely"] for p in paths) == 1
            for p in paths:
                lo, typ, hi = p["likelihood"]
                assert 0 <= lo <= typ <= hi <= 1
                assert set(p["costs"]) == set(opt["average_for_comparison"])
                for c in p["costs"].values():
                    assert c["low"] <= c["typical"] <= c["high"]
            assert opt["in_words"].startswith(opt["label"])


def test_scenario_file_path(tmp_path):
    path = tmp_path / "my situation.json"
    scenario = load_example("medicaid_trd").model_copy(update={"title": "From a file"})
    path.write_text(scenario.to_json(), encoding="utf-8")
    r = toolkit("compare", str(path), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["title"] == "From a file"


def test_json_format(tmp_path):
    r = toolkit("compare", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["horizon_months"] == 12
    spravato = summary["options"]["spravato"]
    assert spravato["coverage_level"] == "likely"
    assert isinstance(spravato["if_approved_total"], float)
    assert set(spravato["average_for_comparison"]["12 months"]) == {"best", "expected", "worst"}
    likely = next(p for p in spravato["paths"] if p["likely"])
    # the built-in example: Spravato approved at the first request, $1,310 over 12 months at typical prices if the
    # savings program's payments count; nobody has asked whether the plan has an accumulator, so that way too ($6,400:
    # the deductible and the $6,000 cap fill only from what the patient pays)
    assert (likely["path"], likely["costs"]["12 months"]["typical"]) == ("approved", 1310.0)
    assert likely["if_accumulator"]["12 months"]["typical"] == 6400.0
    assert likely["likelihood"] == [0.6, 0.8, 0.9]


def test_csv_format(tmp_path):
    r = toolkit("compare", "--format", "csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert set(rows[0]) == {"option", "period", "sessions", "best", "expected", "worst", "if_approved", "if_denied", "plan_pays_expected"}
    # 2 options x (first month, 6 months, 12 months, per session)
    assert len(rows) == 8
    assert {r["option"] for r in rows} == {"IV ketamine", "Spravato (esketamine)"}
    for row in rows:
        assert float(row["best"]) <= float(row["expected"]) <= float(row["worst"])


def test_claims_table(tmp_path):
    r = toolkit("compare", "--claims", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Claim lines, Spravato (esketamine), approved" in r.stdout


def test_examples_and_check_data(tmp_path):
    r = toolkit("examples", cwd=tmp_path)
    assert r.returncode == 0 and all(name in r.stdout for name in example_names())
    r = toolkit("check-data", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "data/ is valid" in r.stdout


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path):
    assert_clean_failure(toolkit("compare", str(tmp_path / "nowhere.json"), cwd=tmp_path), "nowhere.json", "not found")


def test_malformed_json(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"plan": {"payer_type": ', encoding="utf-8")
    assert_clean_failure(toolkit("compare", str(path), cwd=tmp_path), "cut.json", "not valid JSON")


def test_invalid_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"plan": {"in_network": {"coinsurance_pct": "150"}}}), encoding="utf-8")
    assert_clean_failure(toolkit("compare", str(path), cwd=tmp_path), "plan.in_network.coinsurance_pct")


def test_identifying_field_refused(tmp_path):
    path = tmp_path / "named.json"
    path.write_text(json.dumps({"name": "Jane Doe"}), encoding="utf-8")
    assert_clean_failure(toolkit("compare", str(path), cwd=tmp_path), "name")


def test_unknown_format(tmp_path):
    assert_clean_failure(toolkit("compare", "--format", "xml", cwd=tmp_path), "--format", "xml")


def test_unknown_example(tmp_path):
    assert_clean_failure(toolkit("compare", "--example", "no_such_example", cwd=tmp_path), "no_such_example")


def test_file_and_example_together(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{}", encoding="utf-8")
    assert_clean_failure(toolkit("compare", str(path), "--example", "medicaid_trd", cwd=tmp_path), "not both")


def test_unknown_command(tmp_path):
    assert_clean_failure(toolkit("frobnicate", cwd=tmp_path))


def test_broken_data_folder(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    prices = folder / "prices.csv"
    prices.write_text(prices.read_text(encoding="utf-8").replace("iv.infusion.pain,", "iv.infusion.pain,,", 1), encoding="utf-8")
    r = toolkit("compare", "--example", "commercial_ppo_trd", cwd=tmp_path, TOOLKIT_DATA_DIR=str(folder))
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert "data/prices.csv, row" in r.stderr


@pytest.mark.parametrize("command", [["compare", "--example", "commercial_ppo_trd"], ["check-data"]])
def test_stale_or_broken_data_never_shows_a_traceback(tmp_path, command):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "coverage.csv").write_text("payer_type\n", encoding="utf-8")
    r = toolkit(*command, cwd=tmp_path, TOOLKIT_DATA_DIR=str(folder))
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert "data/coverage.csv, row 1, column 'option'" in r.stderr


@pytest.mark.parametrize("argv", [
    ["compare", "a\x00b.json"], ["compare", "--example", "a\x00"], ["batch", "a\x00.csv"],
    ["handout", "a\x00.json"], ["handout", "--out", "x\x00.html"], ["handout", "--calendar", "x\x00.ics"],
])
def test_a_nul_in_a_file_name_is_a_message_not_a_traceback(argv, capsys):
    """Found by the CLI fuzz: Path() raised ValueError ('embedded null byte') past every handler."""
    from toolkit.faces.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "contains a NUL character" in capsys.readouterr().err
