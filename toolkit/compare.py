"""The comparison: both options, every outcome, from one scenario.

Data flow (one way): scenario -> schedule -> priced claim lines -> adjudication ->
summaries. Each option is run approved and denied at the low, typical and high published
prices; the coverage likelihood weighs approved against denied:

- expected = typical prices, typical likelihood:  p x approved + (1 - p) x denied
- best     = low prices, high likelihood
- worst    = high prices, low likelihood

so every figure is a weighted sum of two claim tables that can be shown line by line.
Faces (dashboard, CLI, handout) only read a :class:`Comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .adjudication import Adjudication, adjudicate
from .claims import price_sessions
from .coverage import CoverageAssessment, assess
from .datasets import Dataset, Level, dataset
from .money import Cents
from .scenario import OPTION_LABELS, Scenario
from .schedule import ScheduleSummary, Session, build_schedule, month_index, summarize_schedule

OPTIONS = ("iv_ketamine", "spravato")
OUTCOMES = ("approved", "denied")
LEVELS: tuple[Level, ...] = ("low", "typical", "high")
CASES = {"best": ("low", 2), "expected": ("typical", 1), "worst": ("high", 0)}  # price level, likelihood index


def weigh(p: Decimal, approved: Cents, denied: Cents) -> Cents:
    """Likelihood-weighted cost, rounded half up to the cent.

    >>> weigh(Decimal("0.75"), 100000, 500000)
    200000
    """
    value = p * approved + (1 - p) * denied
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class OptionResult:
    option: str
    sessions: list[Session]
    schedule: ScheduleSummary
    coverage: CoverageAssessment
    runs: dict[tuple[str, str], Adjudication]
    start: date
    horizon_months: int

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]

    def run(self, outcome: str = "approved", level: Level = "typical") -> Adjudication:
        return self.runs[(outcome, level)]

    def monthly_net(self, outcome: str, level: Level) -> list[Cents]:
        """Net patient cost by treatment month of service (reimbursements counted with their session)."""
        months = [0] * self.horizon_months
        for a in self.runs[(outcome, level)].lines:
            months[month_index(self.start, a.line.day)] += a.net
        return months

    def by_date(self, case: str = "expected") -> list[tuple[date, Cents]]:
        """Cumulative likelihood-weighted patient cost after each session date (for charts)."""
        level, i = CASES[case]
        p = self.coverage.likelihood[i]
        days: dict[date, list[Cents]] = {}
        for k, outcome in enumerate(OUTCOMES):
            for a in self.runs[(outcome, level)].lines:
                days.setdefault(a.line.day, [0, 0])[k] += a.net
        out, ca, cd = [], 0, 0
        for day in sorted(days):
            ca += days[day][0]
            cd += days[day][1]
            out.append((day, weigh(p, ca, cd)))
        return out

    def cumulative(self, case: str = "expected") -> list[Cents]:
        """Cumulative likelihood-weighted patient cost at the end of each month."""
        level, i = CASES[case]
        p = self.coverage.likelihood[i]
        a, d = self.monthly_net("approved", level), self.monthly_net("denied", level)
        out, ca, cd = [], 0, 0
        for x, y in zip(a, d):
            ca += x
            cd += y
            out.append(weigh(p, ca, cd))
        return out

    def total(self, case: str = "expected", months: int | None = None) -> Cents:
        months = self.horizon_months if months is None else min(months, self.horizon_months)
        return self.cumulative(case)[months - 1] if months else 0

    def per_session(self, case: str = "expected") -> Cents:
        return self.total(case) // len(self.sessions) if self.sessions else 0

    def plan_pays(self, months: int | None = None) -> Cents:
        """What the plan pays (approved, typical prices), weighted by the typical likelihood."""
        months = self.horizon_months if months is None else min(months, self.horizon_months)
        paid = sum(a.plan_pays + a.reimbursement for a in self.run("approved").lines if month_index(self.start, a.line.day) < months)
        return weigh(self.coverage.likelihood[1], paid, 0)


@dataclass
class Comparison:
    scenario: Scenario
    options: dict[str, OptionResult] = field(default_factory=dict)

    def periods(self) -> list[tuple[str, int]]:
        h = self.scenario.horizon_months
        marks = [("First month", 1), ("6 months", 6), ("12 months", 12), ("24 months", 24), ("36 months", 36)]
        out = [(name, m) for name, m in marks if m <= h]
        if h not in {m for _, m in out}:
            out.append((f"{h} months", h))
        return out

    def cost_table(self) -> pd.DataFrame:
        """Patient cost per period and option: best / expected / worst, approved, denied, plan pays."""
        rows = []
        for opt in self.options.values():
            for name, m in self.periods():
                rows.append(
                    {
                        "option": opt.label,
                        "period": name,
                        "sessions": sum(opt.schedule.sessions_per_month[:m]),
                        "best": opt.total("best", m) / 100,
                        "expected": opt.total("expected", m) / 100,
                        "worst": opt.total("worst", m) / 100,
                        "if_approved": sum(opt.monthly_net("approved", "typical")[:m]) / 100,
                        "if_denied": sum(opt.monthly_net("denied", "typical")[:m]) / 100,
                        "plan_pays_expected": opt.plan_pays(m) / 100,
                    }
                )
            rows.append(
                {
                    "option": opt.label,
                    "period": "Per session (average)",
                    "sessions": 1,
                    "best": opt.per_session("best") / 100,
                    "expected": opt.per_session("expected") / 100,
                    "worst": opt.per_session("worst") / 100,
                    "if_approved": (opt.run("approved").totals()["net"] // max(1, len(opt.sessions))) / 100,
                    "if_denied": (opt.run("denied").totals()["net"] // max(1, len(opt.sessions))) / 100,
                    "plan_pays_expected": (opt.plan_pays() // max(1, len(opt.sessions))) / 100,
                }
            )
        return pd.DataFrame(rows)

    def summary(self) -> dict:
        """Plain dict for the CLI's JSON output and tests."""
        out = {"title": self.scenario.title, "horizon_months": self.scenario.horizon_months, "options": {}}
        for key, opt in self.options.items():
            cov = opt.coverage
            out["options"][key] = {
                "label": opt.label,
                "coverage_level": cov.level,
                "coverage_label": cov.level_label,
                "likelihood": [float(x) for x in cov.likelihood],
                "reasons": [r.text for r in cov.reasons],
                "missing_criteria": [c.criterion for c in cov.missing],
                "sessions": opt.schedule.sessions,
                "clinic_hours": opt.schedule.clinic_hours,
                "trips_needing_driver": opt.schedule.trips_needing_driver,
                "costs": {
                    name: {case: opt.total(case, m) / 100 for case in CASES} for name, m in self.periods()
                },
                "if_approved_total": opt.run("approved").totals()["net"] / 100,
                "if_denied_total": opt.run("denied").totals()["net"] / 100,
            }
        return out


def run_option(scenario: Scenario, ds: Dataset, option: str) -> OptionResult:
    sessions = build_schedule(scenario, ds, option)
    coverage = assess(scenario, ds, option)
    runs = {}
    for outcome in OUTCOMES:
        for level in LEVELS:
            lines = price_sessions(scenario, ds, option, sessions, outcome, level)
            runs[(outcome, level)] = adjudicate(scenario, ds, option, outcome, lines, level)
    return OptionResult(option, sessions, summarize_schedule(sessions, scenario), coverage, runs, scenario.start_date, scenario.horizon_months)


def compare(scenario: Scenario, ds: Dataset | None = None) -> Comparison:
    """Both options for one scenario: schedules, coverage, and every priced outcome."""
    ds = ds or dataset()
    return Comparison(scenario, {opt: run_option(scenario, ds, opt) for opt in OPTIONS})
