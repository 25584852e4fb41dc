"""The scenario: everything the advisor enters about one patient's situation.

Why pydantic: the same model validates the dashboard form, the JSON files and the command
line, and gives one message per field ("Plan > In network > Coinsurance (%): must be 100 or
less"). Nothing here identifies a person: there is no field for a name, birth date, address,
member ID or any other identifier, and ``extra="forbid"`` keeps a file from smuggling one in.
Money is entered in dollars (what people read on a plan summary) and converted to integer
cents by the engine.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from .amounts import (
    Dollars,
    OptionalDollars,
    OptionalPercent,
    Percent,
    _Model,
    blank_is_none,
    read_money,
)
from .plan import PAYER_LABELS, PayerType, Plan, Tier

__all__ = [
    "Dollars", "OptionalDollars", "OptionalPercent", "Percent", "blank_is_none", "read_money",
    "PAYER_LABELS", "PayerType", "Plan", "Tier",
]

SCHEMA_VERSION = 1


class Indication(StrEnum):
    trd = "trd"
    mdd_si = "mdd_si"
    ptsd = "ptsd"
    anxiety = "anxiety"
    chronic_pain = "chronic_pain"


INDICATION_LABELS = {
    "trd": "Treatment-resistant depression",
    "mdd_si": "Depression with acute suicidal thoughts or behaviour",
    "ptsd": "PTSD",
    "anxiety": "Anxiety",
    "chronic_pain": "Chronic pain (including CRPS)",
}


OPTION_LABELS = {"iv_ketamine": "IV ketamine", "spravato": "Spravato (esketamine)"}
OPTIONS = tuple(OPTION_LABELS)
SCALES = {"PHQ-9": 27, "MADRS": 60, "HAM-D": 52, "QIDS-SR": 27}


class History(_Model):
    """Treatment history, in the terms prior-authorization criteria use."""

    adult: bool = Field(True, title="Patient is 18 or older")
    antidepressant_trials: int = Field(
        0, ge=0, le=30, title="Antidepressants tried (adequate dose, 6+ weeks, this episode)"
    )
    different_classes: bool = Field(False, title="Trials were from at least two different drug classes")
    augmentation_tried: bool = Field(False, title="An augmentation medicine was tried")
    on_oral_antidepressant: bool = Field(True, title="Currently taking an oral antidepressant")
    psychiatrist_involved: bool = Field(True, title="A psychiatrist prescribes or consults")
    baseline_scale: Literal["PHQ-9", "MADRS", "HAM-D", "QIDS-SR", "none"] = Field("PHQ-9", title="Baseline scale")
    baseline_score: int | None = Field(None, ge=0, le=60, title="Baseline score")
    contraindication: bool = Field(
        False, title="Has a Spravato contraindication (aneurysmal vascular disease, AVM, brain bleed)"
    )

    @model_validator(mode="after")
    def _score_fits_scale(self) -> "History":
        if self.baseline_score is not None and self.baseline_scale != "none":
            top = SCALES[self.baseline_scale]
            if self.baseline_score > top:
                raise ValueError(f"baseline_score: a {self.baseline_scale} score runs from 0 to {top}")
        return self


class ClinicPrices(_Model):
    """Clinic prices. Empty (None) means "no quote yet": the published range is used."""

    iv_infusion: OptionalDollars = Field(None, title="IV ketamine price per infusion ($)")
    iv_booster: OptionalDollars = Field(None, title="IV ketamine booster price ($)")
    iv_consultation: OptionalDollars = Field(None, title="IV ketamine consultation fee ($)")
    iv_package_discount_pct: OptionalPercent = Field(None, title="Package discount on the first series (%)")
    spravato_device: OptionalDollars = Field(None, title="Spravato price per 28 mg device ($)")
    spravato_observation: OptionalDollars = Field(None, title="Spravato observation visit fee ($)")
    spravato_cash_session: OptionalDollars = Field(None, title="Spravato self-pay price per session ($)")


class Phase(_Model):
    """A block of weeks with a repeating pattern: ``sessions_per_week`` every ``every_weeks`` weeks."""

    weeks: int | None = Field(None, ge=1, le=260, title="Weeks (empty = until the end)")
    sessions_per_week: int = Field(1, ge=1, le=5, title="Sessions in a treatment week")
    every_weeks: int = Field(1, ge=1, le=52, title="Repeat every N weeks")


class ScheduleChoices(_Model):
    iv_protocol: Literal["depression", "pain"] = Field("depression", title="IV protocol")
    iv_induction_infusions: int = Field(6, ge=1, le=20, title="Infusions in the first series")
    iv_induction_per_week: int = Field(2, ge=1, le=5, title="Infusions per week in the first series")
    iv_maintenance_interval_weeks: int = Field(5, ge=0, le=52, title="Weeks between boosters (0 = none)")
    iv_custom_phases: list[Phase] | None = Field(None, title="Custom IV schedule")
    spravato_dose_mg: Literal[28, 56, 84] = Field(84, title="Spravato dose after the first session (mg)")
    spravato_maintenance: Literal["weekly", "every_2_weeks"] = Field("every_2_weeks", title="From week 9")
    spravato_custom_phases: list[Phase] | None = Field(None, title="Custom Spravato schedule")


class Likelihood(_Model):
    low: Percent
    typical: Percent
    high: Percent

    @model_validator(mode="after")
    def _ordered(self) -> "Likelihood":
        if not (self.low <= self.typical <= self.high):
            raise ValueError("low: the range must run low <= typical <= high")
        return self


class Scenario(_Model):
    """One patient's situation. Contains no identifiers by design."""

    schema_version: Literal[1] = SCHEMA_VERSION
    title: str = Field("", max_length=120, title="Situation (a description, never a name)")
    description: str = Field("", max_length=600, title="Notes on the situation (no names or identifiers)")
    indication: Indication = Field(Indication.trd, title="What is being treated")
    history: History = Field(default_factory=History)
    plan: Plan = Field(default_factory=Plan)
    prices: ClinicPrices = Field(default_factory=ClinicPrices)
    schedule: ScheduleChoices = Field(default_factory=ScheduleChoices)
    start_date: date = Field(date(2026, 12, 7), title="First session")
    horizon_months: int = Field(12, ge=1, le=36, title="Months to compare")
    marginal_tax_rate_pct: Percent = Field(Decimal("22"), title="Marginal tax rate (%)")
    iv_likelihood_pct: Likelihood | None = Field(None, title="IV ketamine coverage likelihood override")
    spravato_likelihood_pct: Likelihood | None = Field(None, title="Spravato coverage likelihood override")
    if_denied: Literal["first_series", "stop", "full_course", "switch"] = Field(
        "first_series", title="If the plan says no and the appeal fails, the patient"
    )

    @model_validator(mode="after")
    def _dates_in_range(self) -> "Scenario":
        # calendar arithmetic runs years ahead (horizon, plan years): keep dates where it is defined
        if not date(2000, 1, 1) <= self.start_date <= date(2099, 12, 31):
            raise ValueError("start_date: must be between 2000 and 2099")
        return self

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, exclude_none=False)


def set_path(data: dict, path: str, value: Any) -> None:
    """Set a dotted field (``plan.in_network.copay``) in plain scenario data, creating objects on the way.

    Shared by the dashboard, the batch reader and the scenario levers, which all build a
    scenario as plain data before the model validates it.

    >>> d = {"plan": None}; set_path(d, "plan.in_network.copay", 40); d
    {'plan': {'in_network': {'copay': 40}}}
    """
    keys = path.split(".")
    for k in keys[:-1]:
        if not isinstance(data.get(k), dict):
            data[k] = {}
        data = data[k]
    data[keys[-1]] = value


# ------------------------------------------------------------------------- messages


class ScenarioError(ValueError):
    """Bad scenario input: one plain message per field, never a traceback."""

    def __init__(self, problems: list[tuple[str, str]], source: str = ""):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        body = "; ".join(f"{field}: {msg}" for field, msg in problems)
        super().__init__(f"{head}{body}")

    @property
    def by_field(self) -> dict[str, str]:
        return {field: msg for field, msg in self.problems}


def _field_title(loc: tuple[Any, ...]) -> str:
    """Dotted path for a pydantic error location: ``plan.in_network.coinsurance_pct``."""
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _explain(err: dict[str, Any]) -> tuple[str, str]:
    loc = tuple(err.get("loc", ()))
    msg = str(err.get("msg", "is not valid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
        # our own validators say "field: message" so the message lands on the right field
        if ": " in msg:
            field, _, rest = msg.partition(": ")
            if field.isidentifier():
                return _field_title(loc + (field,)), rest
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    friendly = {
        "greater_than_equal": lambda: "cannot be negative" if str(ctx.get("ge")) == "0" else f"must be {ctx.get('ge')} or more",
        "less_than_equal": lambda: f"must be {ctx.get('le')} or less",
        "decimal_parsing": lambda: "must be a number",
        "decimal_type": lambda: "must be a number",
        "finite_number": lambda: "must be a number",
        "decimal_max_places": lambda: "use at most 2 decimal places (cents)" if ctx.get("decimal_places") == 2 else f"use at most {ctx.get('decimal_places')} decimal places",
        "decimal_max_digits": lambda: "is too large",
        "int_parsing": lambda: "must be a whole number",
        "int_from_float": lambda: "must be a whole number",
        "int_type": lambda: "must be a whole number",
        "date_from_datetime_parsing": lambda: "must be a real date written YYYY-MM-DD",
        "date_parsing": lambda: "must be a real date written YYYY-MM-DD",
        "date_type": lambda: "must be a real date written YYYY-MM-DD",
        "bool_parsing": lambda: "must be true or false",
        "bool_type": lambda: "must be true or false",
        "string_pattern_mismatch": lambda: "use the two-letter state code, e.g. MN" if loc and loc[-1] == "state" else "is not in the expected form",
        "string_too_long": lambda: f"is too long (at most {ctx.get('max_length')} characters)",
        "enum": lambda: f"must be one of: {ctx.get('expected')}",
        "literal_error": lambda: f"must be one of: {ctx.get('expected')}",
        "missing": lambda: "is required",
        "model_type": lambda: "must be a set of named fields (a JSON object)",
        "dict_type": lambda: "must be a set of named fields (a JSON object)",
        "list_type": lambda: "must be a list",
        "string_type": lambda: "must be text",
    }
    if kind in friendly:
        msg = friendly[kind]()
    if kind == "extra_forbidden":
        msg = "is not a field the toolkit knows: check the spelling (and note the toolkit stores no names or identifiers)"
    if kind == "literal_error" and loc and loc[-1] == "schema_version":
        given = err.get("input")
        if isinstance(given, str) and given.strip().isdigit():
            given = int(given)
        if isinstance(given, int) and not isinstance(given, bool) and given > SCHEMA_VERSION:
            msg = f"this file was saved by a newer version of the toolkit (schema {given}); this version reads schema {SCHEMA_VERSION}"
        else:
            msg = f"unknown schema version {given!r}; this version of the toolkit reads schema {SCHEMA_VERSION}"
    return _field_title(loc) or "scenario", msg


def validate_scenario(data: Any, source: str = "") -> Scenario:
    """Build a Scenario from plain data or raise :class:`ScenarioError` naming each bad field."""
    if isinstance(data, Scenario):
        return data
    if not isinstance(data, dict):
        raise ScenarioError([("scenario", "must be a JSON object (a set of named fields)")], source)
    version = data.get("schema_version", SCHEMA_VERSION)
    as_number = int(version) if isinstance(version, str) and version.strip().isdigit() else version
    if isinstance(as_number, int) and not isinstance(as_number, bool) and as_number > SCHEMA_VERSION:
        version = as_number
    elif isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioError([("schema_version", f"must be the whole number {SCHEMA_VERSION}, written without quotes (got {json.dumps(version)})")], source)
    if version > SCHEMA_VERSION:
        raise ScenarioError(
            [("schema_version", f"saved by a newer version of the toolkit (schema {version}); this version reads schema {SCHEMA_VERSION}")],
            source,
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([_explain(e) for e in exc.errors()], source) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario JSON file; every failure becomes one clear :class:`ScenarioError`."""
    p = Path(path)
    name = str(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([("file", "not found")], name) from None
    except IsADirectoryError:
        raise ScenarioError([("file", "is a folder, not a scenario file")], name) from None
    except UnicodeDecodeError:
        raise ScenarioError([("file", "is not a text (UTF-8) file")], name) from None
    except OSError as exc:
        raise ScenarioError([("file", f"cannot be read ({exc.strerror})")], name) from None
    except ValueError:  # e.g. a NUL character in the name
        raise ScenarioError([("file", "is not a usable file name")], name) from None
    if not text.strip():
        raise ScenarioError([("file", "is empty")], name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([("file", f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); it may be truncated")], name) from None
    return validate_scenario(data, name)
