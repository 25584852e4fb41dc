"""Bad EOB files: a clear message naming the file, row and column, and nothing read or changed."""

from __future__ import annotations

import pytest

from toolkit.eob import EOBError, read_eob, read_eob_text
from toolkit.eob.reader import COLUMNS

HEAD = ",".join(COLUMNS)
GOOD = "2026-12-07,J0013,1100.00,780.00,288.00,300.00,192.00,0.00,492.00,no,"


def with_cell(column: str, value: str) -> str:
    cells = GOOD.split(",")
    cells[COLUMNS.index(column)] = value
    return HEAD + "\n" + ",".join(cells) + "\n"


BAD = [
    # (what, text, the words the message must hold)
    ("an identifier column", HEAD + ",member_id\n" + GOOD + ",W123\n", ["row 1", "member_id", "identifier"]),
    ("a claim number column", "claim number," + HEAD + "\nA1," + GOOD + "\n", ["row 1", "claim number", "identifier"]),
    ("a patient name column", HEAD + ",patient_name\n" + GOOD + ",x\n", ["row 1", "patient_name", "identifier"]),
    ("a date of birth column", "DOB," + HEAD + "\n1980-01-01," + GOOD + "\n", ["row 1", "DOB", "identifier"]),
    ("an unknown column", HEAD + ",remarks\n" + GOOD + ",x\n", ["row 1", "remarks", "not a column"]),
    ("a missing column", HEAD.replace(",copay", "") + "\n" + GOOD.replace("0.00,492", "492") + "\n", ["row 1", "column copay", "missing"]),
    ("an ID number in a cell", with_cell("denial_reason", "123456789"), ["row 2", "denial_reason", "identifier"]),
    ("an SSN as the code", with_cell("code", "123-45-6789"), ["row 2", "column code", "identifier"]),
    ("an email in a cell", with_cell("denial_reason", "a@b.org"), ["row 2", "denial_reason", "identifier"]),
    ("free text as the reason", with_cell("denial_reason", "Jane Doe appeal"), ["row 2", "denial_reason", "reason code only"]),
    ("half-filled: no allowed", with_cell("allowed", ""), ["row 2", "column allowed", "is empty"]),
    ("half-filled: a short row", HEAD + "\n2026-12-07,J0013,1100.00\n", ["row 2", "column allowed", "is empty"]),
    ("not a number", with_cell("billed", "lots"), ["row 2", "column billed", "not a number"]),
    ("negative", with_cell("copay", "-5"), ["row 2", "column copay", "negative"]),
    ("not a date", with_cell("date_of_service", "2026-13-01"), ["row 2", "column date_of_service", "YYYY-MM-DD"]),
    ("not a code", with_cell("code", "J13"), ["row 2", "column code", "5 letters or digits"]),
    ("denied neither yes nor no", with_cell("denied", "maybe"), ["row 2", "column denied", "yes or no"]),
    ("the sums do not add up", with_cell("plan_paid", "388.00"), ["row 2", "column plan_paid", "allowed is $780.00"]),
    ("allowed above billed", with_cell("billed", "700.00"), ["row 2", "column allowed", "more than billed"]),
    ("a denied line paid", with_cell("denied", "yes"), ["row 2", "column plan_paid", "denied line"]),
    ("too many cells", HEAD + "\n" + GOOD + ",extra\n", ["row 2", "cells"]),
    ("empty file", "", ["is empty"]),
    ("only a header", HEAD + "\n", ["row 2", "no claim lines"]),
]


@pytest.mark.parametrize("what, text, words", BAD, ids=[b[0] for b in BAD])
def test_bad_files_name_row_and_column(what, text, words):
    with pytest.raises(EOBError) as info:
        read_eob_text(text, "first-eob.csv")
    msg = str(info.value)
    assert msg.startswith("first-eob.csv: ")
    for w in words:
        assert w in msg, (w, msg)
    for secret in ("123456789", "123-45-6789", "a@b.org"):
        assert secret not in msg  # an identifier is never echoed back


def test_every_problem_in_one_message():
    text = HEAD + "\n" + GOOD.replace("1100.00", "abc") + "\n" + GOOD.replace("J0013", "J13") + "\n"
    with pytest.raises(EOBError) as info:
        read_eob_text(text)
    assert [(r, c) for r, c, _ in info.value.problems] == [(2, "billed"), (3, "code")]


def test_notes_are_skipped_but_counted():
    rows = read_eob_text("# an example, invented\n" + HEAD + "\n" + GOOD + "\n")
    assert [r.row for r in rows] == [3]
    assert rows[0].allowed == 78000 and rows[0].cost_share == 49200


def test_us_dates_and_yes_no_words():
    rows = read_eob_text(with_cell("date_of_service", "12/07/2026").replace(",no,", ",No,"))
    assert str(rows[0].day) == "2026-12-07" and rows[0].denied is False


def test_files(tmp_path):
    with pytest.raises(EOBError, match="file not found"):
        read_eob(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(EOBError, match="not a text"):
        read_eob(tmp_path / "bin.csv")
    with pytest.raises(EOBError, match="folder"):
        read_eob(tmp_path)


def test_the_example_file_reads():
    from pathlib import Path

    rows = read_eob(Path(__file__).resolve().parent.parent / "data" / "examples" / "eob_commercial_ppo_trd.csv")
    assert len(rows) == 2 and {r.code for r in rows} == {"J0013", "99214"}
