"""Read an explanation of benefits (EOB) typed into a CSV file: one validated row per claim line.

Why a strict reader: an EOB is the most identifying paper a patient owns (member ID, claim
number, name, birth date). The toolkit reads only the money and the codes, so a column or a
value that looks like an identifier is refused, and every problem names the file, the row
(as a spreadsheet numbers it: the header is row 1; lines starting with ``#`` are
notes, skipped but counted) and the column. Reading changes nothing:
the rows are returned, or :class:`EOBError` is raised with every problem found.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from ..amounts import Dollars, _Model
from ..money import Cents, fmt, to_cents

COLUMNS = ("date_of_service", "code", "billed", "allowed", "plan_paid", "deductible", "coinsurance", "copay",
           "patient_responsibility", "denied", "denial_reason")
OPTIONAL = {"denial_reason"}
MAX_ROWS = 500
# column names that carry an identifier: the toolkit never reads or stores them
_ID_COLUMN = re.compile(
    r"(member|subscriber|claim.?(no|num|number|id|#)|^claim$|name|dob|birth|ssn|social|policy|group|account|"
    r"address|phone|email|zip|mrn|record|patient.?id|(^|_)id$|^id(_|$)|insured|beneficiary|npi|tax)")
_DIGIT_RUNS = re.compile(r"\d[\d\s().-]*\d")
# denial reason codes as EOBs print them: a group code (CO, PR, OA, PI, CR) and a claim adjustment
# reason code, or a remittance remark code (N130, M15); free text is refused (it could carry a name)
_REASON = re.compile(r"^((CO|PR|OA|PI|CR)[- ]?)?[A-Z]?\d{1,4}$")
_CODE = re.compile(r"^[A-Z0-9]{5}$")
_YES = {"yes", "y", "true", "1", "denied"}
_NO = {"no", "n", "false", "0", "paid", ""}


class EOBError(ValueError):
    """Bad EOB input: every problem as (row, column, message); nothing was read or changed."""

    def __init__(self, problems: list[tuple[int | None, str, str]], source: str = "EOB"):
        self.problems = problems
        self.source = source
        parts = [f"{'' if row is None else f'row {row}, '}column {col}: {msg}" if col else (f"row {row}: {msg}" if row else msg)
                 for row, col, msg in problems]
        super().__init__(f"{source}: " + "; ".join(parts))


@dataclass(frozen=True)
class EOBRow:
    """One claim line as the plan adjudicated it (cents). ``row`` is the file's row number."""

    row: int
    day: date
    code: str
    billed: Cents
    allowed: Cents
    plan_paid: Cents
    deductible: Cents
    coinsurance: Cents
    copay: Cents
    patient_responsibility: Cents
    denied: bool
    denial_reason: str = ""

    @property
    def cost_share(self) -> Cents:
        """Deductible + coinsurance + copay: what counts toward the out-of-pocket maximum."""
        return self.deductible + self.coinsurance + self.copay


class _RowIn(_Model):
    """The typed cells of one row, before the checks between columns."""

    date_of_service: date
    code: str = Field(min_length=1)
    billed: Dollars
    allowed: Dollars
    plan_paid: Dollars
    deductible: Dollars
    coinsurance: Dollars
    copay: Dollars
    patient_responsibility: Dollars
    denied: bool
    denial_reason: str = ""

    @field_validator("date_of_service", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        """YYYY-MM-DD, or MM/DD/YYYY as most EOBs print it."""
        text = str(value).strip()
        for form in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                return datetime.strptime(text, form).date()
            except ValueError:
                pass
        raise ValueError("date_of_service: must be a real date written YYYY-MM-DD (or MM/DD/YYYY)")

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        text = str(value).strip().upper()
        if not _CODE.match(text):
            raise ValueError("code: must be a billing code of 5 letters or digits, e.g. J0013 or 99214")
        return text

    @field_validator("denied", mode="before")
    @classmethod
    def _denied(cls, value: Any) -> Any:
        text = str(value).strip().lower()
        if text in _YES:
            return True
        if text in _NO and text:
            return False
        raise ValueError("denied: write yes or no")

    @field_validator("denial_reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> Any:
        text = str(value or "").strip().upper()
        if text and not _REASON.match(text):
            raise ValueError("denial_reason: write the reason code only, e.g. CO-50, PR-204 or N130 (no free text)")
        return text


def looks_like_identifier(text: str) -> bool:
    """An ``@``, or 7 or more digits in one run once dates are set aside (member IDs, claim numbers, SSNs, phones).

    >>> looks_like_identifier("2026-12-07"), looks_like_identifier("123-45-6789"), looks_like_identifier("1,100.00")
    (False, True, False)
    """
    if "@" in text:
        return True
    rest = re.sub(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b", " ", text)
    rest = re.sub(r"\$?\d{1,3}(,\d{3})+(\.\d{1,2})?|\$?\d+\.\d{1,2}\b", " ", rest)  # amounts with cents or thousands
    return any(sum(ch.isdigit() for ch in m.group()) >= 7 for m in _DIGIT_RUNS.finditer(rest))


def _header(fields: list[str]) -> tuple[list[str], list[tuple[int | None, str, str]]]:
    names = [f.strip().lower().replace(" ", "_") for f in fields]
    problems: list[tuple[int | None, str, str]] = []
    for raw, name in zip(fields, names):
        if not name:
            problems.append((1, "(blank)", "a column has no name; remove it"))
        elif _ID_COLUMN.search(name) and name not in COLUMNS:
            problems.append((1, raw.strip(), "looks like an identifier; the toolkit reads no member ID, claim number, name or "
                                             "birth date: delete this column and try again"))
        elif name not in COLUMNS:
            problems.append((1, raw.strip(), f"is not a column the toolkit reads (it reads: {', '.join(COLUMNS)})"))
    for col in COLUMNS:
        if col not in names and col not in OPTIONAL:
            problems.append((1, col, "missing: every EOB file has this column (write 0 where the EOB shows nothing)"))
        elif names.count(col) > 1:
            problems.append((1, col, "appears twice"))
    return names, problems


def _row_problems(n: int, cells: dict[str, str]) -> tuple[EOBRow | None, list[tuple[int | None, str, str]]]:
    from ..scenario import (
        _explain,  # the one translation of pydantic's messages into plain words
    )

    problems: list[tuple[int | None, str, str]] = []
    for col, value in cells.items():
        if value and looks_like_identifier(value):
            problems.append((n, col, "looks like an identifier (an ID or claim number, a phone or an email): the toolkit "
                                     "stores none; remove it"))
    if problems:
        return None, problems
    for col in COLUMNS:
        if col not in OPTIONAL and not cells.get(col, "").strip():
            problems.append((n, col, "is empty: copy it from the EOB (write 0 where the EOB shows nothing)"))
    if problems:
        return None, problems
    try:
        r = _RowIn.model_validate({k: v for k, v in cells.items() if k in COLUMNS})
    except ValidationError as exc:
        return None, [(n, field.split(".")[0], msg) for field, msg in (_explain(e) for e in exc.errors())]
    c = {k: to_cents(getattr(r, k)) for k in ("billed", "allowed", "plan_paid", "deductible", "coinsurance", "copay", "patient_responsibility")}
    row = EOBRow(n, r.date_of_service, r.code, c["billed"], c["allowed"], c["plan_paid"], c["deductible"], c["coinsurance"],
                 c["copay"], c["patient_responsibility"], r.denied, r.denial_reason)
    return row, check_row(row)


def check_row(r: EOBRow) -> list[tuple[int | None, str, str]]:
    """The sums an EOB line always satisfies; a typo breaks one of them.

    Rules: allowed is at most billed; on a paid line, plan paid + deductible + coinsurance +
    copay equals allowed; the patient's responsibility is at least deductible + coinsurance +
    copay (more when the clinic may bill the rest of an out-of-network charge); a denied line
    has no plan payment; a denial reason goes with a denied line.
    """
    out: list[tuple[int | None, str, str]] = []
    n = r.row
    if r.allowed > r.billed:
        out.append((n, "allowed", f"{fmt(r.allowed)} is more than billed {fmt(r.billed)}"))
    if r.denied:
        if r.plan_paid:
            out.append((n, "plan_paid", "a denied line has no plan payment: set denied to no, or plan_paid to 0"))
    elif r.plan_paid + r.cost_share != r.allowed:
        out.append((n, "plan_paid", f"plan paid + deductible + coinsurance + copay is {fmt(r.plan_paid + r.cost_share)}, "
                                    f"but allowed is {fmt(r.allowed)}: check these four columns against the EOB"))
    if r.patient_responsibility < r.cost_share:
        out.append((n, "patient_responsibility", f"{fmt(r.patient_responsibility)} is less than deductible + coinsurance + "
                                                 f"copay ({fmt(r.cost_share)})"))
    if r.denial_reason and not r.denied:
        out.append((n, "denial_reason", "a reason is given but denied is no: set denied to yes, or clear the reason"))
    return out


def read_eob_text(text: str, source: str = "EOB") -> list[EOBRow]:
    """Rows from CSV text, or :class:`EOBError` naming the source, row and column of every problem."""
    if not text.strip():
        raise EOBError([(None, "", "is empty: the first row names the columns, then one row per claim line")], source)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        table = [row for row in reader]
    except csv.Error as exc:
        raise EOBError([(reader.line_num, "", f"is not valid CSV ({exc})")], source) from None
    numbered = [(i + 1, cells) for i, cells in enumerate(table) if not (cells and cells[0].lstrip().startswith("#"))]
    if not numbered:
        raise EOBError([(None, "", "has no header row naming the columns")], source)
    head_row, head = numbered[0]
    names, problems = _header(head)
    if problems:
        raise EOBError([(head_row if r == 1 else r, c, m) for r, c, m in problems], source)
    rows: list[EOBRow] = []
    body = [(n, cells) for n, cells in numbered[1:] if any(c.strip() for c in cells)]
    if not body:
        raise EOBError([(head_row + 1, "", "no claim lines: add one row per line of the EOB")], source)
    if len(body) > MAX_ROWS:
        raise EOBError([(body[MAX_ROWS][0], "", f"too many rows (at most {MAX_ROWS} claim lines)")], source)
    for n, cells in body:
        if len(cells) > len(names):
            problems.append((n, "", f"has {len(cells)} cells but the header names {len(names)} columns"))
            continue
        row, found = _row_problems(n, {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(names)})
        problems += found
        if row is not None and not found:
            rows.append(row)
    if problems:
        raise EOBError(problems, source)
    return rows


def read_eob(path: str | Path) -> list[EOBRow]:
    """Rows from an EOB CSV file; a missing, unreadable or malformed file is one :class:`EOBError`."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EOBError([(None, "", "file not found")], name) from None
    except IsADirectoryError:
        raise EOBError([(None, "", "is a folder, not an EOB file")], name) from None
    except UnicodeDecodeError:
        raise EOBError([(None, "", "is not a text (UTF-8) CSV file")], name) from None
    except (OSError, ValueError) as exc:
        raise EOBError([(None, "", f"cannot be read ({getattr(exc, 'strerror', None) or exc})")], name) from None
    return read_eob_text(text, name)
