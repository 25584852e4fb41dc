"""Totals per plan year, from the adjudicated claim lines.

Why: a comparison that crosses a plan-year reset adds two years of cost sharing, so its
total can be above the out-of-pocket maximum without any year breaking the cap. Showing
the total of each plan year beside the cap keeps that from being read as a breach. Each
figure is a sum of claim lines (:class:`~toolkit.engine.adjudication.AdjudicatedLine`),
grouped by the plan year the adjudicator already stamped on each line.

Also here: which yearly limits in ``data/`` belong to a year the comparison has passed
(the data carry 2026 figures; a comparison that starts in 2027 says that 2026 figures are
shown until the new ones are entered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..data import Dataset
from ..money import Cents, to_cents
from ..scenario import Scenario
from .adjudication import Adjudication

# the published yearly limits each kind of coverage uses, by the start of their row ids in data/
LIMIT_ROWS = {
    "medicare": ("medicare.partb.deductible", "medicare.partd."),
    "medicare_advantage": ("medicare_advantage.", "medicare.partd."),
    "tricare": ("tricare.",),
    "hdhp": ("hdhp.oop_max.", "hdhp.min_deductible.", "hsa.limit."),
}
_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True)
class PlanYearTotal:
    label: str  # "Jan 2027-Dec 2027", as the claim tables name it
    first_day: date  # the first session in it
    last_day: date
    sessions: int
    net: Cents  # what the patient pays in the end in this plan year (after savings and reimbursement)
    cap: Cents | None  # the plan's in-network out-of-pocket maximum for a year (None: no cap or not a plan figure)
    claims: int  # lines that went to the plan (self-pay lines have no deductible or cap to reset)


def plan_year_totals(run: Adjudication, scenario: Scenario) -> list[PlanYearTotal]:
    """One row per plan year with claim lines in it, in date order; the rows add up to the run's net total."""
    groups: dict[str, list] = {}
    for a in sorted(run.lines, key=lambda a: a.line.day):
        groups.setdefault(a.plan_year, []).append(a)
    tier = scenario.plan.in_network
    cap = to_cents(tier.oop_max) if tier.oop_max is not None and scenario.plan.payer_type.value not in ("uninsured", "medicare", "va") else None
    return [
        PlanYearTotal(label, lines[0].line.day, lines[-1].line.day, len({a.line.session for a in lines}), sum(a.net for a in lines), cap,
                      sum(1 for a in lines if a.deductible_left is not None))
        for label, lines in groups.items()
    ]


def limits_year_note(scenario: Scenario, ds: Dataset, last_day: date | None = None) -> str | None:
    """A sentence when the comparison runs into a year after the one the yearly limits in data/ are for."""
    prefixes = LIMIT_ROWS.get(scenario.plan.payer_type.value, ())
    rows = [v for pre in prefixes for k, v in ds.parameters.items() if k.startswith(pre) and _YEAR.search(v.label)]
    if not rows:
        return None
    data_year = max(int(_YEAR.search(v.label).group(1)) for v in rows)  # type: ignore[union-attr]
    if (last_day or scenario.start_date).year <= data_year:
        return None
    example = re.sub(r"\s*\([^)]*\)|\s*\b20\d\d\b", "", rows[0].label).replace(" ,", ",")
    return f"Yearly limits from {data_year} are shown (e.g. {example}); {data_year + 1} figures were not yet in the data."
