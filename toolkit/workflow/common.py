"""Shared pieces of the coverage workflow: messages, dates, figures, templates, notices.

Why a separate figures table: the workflow needs a few figures the engine does not
(reminder lead time, how long a prior authorization lasts, what a superbill must show).
They live in ``data/workflow.csv`` with the same columns as ``data/rules.csv`` and the same
validator (``toolkit.datasets._read_parameters``), so every figure still carries its source,
date and reliability. :func:`figure` looks in the loaded dataset first (which reads
``workflow.csv`` as an optional parameter table) and falls back to reading the file here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import CRISIS_LINE, DISCLAIMER
from ..datasets import DataError, Dataset, SourcedValue, _read_parameters, dataset, default_data_dir

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
WORKFLOW_TABLE = "workflow.csv"

NOT_LEGAL_ADVICE = (
    "Decision support, not legal or medical advice. Deadlines and rules vary by plan and state: "
    "follow the dates printed on the plan's letters, and ask the plan, the state insurance "
    "department or a benefits counsellor when in doubt."
)
PRIVACY_NOTE = (
    "Nothing here holds a name, birth date, member ID, address, phone number or email: "
    "the toolkit never asks for them. Files are written only where you choose to save them."
)

__all__ = ["CRISIS_LINE", "DISCLAIMER", "NOT_LEGAL_ADVICE", "PRIVACY_NOTE", "WorkflowError", "figure", "parse_date", "render"]


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


def format_day(day: date) -> str:
    """Dates for people: ``Mon 15 Mar 2027`` (weekday helps spot weekend deadlines).

    >>> format_day(date(2027, 3, 15))
    'Mon 15 Mar 2027'
    """
    return f"{day:%a} {day.day} {day:%b %Y}"


# ------------------------------------------------------------------------------ figures


@lru_cache(maxsize=4)
def _workflow_table(path: str, stamp: int, known: tuple[tuple[str, str], ...]) -> dict[str, SourcedValue]:
    seen = dict(known)
    values, problems = _read_parameters(Path(path), {}, seen)
    if problems:
        raise DataError(problems)
    return {v.id: v for v in values}


def workflow_values(ds: Dataset | None = None) -> dict[str, SourcedValue]:
    """Rows of ``data/workflow.csv``, validated like the engine's tables (cached by file time).

    When the dataset loader already reads ``workflow.csv`` (it lists it among its optional
    parameter tables), its rows are used as they are; otherwise the file is read here with
    the same validator, refusing an id that another table already defines.
    """
    ds = ds or dataset()
    loaded = {k: v for k, v in ds.parameters.items() if v.source.table == WORKFLOW_TABLE}
    if loaded:
        return loaded
    path = Path(ds.directory) / WORKFLOW_TABLE
    if not path.exists():
        path = default_data_dir() / WORKFLOW_TABLE
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    known = tuple(sorted((k, f"data/{v.source.table}") for k, v in ds.parameters.items()))
    return _workflow_table(str(path), stamp, known)


def figure(key: str, ds: Dataset | None = None) -> SourcedValue:
    """A sourced figure from the engine's tables (``rules.csv`` ...) or ``data/workflow.csv``."""
    ds = ds or dataset()
    if key in ds.parameters:
        return ds.parameters[key]
    table = workflow_values(ds)
    if key in table:
        return table[key]
    raise KeyError(f"data row '{key}' is missing from data/ (rules.csv or workflow.csv)")


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


# ---------------------------------------------------------------------------- templates


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = format_day
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the workflow templates in ``toolkit/templates``, with the notices."""
    context.setdefault("disclaimer", DISCLAIMER)
    context.setdefault("not_legal_advice", NOT_LEGAL_ADVICE)
    context.setdefault("crisis_line", CRISIS_LINE)
    context.setdefault("privacy_note", PRIVACY_NOTE)
    return environment().get_template(template).render(**context)


def html_document(title: str, fragment: str) -> str:
    """Wrap an HTML fragment into a printable stand-alone page (no scripts, no remote files)."""
    from html import escape

    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head>\n<body>\n{fragment}\n</body></html>\n"
    )


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
