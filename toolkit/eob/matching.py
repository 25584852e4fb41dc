"""Pair each EOB row with the forecast's claim line it settles: same date of service, same code.

Why by date and code: that is how a plan's EOB and a clinic's claim name a line; units and
amounts are what the EOB is there to correct, so they cannot be the key. The forecast's
lines are the option's claims if approved (what the plan was sent), at typical prices.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.adjudication import AdjudicatedLine
from ..engine.compare import Comparison
from ..scenario import OPTION_LABELS
from .reader import EOBError, EOBRow


@dataclass(frozen=True)
class Match:
    """One EOB row and the forecast line it replaces (None: the forecast has no such line)."""

    row: EOBRow
    line: AdjudicatedLine | None
    index: int | None  # position of the line in the forecast's claims table


def _pair(rows: list[EOBRow], lines: list[AdjudicatedLine]) -> list[Match]:
    taken: set[int] = set()
    out = []
    for r in rows:
        hit = next((i for i, a in enumerate(lines) if i not in taken and a.line.day == r.day and a.line.code == r.code), None)
        if hit is not None:
            taken.add(hit)
        out.append(Match(r, None if hit is None else lines[hit], hit))
    return out


def forecast_lines(comp: Comparison, option: str) -> list[AdjudicatedLine]:
    """The option's claim lines if approved, typical prices: what the EOB rows are matched against."""
    return comp.options[option].run("approved").lines


def match_rows(rows: list[EOBRow], comp: Comparison, option: str | None = None) -> tuple[str, list[Match]]:
    """The option the EOB belongs to (given, or the one whose lines it matches best) and each row's match.

    Raises :class:`EOBError` when no row matches a forecast line: the EOB is for another
    schedule, another option or the dates are off, and nothing can be re-fitted from it.
    """
    options = [option] if option else list(comp.options)
    best = max(options, key=lambda o: sum(m.line is not None for m in _pair(rows, forecast_lines(comp, o))))
    matches = _pair(rows, forecast_lines(comp, best))
    if not any(m.line is not None for m in matches):
        first = rows[0]
        days = sorted({a.line.day for a in forecast_lines(comp, best)})
        near = ", ".join(f"{d:%Y-%m-%d}" for d in days[:4])
        codes = sorted({a.line.code for a in forecast_lines(comp, best) if a.line.code})
        raise EOBError([(first.row, "date_of_service", f"no forecast line for {OPTION_LABELS[best]} on this date with code {first.code}: "
                                                        f"the forecast's first dates are {near} and its codes {', '.join(codes)}")])
    return best, matches
