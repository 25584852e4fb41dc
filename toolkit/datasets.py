"""Load and validate the sourced tables in ``data/``.

Why a hand-rolled validator: the people who edit these tables are advisors with a
spreadsheet, so a mistake must be reported the way a spreadsheet shows it, as
``data/prices.csv, row 7, column 'low': ...``, and every figure must keep its source and
date all the way to the screen. The loader refuses a table with any error (it names every
bad cell it finds, not just the first) and reports stale rows as warnings.
"""

from __future__ import annotations

import calendar
import csv
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal

import pandas as pd

Level = Literal["low", "typical", "high"]

RELIABILITY = ("official", "payer policy", "peer-reviewed", "vendor", "clinic", "low", "assumption")
PAYER_TYPES = (
    "commercial",
    "hdhp",
    "medicare",
    "medicare_advantage",
    "medicaid",
    "tricare",
    "va",
    "uninsured",
)
OPTIONS = ("iv_ketamine", "spravato")
INDICATIONS = ("trd", "mdd_si", "ptsd", "anxiety", "chronic_pain")
LEVELS = ("likely", "possible", "unlikely", "not_eligible")
BASES = ("fda_approved", "off_label", "investigational", "not_a_benefit", "no_insurance")
CRITERIA = (
    "adult",
    "diagnosis",
    "two_antidepressant_trials",
    "different_classes",
    "augmentation",
    "oral_antidepressant",
    "psychiatrist",
    "baseline_score",
    "rems",
    "no_contraindication",
)
CODE_SYSTEMS = ("HCPCS", "CPT", "ICD-10-CM")
CODE_STATUS = ("active", "replaced", "unverified")
PARAMETER_TABLES = ("prices", "protocols", "programs", "rules", "financing", "workflow")
# tables added by later features load when present, so a trimmed data/ copy still loads
OPTIONAL_TABLES = ("financing", "workflow")
STALE_AFTER_MONTHS = 18

SOURCE_COLUMNS = ("source_title", "source_url", "as_of", "reliability")


def default_data_dir() -> Path:
    """The repository's ``data/`` folder, found from the package, never from the CWD.

    Kernels start in ``notebooks/`` (nbval, Voila, Lab), so relative paths would break;
    ``TOOLKIT_DATA_DIR`` overrides for tests that corrupt a copy.
    """
    env = os.environ.get("TOOLKIT_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


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


@dataclass(frozen=True)
class SourcedValue:
    """One figure from a parameter table: a range (low, typical, high) with its source."""

    id: str
    label: str
    low: Decimal | None
    typical: Decimal | None
    high: Decimal | None
    unit: str
    source: Source
    text: str = ""
    code: str = ""

    def pick(self, level: Level = "typical") -> Decimal:
        value = {"low": self.low, "typical": self.typical, "high": self.high}[level]
        if value is None:
            raise KeyError(f"{self.id} has no numeric {level} value")
        return value

    @property
    def items(self) -> tuple[str, ...]:
        """The entries of a ``list`` row (e.g. excluded states)."""
        return tuple(x.strip() for x in self.text.split(";") if x.strip())

    @property
    def ref(self) -> str:
        """Short reference to the row, used in claim lines: ``prices.csv:iv.infusion.depression``."""
        return f"{self.source.table}:{self.id}"


@dataclass(frozen=True)
class CoverageRow:
    payer_type: str
    option: str
    indication: str
    level: str
    likelihood_low: Decimal
    likelihood_typical: Decimal
    likelihood_high: Decimal
    rate_published: bool
    pa_required: str
    basis: str
    reasoning: str
    source: Source

    @property
    def ref(self) -> str:
        return f"coverage.csv:{self.payer_type}/{self.option}/{self.indication}"


@dataclass(frozen=True)
class Criterion:
    id: str
    option: str
    criterion: str
    who_supplies: str
    how_common: str
    source: Source


@dataclass(frozen=True)
class Code:
    code: str
    system: str
    description: str
    used_for: str
    status: str
    source: Source


@dataclass
class Dataset:
    """Every table, validated, keyed the way the engine looks things up."""

    directory: Path
    parameters: dict[str, SourcedValue] = field(default_factory=dict)
    coverage: dict[tuple[str, str, str], CoverageRow] = field(default_factory=dict)
    criteria: dict[str, list[Criterion]] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)

    def value(self, key: str) -> SourcedValue:
        try:
            return self.parameters[key]
        except KeyError:
            raise KeyError(f"data row '{key}' is missing from data/ (prices, protocols, programs or rules)") from None

    def number(self, key: str, level: Level = "typical") -> Decimal:
        return self.value(key).pick(level)

    def coverage_row(self, payer_type: str, option: str, indication: str) -> CoverageRow:
        return self.coverage[(payer_type, option, indication)]

    def all_sources(self) -> list[tuple[str, str, str, Source]]:
        """(table, key, label, source) for every row: the data-and-sources view."""
        out: list[tuple[str, str, str, Source]] = []
        for v in self.parameters.values():
            out.append((v.source.table, v.id, v.label, v.source))
        for c in self.coverage.values():
            out.append(("coverage.csv", f"{c.payer_type}/{c.option}/{c.indication}", c.reasoning, c.source))
        for rows in self.criteria.values():
            for r in rows:
                out.append(("pa_criteria.csv", r.id, r.criterion, r.source))
        for code in self.codes.values():
            out.append(("codes.csv", code.code, code.description, code.source))
        return out

    def stale(self, today: date | None = None, months: int = STALE_AFTER_MONTHS) -> list[tuple[str, str, Source]]:
        """Rows whose as-of date is older than ``months``: to re-check, not to discard."""
        today = today or date.today()
        cutoff = _months_before(today, months)
        return [(t, k, s) for t, k, _, s in self.all_sources() if s.as_of < cutoff]

    def sources_frame(self, today: date | None = None) -> pd.DataFrame:
        """Every figure with its source, date, reliability and a stale flag, as a table."""
        today = today or date.today()
        cutoff = _months_before(today, STALE_AFTER_MONTHS)
        rows = []
        for table, key, label, s in self.all_sources():
            value = ""
            if table in {f"{t}.csv" for t in PARAMETER_TABLES}:
                v = self.parameters[key]
                value = _describe_range(v)
            rows.append(
                {
                    "table": table,
                    "id": key,
                    "what": label,
                    "value": value,
                    "source": s.title,
                    "url": s.url,
                    "as_of": s.as_of.isoformat(),
                    "reliability": s.reliability,
                    "stale": s.as_of < cutoff,
                    "undated": s.undated,
                    "conflict": s.conflict,
                    "note": s.note,
                }
            )
        return pd.DataFrame(rows)


def _describe_range(v: SourcedValue) -> str:
    if v.unit == "list":
        return v.text
    if v.low == v.high:
        return f"{v.typical} {v.unit}"
    return f"{v.low} to {v.high} (typical {v.typical}) {v.unit}"


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


# --------------------------------------------------------------------------- reading


class _TableReader:
    """Reads one CSV and collects problems with spreadsheet row numbers."""

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

    def fail(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, column, message))

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
        return Source(
            title=title,
            url=url,
            as_of=as_of,
            reliability=reliability,
            table=self.path.name,
            row=i,
            conflict=row.get("conflict", ""),
            note=row.get("note", ""),
        )


PARAMETER_COLUMNS = ("id", "label", "low", "typical", "high", "unit", *SOURCE_COLUMNS)


def _read_parameters(path: Path, codes: dict[str, Code], seen: dict[str, str]) -> tuple[list[SourcedValue], list[Problem]]:
    t = _TableReader(path, PARAMETER_COLUMNS)
    out: list[SourcedValue] = []
    for i, row in t.rows:
        key = t.text(i, row, "id")
        if key in seen:
            t.fail(i, "id", f"'{key}' is already defined in {seen[key]}")
        label = t.text(i, row, "label")
        unit = t.text(i, row, "unit")
        text = row.get("text", "")
        code = row.get("code", "")
        if code and codes and code not in codes:
            t.fail(i, "code", f"unknown code '{code}' (not in data/codes.csv)")
        if unit == "list":
            if not text:
                t.fail(i, "text", "a 'list' row needs its values in 'text', separated by ';'")
            low = typical = high = None
        else:
            low = t.number(i, row, "low")
            typical = t.number(i, row, "typical")
            high = t.number(i, row, "high")
            if None not in (low, typical, high) and not (low <= typical <= high):
                t.fail(i, "low", f"low <= typical <= high does not hold ({low}, {typical}, {high})")
            if unit == "fraction" and high is not None and high > 1:
                t.fail(i, "high", f"a fraction cannot exceed 1 (got {high})")
        src = t.source(i, row)
        if key and src and key not in seen:
            seen[key] = t.name
            out.append(SourcedValue(key, label, low, typical, high, unit, src, text, code))
    return out, t.problems


COVERAGE_COLUMNS = (
    "payer_type",
    "option",
    "indication",
    "level",
    "likelihood_low",
    "likelihood_typical",
    "likelihood_high",
    "rate_published",
    "pa_required",
    "basis",
    "reasoning",
    *SOURCE_COLUMNS,
)


def _read_coverage(path: Path) -> tuple[dict, list[Problem]]:
    t = _TableReader(path, COVERAGE_COLUMNS)
    out: dict[tuple[str, str, str], CoverageRow] = {}
    for i, row in t.rows:
        payer = t.choice(i, row, "payer_type", PAYER_TYPES)
        option = t.choice(i, row, "option", OPTIONS)
        ind = t.choice(i, row, "indication", INDICATIONS)
        level = t.choice(i, row, "level", LEVELS)
        lows = [t.number(i, row, c) for c in ("likelihood_low", "likelihood_typical", "likelihood_high")]
        for col, v in zip(("likelihood_low", "likelihood_typical", "likelihood_high"), lows):
            if v is not None and v > 1:
                t.fail(i, col, f"a likelihood is between 0 and 1 (got {v})")
        if None not in lows and not (lows[0] <= lows[1] <= lows[2]):
            t.fail(i, "likelihood_low", "likelihood_low <= likelihood_typical <= likelihood_high does not hold")
        published = t.choice(i, row, "rate_published", ("yes", "no"))
        pa = t.choice(i, row, "pa_required", ("yes", "no", "varies"))
        basis = t.choice(i, row, "basis", BASES)
        reasoning = t.text(i, row, "reasoning")
        src = t.source(i, row)
        key = (payer, option, ind)
        if key in out:
            t.fail(i, "payer_type", f"duplicate row for {payer} / {option} / {ind}")
            continue
        if src and None not in lows and not any(p.row == i for p in t.problems):
            out[key] = CoverageRow(payer, option, ind, level, *lows, published == "yes", pa, basis, reasoning, src)  # type: ignore[arg-type]
    if not t.problems:
        for payer in PAYER_TYPES:
            for option in OPTIONS:
                for ind in INDICATIONS:
                    if (payer, option, ind) not in out:
                        t.fail(None, None, f"no row for {payer} / {option} / {ind}")  # type: ignore[arg-type]
    return out, t.problems


def _read_criteria(path: Path) -> tuple[dict[str, list[Criterion]], list[Problem]]:
    t = _TableReader(path, ("id", "option", "criterion", "who_supplies", "how_common", *SOURCE_COLUMNS))
    out: dict[str, list[Criterion]] = {}
    for i, row in t.rows:
        key = t.choice(i, row, "id", CRITERIA)
        option = t.choice(i, row, "option", (*OPTIONS, "both"))
        text = t.text(i, row, "criterion")
        who = t.text(i, row, "who_supplies")
        common = t.choice(i, row, "how_common", ("usual", "some plans"))
        src = t.source(i, row)
        if src and key in CRITERIA:
            out.setdefault(key, []).append(Criterion(key, option, text, who, common, src))
    if not t.problems:
        for key in CRITERIA:
            if key not in out:
                t.fail(None, "id", f"criterion '{key}' has no row")  # type: ignore[arg-type]
    return out, t.problems


def _read_codes(path: Path) -> tuple[dict[str, Code], list[Problem]]:
    t = _TableReader(path, ("code", "system", "description", "used_for", "status", *SOURCE_COLUMNS))
    out: dict[str, Code] = {}
    for i, row in t.rows:
        code = t.text(i, row, "code")
        system = t.choice(i, row, "system", CODE_SYSTEMS)
        desc = t.text(i, row, "description")
        used = row.get("used_for", "")
        status = t.choice(i, row, "status", CODE_STATUS)
        if code in out:
            t.fail(i, "code", f"code '{code}' appears twice")
        src = t.source(i, row)
        if code and src and code not in out:
            out[code] = Code(code, system, desc, used, status, src)
    return out, t.problems


REQUIRED_IDS = (
    "iv.infusion.depression",
    "iv.infusion.pain",
    "iv.booster.depression",
    "iv.consultation",
    "iv.package_discount",
    "iv.claim.em_visit",
    "iv.claim.90791",
    "iv.claim.96365",
    "iv.claim.96366",
    "iv.claim.j3490",
    "spravato.device_28mg",
    "spravato.observation_visit",
    "spravato.cash_per_session",
    "medicare.g2082",
    "medicare.g2083",
    "oon.allowed_share",
    "iv.induction.infusions",
    "iv.induction.per_week",
    "iv.infusion_minutes.depression",
    "iv.infusion_minutes.pain",
    "iv.recovery_minutes",
    "iv.checkin_minutes",
    "iv.maintenance_interval_weeks",
    "iv.driver_required",
    "spravato.trd.induction_per_week",
    "spravato.trd.weeks5_8_per_week",
    "spravato.trd.maintenance_per_week",
    "spravato.mdsi.per_week",
    "spravato.mdsi.weeks",
    "spravato.dose_mg",
    "spravato.mdsi.dose_mg",
    "spravato.mg_per_device",
    "spravato.observation_minutes",
    "spravato.dosing_minutes",
    "spravato.checkin_minutes",
    "spravato.discharge_minutes",
    "spravato.driver_required",
    "savings.drug.patient_pays",
    "savings.drug.annual_max",
    "savings.observation.patient_pays",
    "savings.observation.annual_max",
    "savings.observation.excluded_states",
    "savings.excluded_payers",
    "aca.oop_max.self_only",
    "hsa.limit.self_only",
    "hsa.limit.family",
    "fsa.limit",
    "fsa.carryover",
    "medicare.partb.deductible",
    "medicare.partb.coinsurance",
    "appeal.internal.filing_days",
    "appeal.external.filing_days",
    "oon.reimbursement_delay_days",
)


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read and validate every table; raise :class:`DataError` naming every bad cell."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    problems: list[Problem] = []
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, None, "data folder not found")])
    codes, p = _read_codes(directory / "codes.csv")
    problems += p
    ds = Dataset(directory=directory, codes=codes)
    seen: dict[str, str] = {}
    for name in PARAMETER_TABLES:
        if name in OPTIONAL_TABLES and not (directory / f"{name}.csv").exists():
            continue
        values, p = _read_parameters(directory / f"{name}.csv", codes, seen)
        problems += p
        ds.parameters.update({v.id: v for v in values})
    ds.coverage, p = _read_coverage(directory / "coverage.csv")
    problems += p
    ds.criteria, p = _read_criteria(directory / "pa_criteria.csv")
    problems += p
    if not problems:
        for key in REQUIRED_IDS:
            if key not in ds.parameters:
                problems.append(Problem("data/", None, "id", f"required row '{key}' is missing"))
    if not problems and (directory / "uncertainty.csv").exists():
        from .scenarios.params import check_parameters  # the scenario layer owns that table's shape

        problems += check_parameters(directory, ds)
    if problems:
        raise DataError(problems)
    return ds


@lru_cache(maxsize=4)
def _cached(directory: str, stamp: tuple) -> Dataset:
    return load_dataset(directory)


def dataset(data_dir: Path | str | None = None) -> Dataset:
    """The validated dataset, re-read only when a table changes on disk."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.csv"))) if directory.is_dir() else ()
    return _cached(str(directory), stamp)
