"""Expense tracker: exact totals by year, CSV out and back, and half-filled rows kept, not lost."""

from __future__ import annotations

import csv
import io

import pytest

from toolkit.paying.expenses import ExpenseError, ExpenseLog, looks_identifying, parse_row

ROWS = [
    {"date": "2026-12-07", "amount": "950.00", "what_for": "IV infusion 1 and consultation"},
    {"date": "2026-12-10", "amount": "570", "what_for": "IV infusion 2", "paid_from": "fsa"},
    {"date": "2027-01-04", "amount": "$1,050.10", "what_for": "Spravato session, self-pay", "paid_from": "hsa"},
    {"date": "2027-02-20", "amount": "96.35", "what_for": "Superbill reimbursement, infusion 1", "kind": "reimbursement"},
]


@pytest.fixture
def log():
    log = ExpenseLog()
    for r in ROWS:
        assert log.add(r).startswith("Added")
    return log


def test_totals_by_year_are_exact(log):
    t = log.totals_by_year().set_index("year")
    # 2026: 950.00 + 570.00 = 1,520.00 paid, 570.00 of it from the FSA
    assert t.loc[2026, "paid"] == 1520.00 and t.loc[2026, "paid from FSA"] == 570.00
    # 2027: 1,050.10 paid (HSA), 96.35 back: net 953.75
    assert t.loc[2027, "paid"] == 1050.10 and t.loc[2027, "reimbursed"] == 96.35
    assert t.loc[2027, "net out of pocket"] == 953.75 and t.loc[2027, "paid from HSA"] == 1050.10
    assert sum(e.signed for e in log.entries) == 95000 + 57000 + 105010 - 9635


def test_csv_export_and_round_trip(log):
    text = log.to_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["amount"] for r in rows] == ["950.00", "570.00", "1050.10", "96.35"]
    assert rows[0]["what_for"] == "IV infusion 1 and consultation"
    back = ExpenseLog.from_csv(text)
    assert back.entries == log.entries and back.drafts == []


def test_half_filled_row_is_kept_as_a_draft_with_a_clear_message(log):
    msg = log.add({"date": "2027-03-01", "what_for": "Spravato session 2"})
    assert msg.startswith("Kept as a draft (nothing lost)") and "Amount ($): missing" in msg
    assert len(log.drafts) == 1 and log.drafts[0][0]["what_for"] == "Spravato session 2"
    assert "1 draft row(s) not exported" in log.export_note()
    assert "Spravato session 2" not in log.to_csv()
    # completing it moves it into the log
    assert log.complete_draft(0, {"date": "2027-03-01", "amount": "40", "what_for": "Spravato session 2"}).startswith("Added")
    assert log.drafts == [] and len(log.entries) == 5


@pytest.mark.parametrize("row, words", [
    ({"amount": "10", "what_for": "x"}, "Date: missing"),
    ({"date": "03/01/2027", "amount": "10", "what_for": "x"}, "YYYY-MM-DD"),
    ({"date": "2027-03-01", "amount": "ten", "what_for": "x"}, "'ten' is not a number"),
    ({"date": "2027-03-01", "amount": "-10", "what_for": "x"}, "more than 0"),
    ({"date": "2027-03-01", "amount": "10.005", "what_for": "x"}, "2 decimal places"),
    ({"date": "2027-03-01", "amount": "10"}, "What for: missing"),
    ({"date": "2027-03-01", "amount": "10", "what_for": "x", "kind": "refund"}, "payment or reimbursement"),
    ({"date": "2027-03-01", "amount": "10", "what_for": "x", "paid_from": "ira"}, "hsa, fsa or other"),
    ({"date": "2027-03-01", "amount": "10", "what_for": "receipt for jo@example.com"}, "no identifiers"),
    ({"date": "2027-03-01", "amount": "10", "what_for": "member 123-456-7890"}, "no identifiers"),
])
def test_bad_rows_name_the_field(row, words):
    with pytest.raises(ExpenseError) as err:
        parse_row(row)
    assert words in str(err.value)


def test_dates_in_the_description_are_not_mistaken_for_identifiers():
    assert not looks_identifying("IV infusion 3 on 2027-01-04, paid 12/01/2026")
    assert looks_identifying("ID 12345678")


def test_import_keeps_bad_rows_as_drafts_with_row_numbers():
    text = "date,amount,what_for,kind,paid_from\n2027-01-04,600,IV infusion 1,payment,hsa\n\n2027-01-07,,IV infusion 2,payment,hsa\n"
    log = ExpenseLog.from_csv(text, "my-expenses.csv")
    assert len(log.entries) == 1
    assert log.drafts[0][1] == "my-expenses.csv, row 4: Amount ($): missing"
    with pytest.raises(ExpenseError, match="row 1: missing column"):
        ExpenseLog.from_csv("when,how much\n2027-01-01,5\n")


def test_tracker_widget_adds_rows_and_keeps_drafts():
    from toolkit.faces.explorers import expense_tracker

    w = expense_tracker()
    amount, what, message, table, link = w.amount, w.what, w.message, w.table, w.link
    amount.value, what.value = "600", "IV infusion 1"
    w.add_button.click()
    assert "Added" in message.value and "IV infusion 1" in table.value
    what.value = "IV infusion 2"  # no amount: kept as a draft
    w.add_button.click()
    assert "Kept as a draft" in message.value and "Drafts to complete" in table.value
    assert 'download="expenses.csv"' in link.value and "1 draft row(s) not exported" in link.value
