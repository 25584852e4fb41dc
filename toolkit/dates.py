"""Calendar arithmetic the money rules depend on, in one place.

Why its own module: treatment months (when a running total is read), plan years (when a
deductible starts again) and "18 months ago" (when a source is stale) are all month
arithmetic, and each must clamp a 31st to the end of a shorter month the same way.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (or earlier, if negative), clamped to the month's end.

    >>> add_months(date(2027, 1, 31), 1), add_months(date(2026, 5, 31), -18)
    (datetime.date(2027, 2, 28), datetime.date(2024, 11, 30))
    """
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    m += 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def month_index(start: date, day: date) -> int:
    """Treatment month of ``day`` (0 = the first month after ``start``).

    >>> month_index(date(2026, 12, 31), date(2027, 2, 28))   # 31 Dec + 2 months is clamped to 28 Feb
    2
    """
    k = (day.year - start.year) * 12 + day.month - start.month
    if add_months(start, k) > day:
        k -= 1
    return k


def plan_year_start(day: date, start_month: int) -> date:
    """First day of the plan year containing ``day``.

    >>> plan_year_start(date(2027, 3, 9), 7)
    datetime.date(2026, 7, 1)
    """
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


def plan_year_end(start: date) -> date:
    """Last day of the plan year that starts on ``start``.

    >>> plan_year_end(date(2026, 7, 1))
    datetime.date(2027, 6, 30)
    """
    return date(start.year + 1, start.month, 1) - timedelta(days=1)


@lru_cache(maxsize=256)
def plan_year_label(start: date) -> str:
    """``Jul 2026-Jun 2027``: how claim tables name a plan year."""
    return f"{start:%b %Y}-{plan_year_end(start):%b %Y}"


def format_day(day: date) -> str:
    """Dates for people: ``Mon 15 Mar 2027`` (weekday helps spot weekend deadlines).

    >>> format_day(date(2027, 3, 15))
    'Mon 15 Mar 2027'
    """
    return f"{day:%a} {day.day} {day:%b %Y}"
