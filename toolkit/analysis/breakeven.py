"""Break-even: the month in which the two options' running costs cross, if they do.

A typical shape: IV ketamine costs more up front (a first series of self-paid infusions), then
less per month; Spravato's plan-covered costs climb until the deductible and the
out-of-pocket maximum are reached. The break-even month is the first month at the end of
which the option that was cheaper so far no longer is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..money import Cents
from ..scenario import OPTION_LABELS
from .model import Outcome


def crossings(difference: list[Cents]) -> list[int]:
    """Months (1-based) at whose end the cheaper option changes.

    ``difference`` is IV minus Spravato, running total at the end of each month. A month
    where both are equal is not a crossing by itself; the crossing is the month the order
    flips against the last month that had a cheaper option.

    >>> crossings([-500, -200, 100, 400])     # IV cheaper at first, Spravato from month 3
    [3]
    >>> crossings([300, 0, -100, 50])          # equal in month 2, flips in 3, back in 4
    [3, 4]
    >>> crossings([100, 200])
    []
    """
    out, last = [], 0
    for m, d in enumerate(difference, start=1):
        sign = (d > 0) - (d < 0)
        if sign and last and sign != last:
            out.append(m)
        if sign:
            last = sign
    return out


def breakeven_month(outcome: Outcome, what: str = "expected") -> int | None:
    """The first month the running costs cross, or None if one option stays cheaper (or equal)."""
    found = crossings(_difference(outcome, what))
    return found[0] if found else None


def _difference(outcome: Outcome, what: str) -> list[Cents]:
    iv = outcome.options["iv_ketamine"].cumulative(what)
    sp = outcome.options["spravato"].cumulative(what)
    return [a - b for a, b in zip(iv, sp)]


def breakeven_frame(outcome: Outcome, what: str = "expected") -> pd.DataFrame:
    """Tidy, one row per month: both running totals (dollars), the difference, who is cheaper so far."""
    iv = outcome.options["iv_ketamine"].cumulative(what)
    sp = outcome.options["spravato"].cumulative(what)
    cross = set(crossings([a - b for a, b in zip(iv, sp)]))
    rows = []
    for m, (a, b) in enumerate(zip(iv, sp), start=1):
        cheaper = OPTION_LABELS["spravato"] if b < a else OPTION_LABELS["iv_ketamine"] if a < b else "same"
        rows.append({"month": m, "iv_ketamine": a / 100, "spravato": b / 100, "iv_minus_spravato": (a - b) / 100, "cheaper_so_far": cheaper, "costs_cross": m in cross})
    return pd.DataFrame(rows)


def breakeven_months_array(difference: np.ndarray) -> np.ndarray:
    """First crossing month per row of a (rows, months) array of running differences; 0 = none.

    >>> breakeven_months_array(np.array([[-500, -200, 100], [100, 200, 300], [0, -5, 7]])).tolist()
    [3, 0, 3]
    """
    sign = np.sign(difference)
    n, h = sign.shape
    # last nonzero sign before each month (carry forward)
    idx = np.where(sign != 0, np.arange(h)[None, :], -1)
    idx = np.maximum.accumulate(idx, axis=1)
    prev_idx = np.concatenate([np.full((n, 1), -1), idx[:, :-1]], axis=1)
    prev_sign = np.where(prev_idx >= 0, np.take_along_axis(sign, np.maximum(prev_idx, 0), axis=1), 0)
    flip = (sign != 0) & (prev_sign != 0) & (sign != prev_sign)
    first = np.argmax(flip, axis=1)
    return np.where(flip.any(axis=1), first + 1, 0)


def describe_breakeven(outcome: Outcome, months: int | None = None) -> str:
    """One plain sentence about the crossing, for a chart subtitle or a handout."""
    m = breakeven_month(outcome)
    frame = breakeven_frame(outcome)
    if months:
        frame = frame[frame["month"] <= months]
    last = frame.iloc[-1]
    if m is None or (months and m > months):
        who = last["cheaper_so_far"]
        if who == "same":
            return "The two options cost the patient the same throughout."
        return f"{who} stays the cheaper option every month; the running costs never cross."
    earlier = frame[(frame["month"] < m) & (frame["cheaper_so_far"] != "same")]
    before = earlier.iloc[-1]["cheaper_so_far"]
    after = frame.iloc[m - 1]["cheaper_so_far"]
    return f"The running costs cross in month {m}: {before} is cheaper until then, {after} after."
