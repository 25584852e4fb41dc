"""Levers: the named inputs a scenario analysis may move, and how each one moves the model.

Why a registry: the analyses (one-way, two-way, Monte Carlo, best and worst) never know how
costs are computed. They hand the model a dict ``{lever name: value}``; each lever says how
it is varied (:attr:`Lever.varies`):

- ``input``: a priced input or plan term of the engine (:mod:`toolkit.engine.terms`), set
  directly; an array sets one value per draw, so the Monte Carlo varies it draw by draw.
- ``scenario``: a choice that reshapes the claim lines (booster spacing, Spravato
  maintenance, the plan's deductible): the scenario is edited and validated like any input;
  the Monte Carlo groups draws that share a value.
- ``dataset``: a figure of ``data/`` that feeds no priced input (e.g. a schedule figure): the
  row is replaced; grouped like ``scenario``.
- ``approval``: the chance the plan pays, drawn yes or no by the Monte Carlo.

Any row of ``data/uncertainty.csv`` that names a figure in ``data/`` becomes a lever with no
new code (:func:`data_lever`): an ``input`` lever when that figure feeds a priced input for
this patient, a ``dataset`` lever otherwise.

Units are the ones people read: dollars, fractions (0.5 = 50 %), weeks, sessions per week,
probabilities. Each lever rounds a value to the engine's quantum first (cents, basis points,
whole weeks), so the exact path and the vectorised Monte Carlo see the same numbers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

import numpy as np

from ..data import Dataset
from ..engine.coverage import assess
from ..engine.terms import input_for_row, priced_inputs
from ..money import fmt_round, rate_to_bp, scale_half_up, to_cents
from ..scenario import Scenario, ScenarioError, set_path, validate_scenario

# a unit decides how a value is rounded and written
MONEY, FRACTION, WEEKS, PER_WEEK, PROBABILITY, PERCENT, COUNT = "money", "fraction", "weeks", "per_week", "probability", "percent", "count"
DOSE_MG = "mg"  # a Spravato maintenance dose: 56 or 84 mg (two or three devices)
VARIES = ("input", "scenario", "dataset", "approval")


def quantize(unit: str, value: Any) -> Any:
    """Round a value (or an array of draws) to the engine's quantum: cents, basis points, whole weeks.

    >>> quantize("money", 599.995), quantize("fraction", 0.12345), quantize("weeks", 4.6)
    (60000, 1235, 5)
    >>> quantize("money", np.array([600.0, 299.994, 0.005])).tolist()
    [60000, 29999, 1]
    """
    if isinstance(value, np.ndarray):
        x = value.astype(float)
        if unit == MONEY:
            return np.floor(x * 100 + 0.5 + 1e-9).astype(np.int64)
        if unit == FRACTION:
            return np.floor(x * 10_000 + 0.5 + 1e-9).astype(np.int64)
        if unit == WEEKS:
            return np.floor(x + 0.5).astype(np.int64)
        if unit == PER_WEEK:
            return np.where(x >= 0.75, 1.0, 0.5)
        if unit == DOSE_MG:
            return np.where(x >= 70, 84.0, 56.0)
        if unit == COUNT:
            return np.floor(x + 0.5)
        return x
    d = Decimal(str(value))
    if unit == MONEY:
        return to_cents(d)
    if unit == FRACTION:
        return rate_to_bp(d)
    if unit == WEEKS:
        return int(d.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if unit == PER_WEEK:
        return 1.0 if d >= Decimal("0.75") else 0.5
    if unit == DOSE_MG:
        return 84.0 if d >= 70 else 56.0
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
    if unit == DOSE_MG:
        return f"{float(value):g} mg"
    return f"{value:g}"


# --------------------------------------------------------------------------- the lever


@dataclass(frozen=True)
class Lever:
    """One input an analysis may move.

    ``base`` reads the scenario's own value (a clinic quote when one was typed, else the
    typical published figure). ``input`` levers set ``input`` in the engine's terms (and
    ``companion`` moves inputs that follow it); ``scenario`` and ``approval`` levers
    ``edit`` the scenario's data; ``dataset`` levers replace ``data_row``.
    """

    name: str
    label: str
    unit: str
    group: str  # price, schedule, plan, approval, data
    option: str  # the option it mostly moves: iv_ketamine, spravato or both
    base: Callable[[Scenario, Dataset], float]
    varies: str = "input"
    input: str = ""
    companion: Callable[[Any, dict[str, int]], dict[str, Any]] | None = None
    edit: Callable[[dict, Scenario, Dataset, Any], None] | None = None
    applies: Callable[[Scenario], bool] = lambda s: True
    data_row: str = ""

    def quantize(self, value: Any) -> Any:
        return quantize(self.unit, value)

    def describe(self, value: float) -> str:
        return describe(self.unit, value)

    def resolve(self, scenario: Scenario, ds: Dataset) -> "Lever":
        """This lever for one patient: a data lever becomes an input lever where its row feeds a priced input."""
        if self.varies != "dataset" or self.unit not in (MONEY, FRACTION):
            return self
        name = input_for_row(scenario, ds, self.data_row)
        return replace(self, varies="input", input=name) if name else self


def _dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _input_base(name: str, unit: str) -> Callable[[Scenario, Dataset], float]:
    return lambda s, ds: natural(unit, priced_inputs(s, ds, "typical").values[name])


def booster_follows_infusion(q: Any, base: dict[str, int]) -> dict[str, Any]:
    """The booster price moved in proportion with the infusion price (``prices.csv`` prices a booster as one infusion)."""
    return {"iv_booster": scale_half_up(base["iv_booster"], q, base["iv_infusion"])}


def _edit_interval(data: dict, _s: Scenario, _ds: Dataset, weeks: int) -> None:
    set_path(data, "schedule.iv_maintenance_interval_weeks", int(weeks))


def _edit_spravato_maintenance(data: dict, _s: Scenario, _ds: Dataset, per_week: float) -> None:
    set_path(data, "schedule.spravato_maintenance", "weekly" if per_week >= 0.75 else "every_2_weeks")


def _edit_spravato_dose(data: dict, _s: Scenario, _ds: Dataset, mg: float) -> None:
    """A drawn dose becomes the nearer of the label's maintenance doses (56 or 84 mg)."""
    set_path(data, "schedule.spravato_dose_mg", int(quantize(DOSE_MG, mg)))


def _edit_likelihood(field_name: str) -> Callable:
    def edit(data: dict, _s: Scenario, _ds: Dataset, p: float) -> None:
        pct = (Decimal(str(p)) * 100).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        data[field_name] = {"low": pct, "typical": pct, "high": pct}

    return edit


def _edit_deductible_remaining(data: dict, _s: Scenario, _ds: Dataset, q: int) -> None:
    tier = data["plan"]["in_network"]
    remaining = _dollars(q)
    deductible = Decimal(str(tier["deductible"]))
    if remaining > deductible:
        tier["deductible"] = remaining
        deductible = remaining
        if tier.get("oop_max") is not None and Decimal(str(tier["oop_max"])) < remaining:
            tier["oop_max"] = remaining
    tier["deductible_met"] = deductible - remaining


def _edit_oop_max(data: dict, _s: Scenario, _ds: Dataset, q: int) -> None:
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


def _price(name: str, label: str, input_name: str, option: str, unit: str = MONEY, **kw: Any) -> Lever:
    return Lever(name, label, unit, "price", option, _input_base(input_name, unit), "input", input_name, **kw)


LEVERS: dict[str, Lever] = {
    lv.name: lv
    for lv in (
        _price("iv_price", "IV ketamine price per infusion", "iv_infusion", "iv_ketamine", companion=booster_follows_infusion),
        _price("iv_consultation", "IV ketamine consultation fee", "iv_consultation", "iv_ketamine"),
        _price("iv_package_discount", "Discount on the first series", "iv_discount_bp", "iv_ketamine", FRACTION),
        Lever("iv_maintenance_interval_weeks", "Weeks between IV boosters", WEEKS, "schedule", "iv_ketamine",
              lambda s, ds: float(s.schedule.iv_maintenance_interval_weeks), "scenario", edit=_edit_interval, applies=_iv_standard),
        _price("spravato_device", "Spravato price per 28 mg device", "spravato_device", "spravato"),
        _price("spravato_observation", "Spravato observation visit fee", "spravato_observation", "spravato"),
        _price("spravato_cash_session", "Spravato self-pay price per session", "spravato_cash", "spravato"),
        Lever("spravato_maintenance_per_week", "Spravato maintenance from week 9", PER_WEEK, "schedule", "spravato",
              lambda s, ds: 1.0 if s.schedule.spravato_maintenance == "weekly" else 0.5, "scenario",
              edit=_edit_spravato_maintenance, applies=_spravato_label_trd),
        Lever("spravato_dose_mg", "Spravato dose after day 1", DOSE_MG, "schedule", "spravato",
              lambda s, ds: float(s.schedule.spravato_dose_mg), "scenario",
              edit=_edit_spravato_dose, applies=_spravato_label_trd),
        _price("oon_allowed_share", "Share of the charge a plan allows out of network", "oon_bp", "both", FRACTION),
        _price("network_multiple", "In-network rates as a multiple of Medicare's fees", "inn_bp", "both", FRACTION),
        _price("oon_medicare_multiple", "Out-of-network allowed amount as a multiple of Medicare", "oon_mc_bp", "both", FRACTION),
        Lever("savings_drug_annual_max", "Spravato savings program yearly maximum", MONEY, "data", "spravato",
              _input_base("drug_cap", MONEY), "input", "drug_cap", data_row="savings.drug.annual_max"),
        Lever("iv_approval", "Chance the plan pays for IV ketamine", PROBABILITY, "approval", "iv_ketamine",
              lambda s, ds: float(assess(s, ds, "iv_ketamine").likelihood[1]), "approval", edit=_edit_likelihood("iv_likelihood_pct")),
        Lever("spravato_approval", "Chance the plan pays for Spravato", PROBABILITY, "approval", "spravato",
              lambda s, ds: float(assess(s, ds, "spravato").likelihood[1]), "approval", edit=_edit_likelihood("spravato_likelihood_pct")),
        # plan levers: known from the plan summary; for "what if" grids, not uncertain inputs
        Lever("deductible_remaining", "In-network deductible still to pay", MONEY, "plan", "both",
              lambda s, ds: float(s.plan.in_network.deductible - s.plan.in_network.deductible_met), "scenario",
              edit=_edit_deductible_remaining),
        Lever("coinsurance_pct", "In-network coinsurance (%)", PERCENT, "plan", "both",
              lambda s, ds: float(s.plan.in_network.coinsurance_pct), "scenario",
              edit=lambda d, s, ds, v: set_path(d, "plan.in_network.coinsurance_pct", Decimal(str(v)))),
        Lever("oop_max", "In-network out-of-pocket maximum", MONEY, "plan", "both",
              lambda s, ds: float(s.plan.in_network.oop_max if s.plan.in_network.oop_max is not None else 0), "scenario",
              edit=_edit_oop_max, applies=lambda s: s.plan.in_network.oop_max is not None),
    )
}
APPROVAL_LEVERS = {"iv_approval": "iv_ketamine", "spravato_approval": "spravato"}


def data_lever(name: str, key: str, label: str, unit: str) -> Lever:
    """A lever for any figure in data/ that has no lever of its own: see :meth:`Lever.resolve`."""
    return Lever(name, label, unit, "data", "both", lambda s, ds: float(ds.number(key)), "dataset", data_row=key)


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


@dataclass
class Applied:
    """A scenario with lever values set: the edited scenario and dataset, and the engine inputs to override."""

    scenario: Scenario
    ds: Dataset
    overrides: dict[str, Any] = field(default_factory=dict)


def input_overrides(levers: dict[str, Lever], quantized: dict[str, Any], base: dict[str, int]) -> dict[str, Any]:
    """Engine inputs set by ``input`` levers (ints, or arrays of draws), companions included."""
    out: dict[str, Any] = {}
    for name, q in quantized.items():
        lv = levers[name]
        out[lv.input] = q
        if lv.companion is not None:
            out.update(lv.companion(q, base))
    return out


def apply_values(scenario: Scenario, ds: Dataset, values: dict[str, Any] | None, extra: dict[str, Lever] | None = None,
                 kinds: tuple[str, ...] = VARIES) -> Applied:
    """The scenario with each named lever set; ``kinds`` limits which kinds of lever are applied.

    Input levers may take arrays (one value per draw); the others take one value. Raises
    :class:`~toolkit.scenario.ScenarioError` when a value makes the scenario invalid (for
    example a coinsurance above 100 %).
    """
    if not values:
        return Applied(scenario, ds)
    levers = {name: get_lever(name, extra).resolve(scenario, ds) for name in values}
    data = None
    rows: dict[str, Decimal] = {}
    inputs: dict[str, Any] = {}
    for name, value in values.items():
        lv = levers[name]
        if lv.varies not in kinds:
            continue
        q = lv.quantize(value)
        if lv.varies == "input":
            inputs[name] = q
        elif lv.varies == "dataset":
            rows[lv.data_row] = Decimal(str(natural(lv.unit, q)))
        else:
            data = scenario.model_dump() if data is None else data
            lv.edit(data, scenario, ds, q)  # type: ignore[misc]
    edited = validate_scenario(data) if data is not None else scenario
    base = priced_inputs(scenario, ds, "typical").values
    return Applied(edited, with_rows(ds, rows), input_overrides(levers, inputs, base))


__all__ = ["APPROVAL_LEVERS", "LEVERS", "Applied", "Lever", "ScenarioError", "apply_values", "data_lever", "describe", "get_lever", "quantize"]
