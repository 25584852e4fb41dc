"""The model function: one scenario (plus lever values) -> the patient's cost, month by month.

This is the dampack "model": every analysis in :mod:`toolkit.scenarios` calls :func:`model`
(or its vectorised twin in :mod:`toolkit.scenarios.vector`) and never looks inside. It runs
the same engine as :func:`toolkit.compare.compare` (schedule -> claim lines -> adjudication),
at typical prices only, approved and denied, and weighs them by the typical coverage
likelihood exactly as ``compare`` does, so its expected figures equal the dashboard's to the
cent.

Outcomes per option: net patient cost by treatment month if approved and if denied, the
coverage likelihood (low, typical, high), and the likelihood-weighted expectation. The
difference is IV ketamine minus Spravato: positive means Spravato costs the patient less.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

import pandas as pd

from ..adjudication import adjudicate
from ..claims import price_sessions
from ..compare import OPTIONS, OUTCOMES, weigh
from ..coverage import assess
from ..datasets import Dataset, dataset
from ..money import Cents
from ..scenario import OPTION_LABELS, Scenario
from ..schedule import build_schedule, month_index
from .levers import Lever, apply_values

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
        ca = list(accumulate(self.approved))
        cd = list(accumulate(self.denied))
        if what == "if_approved":
            return ca
        if what == "if_denied":
            return cd
        if what != "expected":
            raise ValueError(f"unknown outcome {what!r}")
        p = self.likelihood[1] if p is None else p
        return [weigh(p, a, d) for a, d in zip(ca, cd)]

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


def run_option(scenario: Scenario, ds: Dataset, option: str) -> OptionOutcome:
    """Typical prices, approved and denied, for one option (the engine's own functions)."""
    sessions = build_schedule(scenario, ds, option)
    coverage = assess(scenario, ds, option)
    monthly: dict[str, list[Cents]] = {}
    route = ""
    for outcome in OUTCOMES:
        lines = price_sessions(scenario, ds, option, sessions, outcome, "typical")
        if outcome == "approved" and lines:
            route = lines[0].route
        months = [0] * scenario.horizon_months
        for a in adjudicate(scenario, ds, option, outcome, lines, "typical").lines:
            months[month_index(scenario.start_date, a.line.day)] += a.net
        monthly[outcome] = months
    return OptionOutcome(option, coverage.likelihood, tuple(monthly["approved"]), tuple(monthly["denied"]), len(sessions), route)


def model(scenario: Scenario, ds: Dataset | None = None, values: dict[str, float] | None = None, extra: dict[str, Lever] | None = None) -> Outcome:
    """The model function: the scenario with some inputs set -> both options' costs by month.

    ``values`` maps lever names (see :mod:`toolkit.scenarios.levers`) to values in the units
    people read (dollars, fractions, weeks). With no values it reproduces ``compare()``'s
    typical figures exactly.
    """
    ds = ds or dataset()
    scenario, ds = apply_values(scenario, ds, values, extra)
    return Outcome(scenario.horizon_months, {opt: run_option(scenario, ds, opt) for opt in OPTIONS})


def months_for(scenario: Scenario, months: int | None) -> int:
    """The comparison window: ``months`` (default 12) cut to the scenario's horizon."""
    return min(12 if months is None else months, scenario.horizon_months)
