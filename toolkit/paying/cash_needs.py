"""What each option asks of the patient's account, month by month, read from its claim lines.

The one input of every way to pay (:mod:`toolkit.paying.routes`): charges at the clinic or
pharmacy (after the savings program at the counter) and reimbursements coming back, in
the month they arrive, for the cost case the advisor picked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..dates import month_index
from ..engine.compare import OptionResult
from ..engine.rules import running_weighted
from ..money import Cents
from .terms import FinancingError

COSTS_TO_PAY = {
    # default: a patient pays one real outcome, not a probability-weighted blend of two
    "likely": "for each option, its most likely path (approved, approved on appeal, or denied and what the patient then does), typical prices",
    "expected": "expected (typical prices, weighted by the chance of approval)",
    "approved": "if approved (typical prices)",
    "denied": "if denied (typical prices, self-pay)",
}


@dataclass(frozen=True)
class CashNeeds:
    """What one option asks of the patient's account, by treatment month.

    ``charges``: paid at the clinic or pharmacy (after the savings program at the counter);
    ``refunds``: reimbursements coming back (superbills), in the month they arrive.
    """

    option: str
    label: str
    start: date
    charges: list[Cents]
    refunds: list[Cents]
    savings: Cents  # savings program already taken off (from the claim lines)
    first_series_sessions: frozenset[int] = frozenset()
    first_series: list[Cents] = field(default_factory=list)  # first-series infusion charges by month

    @property
    def net(self) -> Cents:
        return sum(self.charges) - sum(self.refunds)


def _run(opt: OptionResult, outcome: str, full_price: bool):
    """The claim table of a cost case: ``likely`` is the likely decision path's (see toolkit.engine.paths)."""
    if outcome == "likely":
        path = opt.likely_path
        if path is None:
            outcome = opt.likely_outcome
        else:
            for o in ("approved", "denied"):
                if path.runs["typical"] is opt.run(o, "typical"):
                    outcome = o  # a whole-course path: the no-package variant exists for it
                    break
            else:
                return path.runs["typical"]  # a delayed start or a first series only: its own claim lines
    return opt.without_package[outcome] if full_price and opt.without_package else opt.run(outcome, "typical")


def _month_lists(opt: OptionResult, outcome: str, months: int, full_price: bool = False) -> dict[str, list[Cents]]:
    run = _run(opt, outcome, full_price)
    first = {s.number for s in opt.sessions if s.phase == "first series"}
    out = {k: [0] * months for k in ("charges", "refunds", "savings", "first_series")}
    for a in run.lines:
        m = month_index(opt.start, a.line.day)
        paid = a.patient_pays - a.savings
        out["charges"][m] += paid
        out["savings"][m] += a.savings
        if a.line.session in first and a.line.kind == "self_pay":
            out["first_series"][m] += paid
        if a.reimbursement:
            out["refunds"][month_index(opt.start, a.reimbursement_day or a.line.day)] += a.reimbursement
    return out


def _span(opt: OptionResult) -> int:
    last = opt.horizon_months
    for outcome in ("approved", "denied"):
        for a in opt.run(outcome, "typical").lines:
            if a.reimbursement and a.reimbursement_day:
                last = max(last, month_index(opt.start, a.reimbursement_day) + 1)
    return last


def cash_needs(opt: OptionResult, outcome: str = "likely", *, full_price: bool = False) -> CashNeeds:
    """The option's cash needs by month for one outcome, read from its claim lines.

    ``expected`` weighs the approved and denied claim lines by the typical chance of
    approval, month by month, so the months add up to the comparison's expected figure
    (reimbursements included). ``full_price``: IV ketamine at the full per-visit price (no
    package discount), as the comparison worked it out.
    """
    if outcome not in COSTS_TO_PAY:
        raise FinancingError("outcome", f"must be one of: {', '.join(COSTS_TO_PAY)}")
    months = _span(opt)
    first = frozenset(s.number for s in opt.sessions if s.phase == "first series")
    if outcome == "expected":
        # weigh the running sums, so the months add up to the weighted total exactly
        a, d = _month_lists(opt, "approved", months, full_price), _month_lists(opt, "denied", months, full_price)
        w = {k: _differences(running_weighted(opt.p_num(1), a[k], d[k])) for k in a}
    else:
        w = _month_lists(opt, outcome, months, full_price)
    return CashNeeds(opt.option, opt.label, opt.start, w["charges"], w["refunds"], sum(w["savings"]), first, w["first_series"])


def _differences(running: list[Cents]) -> list[Cents]:
    return [b - a for a, b in zip([0, *running[:-1]], running)]
