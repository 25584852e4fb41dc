"""Every number the claim lines and the adjudication use, resolved once into named integers.

Why one mapping: the engine reads prices, allowed-amount shares, savings-program terms and
the plan's cost sharing from two places (the scenario and ``data/``) at three price levels.
Resolving them here, into one flat mapping of named ints (cents, basis points, flags), means
the pricing and adjudication rules never look anything up, and an analysis can move any
input by replacing one entry, with an int for one patient or an array for many draws.

- :data:`PRICE_INPUTS` names every figure taken from ``data/`` (or a clinic quote), with the
  data row it comes from: a new uncertain input that points at one of these rows is varied
  by the Monte Carlo per draw, with no code change.
- :func:`plan_terms` turns the plan (deductibles, coinsurance, caps, copay rules, Medigap,
  accumulator programs, savings-program eligibility) into the same kind of mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..data import Dataset, PriceLevel
from ..dates import plan_year_start
from ..money import NO_CAP, rate_to_bp, to_cents
from ..scenario import Scenario

COMMERCIAL_PAYERS = {"commercial", "hdhp"}
# A discount is a saving: the best case (low prices) takes the high end of its range.
_SAVING_LEVEL: dict[str, PriceLevel] = {"low": "high", "typical": "typical", "high": "low"}


@dataclass(frozen=True)
class PriceInput:
    """One priced input: its data row (for this scenario), the clinic quote that replaces it, its unit."""

    name: str
    row: Callable[[Scenario], str]
    quote: Callable[[Scenario], Any] = lambda s: None
    unit: str = "cents"  # cents, bp (a fraction), or days
    saving: bool = False  # a discount: best case takes the high end
    levelled: bool = True  # False: the program's stated figure at every price level
    quote_ref: str = ""  # where a quote comes from, when it is not the clinic or the advisor


# codes priced from the Medicare fee schedule (data/prices.csv: medicare.pfs.<code>): Medicare's
# own amount, the base of in-network commercial rates, and of a plan's "% of Medicare" allowance
FEE_CODES = ("90791", "96365", "96366", "99214", "99215", "99415", "99416", "99417", "G2212")
GOVERNMENT_RATES = {"medicare", "medicare_advantage", "tricare", "va", "medicaid"}


def _network_multiple(s: Scenario) -> Any:
    """Government coverage pays its fee schedule (taken as Medicare's); commercial plans a multiple of it."""
    return Decimal(1) if s.plan.payer_type in GOVERNMENT_RATES else None


def _row(key: str) -> Callable[[Scenario], str]:
    return lambda s: key


def _booster_row(s: Scenario) -> str:
    return "iv.booster.depression" if s.schedule.iv_protocol == "depression" else "iv.infusion.pain"


def _booster_quote(s: Scenario) -> Any:
    p = s.prices
    return p.iv_booster if p.iv_booster is not None else p.iv_infusion


def _pct_quote(value: Any) -> Any:
    return None if value is None else value / 100


PRICE_INPUTS: tuple[PriceInput, ...] = (
    PriceInput("iv_infusion", lambda s: f"iv.infusion.{s.schedule.iv_protocol}", lambda s: s.prices.iv_infusion),
    PriceInput("iv_booster", _booster_row, _booster_quote),
    PriceInput("iv_consultation", _row("iv.consultation"), lambda s: s.prices.iv_consultation),
    PriceInput("iv_discount_bp", _row("iv.package_discount"), lambda s: _pct_quote(s.prices.iv_package_discount_pct), unit="bp", saving=True),
    PriceInput("spravato_device", _row("spravato.device_28mg"), lambda s: s.prices.spravato_device),
    PriceInput("spravato_observation", _row("spravato.observation_visit"), lambda s: s.prices.spravato_observation),
    PriceInput("spravato_cash", _row("spravato.cash_per_session"), lambda s: s.prices.spravato_cash_session),
    PriceInput("iv_claim_j3490", _row("iv.claim.j3490")),
    *(PriceInput(f"mpfs_{c}", _row(f"medicare.pfs.{c.lower()}"), levelled=False) for c in FEE_CODES),
    PriceInput("inn_bp", _row("commercial.physician_multiple"), _network_multiple, unit="bp", quote_ref="fee schedule"),
    PriceInput("oon_mc_bp", _row("oon.medicare_multiple"), lambda s: _pct_quote(s.plan.oon_medicare_pct), unit="bp"),
    PriceInput("medicare_g2082", _row("medicare.g2082")),
    PriceInput("medicare_g2083", _row("medicare.g2083")),
    PriceInput("oon_bp", _row("oon.allowed_share"), lambda s: _pct_quote(s.plan.oon_allowed_pct), unit="bp"),
    PriceInput("drug_floor", _row("savings.drug.patient_pays"), levelled=False),
    PriceInput("drug_cap", _row("savings.drug.annual_max"), levelled=False),
    PriceInput("obs_floor", _row("savings.observation.patient_pays"), levelled=False),
    PriceInput("obs_cap", _row("savings.observation.annual_max"), levelled=False),
)
INPUT_NAMES = tuple(p.name for p in PRICE_INPUTS)


@dataclass(frozen=True)
class PricedInputs:
    """The priced inputs of one scenario at one price level: values (ints) and where each came from."""

    values: dict[str, int]
    refs: dict[str, str]  # "clinic quote", "entered" (a plan figure) or the data row, e.g. "prices.csv:iv.consultation"
    rows: dict[str, str]  # input name -> data row id it would read without a quote


def _convert(value: Any, unit: str) -> int:
    return rate_to_bp(value) if unit == "bp" else to_cents(value)


def priced_inputs(scenario: Scenario, ds: Dataset, level: PriceLevel = "typical") -> PricedInputs:
    """Every priced input at ``level``: the clinic's quote when the advisor entered one, else the published figure."""
    values: dict[str, int] = {}
    refs: dict[str, str] = {}
    rows: dict[str, str] = {}
    for p in PRICE_INPUTS:
        key = p.row(scenario)
        rows[p.name] = key
        quote = p.quote(scenario)
        if quote is not None:
            values[p.name] = _convert(quote, p.unit)
            refs[p.name] = p.quote_ref or ("entered" if p.unit == "bp" else "clinic quote")
            continue
        v = ds.value(key)
        pick = (_SAVING_LEVEL[level] if p.saving else level) if p.levelled else "typical"
        values[p.name] = _convert(v.pick(pick), p.unit)
        refs[p.name] = v.ref
    # the published self-pay price is for a 56 mg session (two devices); a clinic's quote is for this patient's dose
    values["cash_ref_devices"] = 2 if scenario.prices.spravato_cash_session is None else scenario.schedule.spravato_dose_mg // 28
    refs["cash_ref_devices"] = "56 mg" if values["cash_ref_devices"] == 2 else f"{scenario.schedule.spravato_dose_mg} mg"
    for code, amount in scenario.plan.oon_allowed_amounts.items():  # the insurer's own figures, by code
        values[f"quote_{code}"] = to_cents(amount)
        refs[f"quote_{code}"] = "the insurer's allowed amount"
    for code, amount in scenario.plan.in_network_allowed_amounts.items():  # the plan's own rate, as an EOB showed it
        values[f"inn_quote_{code}"] = to_cents(amount)
        refs[f"inn_quote_{code}"] = "the plan's allowed amount on an explanation of benefits"
    return PricedInputs(values, refs, rows)


def input_for_row(scenario: Scenario, ds: Dataset, row_id: str) -> str | None:
    """The priced input a data row feeds for this scenario (None: the row shapes the schedule, or a quote replaces it)."""
    for p in PRICE_INPUTS:
        if p.row(scenario) == row_id:
            return p.name if p.quote(scenario) is None else None
    return None


def with_derived(values: dict[str, Any]) -> dict[str, Any]:
    """Add the prices derived from others, each by one rule.

    - A prepaid first series: ``infusion - round(infusion x discount)`` per infusion; boosters
      and later infusions at the full price.
    - In-network rates for the visit and infusion codes: ``round(Medicare fee x multiple)``
      (commercial plans pay a multiple of Medicare, ``data/prices.csv:
      commercial.physician_multiple``; government coverage its fee schedule).
    - The Spravato self-pay price by dose: the published price is for a 56 mg session (two
      devices), a clinic's quote for the patient's dose (``cash_ref_devices``); each device
      more adds the price of one device, and a smaller dose is not assumed to cost less
      (no published price by dose; a clinic may charge one price):
      ``cash_n = cash + max(0, n - ref) x device`` for a session of ``n`` devices.

    >>> v = with_derived({"iv_infusion": 60000, "iv_discount_bp": 500, "inn_bp": 14300, "spravato_cash": 105000,
    ...                   "spravato_device": 37500, "cash_ref_devices": 2, **{f"mpfs_{c}": 13561 for c in FEE_CODES}})
    >>> v["iv_first_series"], v["inn_99214"], v["spravato_cash_84"], v["spravato_cash_28"]
    (57000, 19392, 142500, 105000)
    """
    from ..money import maximum, share

    out = dict(values)
    out["iv_first_series"] = values["iv_infusion"] - share(values["iv_infusion"], values["iv_discount_bp"])
    for c in FEE_CODES:
        quoted = values.get(f"inn_quote_{c}")
        out[f"inn_{c}"] = share(values[f"mpfs_{c}"], values["inn_bp"]) if quoted is None else quoted
    for mg in (28, 56, 84):
        out[f"spravato_cash_{mg}"] = values["spravato_cash"] + maximum(0, mg // 28 - values["cash_ref_devices"]) * values["spravato_device"]
    return out


# ----------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class SavingsEligibility:
    """Whether the Spravato savings program (drug) and the observation rebate apply, and why not."""

    drug: bool
    rebate: bool
    note: str


def savings_eligibility(scenario: Scenario, ds: Dataset) -> SavingsEligibility:
    """Commercial plans only; government plans excluded; the rebate excludes some states."""
    p = scenario.plan
    excluded = set(ds.value("savings.excluded_payers").items)
    if not p.manufacturer_savings:
        return SavingsEligibility(False, False, "Savings program not used (turned off).")
    if p.payer_type not in COMMERCIAL_PAYERS or p.payer_type in excluded:
        return SavingsEligibility(False, False, "The Spravato savings program is for commercial plans only; government plans are excluded.")
    states = set(ds.value("savings.observation.excluded_states").items)
    if p.state and p.state in states:
        return SavingsEligibility(True, False, f"The observation rebate is not valid for residents of {p.state}.")
    return SavingsEligibility(True, True, "")


def plan_start_month(scenario: Scenario) -> int:
    """Original Medicare counts its Part B deductible by calendar year; other plans by their plan year."""
    return 1 if scenario.plan.payer_type == "medicare" else scenario.plan.plan_year_start_month


def _tier(prefix: str, tier: Any) -> dict[str, Any]:
    if tier is None:
        return {f"{prefix}_ded": 0, f"{prefix}_ded_met0": 0, f"{prefix}_coins": 0, f"{prefix}_copay": 0, f"{prefix}_oop": NO_CAP, f"{prefix}_oop_met0": 0}
    return {
        f"{prefix}_ded": to_cents(tier.deductible),
        f"{prefix}_ded_met0": to_cents(tier.deductible_met),
        f"{prefix}_coins": rate_to_bp(tier.coinsurance_pct / 100),
        f"{prefix}_copay": to_cents(tier.copay),
        f"{prefix}_oop": NO_CAP if tier.oop_max is None else to_cents(tier.oop_max),
        f"{prefix}_oop_met0": to_cents(tier.oop_met),
    }


def plan_terms(scenario: Scenario, ds: Dataset) -> dict[str, Any]:
    """The plan's rules as ints and flags, keyed the way the adjudication reads them.

    ``*_met0`` are the amounts met when the comparison starts; they count only in the first
    plan year. A tier with no cap has ``NO_CAP``. ``first_py`` is the year in which the
    first plan year starts.
    """
    from .payers import copay_before_deductible, effective_tiers

    p = scenario.plan
    start_month = plan_start_month(scenario)
    elig = savings_eligibility(scenario, ds)
    in_tier, out_tier = effective_tiers(scenario, ds)
    return {
        "start_month": start_month,
        "first_py": plan_year_start(scenario.start_date, start_month).year,
        **_tier("in", in_tier),
        "out_exists": out_tier is not None,
        **_tier("out", out_tier),
        "pharm_bp": rate_to_bp(p.pharmacy_coinsurance_pct / 100),
        "pharm_copay": to_cents(p.pharmacy_copay),
        "copay_before": copay_before_deductible(scenario),
        "copay_counts": bool(p.copays_count_toward_deductible),
        "medigap": MEDIGAP_CODE[p.medigap] if p.payer_type == "medicare" else 0,
        "medigap_copay": to_cents(ds.number("medigap.plan_n.office_copay")),
        "assist": ASSIST_CODE[p.copay_assistance_counts],
        "oon_method": OON_METHOD_CODE[p.oon_allowed_method],
        **_part_d(scenario, ds),
        "month_cap": _medicaid_cap(scenario, ds),
        "savings_ok": elig.drug,
        "rebate_ok": elig.rebate,
    }


# plan choices as numbers, so a choice can differ between draws at the same line
ASSIST_CODE = {"unknown": 0, "counts": 0, "accumulator": 1, "maximizer": 2}  # unknown: "counts", and the faces show both
OON_METHOD_CODE = {"percent_of_charge": 0, "percent_of_medicare": 1, "per_code": 2}
MEDIGAP_CODE = {"none": 0, "plan_g": 1, "plan_n": 2}


def uses_part_d(scenario: Scenario) -> bool:
    """Spravato's drug from a specialty pharmacy under Part D (the visit still under Part B or the MA plan)."""
    p = scenario.plan
    return p.payer_type in ("medicare", "medicare_advantage") and p.medicare_spravato_route == "part_d"


def _part_d(scenario: Scenario, ds: Dataset) -> dict[str, Any]:
    """Part D's own accumulators: its deductible, 25 % coinsurance and the yearly cap, by calendar year."""
    if not uses_part_d(scenario):
        return {"rx_sep": False, "rx_ded": 0, "rx_coins": 0, "rx_oop": NO_CAP}
    ded = scenario.plan.part_d_deductible
    return {
        "rx_sep": True,
        "rx_ded": to_cents(ds.number("medicare.partd.deductible") if ded is None else ded),
        "rx_coins": rate_to_bp(ds.number("medicare.partd.coinsurance")),
        "rx_oop": to_cents(ds.number("medicare.partd.oop_cap")),
    }


def _medicaid_cap(scenario: Scenario, ds: Dataset) -> int:
    """Medicaid: the household's cost sharing in a month is capped at 5 % of its monthly income (NO_CAP if not given)."""
    p = scenario.plan
    if p.payer_type != "medicaid" or p.medicaid_monthly_income is None:
        return NO_CAP
    from ..money import share

    return share(to_cents(p.medicaid_monthly_income), rate_to_bp(ds.number("medicaid.cost_sharing_cap")))


def terms(scenario: Scenario, ds: Dataset, level: PriceLevel = "typical", overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Plan terms and priced inputs in one mapping, derived prices included, after any overrides."""
    values = {**plan_terms(scenario, ds), **priced_inputs(scenario, ds, level).values}
    if overrides:
        values.update(overrides)
    return with_derived(values)
