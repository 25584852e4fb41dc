"""Shared pieces of the coverage workflow: messages, dates, figures, templates, notices.

Why a separate figures table: the workflow needs a few figures the engine does not
(reminder lead time, how long a prior authorization lasts, what a superbill must show).
They live in ``data/workflow.csv``, a parameter table like ``data/rules.csv`` read by the
same loader, so every figure still carries its source, date and reliability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..data import Dataset, SourcedValue, dataset
from ..dates import format_day
from ..notices import CRISIS_LINE, DISCLAIMER, NOT_LEGAL_ADVICE
from ..templating import PRIVACY_NOTE, TEMPLATE_DIR, environment, html_document, render

__all__ = [
    "CRISIS_LINE", "DISCLAIMER", "NOT_LEGAL_ADVICE", "PRIVACY_NOTE", "TEMPLATE_DIR", "WorkflowError", "environment",
    "figure", "format_day", "html_document", "parse_date", "render",
]


class WorkflowError(ValueError):
    """Bad input to a workflow step: one plain message naming the field, never a traceback."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# ------------------------------------------------------------------------------- dates

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(
    value: Any,
    field: str,
    *,
    today: date | None = None,
    allow_future: bool = False,
    not_before: tuple[date, str] | None = None,
) -> date:
    """A date from a widget, a file or typed text, or a :class:`WorkflowError` naming ``field``.

    Accepts a ``date``, ``YYYY-MM-DD`` or the US form ``MM/DD/YYYY`` printed on most letters.

    >>> parse_date("2028-02-29", "denial date", today=date(2028, 3, 1))
    datetime.date(2028, 2, 29)
    >>> parse_date("02/29/2027", "denial date")
    Traceback (most recent call last):
    ...
    toolkit.workflow.common.WorkflowError: denial date: 02/29/2027 is not a real date (2027 has no 29 February)
    """
    today = today or date.today()
    if value is None or (isinstance(value, str) and not value.strip()):
        raise WorkflowError(field, "enter a date (YYYY-MM-DD), as printed on the letter")
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        m = _US_DATE.match(text)
        try:
            if m:
                month, dom, year = (int(g) for g in m.groups())
                day = date(year, month, dom)
            else:
                day = date.fromisoformat(text)
        except ValueError:
            raise WorkflowError(field, _why_not_a_date(text)) from None
    else:
        raise WorkflowError(field, "enter a date (YYYY-MM-DD)")
    if day.year < 1990:
        raise WorkflowError(field, f"{day.isoformat()} is too far in the past; check the year")
    if not allow_future and day > today:
        raise WorkflowError(field, f"{day.isoformat()} is after today ({today.isoformat()}); check the date")
    if not_before and day < not_before[0]:
        raise WorkflowError(field, f"{day.isoformat()} is before the {not_before[1]} ({not_before[0].isoformat()})")
    return day


def _why_not_a_date(text: str) -> str:
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text) or None
    parts = None
    if m:
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    else:
        us = _US_DATE.match(text)
        if us:
            parts = (int(us.group(3)), int(us.group(1)), int(us.group(2)))
    if parts:
        year, month, dom = parts
        if not 1 <= month <= 12:
            return f"{text} is not a real date (there is no month {month})"
        if month == 2 and dom == 29:
            return f"{text} is not a real date ({year} has no 29 February)"
        return f"{text} is not a real date (that month has no day {dom})"
    return f"'{text}' is not a date; write it as YYYY-MM-DD (for example 2027-03-15)"


# ------------------------------------------------------------------------------ figures


def workflow_values(ds: Dataset | None = None) -> dict[str, SourcedValue]:
    """Rows of ``data/workflow.csv`` (a parameter table like the others, validated on load)."""
    return (ds or dataset()).table("workflow.csv")


def figure(key: str, ds: Dataset | None = None) -> SourcedValue:
    """A sourced figure from the data tables (``rules.csv``, ``workflow.csv`` ...)."""
    return (ds or dataset()).value(key)


def days(key: str, ds: Dataset | None = None, level: str = "typical") -> int:
    return int(figure(key, ds).pick(level))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Cited:
    """A figure as shown beside a date: value, where it comes from, and any conflict."""

    id: str
    text: str
    cite: str
    conflict: str = ""


def cited(key: str, ds: Dataset | None = None) -> Cited:
    v = figure(key, ds)
    if v.unit == "list":
        text = v.text
    elif v.low == v.high:
        text = f"{v.typical:g} {v.unit}"
    else:
        text = f"{v.low:g} to {v.high:g} {v.unit} (toolkit uses {v.typical:g})"
    return Cited(key, text, f"{v.source.table}:{key}; {v.source.cite()}", v.source.conflict)


def write_text(path: str | Path, text: str) -> Path:
    """Write a rendered document where the user asked, creating no other file."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise WorkflowError("file", f"{p} is a folder; give a file name")
    if not p.parent.exists():
        raise WorkflowError("file", f"the folder {p.parent} does not exist")
    p.write_text(text, encoding="utf-8")
    return p


# ----------------------------------------------------------------------- identifiers

_IDENTIFIER_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "an email address"),
    (re.compile(r"(?<!\d)(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)"), "a phone number"),
    (re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)"), "a Social Security number"),
    (re.compile(r"\b(date of birth|d\.?o\.?b\.?|born on|member id|member number|subscriber id|policy holder|ssn)\b", re.I), "an identifier label"),
    (re.compile(r"\b(patient name|name of patient|mr\.|mrs\.|ms\.)\s", re.I), "a person's name"),
    (re.compile(r"(?<![\d.])\d{9,}(?![\d.])"), "a long ID number"),
)


def check_no_identifiers(text: str, field: str) -> str:
    """Refuse free text that looks like it holds an identifier (heuristic, stated as such).

    >>> check_no_identifiers("sertraline 200 mg for 10 weeks, no response", "trials")
    'sertraline 200 mg for 10 weeks, no response'
    >>> check_no_identifiers("call me at 555-123-4567", "notes")
    Traceback (most recent call last):
    ...
    toolkit.workflow.common.WorkflowError: notes: looks like it contains a phone number; leave identifiers to the prescriber's own records
    """
    for pattern, what in _IDENTIFIER_PATTERNS:
        if pattern.search(text or ""):
            raise WorkflowError(field, f"looks like it contains {what}; leave identifiers to the prescriber's own records")
    return text
