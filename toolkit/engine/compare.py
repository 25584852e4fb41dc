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
from decimal import Decimal

import pandas as pd

from ..data import PRICE_LEVELS, Dataset, PriceLevel, dataset
from ..dates import month_index
from ..money import Cents, likelihood_num, weigh
from ..scenario import OPTION_LABELS, OPTIONS, Scenario
from .adjudication import Adjudication, adjudicator
from .claims import OUTCOMES, claim_lines, price_lines
from .coverage import CoverageAssessment, assess
from .paths import (
    DecisionPath,
    appeal_delay_days,
    explain_superbills,
    first_series,
    in_words,
    likely_index,
    path_plan,
    path_summary,
    shifted_sessions,
)
from .plan_years import PlanYearTotal, limits_year_note, plan_year_totals
from .rules import running_weighted
from .schedule import (
    Reauthorization,
    ScheduleSummary,
    Session,
    build_schedule,
    reauthorizations,
    summarize_schedule,
)
from .terms import SavingsEligibility, priced_inputs, savings_eligibility

CASES = ("best", "expected", "worst")
# best and worst: the lowest and highest of every price level x the low and high likelihood,
# whichever way they point (a denial can cost less than an approval: a $0 cash quote, or an
# out-of-network clinic with no out-of-network benefits)
COMBINATIONS = tuple((level, i) for level in PRICE_LEVELS for i in (0, 2))


@dataclass
class OptionResult:
    option: str
    sessions: list[Session]
    schedule: ScheduleSummary
    coverage: CoverageAssessment
    runs: dict[tuple[str, str], Adjudication]
    start: date
    horizon_months: int
    savings: SavingsEligibility
    inputs: dict[str, int]  # the priced inputs and plan terms at typical prices (cents, basis points)
    without_package: dict[str, Adjudication] | None = None  # IV at the full per-visit price, when a package discount applies
    paths: list[DecisionPath] = field(default_factory=list)  # what can happen after the request (toolkit.engine.paths)
    reauthorizations: list[Reauthorization] = field(default_factory=list)  # when each prior authorization runs out

    @property
    def likely_path(self) -> DecisionPath | None:
        return next((x for x in self.paths if x.likely), None)

    def path(self, key: str) -> DecisionPath | None:
        return next((x for x in self.paths if x.key == key), None)

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]

    def run(self, outcome: str = "approved", level: PriceLevel = "typical") -> Adjudication:
        return self.runs[(outcome, level)]

    def monthly_net(self, outcome: str, level: PriceLevel) -> list[Cents]:
        """Net patient cost by treatment month of service (reimbursements counted with their session)."""
        months = [0] * self.horizon_months
        for a in self.runs[(outcome, level)].lines:
            months[month_index(self.start, a.line.day)] += a.net
        return months

    def _combinations(self, case: str) -> tuple[tuple[PriceLevel, int], ...]:
        if case == "expected":
            return (("typical", 1),)
        if case in ("best", "worst"):
            return tuple((lv, i) for lv, i in COMBINATIONS if ("approved", lv) in self.runs)
        raise ValueError(f"unknown case {case!r}: best, expected or worst")

    def _pick(self, case: str, series: list[list[Cents]]) -> list[Cents]:
        """Expected is its one series; best and worst the lowest and highest at each point."""
        if case == "expected":
            return series[0]
        pick = min if case == "best" else max
        return [pick(values) for values in zip(*series)]

    def by_date(self, case: str = "expected") -> list[tuple[date, Cents]]:
        """Cumulative likelihood-weighted patient cost after each session date (for charts)."""
        combos = self._combinations(case)
        days: dict[date, dict[tuple[str, str], Cents]] = {}
        for level in {lv for lv, _ in combos}:
            for outcome in OUTCOMES:
                for a in self.runs[(outcome, level)].lines:
                    cell = days.setdefault(a.line.day, {})
                    cell[(outcome, level)] = cell.get((outcome, level), 0) + a.net
        order = sorted(days)
        series = [running_weighted(self.p_num(i), [days[d].get(("approved", lv), 0) for d in order], [days[d].get(("denied", lv), 0) for d in order])
                  for lv, i in combos]
        return list(zip(order, self._pick(case, series)))

    def p_num(self, i: int = 1) -> int:
        """The low (0), typical (1) or high (2) likelihood of approval, over :data:`toolkit.money.P_SCALE`."""
        return likelihood_num(self.coverage.likelihood[i])

    @property
    def likely_outcome(self) -> str:
        """``approved`` when the typical chance of approval is at least one half, else ``denied``."""
        return "approved" if self.coverage.likelihood[1] >= Decimal("0.5") else "denied"

    def cumulative(self, case: str = "expected") -> list[Cents]:
        """Cumulative likelihood-weighted patient cost at the end of each month (best and worst: the lowest and highest)."""
        series = [running_weighted(self.p_num(i), self.monthly_net("approved", lv), self.monthly_net("denied", lv)) for lv, i in self._combinations(case)]
        return self._pick(case, series)

    def total(self, case: str = "expected", months: int | None = None) -> Cents:
        months = self.horizon_months if months is None else min(months, self.horizon_months)
        return self.cumulative(case)[months - 1] if months else 0

    def per_session(self, case: str = "expected") -> Cents:
        return self.total(case) // len(self.sessions) if self.sessions else 0

    def plan_pays(self, months: int | None = None) -> Cents:
        """What the plan pays (approved, typical prices), weighted by the typical likelihood."""
        months = self.horizon_months if months is None else min(months, self.horizon_months)
        paid = sum(a.plan_pays + a.reimbursement for a in self.run("approved").lines if month_index(self.start, a.line.day) < months)
        return weigh(self.p_num(1), paid, 0)


@dataclass
class Comparison:
    scenario: Scenario
    options: dict[str, OptionResult] = field(default_factory=dict)
    limits_note: str | None = None  # the yearly limits in data/ are for an earlier year than the comparison reaches

    def plan_years(self, option: str) -> list[PlanYearTotal]:
        """The likely path's totals per plan year at typical prices: more than one row when the comparison crosses a reset."""
        path = self.options[option].likely_path
        return plan_year_totals(path.runs["typical"], self.scenario) if path is not None else []

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
        out = {"title": self.scenario.title, "horizon_months": self.scenario.horizon_months, "limits_note": self.limits_note, "options": {}}
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
                "reauthorization_dates": [r.day.isoformat() for r in opt.reauthorizations],
                "likely_path_by_plan_year": {y.label: y.net / 100 for y in self.plan_years(key)},
                "in_words": in_words(opt.label, opt.paths, self.periods()),
                "paths": path_summary(opt.paths, self.periods()),
                # for comparing the options only: no patient pays a likelihood-weighted average
                "average_for_comparison": {
                    name: {case: opt.total(case, m) / 100 for case in CASES} for name, m in self.periods()
                },
                "if_approved_total": opt.run("approved").totals()["net"] / 100,
                "if_denied_total": opt.run("denied").totals()["net"] / 100,
            }
        return out


def run_option(scenario: Scenario, ds: Dataset, option: str, levels: tuple[PriceLevel, ...] = PRICE_LEVELS,
               overrides: dict[str, int] | None = None, with_paths: bool = True) -> OptionResult:
    """One option: its schedule, coverage and claim tables, approved and denied, at each price level,
    and its decision paths (:mod:`toolkit.engine.paths`) unless ``with_paths`` is False.

    ``overrides`` replaces priced inputs or plan terms by name (see :mod:`toolkit.engine.terms`):
    the scenario analyses move one input this way.
    """
    sessions = build_schedule(scenario, ds, option)
    coverage = assess(scenario, ds, option)
    runs: dict[tuple[str, str], Adjudication] = {}
    without_package = None
    typical: dict[str, int] = {}
    for level in levels:
        adj = adjudicator(scenario, ds, level, overrides)
        layouts = {o: claim_lines(scenario, ds, option, sessions, o, priced_inputs(scenario, ds, level)) for o in OUTCOMES}
        for outcome, lines in layouts.items():
            runs[(outcome, level)] = adj.run(option, outcome, level, price_lines(lines, adj.t))
        if level == "typical":
            typical = adj.t
            if adj.t["iv_discount_bp"] and any(ln.price == "iv_first_series" for ls in layouts.values() for ln in ls):
                full = adjudicator(scenario, ds, level, {**(overrides or {}), "iv_discount_bp": 0})
                without_package = {o: full.run(option, o, level, price_lines(ls, full.t)) for o, ls in layouts.items()}
    result = OptionResult(option, sessions, summarize_schedule(sessions, scenario), coverage, runs, scenario.start_date,
                          scenario.horizon_months, savings_eligibility(scenario, ds), typical, without_package)
    if coverage.level != "not_eligible" and coverage.pa_required != "no":
        result.reauthorizations = reauthorizations(scenario, ds, option, sessions)
    if with_paths:
        result.paths = decision_paths(scenario, ds, result, levels, overrides)
    return result


def _priced_runs(scenario: Scenario, ds: Dataset, option: str, outcome: str, sessions: list[Session], levels: tuple[PriceLevel, ...],
                 overrides: dict[str, int] | None) -> dict[PriceLevel, Adjudication]:
    """Claim tables of one outcome for a given list of sessions, at each price level."""
    out = {}
    for level in levels:
        adj = adjudicator(scenario, ds, level, overrides)
        lines = claim_lines(scenario, ds, option, sessions, outcome, priced_inputs(scenario, ds, level))
        out[level] = adj.run(option, outcome, level, price_lines(lines, adj.t))
    return out


def decision_paths(scenario: Scenario, ds: Dataset, opt: OptionResult, levels: tuple[PriceLevel, ...] = PRICE_LEVELS,
                   overrides: dict[str, int] | None = None) -> list[DecisionPath]:
    """The paths one option can take after the request, each priced claim by claim (see :mod:`toolkit.engine.paths`)."""
    cov = opt.coverage
    specs = path_plan(scenario, ds, opt.option, cov.level, cov.likelihood, [r.text for r in cov.reasons])
    paths = []
    for spec in specs:
        if spec.claims in ("approved", "denied", "switch"):  # "switch" is filled in by compare() once both options are known
            outcome = "denied" if spec.claims == "switch" else spec.claims
            sessions, runs = opt.sessions, {lv: opt.runs[(outcome, lv)] for lv in levels}
        else:
            sessions = {"appeal": lambda: shifted_sessions(scenario, ds, opt.option, appeal_delay_days(ds)),
                        "first_series": lambda: first_series(opt.sessions), "none": lambda: []}[spec.claims]()
            outcome = "approved" if spec.claims == "appeal" else "denied"
            runs = _priced_runs(scenario, ds, opt.option, outcome, sessions, levels, overrides)
        path = DecisionPath(spec.key, spec.likelihood, runs, sessions, scenario.start_date, scenario.horizon_months, spec.means,
                            short=spec.short, after_denial=spec.after_denial)
        if spec.superbill:
            explain_superbills(path, opt.inputs["out_ded"])
        if spec.claims in ("approved", "appeal"):
            if assistance_unknown(scenario, ds, opt.option):
                path.variants["accumulator"] = _priced_runs(scenario, ds, opt.option, "approved", sessions, levels, {**(overrides or {}), "assist": 1})
            other = other_medicare_route(scenario, opt.option)
            if other is not None:
                path.variants[other.plan.medicare_spravato_route] = _priced_runs(other, ds, opt.option, "approved", sessions, levels, overrides)
        paths.append(path)
    paths[likely_index(specs)].likely = True
    return paths


def other_medicare_route(scenario: Scenario, option: str) -> Scenario | None:
    """Medicare can pay Spravato under Part B (the clinic bills G2082/G2083) or, plan permitting, Part D: the other route."""
    p = scenario.plan
    if option != "spravato" or p.payer_type not in ("medicare", "medicare_advantage"):
        return None
    route = "part_b" if p.medicare_spravato_route == "part_d" else "part_d"
    return scenario.model_copy(update={"plan": p.model_copy(update={"medicare_spravato_route": route})})


def assistance_unknown(scenario: Scenario, ds: Dataset, option: str) -> bool:
    """Spravato with the savings program, and nobody has asked whether the plan counts its payments: show both ways."""
    return option == "spravato" and scenario.plan.copay_assistance_counts == "unknown" and savings_eligibility(scenario, ds).drug


def _switch(options: dict[str, OptionResult]) -> None:
    """A denied path whose patient switches: its claims are the other option's most likely path (never itself a switch)."""
    for key, opt in options.items():
        denied = opt.path("denied")
        other = options[next(k for k in options if k != key)]
        if denied is None or denied.after_denial != "switch" or not other.paths:
            continue
        target = max((x for x in other.paths if x.after_denial != "switch"), key=lambda x: x.likelihood[1])
        denied.runs, denied.sessions, denied.source_option = target.runs, target.sessions, other.option
        denied.means = f"the plan says no and the appeal fails: you switch to {other.label} ({target.means})"


def compare(scenario: Scenario, ds: Dataset | None = None) -> Comparison:
    """Both options for one scenario: schedules, coverage, every priced outcome and the decision paths."""
    ds = ds or dataset()
    options = {opt: run_option(scenario, ds, opt) for opt in OPTIONS}
    if scenario.if_denied == "switch":
        _switch(options)
    last = max((x.day for o in options.values() for x in o.sessions), default=scenario.start_date)
    return Comparison(scenario, options, limits_year_note(scenario, ds, last))
