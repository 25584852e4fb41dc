"""Batch: many scenarios from one CSV (one patient situation per row), for caseload planning.

Each row starts from an example situation (``example`` column; the built-in default when
empty) and changes only the columns it fills in. Rows are validated like any scenario; a row
that fails is reported as ``row N, column X: message`` and skipped, never silently. Valid rows
are priced by the vectorised model (typical prices, approved and denied, weighted by the
typical coverage likelihood: the dashboard's *expected* figures, to the cent).

Columns (all optional except that a row needs at least one filled cell; empty = the example's value):

=============================== ======================================================================
``example``                     example situation to start from (``python -m toolkit examples``)
``label``                       a description of the situation, never a name or identifier
``payer_type``                  commercial, hdhp, medicare, medicare_advantage, medicaid, tricare, va, uninsured
``indication``                  trd, mdd_si, ptsd, anxiety, chronic_pain
``deductible``                  in-network deductible ($)
``deductible_met``              in-network deductible already met this plan year ($)
``coinsurance_pct``             in-network coinsurance (%)
``copay``                       in-network copay per visit ($)
``oop_max``                     in-network out-of-pocket maximum ($; ``none`` = no cap)
``oop_met``                     out-of-pocket already met this plan year ($)
``oon_deductible``              out-of-network deductible ($)
``oon_coinsurance_pct``         out-of-network coinsurance (%)
``iv_claim_route``              self_pay, superbill, in_network
``spravato_drug_benefit``       medical, pharmacy
``manufacturer_savings``        true or false (Spravato savings program, commercial plans)
``copay_assistance_counts``     unknown, counts, accumulator or maximizer
``oon_allowed_method``          percent_of_charge, percent_of_medicare or per_code
``oon_medicare_pct``            out-of-network allowed amount as % of Medicare (e.g. 140)
``medigap``                     none, plan_g or plan_n
``medicare_spravato_route``     part_b or part_d
``tricare_group``               adfm_prime, adfm_select, retiree_prime, retiree_select or tricare_for_life
``tricare_group_b``             true (sponsor joined on or after 1 Jan 2018) or false (Group A)
``tricare_junior_enlisted``     true when the sponsor is E-1 to E-4 (TRICARE Select deductible)
``state``                       two-letter state code
``iv_price``                    IV ketamine price per infusion ($, clinic quote)
``iv_booster_price``            IV ketamine booster price ($)
``spravato_device``             Spravato price per 28 mg device ($)
``spravato_observation``        Spravato observation visit fee ($)
``spravato_cash_session``       Spravato self-pay price per session ($)
``iv_maintenance_interval_weeks`` weeks between IV boosters (0 = none)
``spravato_maintenance``        weekly or every_2_weeks
``spravato_dose_mg``            28, 56 or 84
``start_date``                  first session, YYYY-MM-DD
``horizon_months``              months to compare (1 to 36)
``iv_likelihood_pct``           the advisor's chance (%) that the plan pays for IV ketamine
``spravato_likelihood_pct``     the same for Spravato
=============================== ======================================================================

Output, one row per valid input row (``row`` is the input's spreadsheet row number, header =
row 1): ``row, label, example, payer_type, months``, then, leading, each option's most likely
decision path (``*_likely_path``: approved, approved_on_appeal, denied or not_applicable),
its chance, its first-month and whole-period cost (typical prices, dollars), and for Spravato
``spravato_likely_cost_if_accumulator`` where nobody has asked whether the plan counts the
savings program's payments (empty otherwise); then
``iv_minus_spravato`` between the likely paths (positive: Spravato costs less), ``cheaper`` and
``break_even_month`` (empty when the running costs never cross); then per option
``*_if_approved``, ``*_if_denied`` (every session paid at the clinic), ``*_chance_approved`` and
``*_average``, the likelihood-weighted average, for comparing options only.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data import Dataset, dataset
from ..engine.coverage import assess
from ..engine.evaluate import VARIANTS, evaluate
from ..engine.paths import PathSpec, likely_index, path_plan
from ..examples import DEFAULT_EXAMPLE, example_names, load_example
from ..money import P_SCALE
from ..scenario import (
    OPTION_LABELS,
    OPTIONS,
    Scenario,
    ScenarioError,
    read_money,
    set_path,
    validate_scenario,
)
from .breakeven import breakeven_months_array

# column -> (scenario path, kind)
COLUMNS: dict[str, tuple[str, str]] = {
    "example": ("", "example"),
    "label": ("title", "text"),
    "payer_type": ("plan.payer_type", "text"),
    "indication": ("indication", "text"),
    "deductible": ("plan.in_network.deductible", "money"),
    "deductible_met": ("plan.in_network.deductible_met", "money"),
    "coinsurance_pct": ("plan.in_network.coinsurance_pct", "money"),
    "copay": ("plan.in_network.copay", "money"),
    "oop_max": ("plan.in_network.oop_max", "money_or_none"),
    "oop_met": ("plan.in_network.oop_met", "money"),
    "oon_deductible": ("plan.out_of_network.deductible", "money"),
    "oon_coinsurance_pct": ("plan.out_of_network.coinsurance_pct", "money"),
    "iv_claim_route": ("plan.iv_claim_route", "text"),
    "spravato_drug_benefit": ("plan.spravato_drug_benefit", "text"),
    "manufacturer_savings": ("plan.manufacturer_savings", "text"),
    "copay_assistance_counts": ("plan.copay_assistance_counts", "text"),
    "oon_allowed_method": ("plan.oon_allowed_method", "text"),
    "oon_medicare_pct": ("plan.oon_medicare_pct", "money"),
    "medigap": ("plan.medigap", "text"),
    "medicare_spravato_route": ("plan.medicare_spravato_route", "text"),
    "tricare_group": ("plan.tricare_group", "text"),
    "tricare_group_b": ("plan.tricare_group_b", "text"),
    "tricare_junior_enlisted": ("plan.tricare_junior_enlisted", "text"),
    "state": ("plan.state", "upper"),
    "iv_price": ("prices.iv_infusion", "money"),
    "iv_booster_price": ("prices.iv_booster", "money"),
    "spravato_device": ("prices.spravato_device", "money"),
    "spravato_observation": ("prices.spravato_observation", "money"),
    "spravato_cash_session": ("prices.spravato_cash_session", "money"),
    "iv_maintenance_interval_weeks": ("schedule.iv_maintenance_interval_weeks", "text"),
    "spravato_maintenance": ("schedule.spravato_maintenance", "text"),
    "spravato_dose_mg": ("schedule.spravato_dose_mg", "int"),
    "start_date": ("start_date", "text"),
    "horizon_months": ("horizon_months", "text"),
    "iv_likelihood_pct": ("iv_likelihood_pct", "likelihood"),
    "spravato_likelihood_pct": ("spravato_likelihood_pct", "likelihood"),
}
OUTPUT_COLUMNS = (
    "row", "label", "example", "payer_type", "months",
    "iv_likely_path", "iv_likely_chance", "iv_likely_first_month", "iv_likely_cost",
    "spravato_likely_path", "spravato_likely_chance", "spravato_likely_first_month", "spravato_likely_cost",
    "spravato_likely_cost_if_accumulator",
    "iv_minus_spravato", "cheaper", "break_even_month",
    "iv_if_approved", "iv_if_denied", "iv_chance_approved", "iv_average",
    "spravato_if_approved", "spravato_if_denied", "spravato_chance_approved", "spravato_average",
)


class BatchFileError(ValueError):
    """The file as a whole cannot be read (missing, not text, no header, unknown column)."""


@dataclass
class BatchInput:
    """Validated rows ready to run, and the rows skipped with their reasons."""

    rows: list[int] = field(default_factory=list)  # spreadsheet row numbers
    examples: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "row N, column X: message"
    skipped: int = 0


def _path_to_column() -> dict[str, str]:
    return {path: col for col, (path, _kind) in COLUMNS.items() if path}




def _parse(kind: str, raw: str) -> object:
    """One cell to the value the scenario model reads; ValueError with a plain message."""
    if kind == "money":
        return read_money(raw)  # the toolkit's one reader of typed amounts ("$1,200", "20%")
    if kind == "money_or_none":
        if raw.strip().lower() in ("none", "no cap", "no limit"):
            return None
        return _parse("money", raw)
    if kind == "likelihood":
        pct = _parse("money", raw)
        return {"low": pct, "typical": pct, "high": pct}
    if kind == "int":
        if not raw.strip().lstrip("-").isdigit():
            raise ValueError(f"must be a whole number (got '{raw}')")
        return int(raw)
    if kind == "upper":
        return raw.strip().upper()
    return raw.strip()


def _column_for(path: str, lookup: dict[str, str]) -> str:
    if path in lookup:
        return lookup[path]
    for p, col in sorted(lookup.items(), key=lambda kv: -len(kv[0])):
        if path.startswith(p + "."):
            return col
    return f"{path} (from the example)"


def read_batch(path: str | Path, names: list[str] | None = None) -> BatchInput:
    """Read and validate a batch CSV. Raises :class:`BatchFileError` for file-level problems."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BatchFileError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise BatchFileError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise BatchFileError(f"{path}: is not a text (UTF-8) CSV file") from None
    except OSError as exc:
        raise BatchFileError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_batch(text, str(path), names)


def parse_batch(text: str, source: str = "batch", names: list[str] | None = None) -> BatchInput:
    """Validate batch CSV text (see the module docstring for the columns)."""
    if not text.strip():
        raise BatchFileError(f"{source}: is empty (a header row naming the columns is needed)")
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise BatchFileError(f"{source}: not a readable CSV file ({exc})") from None
    header = [h.strip() for h in records[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise BatchFileError(f"{source}: column '{unknown[0]}' is not a batch column (known: {', '.join(COLUMNS)})")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise BatchFileError(f"{source}: column '{dupes[0]}' appears twice in the header")
    names = names if names is not None else example_names()
    bases: dict[str, dict] = {}
    lookup = _path_to_column()
    out = BatchInput()
    for i, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            out.problems.append(f"row {i}: has {len(cells)} cells but the header has {len(header)} columns")
            out.skipped += 1
            continue
        if len(cells) < len(header):
            # a short row is read as far as it goes (the rest stays as in the example), but said, never silent
            missing = [h for h in header[len(cells):] if h]
            out.problems.append(
                f"row {i}: has {len(cells)} of {len(header)} cells (maybe cut short); read as far as it goes, "
                f"columns {', '.join(missing)} taken from the example"
            )
        row = {h: cells[j].strip() for j, h in enumerate(header) if h and j < len(cells)}
        example = row.get("example") or DEFAULT_EXAMPLE
        if example not in names:
            out.problems.append(f"row {i}, column example: no example named '{example}' (see python -m toolkit examples)")
            out.skipped += 1
            continue
        if example not in bases:
            bases[example] = load_example(example).model_dump()
        data = copy.deepcopy(bases[example])
        bad = []
        for col, raw in row.items():
            path, kind = COLUMNS[col]
            if not raw or kind == "example":
                continue
            try:
                set_path(data, path, _parse(kind, raw))
            except ValueError as exc:
                bad.append(f"row {i}, column {col}: {exc}")
        if not bad:
            try:
                scenario = validate_scenario(data)
            except ScenarioError as exc:
                bad = [f"row {i}, column {_column_for(f, lookup)}: {msg}" for f, msg in exc.problems]
        if bad:
            out.problems.extend(bad)
            out.skipped += 1
            continue
        out.rows.append(i)
        out.examples.append(example)
        out.scenarios.append(scenario)
    return out


def _likely_specs(scenarios: list[Scenario], ds: Dataset, option: str) -> list[PathSpec]:
    """Each row's most likely decision path (the engine's own path rules), cached by what decides it."""
    cache: dict[tuple, PathSpec] = {}
    out = []
    for s in scenarios:
        key = (s.plan.payer_type.value, s.indication.value, s.history.model_dump_json(), s.plan.iv_claim_route, s.if_denied,
               *(x.model_dump_json() if x is not None else "" for x in (s.iv_likelihood_pct, s.spravato_likelihood_pct)))
        if key not in cache:
            cov = assess(s, ds, option)
            specs = path_plan(s, ds, option, cov.level, cov.likelihood, [r.text for r in cov.reasons])
            cache[key] = specs[likely_index(specs)]
        out.append(cache[key])
    return out


def _if_accumulator(scenarios: list[Scenario], ds: Dataset, specs: list[PathSpec], idx: np.ndarray, last: np.ndarray) -> pd.Series:
    """Spravato's likely path if the plan has an accumulator, for rows where nobody has asked (empty elsewhere).

    The same rule as the one-patient comparison (:func:`toolkit.engine.compare.assistance_unknown`):
    the evaluator re-run with the plan term ``assist`` set to "accumulator".
    """
    from ..engine.compare import assistance_unknown

    ask = np.array([assistance_unknown(s, ds, "spravato") and sp.claims in ("approved", "appeal") for s, sp in zip(scenarios, specs)])
    out = pd.Series([np.nan] * len(scenarios), dtype="float64")
    if not ask.any():
        return out
    rows = np.flatnonzero(ask)
    sub = [scenarios[i] for i in rows]
    res = evaluate(sub, ds, options=("spravato",), outcomes=("approved", "appeal"), overrides={"assist": np.ones(len(sub), dtype=np.int64)})
    for j, i in enumerate(rows):
        variant = specs[i].claims
        out[i] = np.cumsum(res.monthly["spravato"][variant][j])[last[i]] / 100
    return out


def run_batch(batch: BatchInput, ds: Dataset | None = None) -> pd.DataFrame:
    """Price every valid row; one output row each (see :data:`OUTPUT_COLUMNS`), the likely path first."""
    ds = ds or dataset()
    if not batch.scenarios:
        return pd.DataFrame(columns=list(OUTPUT_COLUMNS))
    res = evaluate(batch.scenarios, ds, outcomes=VARIANTS)
    horizon = res.horizon
    last = horizon - 1
    idx = np.arange(len(horizon))
    cols: dict[str, object] = {
        "row": batch.rows,
        "label": [s.title for s in batch.scenarios],
        "example": batch.examples,
        "payer_type": [s.plan.payer_type.value for s in batch.scenarios],
        "months": horizon,
    }
    likely: dict[str, np.ndarray] = {}
    specs = {o: _likely_specs(batch.scenarios, ds, o) for o in OPTIONS}
    for option, short in (("iv_ketamine", "iv"), ("spravato", "spravato")):
        monthly = np.zeros_like(res.monthly[option]["approved"])
        for variant in VARIANTS:
            rows = np.array([sp.claims == variant for sp in specs[option]])
            monthly[rows] = res.monthly[option][variant][rows]
        likely[option] = monthly
    for option, other in (("iv_ketamine", "spravato"), ("spravato", "iv_ketamine")):
        switch = np.array([sp.claims == "switch" for sp in specs[option]])
        likely[option][switch] = likely[other][switch]  # the other option's likely path (never itself a switch)
    for option, short in (("iv_ketamine", "iv"), ("spravato", "spravato")):
        cum = np.cumsum(likely[option], axis=1)
        cols[f"{short}_likely_path"] = [sp.key for sp in specs[option]]
        cols[f"{short}_likely_chance"] = [float(sp.likelihood[1]) for sp in specs[option]]
        cols[f"{short}_likely_first_month"] = cum[:, 0] / 100
        cols[f"{short}_likely_cost"] = cum[idx, last] / 100
        cols[f"{short}_if_approved"] = res.cumulative(option, "approved")[idx, last] / 100
        cols[f"{short}_if_denied"] = res.cumulative(option, "denied")[idx, last] / 100
        cols[f"{short}_chance_approved"] = res.likelihood[option][:, 1] / P_SCALE
        cols[f"{short}_average"] = res.expected(option)[idx, last] / 100
        likely[option] = cum
    cols["spravato_likely_cost_if_accumulator"] = _if_accumulator(batch.scenarios, ds, specs["spravato"], idx, last)
    diff = likely["iv_ketamine"] - likely["spravato"]
    d = diff[idx, last]
    cols["iv_minus_spravato"] = d / 100
    cols["cheaper"] = np.where(d > 0, OPTION_LABELS["spravato"], np.where(d < 0, OPTION_LABELS["iv_ketamine"], "same"))
    be = breakeven_months_array(diff)
    cols["break_even_month"] = pd.array(np.where(be > 0, be, 0), dtype="Int64")
    frame = pd.DataFrame(cols)
    frame.loc[be == 0, "break_even_month"] = pd.NA
    return frame[list(OUTPUT_COLUMNS)]


def _spreadsheet_safe(text: object) -> object:
    """Text a spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe.

    >>> _spreadsheet_safe("=cmd|' /C calc'!A0"), _spreadsheet_safe("PPO, quotes")
    ("'=cmd|' /C calc'!A0", 'PPO, quotes')
    """
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(frame: pd.DataFrame) -> str:
    """Output CSV text: money with two decimals, chances with up to five, labels safe to open in a spreadsheet."""
    out = frame.copy()
    out["label"] = out["label"].map(_spreadsheet_safe)
    for c in out.columns:
        if c.endswith(("_average", "_if_approved", "_if_denied", "_likely_cost", "_likely_first_month", "_if_accumulator")) or c == "iv_minus_spravato":
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
        elif c.endswith(("_chance_approved", "_likely_chance")):
            out[c] = out[c].map(lambda v: f"{v:.5g}")
    return out.to_csv(index=False, lineterminator="\n")
