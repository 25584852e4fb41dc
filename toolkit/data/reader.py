"""Read one CSV the way a spreadsheet shows it, collecting every problem with its row number.

Why hand-written (not ``csv.DictReader`` or pandas): the people who edit these tables are
advisors with a spreadsheet, so a mistake must be reported as ``data/prices.csv, row 7,
column 'low': ...`` with the header counted as row 1, blank lines kept in the count, and
every bad cell named, not only the first. Every row's source travels with its figures.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

RELIABILITY = ("official", "payer policy", "peer-reviewed", "vendor", "clinic", "low", "assumption")
SOURCE_COLUMNS = ("source_title", "source_url", "as_of", "reliability")


class DataError(ValueError):
    """One or more problems in the data tables, each naming file, row and column."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        lines = [str(p) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more problems")
        super().__init__("The data tables have problems:\n  " + "\n  ".join(lines))


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Source:
    """Where a figure comes from; carried beside every number to the screen."""

    title: str
    url: str
    as_of: date
    reliability: str
    table: str
    row: int
    conflict: str = ""
    note: str = ""

    def cite(self) -> str:
        return f"{self.title} ({self.as_of:%b %Y}; {self.reliability})"

    @property
    def undated(self) -> bool:
        """The page carries no date: ``as_of`` is when it was retrieved, so its real age is unknown."""
        return "undated" in self.note.lower()


class TableReader:
    """Reads one CSV and collects problems with spreadsheet row numbers (header = row 1)."""

    def __init__(self, path: Path, required: Iterable[str]):
        self.path = path
        self.name = f"data/{path.name}"
        self.problems: list[Problem] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        if not path.exists():
            self.problems.append(Problem(self.name, None, None, "file is missing"))
            return
        try:
            # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte order mark
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.reader(fh)  # not DictReader: it skips blank lines, shifting row numbers
                header = next(reader, [])
                missing = [c for c in required if c not in header]
                for c in missing:
                    self.problems.append(Problem(self.name, 1, c, "required column is missing from the header"))
                if missing:
                    return
                for i, cells in enumerate(reader, start=2):
                    if len(cells) > len(header):
                        self.problems.append(Problem(self.name, i, None, "row has more cells than the header"))
                        continue
                    row = {k: (cells[j] if j < len(cells) else "").strip() for j, k in enumerate(header)}
                    if not any(row.values()):
                        continue
                    self.rows.append((i, row))
        except UnicodeDecodeError:
            self.problems.append(Problem(self.name, None, None, "file is not UTF-8 text"))
        except csv.Error as exc:
            self.problems.append(Problem(self.name, None, None, f"not a readable CSV file ({exc})"))

    def fail(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

    def failed(self, row: int) -> bool:
        return any(p.row == row for p in self.problems)

    def text(self, i: int, row: dict[str, str], col: str, *, required: bool = True) -> str:
        value = row.get(col, "")
        if required and not value:
            self.fail(i, col, "is empty; every row needs it")
        return value

    def choice(self, i: int, row: dict[str, str], col: str, allowed: Iterable[str]) -> str:
        value = row.get(col, "")
        allowed = tuple(allowed)
        if value not in allowed:
            self.fail(i, col, f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    def number(self, i: int, row: dict[str, str], col: str, *, required: bool = True) -> Decimal | None:
        value = row.get(col, "")
        if not value:
            if required:
                self.fail(i, col, "is empty; a number is needed")
            return None
        try:
            number = Decimal(value.replace(",", "").replace("$", ""))
        except InvalidOperation:
            self.fail(i, col, f"must be a number (got '{value}')")
            return None
        if not number.is_finite():
            self.fail(i, col, f"must be a finite number (got '{value}')")
            return None
        if number < 0:
            self.fail(i, col, f"must not be negative (got {value})")
        return number

    def source(self, i: int, row: dict[str, str]) -> Source | None:
        title = self.text(i, row, "source_title")
        url = self.text(i, row, "source_url")
        if url and not url.startswith(("http://", "https://")):
            self.fail(i, "source_url", f"must start with http:// or https:// (got '{url}')")
        raw_date = self.text(i, row, "as_of")
        as_of = None
        if raw_date:
            try:
                as_of = date.fromisoformat(raw_date)
            except ValueError:
                self.fail(i, "as_of", f"must be a date written YYYY-MM-DD (got '{raw_date}')")
            else:
                if as_of > date.today():
                    self.fail(i, "as_of", f"date {raw_date} is in the future")
        reliability = self.choice(i, row, "reliability", RELIABILITY)
        if reliability == "assumption" and title and not title.lower().startswith("toolkit assumption"):
            self.fail(i, "source_title", "an assumption row's source_title must start with 'Toolkit assumption'")
        if not (title and url and as_of and reliability in RELIABILITY):
            return None
        return Source(title=title, url=url, as_of=as_of, reliability=reliability, table=self.path.name, row=i,
                      conflict=row.get("conflict", ""), note=row.get("note", ""))
