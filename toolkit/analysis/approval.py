"""Approval vs denial: what each option costs if the plan says yes, if it says no, and expected.

The question an advisor hears first: "what if the prior authorization is denied?" For each
option this gives the cost if approved, the cost if denied (self-pay at the clinic's price;
for IV ketamine a denied out-of-network claim means no reimbursement), the coverage
likelihood range, and the likelihood-weighted expectation with its range (the expectation at
the low and at the high likelihood, typical prices throughout).
"""

from __future__ import annotations

import pandas as pd

from ..data import Dataset, dataset
from ..scenario import Scenario
from .model import OptionOutcome, Outcome, model, months_for

HOW_APPROVED = {
    ("iv_ketamine", "superbill"): "paid at the clinic; the plan reimburses part of a superbill (out-of-network claim)",
    ("iv_ketamine", "in_network"): "billed to the plan in network",
    ("iv_ketamine", "self_pay"): "paid at the clinic (no insurance claim)",
    ("spravato", "in_network"): "billed to the plan (deductible, coinsurance or copay, out-of-pocket cap)",
    ("spravato", "out_of_network"): "billed to the plan out of network (lower allowed amount, balance bill)",
    ("spravato", "self_pay"): "paid at the clinic's cash price (no insurance)",
}
HOW_DENIED = {
    "iv_ketamine": "paid at the clinic's price, with no reimbursement",
    "spravato": "paid at the clinic's cash price per session",
}


def _row(opt: OptionOutcome, months: int) -> dict:
    lo, typ, hi = opt.likelihood
    at_lo, at_hi = opt.total("expected", months, lo), opt.total("expected", months, hi)
    return {
        "option": opt.label,
        "months": months,
        "if_approved": opt.total("if_approved", months) / 100,
        "if_denied": opt.total("if_denied", months) / 100,
        "chance_approved_low": float(lo),
        "chance_approved": float(typ),
        "chance_approved_high": float(hi),
        "expected": opt.total("expected", months) / 100,
        "expected_low": min(at_lo, at_hi) / 100,
        "expected_high": max(at_lo, at_hi) / 100,
        "if_approved_means": HOW_APPROVED.get((opt.option, opt.approved_route), opt.approved_route.replace("_", " ")),
        "if_denied_means": HOW_DENIED[opt.option],
    }


def approval_vs_denial(scenario: Scenario, ds: Dataset | None = None, months: int | None = None, outcome: Outcome | None = None) -> pd.DataFrame:
    """One row per option: cost if approved, if denied, chance of approval, expected and its range.

    ``months`` defaults to 12 (or the horizon, if shorter).
    """
    ds = ds or dataset()
    outcome = outcome or model(scenario, ds)
    m = months_for(scenario, months)
    return pd.DataFrame([_row(opt, m) for opt in outcome.options.values()])


def denial_sentence(table: pd.DataFrame) -> str:
    """Plain words for "what if the prior authorization is denied?".

    >>> row = {"option": "IV ketamine", "if_approved": 3000.0, "if_denied": 3000.0}
    >>> denial_sentence(pd.DataFrame([{**row, "months": 1}]))
    'Over 1 month, IV ketamine: $3,000 either way.'
    >>> denial_sentence(pd.DataFrame([{**row, "months": 2}]))
    'Over 2 months, IV ketamine: $3,000 either way.'
    """
    parts = []
    for r in table.to_dict("records"):
        change = r["if_denied"] - r["if_approved"]
        if abs(change) < 0.5:
            parts.append(f"{r['option']}: ${r['if_denied']:,.0f} either way.")
        else:
            word = "more" if change > 0 else "less"
            parts.append(f"{r['option']}: ${r['if_denied']:,.0f} if denied, ${abs(change):,.0f} {word} than if approved (${r['if_approved']:,.0f}).")
    months = int(table["months"].iloc[0])
    return f"Over {months} {'month' if months == 1 else 'months'}, " + " ".join(parts)
