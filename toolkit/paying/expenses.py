"""Expense tracker: what was paid, what came back, and from which account.

Why keep it here: at tax time, and when an HSA or FSA administrator or the insurer asks for
proof, the patient needs one list with the date, the amount and what each payment was for.
Totals by year show what was paid out of pocket, what was reimbursed, and how much went
through an HSA or FSA (which cannot also be claimed as a medical deduction).

Rules:

- A row is ``date, amount, what for, kind (payment or reimbursement), paid from (HSA, FSA
  or other)``. Amounts are exact cents.
- A half-filled row is never thrown away: it is kept as a draft with a message naming the
  missing or wrong field, and can be completed later. Exports contain complete rows only
  and say how many drafts were left out.
- No identifiers: "what for" describes the service ("IV infusion 3", "Spravato session
  12"), not the person. Text that looks like an email address, a phone number or an ID
  number is refused with a message.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ..money import Cents, fmt, to_cents
from ..scenario import read_money

KINDS = {"payment": "Payment", "reimbursement": "Reimbursement"}
ACCOUNTS = {"hsa": "HSA", "fsa": "FSA", "other": "Other (not HSA/FSA)"}
COLUMNS = ("date", "amount", "what_for", "kind", "paid_from")
COLUMN_LABELS = {"date": "Date", "amount": "Amount ($)", "what_for": "What for", "kind": "Payment or reimbursement", "paid_from": "Paid from"}
_DATES = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_DIGIT_RUNS = re.compile(r"\d[\d\s().-]*\d")


def looks_identifying(text: str) -> bool:
    """True for text that looks like an email address or a phone, member or ID number.

    Rule: an ``@``, or 7 or more digits in one run (spaces, dots, dashes and brackets
    allowed between them), after dates are set aside.

    >>> looks_identifying("IV infusion 3 on 2027-01-04"), looks_identifying("call 612 555 0199")
    (False, True)
    """
    if "@" in text:
        return True
    rest = _DATES.sub(" ", text)
    return any(sum(ch.isdigit() for ch in m.group()) >= 7 for m in _DIGIT_RUNS.finditer(rest))


class ExpenseError(ValueError):
    """A problem with one row: names the row and the field."""


@dataclass(frozen=True)
class Expense:
    day: date
    amount: Cents
    what_for: str
    kind: str = "payment"
    paid_from: str = "other"

    @property
    def signed(self) -> Cents:
        """Out of pocket: payments count up, reimbursements count down."""
        return self.amount if self.kind == "payment" else -self.amount


def parse_row(row: dict[str, Any]) -> Expense:
    """One row from a form or a CSV file, or :class:`ExpenseError` naming each bad field.

    >>> parse_row({"date": "2027-01-04", "amount": "$1,050.00", "what_for": "Spravato session 1"})
    Expense(day=datetime.date(2027, 1, 4), amount=105000, what_for='Spravato session 1', kind='payment', paid_from='other')
    >>> parse_row({"date": "2027-01-04", "what_for": "IV infusion 2"})
    Traceback (most recent call last):
    ...
    toolkit.paying.expenses.ExpenseError: Amount ($): missing
    """
    problems = []
    raw_day = row.get("date")
    day = None
    if isinstance(raw_day, date):
        day = raw_day
    elif raw_day is None or str(raw_day).strip() == "":
        problems.append(("date", "missing"))
    else:
        try:
            day = date.fromisoformat(str(raw_day).strip())
        except ValueError:
            problems.append(("date", f"'{raw_day}' is not a date written YYYY-MM-DD"))
    raw_amount = row.get("amount")
    amount = None
    if raw_amount is None or str(raw_amount).strip() == "":
        problems.append(("amount", "missing"))
    else:
        try:
            value = read_money(str(raw_amount))
        except ValueError as exc:
            problems.append(("amount", str(exc)))
        else:
            if value <= 0:
                problems.append(("amount", "must be more than 0 (choose 'reimbursement' for money coming back)"))
            elif value.as_tuple().exponent < -2:  # type: ignore[operator]
                problems.append(("amount", "use at most 2 decimal places (cents)"))
            elif value > 1_000_000:
                problems.append(("amount", "is too large"))
            else:
                amount = to_cents(value)
    what = str(row.get("what_for") or "").strip()
    if not what:
        problems.append(("what_for", "missing: say what the payment was for (e.g. IV infusion 3)"))
    elif len(what) > 120:
        problems.append(("what_for", "is too long (at most 120 characters)"))
    elif looks_identifying(what):
        problems.append(("what_for", "looks like an email address, phone or ID number: describe the service only, no identifiers"))
    kind = str(row.get("kind") or "payment").strip().lower()
    if kind not in KINDS:
        problems.append(("kind", "must be payment or reimbursement"))
    paid_from = str(row.get("paid_from") or "other").strip().lower()
    if paid_from not in ACCOUNTS:
        problems.append(("paid_from", "must be hsa, fsa or other"))
    if problems:
        raise ExpenseError("; ".join(f"{COLUMN_LABELS[f]}: {m}" for f, m in problems))
    return Expense(day, amount, what, kind, paid_from)  # type: ignore[arg-type]


@dataclass
class ExpenseLog:
    """Complete rows (``entries``) and half-filled ones kept as drafts (``drafts``)."""

    entries: list[Expense] = field(default_factory=list)
    drafts: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> str:
        """Add a row; a bad or half-filled row is kept as a draft. Returns a message for the screen.

        >>> log = ExpenseLog()
        >>> log.add({"date": "2027-01-04", "amount": "600", "what_for": "IV infusion 1", "paid_from": "hsa"})
        'Added: 2027-01-04, $600.00, IV infusion 1.'
        >>> log.add({"date": "2027-01-07", "what_for": "IV infusion 2"})
        'Kept as a draft (nothing lost), please complete it: Amount ($): missing'
        >>> len(log.entries), len(log.drafts)
        (1, 1)
        """
        try:
            e = parse_row(row)
        except ExpenseError as exc:
            self.drafts.append((dict(row), str(exc)))
            return f"Kept as a draft (nothing lost), please complete it: {exc}"
        self.entries.append(e)
        self.entries.sort(key=lambda x: x.day)
        return f"Added: {e.day.isoformat()}, {fmt(e.amount)}, {e.what_for}."

    def add_reimbursements(self, rows: Any) -> list[str]:
        """Reimbursements from EOB rows the plan paid back to the patient (a superbill's lines).

        Rule: one reimbursement per row with a plan payment, dated on the date of service,
        "what for" naming the code; a row already in the log (same date, amount and words)
        is not added twice. ``rows`` are :class:`toolkit.eob.EOBRow`-like (``day``, ``code``,
        ``plan_paid`` in cents), e.g. ``Refit.reimbursement_rows()``.

        >>> from types import SimpleNamespace as Row
        >>> log = ExpenseLog()
        >>> log.add_reimbursements([Row(day=date(2026, 12, 7), code="96365", plan_paid=17100)])
        ['Added: 2026-12-07, $171.00, Plan reimbursement for 96365 (EOB).']
        >>> log.add_reimbursements([Row(day=date(2026, 12, 7), code="96365", plan_paid=17100)])
        ['Already in the list: 2026-12-07, $171.00, Plan reimbursement for 96365 (EOB).']
        """
        out = []
        for r in rows:
            if not r.plan_paid:
                continue
            row = {"date": r.day.isoformat(), "amount": f"{r.plan_paid / 100:.2f}", "what_for": f"Plan reimbursement for {r.code} (EOB)",
                   "kind": "reimbursement"}
            if any(e.day == r.day and e.amount == r.plan_paid and e.what_for == row["what_for"] and e.kind == "reimbursement" for e in self.entries):
                out.append(f"Already in the list: {row['date']}, {fmt(r.plan_paid)}, {row['what_for']}.")
                continue
            out.append(self.add(row))
        return out

    def complete_draft(self, index: int, row: dict[str, Any]) -> str:
        """Replace draft ``index`` with a completed row (kept as a draft again if still incomplete)."""
        if not 0 <= index < len(self.drafts):
            raise ExpenseError(f"Draft {index + 1}: there is no such draft")
        del self.drafts[index]
        return self.add(row)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"date": e.day, "amount": e.amount / 100, "what for": e.what_for, "kind": e.kind, "paid from": ACCOUNTS[e.paid_from]} for e in self.entries],
            columns=["date", "amount", "what for", "kind", "paid from"],
        )

    def totals_by_year(self) -> pd.DataFrame:
        """Per calendar year: paid, reimbursed, net out of pocket, and paid through an HSA or FSA.

        >>> log = ExpenseLog()
        >>> for r in ({"date": "2026-12-07", "amount": "950", "what_for": "IV infusion 1"},
        ...           {"date": "2027-01-04", "amount": "600", "what_for": "IV infusion 2", "paid_from": "hsa"},
        ...           {"date": "2027-02-20", "amount": "96", "what_for": "Superbill reimbursement", "kind": "reimbursement"}):
        ...     _ = log.add(r)
        >>> log.totals_by_year().to_dict("records")[1]
        {'year': 2027, 'paid': 600.0, 'reimbursed': 96.0, 'net out of pocket': 504.0, 'paid from HSA': 600.0, 'paid from FSA': 0.0}
        """
        years: dict[int, dict[str, Cents]] = {}
        for e in self.entries:
            y = years.setdefault(e.day.year, {"paid": 0, "reimbursed": 0, "hsa": 0, "fsa": 0})
            if e.kind == "payment":
                y["paid"] += e.amount
                if e.paid_from in ("hsa", "fsa"):
                    y[e.paid_from] += e.amount
            else:
                y["reimbursed"] += e.amount
        rows = [
            {"year": year, "paid": v["paid"] / 100, "reimbursed": v["reimbursed"] / 100, "net out of pocket": (v["paid"] - v["reimbursed"]) / 100,
             "paid from HSA": v["hsa"] / 100, "paid from FSA": v["fsa"] / 100}
            for year, v in sorted(years.items())
        ]
        return pd.DataFrame(rows, columns=["year", "paid", "reimbursed", "net out of pocket", "paid from HSA", "paid from FSA"])

    def to_csv(self) -> str:
        """Complete rows as CSV (for taxes and reimbursement claims), amounts with two decimals.

        >>> log = ExpenseLog()
        >>> _ = log.add({"date": "2027-01-04", "amount": "600", "what_for": "IV infusion 1, receipt 12", "paid_from": "fsa"})
        >>> print(log.to_csv().strip())
        date,amount,what_for,kind,paid_from
        2027-01-04,600.00,"IV infusion 1, receipt 12",payment,fsa
        """
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(COLUMNS)
        for e in self.entries:
            w.writerow([e.day.isoformat(), fmt(e.amount, plain=True).replace(",", ""), e.what_for, e.kind, e.paid_from])
        return out.getvalue()

    def export_note(self) -> str:
        n = len(self.drafts)
        return f"{len(self.entries)} complete rows exported." + (f" {n} draft row(s) not exported until completed." if n else "")

    @classmethod
    def from_csv(cls, text: str, source: str = "expenses.csv") -> "ExpenseLog":
        """Read a CSV written by :meth:`to_csv` (or a spreadsheet); bad rows become drafts, each with its row number.

        >>> log = ExpenseLog.from_csv("date,amount,what_for\\n2027-01-04,600,IV infusion 1\\n2027-01-07,,IV infusion 2\\n")
        >>> len(log.entries), log.drafts[0][1]
        (1, 'expenses.csv, row 3: Amount ($): missing')
        """
        log = cls()
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in ("date", "amount", "what_for") if c not in header]
        if missing:
            raise ExpenseError(f"{source}, row 1: missing column(s) {', '.join(missing)} (expected {','.join(COLUMNS)})")
        for i, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row = {h: (cells[j] if j < len(cells) else "") for j, h in enumerate(header)}
            try:
                log.entries.append(parse_row(row))
            except ExpenseError as exc:
                log.drafts.append((row, f"{source}, row {i}: {exc}"))
        log.entries.sort(key=lambda x: x.day)
        return log
