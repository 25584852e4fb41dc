"""The model function: one scenario (plus lever values) -> the patient's cost, month by month.

This is the dampack "model": every analysis in :mod:`toolkit.analysis` takes a model function
and never looks inside. :func:`model` runs the engine's own :func:`~toolkit.engine.compare.run_option`
at typical prices, approved and denied, with the lever values applied (see
:mod:`toolkit.analysis.levers`), and weighs them by the typical coverage likelihood exactly
as ``compare`` does, so its expected figures equal the dashboard's to the cent.
:func:`model_draws` is the same model for many draws at once (the Monte Carlo's).

Outcomes per option: net patient cost by treatment month if approved and if denied, the
coverage likelihood (low, typical, high), and the likelihood-weighted expectation. The
difference is IV ketamine minus Spravato: positive means Spravato costs the patient less.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

import numpy as np
import pandas as pd

from ..data import Dataset, dataset
from ..engine.compare import OptionResult, run_option
from ..engine.evaluate import Draws, evaluate
from ..engine.rules import running_weighted
from ..engine.terms import priced_inputs
from ..money import Cents, likelihood_num
from ..scenario import OPTION_LABELS, OPTIONS, Scenario
from .levers import Lever, apply_values, get_lever, input_overrides, natural, quantize

WHATS = ("expected", "if_approved", "if_denied")


@dataclass(frozen=True)
class OptionOutcome:
    """One option's costs for one scenario: monthly net cents, approved and denied."""

    option: str
    likelihood: tuple[Decimal, Decimal, Decimal]  # low, typical, high chance of approval
    approved: tuple[Cents, ...]
    denied: tuple[Cents, ...]
    sessions: int
    approved_route: str  # how the approved claims are paid (e.g. "superbill", "in_network")

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]

    def cumulative(self, what: str = "expected", p: Decimal | None = None) -> list[Cents]:
        """Running total at the end of each month: ``if_approved``, ``if_denied`` or ``expected``.

        ``expected`` weighs the two running totals by ``p`` (default: the typical likelihood),
        rounded half up each month, as :meth:`toolkit.compare.OptionResult.cumulative` does.
        """
        if what == "if_approved":
            return list(accumulate(self.approved))
        if what == "if_denied":
            return list(accumulate(self.denied))
        if what != "expected":
            raise ValueError(f"unknown outcome {what!r}")
        p = self.likelihood[1] if p is None else p
        return running_weighted(likelihood_num(p), self.approved, self.denied)

    def total(self, what: str = "expected", months: int | None = None, p: Decimal | None = None) -> Cents:
        cum = self.cumulative(what, p)
        months = len(cum) if months is None else min(months, len(cum))
        return cum[months - 1] if months > 0 else 0


@dataclass(frozen=True)
class Outcome:
    """Both options for one scenario (what :func:`model` returns)."""

    horizon_months: int
    options: dict[str, OptionOutcome]

    def total(self, option: str, what: str = "expected", months: int | None = None) -> Cents:
        return self.options[option].total(what, months)

    def difference(self, months: int | None = None, what: str = "expected") -> Cents:
        """IV ketamine minus Spravato over ``months``: positive means Spravato costs less."""
        return self.total("iv_ketamine", what, months) - self.total("spravato", what, months)

    def frame(self) -> pd.DataFrame:
        """Tidy: one row per option and month, running totals in dollars."""
        rows = []
        for opt in self.options.values():
            cum = {w: opt.cumulative(w) for w in WHATS}
            for m in range(self.horizon_months):
                rows.append({"option": opt.label, "month": m + 1, **{w: cum[w][m] / 100 for w in WHATS}})
        return pd.DataFrame(rows)


def outcome_of(opt: OptionResult) -> OptionOutcome:
    """What the analyses read of one option's engine result: typical monthly costs, approved and denied."""
    lines = opt.run("approved").lines
    route = lines[0].line.route if lines else ""
    return OptionOutcome(opt.option, opt.coverage.likelihood, tuple(opt.monthly_net("approved", "typical")),
                         tuple(opt.monthly_net("denied", "typical")), len(opt.sessions), route)


def model(scenario: Scenario, ds: Dataset | None = None, values: dict[str, float] | None = None, extra: dict[str, Lever] | None = None) -> Outcome:
    """The model function: the scenario with some inputs set -> both options' costs by month.

    ``values`` maps lever names (see :mod:`toolkit.analysis.levers`) to values in the units
    people read (dollars, fractions, weeks). With no values it reproduces ``compare()``'s
    typical figures exactly.
    """
    ds = ds or dataset()
    a = apply_values(scenario, ds, values, extra)
    return Outcome(a.scenario.horizon_months, {opt: outcome_of(run_option(a.scenario, a.ds, opt, ("typical",), a.overrides, with_paths=False)) for opt in OPTIONS})


def model_draws(scenario: Scenario, ds: Dataset | None, values: dict[str, np.ndarray], extra: dict[str, Lever] | None = None) -> Draws:
    """The model for many draws at once: each value is an array with one entry per draw.

    ``input`` levers become per-draw engine inputs; ``scenario`` and ``dataset`` levers are
    grouped (draws sharing a value share one scenario); approval levers do not change what
    a claim costs, so the Monte Carlo applies them to the result. The same lever rules as
    :func:`model`, so draw ``i`` equals ``model`` with the values of draw ``i``, to the cent.
    """
    ds = ds or dataset()
    levers = {k: get_lever(k, extra).resolve(scenario, ds) for k in values}
    n = len(next(iter(values.values()))) if values else 1
    grouped = [k for k in values if levers[k].varies in ("scenario", "dataset")]
    if grouped:
        combos = np.stack([np.asarray(quantize(levers[k].unit, np.asarray(values[k])), dtype=float) for k in grouped], axis=1)
        uniq, which = np.unique(combos, axis=0, return_inverse=True)
        applied = [apply_values(scenario, ds, {k: natural(levers[k].unit, v) for k, v in zip(grouped, u)}, extra, kinds=("scenario", "dataset")) for u in uniq]
        which = np.asarray(which).reshape(-1)
    else:
        applied, which = [apply_values(scenario, ds, None)], np.zeros(n, dtype=np.int64)
    inputs = {k: quantize(levers[k].unit, np.asarray(v)) for k, v in values.items() if levers[k].varies == "input"}
    overrides = input_overrides(levers, inputs, priced_inputs(scenario, ds, "typical").values)
    return evaluate([a.scenario for a in applied], ds, which, overrides, datasets=[a.ds for a in applied])


def months_for(scenario: Scenario, months: int | None) -> int:
    """The comparison window: ``months`` (default 12) cut to the scenario's horizon."""
    return min(12 if months is None else months, scenario.horizon_months)
