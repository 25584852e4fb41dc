"""The shape of every sourced table in ``data/``: one row type and one reader per table.

Each reader takes a path (and what it must agree with) and returns its rows plus a list of
problems naming file, row and column; nothing here raises for a bad cell, so a check can
report every problem in every table at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from .reader import SOURCE_COLUMNS, Problem, Source, TableReader

PriceLevel = Literal["low", "typical", "high"]
PRICE_LEVELS: tuple[PriceLevel, ...] = ("low", "typical", "high")

PAYER_TYPES = ("commercial", "hdhp", "medicare", "medicare_advantage", "medicaid", "tricare", "va", "uninsured")
OPTIONS = ("iv_ketamine", "spravato")
INDICATIONS = ("trd", "mdd_si", "ptsd", "anxiety", "chronic_pain")
COVERAGE_LEVELS = ("likely", "possible", "unlikely", "not_eligible")
BASES = ("fda_approved", "off_label", "investigational", "not_a_benefit", "no_insurance")
CRITERIA = (
    "adult", "diagnosis", "two_antidepressant_trials", "different_classes", "augmentation",
    "oral_antidepressant", "psychiatrist", "baseline_score", "rems", "no_contraindication",
)
CODE_SYSTEMS = ("HCPCS", "CPT", "ICD-10-CM")
CODE_STATUS = ("active", "replaced", "unverified")
PARAMETER_COLUMNS = ("id", "label", "low", "typical", "high", "unit", *SOURCE_COLUMNS)
COVERAGE_COLUMNS = (
    "payer_type", "option", "indication", "level", "likelihood_low", "likelihood_typical", "likelihood_high",
    "rate_published", "pa_required", "basis", "reasoning", *SOURCE_COLUMNS,
)


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

    def pick(self, level: PriceLevel = "typical") -> Decimal:
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

    def describe(self) -> str:
        """The range in words: ``300 to 1500 (typical 600) USD per infusion``."""
        if self.unit == "list":
            return self.text
        if self.low == self.high:
            return f"{self.typical} {self.unit}"
        return f"{self.low} to {self.high} (typical {self.typical}) {self.unit}"


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


def read_parameters(path: Path, codes: dict[str, Code], seen: dict[str, str]) -> tuple[list[SourcedValue], list[Problem]]:
    """A parameter table (prices, protocols, programs, rules, financing, workflow); ``seen`` spans tables."""
    t = TableReader(path, PARAMETER_COLUMNS)
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
            low, typical, high = (t.number(i, row, c) for c in ("low", "typical", "high"))
            if None not in (low, typical, high) and not (low <= typical <= high):
                t.fail(i, "low", f"low <= typical <= high does not hold ({low}, {typical}, {high})")
            if unit == "fraction" and high is not None and high > 1:
                t.fail(i, "high", f"a fraction cannot exceed 1 (got {high})")
        src = t.source(i, row)
        if key and src and key not in seen:
            seen[key] = t.name
            out.append(SourcedValue(key, label, low, typical, high, unit, src, text, code))
    return out, t.problems


def read_coverage(path: Path) -> tuple[dict[tuple[str, str, str], CoverageRow], list[Problem]]:
    """coverage.csv: one row per payer type x option x indication, every combination present."""
    t = TableReader(path, COVERAGE_COLUMNS)
    out: dict[tuple[str, str, str], CoverageRow] = {}
    cols = ("likelihood_low", "likelihood_typical", "likelihood_high")
    for i, row in t.rows:
        payer = t.choice(i, row, "payer_type", PAYER_TYPES)
        option = t.choice(i, row, "option", OPTIONS)
        ind = t.choice(i, row, "indication", INDICATIONS)
        level = t.choice(i, row, "level", COVERAGE_LEVELS)
        lows = [t.number(i, row, c) for c in cols]
        for col, v in zip(cols, lows):
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
        if src and None not in lows and not t.failed(i):
            out[key] = CoverageRow(payer, option, ind, level, *lows, published == "yes", pa, basis, reasoning, src)  # type: ignore[arg-type]
    if not t.problems:
        for payer in PAYER_TYPES:
            for option in OPTIONS:
                for ind in INDICATIONS:
                    if (payer, option, ind) not in out:
                        t.fail(None, None, f"no row for {payer} / {option} / {ind}")
    return out, t.problems


def read_criteria(path: Path) -> tuple[dict[str, list[Criterion]], list[Problem]]:
    """pa_criteria.csv: the prior-authorization criteria payers apply, each criterion present."""
    t = TableReader(path, ("id", "option", "criterion", "who_supplies", "how_common", *SOURCE_COLUMNS))
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
                t.fail(None, "id", f"criterion '{key}' has no row")
    return out, t.problems


def read_codes(path: Path) -> tuple[dict[str, Code], list[Problem]]:
    """codes.csv: every billing and diagnosis code the toolkit names."""
    t = TableReader(path, ("code", "system", "description", "used_for", "status", *SOURCE_COLUMNS))
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


US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
).split()
BAN_COLUMNS = ("state", "law", "enacted", "effective_date", "fully_insured_only", *SOURCE_COLUMNS)


@dataclass(frozen=True)
class AccumulatorBan:
    """One state's law against copay accumulators: it binds fully insured plans, not self-funded (ERISA) ones."""

    state: str
    law: str
    enacted: str  # year as reported ("" = not given)
    effective_date: str  # YYYY-MM-DD ("" = not found in the source read)
    fully_insured_only: bool
    source: Source


def read_accumulator_bans(path: Path) -> tuple[dict[str, AccumulatorBan], list[Problem]]:
    """accumulator_bans.csv: one row per state (or territory) with a law limiting copay accumulators."""
    import re
    from datetime import date

    t = TableReader(path, BAN_COLUMNS)
    out: dict[str, AccumulatorBan] = {}
    for i, row in t.rows:
        state = t.choice(i, row, "state", US_STATES)
        law = t.text(i, row, "law")
        enacted = row.get("enacted", "").strip()
        if enacted and not re.fullmatch(r"(19|20)\d\d", enacted):
            t.fail(i, "enacted", f"a year such as 2021, or empty (got '{enacted}')")
        effective = row.get("effective_date", "").strip()
        if effective:
            try:
                date.fromisoformat(effective)
            except ValueError:
                t.fail(i, "effective_date", f"must be a date written YYYY-MM-DD, or empty when not known (got '{effective}')")
        insured = t.choice(i, row, "fully_insured_only", ("yes", "no"))
        if state in out:
            t.fail(i, "state", f"'{state}' appears twice")
        src = t.source(i, row)
        if state and src and state not in out and not t.failed(i):
            out[state] = AccumulatorBan(state, law, enacted, effective, insured == "yes", src)
    return out, t.problems
