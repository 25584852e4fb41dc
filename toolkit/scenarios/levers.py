"""Levers: the named inputs a scenario analysis may move, and how each one moves the scenario.

Why a registry: the analyses (one-way, two-way, Monte Carlo, best and worst) never know how
costs are computed. They hand the model a dict ``{lever name: value}``; this module turns it
into an ordinary validated :class:`~toolkit.scenario.Scenario` (and, for figures that only
live in ``data/``, a dataset with that one row replaced), so the engine runs unchanged.

Units are the ones people read: dollars, fractions (0.5 = 50 %), weeks, sessions per week,
probabilities. Each lever rounds a value to the engine's quantum first (cents, basis points,
whole weeks), so the exact path and the vectorised Monte Carlo see the same numbers.

Levers in ``data/uncertainty.csv`` are the uncertain inputs; the plan levers below
(deductible remaining, coinsurance, out-of-pocket maximum) are known from the plan summary and
exist for two-way "what if" grids.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from ..claims import resolve_fraction_bp, resolve_price
from ..coverage import assess
from ..datasets import Dataset
from ..money import fmt_round, rate_to_bp, to_cents
from ..scenario import Scenario, set_path, validate_scenario

# a unit decides how a value is rounded and written
MONEY, FRACTION, WEEKS, PER_WEEK, PROBABILITY, PERCENT, COUNT = "money", "fraction", "weeks", "per_week", "probability", "percent", "count"


def scale_half_up(amount: int, num: int, den: int) -> int:
    """``amount x num / den`` in whole cents, rounded half up (non-negative inputs).

    Used to move a booster price in proportion with the infusion price.

    >>> scale_half_up(60000, 30000, 60000)   # a $600 booster when the infusion drops to $300
    30000
    >>> scale_half_up(50000, 33333, 60000)   # $277.775 rounds half up to $277.78
    27778
    """
    if den <= 0:
        return num
    return (2 * amount * num + den) // (2 * den)


def quantize(unit: str, value: float | int | Decimal) -> int | float:
    """Round a value to the engine's quantum: cents, basis points, whole weeks.

    >>> quantize("money", 599.995), quantize("fraction", 0.12345), quantize("weeks", 4.6)
    (60000, 1235, 5)
    """
    d = Decimal(str(value))
    if unit == MONEY:
        return to_cents(d)
    if unit == FRACTION:
        return rate_to_bp(d)
    if unit == WEEKS:
        return int(d.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if unit == PER_WEEK:
        return 1.0 if d >= Decimal("0.75") else 0.5
    if unit == PERCENT:
        return float(d.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    if unit == PROBABILITY:
        return float(min(Decimal(1), max(Decimal(0), d)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP))
    if unit == COUNT:
        return float(d)
    raise ValueError(f"unknown unit {unit!r}")


def natural(unit: str, q: int | float) -> float:
    """Back from the quantum to the unit people read (dollars, fraction...)."""
    if unit == MONEY:
        return q / 100
    if unit == FRACTION:
        return q / 10_000
    return float(q)


def describe(unit: str, value: float) -> str:
    """A value written for a patient: ``$600``, ``35%``, ``every 5 weeks``, ``weekly``.

    >>> [describe(u, v) for u, v in (("money", 600), ("fraction", 0.35), ("weeks", 5), ("per_week", 0.5), ("probability", 0.8))]
    ['$600', '35%', 'every 5 weeks', 'every 2 weeks', '80%']
    """
    if unit == MONEY:
        return fmt_round(quantize(MONEY, value))
    if unit in (FRACTION, PROBABILITY):
        return f"{float(value) * 100:.3g}%"
    if unit == PERCENT:
        return f"{float(value):.3g}%"
    if unit == WEEKS:
        v = int(value)
        return "no boosters" if v == 0 else ("every week" if v == 1 else f"every {v} weeks")
    if unit == PER_WEEK:
        return "weekly" if float(value) >= 0.75 else "every 2 weeks"
    return f"{value:g}"


# --------------------------------------------------------------------------- base values


def iv_infusion_cents(s: Scenario, ds: Dataset) -> int:
    return resolve_price(s.prices.iv_infusion, ds, f"iv.infusion.{s.schedule.iv_protocol}", "typical").cents


def iv_booster_cents(s: Scenario, ds: Dataset) -> int:
    """The booster price the engine uses: booster quote, else infusion quote, else the data row."""
    p = s.prices
    key = "iv.booster.depression" if s.schedule.iv_protocol == "depression" else "iv.infusion.pain"
    return resolve_price(p.iv_booster if p.iv_booster is not None else p.iv_infusion, ds, key, "typical").cents


def _price(field: str, key: str) -> Callable[[Scenario, Dataset], float]:
    return lambda s, ds: resolve_price(getattr(s.prices, field), ds, key, "typical").cents / 100


def _likelihood(option: str) -> Callable[[Scenario, Dataset], float]:
    return lambda s, ds: float(assess(s, ds, option).likelihood[1])


def _oon_share(s: Scenario, ds: Dataset) -> float:
    if s.plan.oon_allowed_pct is not None:
        return float(s.plan.oon_allowed_pct / 100)
    return float(ds.number("oon.allowed_share"))


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Lever:
    """One input an analysis may move.

    ``base`` reads the scenario's own value (a clinic quote when one was typed, else the
    typical published figure); ``edit`` writes a rounded value into the scenario's data
    (a plain dict) or into the dataset overrides.
    """

    name: str
    label: str
    unit: str
    group: str  # price, schedule, plan, approval, data
    option: str  # the option it mostly moves: iv_ketamine, spravato or both
    base: Callable[[Scenario, Dataset], float]
    edit: Callable[[dict, dict, Scenario, Dataset, Any], None]
    applies: Callable[[Scenario], bool] = lambda s: True
    data_row: str = ""  # for data levers: the dataset row replaced

    def quantize(self, value: float) -> int | float:
        return quantize(self.unit, value)

    def describe(self, value: float) -> str:
        return describe(self.unit, value)


def _dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))




def _edit_price(path: str) -> Callable:
    def edit(data: dict, _over: dict, _s: Scenario, _ds: Dataset, q: int) -> None:
        set_path(data, path, _dollars(q))

    return edit


def _edit_iv_price(data: dict, _over: dict, s: Scenario, ds: Dataset, q: int) -> None:
    # the booster moves in proportion, so the base value reproduces the engine exactly
    set_path(data, "prices.iv_infusion", _dollars(q))
    set_path(data, "prices.iv_booster", _dollars(scale_half_up(iv_booster_cents(s, ds), q, iv_infusion_cents(s, ds))))


def _edit_fraction_pct(path: str) -> Callable:
    def edit(data: dict, _over: dict, _s: Scenario, _ds: Dataset, bp: int) -> None:
        set_path(data, path, Decimal(bp) / 100)

    return edit


def _edit_interval(data: dict, _over: dict, _s: Scenario, _ds: Dataset, weeks: int) -> None:
    set_path(data, "schedule.iv_maintenance_interval_weeks", int(weeks))


def _edit_spravato_maintenance(data: dict, _over: dict, _s: Scenario, _ds: Dataset, per_week: float) -> None:
    set_path(data, "schedule.spravato_maintenance", "weekly" if per_week >= 0.75 else "every_2_weeks")


def _edit_data_row(key: str, unit: str) -> Callable:
    def edit(_data: dict, over: dict, _s: Scenario, _ds: Dataset, q: int | float) -> None:
        over[key] = Decimal(str(natural(unit, q)))

    return edit


def _edit_likelihood(field: str) -> Callable:
    def edit(data: dict, _over: dict, _s: Scenario, _ds: Dataset, p: float) -> None:
        pct = (Decimal(str(p)) * 100).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        data[field] = {"low": pct, "typical": pct, "high": pct}

    return edit


def _edit_deductible_remaining(data: dict, _over: dict, _s: Scenario, _ds: Dataset, q: int) -> None:
    tier = data["plan"]["in_network"]
    remaining = _dollars(q)
    deductible = Decimal(str(tier["deductible"]))
    if remaining > deductible:
        tier["deductible"] = remaining
        deductible = remaining
        if tier.get("oop_max") is not None and Decimal(str(tier["oop_max"])) < remaining:
            tier["oop_max"] = remaining
    tier["deductible_met"] = deductible - remaining


def _edit_oop_max(data: dict, _over: dict, _s: Scenario, _ds: Dataset, q: int) -> None:
    tier = data["plan"]["in_network"]
    cap = _dollars(q)
    tier["oop_max"] = cap
    tier["oop_met"] = min(Decimal(str(tier.get("oop_met") or 0)), cap)
    if Decimal(str(tier["deductible"])) > cap:
        tier["deductible"] = cap
        tier["deductible_met"] = min(Decimal(str(tier.get("deductible_met") or 0)), cap)


def _iv_standard(s: Scenario) -> bool:
    return not s.schedule.iv_custom_phases


def _spravato_label_trd(s: Scenario) -> bool:
    return not s.schedule.spravato_custom_phases and s.indication != "mdd_si"


LEVERS: dict[str, Lever] = {
    lv.name: lv
    for lv in (
        Lever("iv_price", "IV ketamine price per infusion", MONEY, "price", "iv_ketamine",
              lambda s, ds: iv_infusion_cents(s, ds) / 100, _edit_iv_price),
        Lever("iv_consultation", "IV ketamine consultation fee", MONEY, "price", "iv_ketamine",
              _price("iv_consultation", "iv.consultation"), _edit_price("prices.iv_consultation")),
        Lever("iv_package_discount", "Discount on the first series", FRACTION, "price", "iv_ketamine",
              lambda s, ds: resolve_fraction_bp(s.prices.iv_package_discount_pct, ds, "iv.package_discount", "typical")[0] / 10_000,
              _edit_fraction_pct("prices.iv_package_discount_pct")),
        Lever("iv_maintenance_interval_weeks", "Weeks between IV boosters", WEEKS, "schedule", "iv_ketamine",
              lambda s, ds: float(s.schedule.iv_maintenance_interval_weeks), _edit_interval, _iv_standard),
        Lever("spravato_device", "Spravato price per 28 mg device", MONEY, "price", "spravato",
              _price("spravato_device", "spravato.device_28mg"), _edit_price("prices.spravato_device")),
        Lever("spravato_observation", "Spravato observation visit fee", MONEY, "price", "spravato",
              _price("spravato_observation", "spravato.observation_visit"), _edit_price("prices.spravato_observation")),
        Lever("spravato_cash_session", "Spravato self-pay price per session", MONEY, "price", "spravato",
              _price("spravato_cash_session", "spravato.cash_per_session"), _edit_price("prices.spravato_cash_session")),
        Lever("spravato_maintenance_per_week", "Spravato maintenance from week 9", PER_WEEK, "schedule", "spravato",
              lambda s, ds: 1.0 if s.schedule.spravato_maintenance == "weekly" else 0.5, _edit_spravato_maintenance, _spravato_label_trd),
        Lever("oon_allowed_share", "Share of the charge a plan allows out of network", FRACTION, "price", "both",
              _oon_share, _edit_fraction_pct("plan.oon_allowed_pct")),
        Lever("savings_drug_annual_max", "Spravato savings program yearly maximum", MONEY, "data", "spravato",
              lambda s, ds: float(ds.number("savings.drug.annual_max")), _edit_data_row("savings.drug.annual_max", MONEY),
              data_row="savings.drug.annual_max"),
        Lever("iv_approval", "Chance the plan pays for IV ketamine", PROBABILITY, "approval", "iv_ketamine",
              _likelihood("iv_ketamine"), _edit_likelihood("iv_likelihood_pct")),
        Lever("spravato_approval", "Chance the plan pays for Spravato", PROBABILITY, "approval", "spravato",
              _likelihood("spravato"), _edit_likelihood("spravato_likelihood_pct")),
        # plan levers: known from the plan summary; for "what if" grids, not uncertain inputs
        Lever("deductible_remaining", "In-network deductible still to pay", MONEY, "plan", "both",
              lambda s, ds: float(s.plan.in_network.deductible - s.plan.in_network.deductible_met), _edit_deductible_remaining),
        Lever("coinsurance_pct", "In-network coinsurance (%)", PERCENT, "plan", "both",
              lambda s, ds: float(s.plan.in_network.coinsurance_pct), lambda d, o, s, ds, v: set_path(d, "plan.in_network.coinsurance_pct", Decimal(str(v)))),
        Lever("oop_max", "In-network out-of-pocket maximum", MONEY, "plan", "both",
              lambda s, ds: float(s.plan.in_network.oop_max if s.plan.in_network.oop_max is not None else 0), _edit_oop_max,
              lambda s: s.plan.in_network.oop_max is not None),
    )
}


def data_lever(name: str, key: str, label: str, unit: str) -> Lever:
    """A lever for any figure in data/ that has no lever of its own: the row's value is replaced."""
    return Lever(name, label, unit, "data", "both", lambda s, ds: float(ds.number(key)), _edit_data_row(key, unit), data_row=key)


def get_lever(name: str, extra: dict[str, Lever] | None = None) -> Lever:
    if extra and name in extra:
        return extra[name]
    try:
        return LEVERS[name]
    except KeyError:
        raise KeyError(f"'{name}' is not an input the scenarios can move (known: {', '.join(LEVERS)})") from None


def with_rows(ds: Dataset, overrides: dict[str, Decimal]) -> Dataset:
    """A copy of the dataset with some rows pinned to one value (low = typical = high)."""
    if not overrides:
        return ds
    other = copy.copy(ds)
    other.parameters = dict(ds.parameters)
    for key, v in overrides.items():
        other.parameters[key] = replace(ds.value(key), low=v, typical=v, high=v)
    return other


def apply_values(scenario: Scenario, ds: Dataset, values: dict[str, float] | None, extra: dict[str, Lever] | None = None) -> tuple[Scenario, Dataset]:
    """The scenario (and dataset) with each named lever set to a value; validated like any input.

    Raises :class:`~toolkit.scenario.ScenarioError` when a value makes the scenario invalid
    (for example a coinsurance above 100 %).
    """
    if not values:
        return scenario, ds
    data = scenario.model_dump()
    overrides: dict[str, Decimal] = {}
    for name, value in values.items():
        lever = get_lever(name, extra)
        lever.edit(data, overrides, scenario, ds, lever.quantize(value))
    return validate_scenario(data), with_rows(ds, overrides)


def quantize_array(unit: str, values):
    """:func:`quantize` for a numpy array of non-negative values (cents, basis points, weeks).

    >>> import numpy as np
    >>> quantize_array("money", np.array([600.0, 299.994, 0.005])).tolist()
    [60000, 29999, 1]
    """
    import numpy as np

    x = np.asarray(values, dtype=float)
    if unit == MONEY:
        return np.floor(x * 100 + 0.5 + 1e-9).astype(np.int64)
    if unit == FRACTION:
        return np.floor(x * 10_000 + 0.5 + 1e-9).astype(np.int64)
    if unit == WEEKS:
        return np.floor(x + 0.5).astype(np.int64)
    if unit == PER_WEEK:
        return np.where(x >= 0.75, 1.0, 0.5)
    return x
