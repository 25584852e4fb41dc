"""Re-fit the forecast to the first EOB: a new scenario, the differences, and the forecast before and after.

Why a new scenario and never the old one changed: the advisor decides, difference by
difference, whether the EOB or the scenario is right (a one-off billing error should not
rewrite the plan), and the saved file changes only when they save the re-fitted one. The
rest of the horizon is priced by the one engine (:func:`toolkit.engine.compare.compare`)
on the re-fitted scenario; the EOB's own lines then replace the forecast's first lines in
the after figure (their patient responsibility, less the savings program's payment the
engine works out for the same line), so the figure is traceable to claim lines on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..data import Dataset, dataset
from ..engine.adjudication import AdjudicatedLine
from ..engine.compare import Comparison, compare
from ..engine.paths import DecisionPath
from ..money import Cents
from ..scenario import OPTION_LABELS, Scenario, ScenarioError, validate_scenario
from .inference import Difference, Inference, infer
from .matching import Match, forecast_lines, match_rows
from .reader import EOBRow


@dataclass
class LineCheck:
    """One EOB row beside the forecast's estimate and the re-fitted engine's line."""

    row: EOBRow
    estimate: AdjudicatedLine | None
    refit: AdjudicatedLine | None

    @property
    def actual_net(self) -> Cents:
        """What the line costs the patient: the EOB's responsibility, less the savings program's payment on it."""
        savings = min(self.refit.savings, self.row.patient_responsibility) if self.refit and not self.row.denied else 0
        return self.row.patient_responsibility - savings

    @property
    def reproduced(self) -> bool:
        """The re-fitted engine gives the EOB's own numbers for this line."""
        a, r = self.refit, self.row
        if a is None or r.denied:
            return False
        paid = a.plan_pays + a.reimbursement
        return (a.allowed, paid, a.deductible, a.coinsurance, a.copay) == (r.allowed, r.plan_paid, r.deductible, r.coinsurance, r.copay)


@dataclass
class Refit:
    """Everything a face shows after the first claims; made by :func:`refit`, read by the CLI and dashboard."""

    option: str
    original: Scenario
    scenario: Scenario  # the re-fitted scenario (new; the original is untouched)
    before: Comparison
    after: Comparison
    inference: Inference
    lines: list[LineCheck]
    months: int  # the forecast figure's period: 12 months, or the horizon if shorter
    kept: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]

    @property
    def differences(self) -> list[Difference]:
        return self.inference.differences

    def path_before(self) -> DecisionPath:
        return self.before.options[self.option].likely_path  # type: ignore[return-value]

    def path_after(self) -> DecisionPath:
        return self.after.options[self.option].likely_path  # type: ignore[return-value]

    def forecast_before(self) -> Cents:
        """The likely path's typical cost over :attr:`months`, as the scenario forecast it."""
        return self.path_before().total("typical", self.months)

    def forecast_after(self) -> Cents:
        """The re-fitted likely path over :attr:`months`, with the EOB's lines in place of the forecast's."""
        path = self.path_after()
        total = path.total("typical", self.months)
        if self.lines_in_place:
            for c in self.lines:
                if c.refit is not None:
                    total += c.actual_net - c.refit.net
        return total

    def plan_pays(self, which: str) -> Cents:
        """What the plan pays on the likely path over :attr:`months` (typical prices), ``before`` or ``after``."""
        total = self._sum(which, lambda a: a.plan_pays + a.reimbursement)
        if which == "after" and self.lines_in_place:
            total += sum(c.row.plan_paid - (c.refit.plan_pays + c.refit.reimbursement) for c in self.lines if c.refit is not None)
        return total

    def savings(self, which: str) -> Cents:
        """What the Spravato savings program pays on the likely path over :attr:`months`, ``before`` or ``after``."""
        return self._sum(which, lambda a: a.savings)

    def _sum(self, which: str, value: Any) -> Cents:
        from ..dates import month_index

        path = self.path_before() if which == "before" else self.path_after()
        return sum(value(a) for a in path.runs["typical"].lines if month_index(path.start, a.line.day) < self.months)

    def left_after(self) -> tuple[str, Cents | None, Cents | None] | None:
        """(network, deductible left, out-of-pocket left) after the EOB's last paid line, as the re-fitted engine counts them."""
        last = next((c.refit for c in reversed(self.lines) if c.refit is not None and not c.row.denied and c.refit.deductible_left is not None), None)
        if last is None:
            return None
        network = "in network" if last.line.route == "in_network" else "out of network"
        return network, last.deductible_left, last.oop_left

    def reimbursement_rows(self) -> list[EOBRow]:
        """The EOB rows the plan paid back to the patient: lines the patient paid at the clinic and filed as a superbill."""
        return [c.row for c in self.lines if c.estimate is not None and c.estimate.line.route == "superbill" and c.row.plan_paid]

    @property
    def lines_in_place(self) -> bool:
        """The after figure carries the EOB's own lines: the likely path after is priced on the very claim lines they settle.

        Why not by the path's name: a path that needs no approval (``not_applicable``) is the
        approved claims for IV ketamine paid at the clinic, but the clinic's cash price for an
        off-label or uncovered option, whose claims to the plan (the EOB's) are on no path.
        """
        on_path = {a.line for a in self.path_after().runs["typical"].lines}
        matched = [c.refit for c in self.lines if c.refit is not None]
        return bool(matched) and all(a.line in on_path for a in matched)

    def months_label(self) -> str:
        return f"{self.months} months"

    def frame(self) -> pd.DataFrame:
        """Estimate vs actual per line (dollars): allowed, plan paid and the patient's share, and the re-fit's check."""
        rows = []
        for c in self.lines:
            e, r = c.estimate, c.row
            rows.append({
                "date": r.day, "code": r.code, "service": e.line.service if e else "(not in the forecast)",
                "allowed_estimate": _d(e.allowed if e else None), "allowed_actual": r.allowed / 100,
                "plan_paid_estimate": _d(e.plan_pays + e.reimbursement if e else None), "plan_paid_actual": r.plan_paid / 100,
                "patient_estimate": _d(e.patient_pays - e.reimbursement if e else None), "patient_actual": r.patient_responsibility / 100,
                "difference": _d(r.patient_responsibility - (e.patient_pays - e.reimbursement) if e else None),
                "status": "denied" + (f" ({r.denial_reason})" if r.denial_reason else "") if r.denied else "paid",
                "refit_matches_eob": c.reproduced,
            })
        return pd.DataFrame(rows)

    def summary(self) -> dict[str, Any]:
        """Plain data (the CLI's JSON)."""
        return {
            "option": self.option,
            "months": self.months,
            "forecast_before": self.forecast_before() / 100,
            "forecast_after": self.forecast_after() / 100,
            "plan_pays_before": self.plan_pays("before") / 100,
            "plan_pays_after": self.plan_pays("after") / 100,
            "savings_before": self.savings("before") / 100,
            "savings_after": self.savings("after") / 100,
            "path_before": self.path_before().key,
            "path_after": self.path_after().key,
            "differences": [{"key": d.key, "label": d.label, "scenario": d.scenario, "eob": d.eob, "value": d.value, "why": d.why,
                             "pins": d.pins, "choice": d.choice, "also": d.also}
                            for d in self.differences],
            "notes": self.inference.notes,
            "left_after": None if self.left_after() is None else dict(zip(("network", "deductible_left", "oop_left"),
                                                                           [v if isinstance(v, str) or v is None else v / 100 for v in self.left_after()])),
            "lines": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                      for row in self.frame().to_dict(orient="records")],
        }


def _d(cents: Cents | None) -> float | None:
    return None if cents is None else cents / 100


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    """Set a dotted field (``plan.in_network.coinsurance_pct``; a code under a by-code mapping) in plain data."""
    parts = key.split(".")
    node = data
    for p in parts[:-1]:
        if node.get(p) is None:
            node[p] = {}
        node = node[p]
    node[parts[-1]] = value


def apply_differences(scenario: Scenario, differences: Iterable[Difference]) -> Scenario:
    """A new scenario with every difference whose choice is ``use-eob`` taken (the original is not changed)."""
    data = scenario.model_dump(mode="json")
    for d in differences:
        if d.choice == "use-eob":
            for key, value in d.also.items():
                _set(data, key, value)
            _set(data, d.key, d.value)
    return validate_scenario(data, "re-fitted scenario")


def refit(scenario: Scenario, rows: list[EOBRow], ds: Dataset | None = None, *, option: str | None = None,
          keep: Iterable[str] = (), before: Comparison | None = None) -> Refit:
    """Re-fit ``scenario`` to the EOB ``rows``: the differences (``keep`` names those to keep as the scenario
    says), a new scenario and the forecast before and after. Raises :class:`ScenarioError` for an unknown key."""
    ds = ds or dataset()
    before = before or compare(scenario, ds)
    option, matches = match_rows(rows, before, option)
    opt = before.options[option]
    inference = infer(scenario, option, matches, opt.coverage.likelihood, ds, approval_priced=opt.path("approved") is not None)
    keep = list(keep)
    known = {d.key for d in inference.differences}
    unknown = [k for k in keep if k not in known]
    if unknown:
        raise ScenarioError([("--keep", f"{k!r} is not one of the differences ({', '.join(sorted(known)) or 'none'})") for k in unknown])
    for d in inference.differences:
        d.choice = "keep-scenario" if d.key in keep else "use-eob"
    new = apply_differences(scenario, inference.differences)
    after = compare(new, ds)
    checks = _checks(matches, forecast_lines(after, option))
    denied = [c.row for c in checks if c.row.denied]
    if denied:
        from ..money import fmt

        path = after.options[option].likely_path
        inference.notes.append(
            f"{len(denied)} line{'s' if len(denied) > 1 else ''} denied: the forecast now follows the paths after a denial "
            f"(most likely: {path.label.lower() if path else 'none'}), priced from the first session; the clinic may bill "
            f"{fmt(sum(r.patient_responsibility for r in denied))} for the denied lines, as the EOB shows (group code CO on a reason "
            "is the clinic's contractual obligation, PR the patient's responsibility)")
    return Refit(option, scenario, new, before, after, inference, checks, min(12, scenario.horizon_months), keep)


def _checks(matches: list[Match], after_lines: list[AdjudicatedLine]) -> list[LineCheck]:
    taken: set[int] = set()
    out = []
    for m in matches:
        hit = next((i for i, a in enumerate(after_lines) if i not in taken and a.line.day == m.row.day and a.line.code == m.row.code), None)
        if hit is not None:
            taken.add(hit)
        out.append(LineCheck(m.row, m.line, None if hit is None else after_lines[hit]))
    return out
