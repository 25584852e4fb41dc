"""``python -m toolkit compare SCENARIO.json --eob EOB.csv`` end to end, in real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from toolkit import CRISIS_LINE

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data" / "examples" / "commercial_ppo_trd.json"
EOB = ROOT / "data" / "examples" / "eob_commercial_ppo_trd.csv"


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TOOLKIT_DATA_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_compare_with_an_eob_shows_lines_differences_and_forecasts(tmp_path):
    original = SCENARIO.read_bytes()
    r = toolkit("compare", str(SCENARIO), "--eob", str(EOB), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "After the first claims: Spravato (esketamine), 2 EOB lines" in out
    assert "2026-12-07 J0013  $750.00 -> $780.00" in out  # estimate -> actual, per line
    assert "Coinsurance, in network: the scenario said 20%, the EOB implies 40% [using the EOB's]" in out
    assert "--keep plan.in_network.coinsurance_pct" in out
    assert "$0.00 of the deductible left, $3,618.00 left to the out-of-pocket maximum" in out
    assert "before the EOB: $1,310" in out and "after the EOB:" in out
    assert "The plan is paying less than we thought" in out
    assert CRISIS_LINE in out
    assert "not saved" in out
    assert SCENARIO.read_bytes() == original  # the scenario file is never changed
    assert not list(tmp_path.iterdir())  # nothing written without --save-refit


def test_keep_and_save_to_a_new_file(tmp_path):
    target = tmp_path / "ppo-trd-after-eob.json"
    r = toolkit("compare", str(SCENARIO), "--eob", str(EOB), "--keep", "plan.in_network.coinsurance_pct",
                "--save-refit", str(target), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "[keeping the scenario's]" in r.stdout and f"saved to {target}" in r.stdout
    saved = json.loads(target.read_text())
    assert saved["plan"]["in_network"]["coinsurance_pct"] == "20"  # kept
    assert saved["plan"]["in_network_allowed_amounts"] == {"99214": "190.00"}  # taken from the EOB
    again = toolkit("compare", str(target), "--format", "json", cwd=tmp_path)  # a saved re-fit is a scenario like any other
    assert again.returncode == 0, again.stderr


def test_save_never_overwrites(tmp_path):
    target = tmp_path / "exists.json"
    target.write_text("{}")
    r = toolkit("compare", str(SCENARIO), "--eob", str(EOB), "--save-refit", str(target), cwd=tmp_path)
    assert r.returncode == 2 and "already exists" in r.stderr and "Traceback" not in r.stderr
    assert target.read_text() == "{}"


def test_json(tmp_path):
    r = toolkit("compare", str(SCENARIO), "--eob", str(EOB), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["option"] == "spravato" and data["forecast_before"] == 1310.0
    assert {d["key"] for d in data["differences"]} >= {"plan.in_network.coinsurance_pct", "prices.spravato_device"}
    assert data["lines"][0]["allowed_actual"] == 780.0 and data["lines"][0]["refit_matches_eob"] is True


def test_a_bad_eob_is_one_clear_message(tmp_path):
    bad = tmp_path / "eob.csv"
    bad.write_text(EOB.read_text().replace("no,\n2026", "no,\n2026", 1).replace("99214,250.00", "99214,"), encoding="utf-8")
    r = toolkit("compare", str(SCENARIO), "--eob", str(bad), cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: row 6, column")
    ids = tmp_path / "ids.csv"
    ids.write_text("member_id," + EOB.read_text().splitlines()[3] + "\n", encoding="utf-8")
    r = toolkit("compare", str(SCENARIO), "--eob", str(ids), cwd=tmp_path)
    assert r.returncode == 2 and "row 1, column member_id: looks like an identifier" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eob.csv", "ids.csv"]


def test_eob_options_need_an_eob(tmp_path):
    r = toolkit("compare", "--keep", "x", cwd=tmp_path)
    assert r.returncode == 2 and "go with --eob" in r.stderr


def test_a_denied_eob_shows_the_paths_after(tmp_path):
    eob = tmp_path / "denied.csv"
    head = EOB.read_text().splitlines()[3]
    eob.write_text(head + "\n2026-12-07,J0013,1100.00,0.00,0.00,0.00,0.00,0.00,0.00,yes,CO-197\n", encoding="utf-8")
    r = toolkit("compare", str(SCENARIO), "--eob", str(eob), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "denied CO-197" in r.stdout and "the EOB implies denied at the first request" in r.stdout
    assert "other paths after the EOB: denied, then approved on appeal" in r.stdout
    assert "approved at the first request (0%)" not in r.stdout
