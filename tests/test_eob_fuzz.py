"""Fuzzing the EOB entry points: any file gives rows or one clear message naming row and column; a re-fit never breaks.

Marked ``fuzz`` like tests/test_fuzz.py; ``TOOLKIT_FUZZ_CASES`` raises the number of cases.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import compare, load_example
from toolkit.eob import COLUMNS, EOBError, read_eob_text, refit

from fuzzing import fuzz_settings

pytestmark = pytest.mark.fuzz

HEAD = list(COLUMNS)
GOOD = [["2026-12-07", "J0013", "1100.00", "780.00", "288.00", "300.00", "192.00", "0.00", "492.00", "no", ""],
        ["2026-12-07", "99214", "250.00", "190.00", "150.00", "0.00", "0.00", "40.00", "40.00", "no", ""]]
CELLS = st.text(max_size=10) | st.sampled_from(["", "0", "-1", "1e400", "NaN", "$1,100.00", "yes", "no", "CO-50", "99214", "J0013",
                                                "2026-12-10", "12/07/2026", "123-45-6789", "a@b.org", "0.001", "999999999", '"', ",", "\n"])
_SCENARIO = load_example("commercial_ppo_trd")
_BEFORE: dict = {}


def _text(rows: list[list[str]], head: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue()


@fuzz_settings(derandomize=True)
@given(edits=st.lists(st.tuples(st.integers(0, 1), st.integers(0, len(HEAD) - 1), CELLS), max_size=4),
       head_edit=st.none() | st.tuples(st.integers(0, len(HEAD) - 1), st.sampled_from(["member_id", "Name", "claim_no", "", "copay", "notes"])),
       raw=st.none() | st.text(max_size=200))
def test_fuzz_eob_reader(edits, head_edit, raw):
    rows = [list(r) for r in GOOD]
    head = list(HEAD)
    for i, j, v in edits:
        rows[i][j] = v
    if head_edit:
        head[head_edit[0]] = head_edit[1]
    text = raw if raw is not None else _text(rows, head)
    try:
        out = read_eob_text(text, "fuzz.csv")
    except EOBError as exc:
        assert exc.problems and str(exc).startswith("fuzz.csv: ")
        for row, column, msg in exc.problems:
            assert msg and (row is None or row >= 1)
        assert "123-45-6789" not in str(exc) and "a@b.org" not in str(exc)
        return
    for r in out:
        assert r.plan_paid + r.cost_share == r.allowed or r.denied
        assert 0 <= r.allowed <= r.billed and r.patient_responsibility >= r.cost_share


@fuzz_settings(default=25, derandomize=True)
@given(edits=st.lists(st.tuples(st.integers(0, 1), st.sampled_from([2, 3, 5, 6, 7]), st.decimals(0, 2000, places=2).map(str)), max_size=3),
       denied=st.booleans())
def test_fuzz_refit(edits, denied):
    rows = [list(r) for r in GOOD]
    for i, j, v in edits:
        rows[i][j] = v
    for r in rows:  # keep the sums an EOB satisfies, so the re-fit itself is what is fuzzed
        billed, allowed, ded, coins, copay = (int(round(float(x) * 100)) for x in (r[2], r[3], r[5], r[6], r[7]))
        allowed = min(allowed, billed)
        share = min(ded + coins + copay, allowed)
        ded = min(ded, share)
        coins = min(coins, share - ded)
        copay = share - ded - coins
        r[3], r[4], r[5], r[6], r[7], r[8] = (f"{c / 100:.2f}" for c in (allowed, allowed - share, ded, coins, copay, share))
    if denied:
        rows[0][3:9] = ["0.00"] * 6
        rows[0][9], rows[0][10] = "yes", "CO-50"
    if "comp" not in _BEFORE:
        _BEFORE["comp"] = compare(_SCENARIO)
    original = _SCENARIO.model_dump()
    try:
        r = refit(_SCENARIO, read_eob_text(_text(rows, HEAD)), before=_BEFORE["comp"])
    except EOBError as exc:  # e.g. a row's date no longer matches a forecast line
        assert str(exc)
        return
    assert _SCENARIO.model_dump() == original
    assert r.forecast_after() >= 0 and r.forecast_before() >= 0
    for a in r.after.options[r.option].run("approved").lines:
        assert a.net >= 0 and a.plan_pays >= 0 and a.patient_pays >= 0
