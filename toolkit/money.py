"""Exact money arithmetic in integer cents.

Why integer cents: every total shown to a patient must equal the sum of the claim lines
behind it, to the cent. Floats drift (0.1 + 0.2 != 0.3); integers do not, and they are
fast enough to adjudicate thousands of claims per millisecond.

Rates (coinsurance, discounts, reimbursement shares) are held in basis points
(1 bp = 0.01 %, so 20 % = 2,000 bp) so that a share of an amount is integer arithmetic
with one explicit rounding rule: round half up to the nearest cent, the rule claim
systems use when they print an explanation of benefits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np

Cents = int
BasisPoints = int

BP_PER_WHOLE = 10_000
# Likelihoods as whole numbers over 10^8: the coverage data and the advisor's overrides need at
# most 8 decimals, so weighting stays exact integer arithmetic for one patient and for arrays.
P_SCALE = 10**8
NO_CAP = 1 << 50  # "no out-of-pocket maximum": above any patient's share, far from int64 overflow


# ----------------------------------------------------------------------------- scalars and arrays
# Every money rule is written once and runs on plain ints (one patient, exact and unbounded)
# and on numpy int64 arrays (one entry per draw or per patient). These four helpers are the
# only places that tell the two apart, as numpy-financial's functions do.


_ND = np.ndarray


def _arr(*xs: Any) -> bool:
    for x in xs:
        if x.__class__ is _ND:
            return True
    return False


def minimum(a: Any, b: Any) -> Any:
    """``min`` for ints, ``np.minimum`` for arrays.

    >>> minimum(3, 5), minimum(np.array([3, 9]), 5).tolist()
    (3, [3, 5])
    """
    if a.__class__ is _ND or b.__class__ is _ND:
        return np.minimum(a, b)
    return a if a < b else b


def maximum(a: Any, b: Any) -> Any:
    """``max`` for ints, ``np.maximum`` for arrays."""
    if a.__class__ is _ND or b.__class__ is _ND:
        return np.maximum(a, b)
    return a if a > b else b


def where(cond: Any, a: Any, b: Any) -> Any:
    """``a if cond else b`` for one patient; ``np.where`` for arrays.

    >>> where(True, 1, 2), where(np.array([True, False]), 1, 2).tolist()
    (1, [1, 2])
    """
    if cond.__class__ is _ND or a.__class__ is _ND or b.__class__ is _ND:
        return np.where(cond, a, b)
    return a if cond else b


def not_(x: Any) -> Any:
    """Logical not for a bool or a bool array (``~True`` is -2 in Python, so never use ``~``)."""
    return np.logical_not(x) if x.__class__ is _ND else not x


def to_cents(amount: Decimal | int | float | str) -> Cents:
    """Convert a dollar amount to integer cents, rounding half up.

    >>> to_cents("952.59")
    95259
    >>> to_cents(Decimal("0.005"))
    1
    """
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - guarded by validators
        raise ValueError(f"not an amount of money: {amount!r}") from exc
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def to_dollars(cents: Cents) -> Decimal:
    """Cents back to an exact Decimal dollar amount (two places).

    >>> to_dollars(95259)
    Decimal('952.59')
    """
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def rate_to_bp(rate: Decimal | float | str) -> BasisPoints:
    """A fraction (0.2 for 20 %) to basis points, rounding half up.

    >>> rate_to_bp("0.2")
    2000
    """
    return int((Decimal(str(rate)) * BP_PER_WHOLE).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def share(amount: Cents, bp: BasisPoints) -> Cents:
    """The part of ``amount`` that a rate in basis points takes, rounded half up to a cent.

    Rule: share = round_half_up(amount x bp / 10,000). Used for coinsurance, discounts
    and reimbursement shares.

    Example: 20 % coinsurance on an allowed amount of $952.59 is $190.518, which a claim
    system prints as $190.52.

    >>> share(95259, 2000)
    19052
    >>> share(np.array([95259, 100]), 2000).tolist()
    [19052, 20]
    """
    if not _arr(amount, bp) and (amount < 0 or bp < 0):
        raise ValueError("share() takes non-negative amounts and rates")
    return (amount * bp + BP_PER_WHOLE // 2) // BP_PER_WHOLE


def scale_half_up(amount: Any, num: Any, den: Any) -> Any:
    """``amount x num / den`` in whole cents, rounded half up (non-negative inputs); ``num`` when ``den`` is 0.

    Used to move a booster price in proportion with the infusion price.

    >>> scale_half_up(60000, 30000, 60000)   # a $600 booster when the infusion drops to $300
    30000
    >>> scale_half_up(50000, 33333, 60000)   # $277.775 rounds half up to $277.78
    27778
    >>> scale_half_up(50000, np.array([33333, 60000]), 60000).tolist()
    [27778, 50000]
    """
    if _arr(amount, num, den):
        den = np.asarray(den, dtype=np.int64)
        safe = np.where(den > 0, den, 1)
        return np.where(den > 0, (2 * amount * num + safe) // (2 * safe), num)
    if den <= 0:
        return num
    return (2 * amount * num + den) // (2 * den)


def likelihood_num(p: Decimal | str | int | float) -> int:
    """A likelihood (a fraction) as a whole number over :data:`P_SCALE`, exactly.

    >>> likelihood_num(Decimal("0.37125")), likelihood_num("1")
    (37125000, 100000000)
    """
    v = Decimal(str(p)) * P_SCALE
    if v != v.to_integral_value():
        raise ValueError(f"likelihood {p} has more than 8 decimals")
    return int(v)


def weigh(p: Any, approved: Any, denied: Any) -> Any:
    """Likelihood-weighted cost ``p x approved + (1 - p) x denied``, rounded half away from zero to the cent.

    ``p`` is a Decimal fraction, or whole numbers over :data:`P_SCALE` (ints or an array, one
    per draw). Written so no intermediate product can overflow int64: the difference is split
    into whole multiples of P_SCALE and a remainder.

    Example: a 75 % chance of approval, $1,000 if approved and $5,000 if denied: $2,000.

    >>> weigh(Decimal("0.75"), 100000, 500000)
    200000
    >>> weigh(np.array([75_000_000]), np.array([100000]), np.array([500000])).tolist()
    [200000]
    """
    if isinstance(p, Decimal):
        p = likelihood_num(p)
    if _arr(p, approved, denied):
        p = np.asarray(p, dtype=np.int64)
        if np.ndim(approved) == 2 and p.ndim == 1:
            p = p[:, None]
    diff = approved - denied
    hi, lo = divmod(diff, P_SCALE)  # diff = hi x P + lo, 0 <= lo < P
    rest = p * lo  # < P^2 = 10^16
    # d + p x hi + rest / P, rounded half away from zero
    whole = denied + p * hi
    q, r = divmod(rest, P_SCALE)
    up = 2 * r >= P_SCALE
    value = whole + q
    # exact = n + r / P with n whole and 0 <= r < P: half up for n >= 0, half away from zero below
    if _arr(value, r):
        return np.where(value < 0, value + (2 * r > P_SCALE), value + up).astype(np.int64)
    return value + (2 * r > P_SCALE if value < 0 else up)


def fmt(cents: Cents, *, plain: bool = False) -> str:
    """Format cents as dollars for people: ``$1,234.56`` (or ``-$5.00``).

    >>> fmt(123456)
    '$1,234.56'
    >>> fmt(-500)
    '-$5.00'
    """
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    text = f"{whole:,}.{part:02d}"
    return text if plain else f"{sign}${text}" if sign else f"${text}"


def fmt_round(cents: Cents) -> str:
    """Whole dollars for charts and headlines (``$1,235``); tables keep cents.

    >>> fmt_round(123456)
    '$1,235'
    """
    dollars = (abs(cents) + 50) // 100
    return f"{'-' if cents < 0 else ''}${dollars:,}"


def fmt_pct(fraction) -> str:
    """A likelihood for people: whole percents, one decimal below 10 % so 0.6 % is not shown as 1 %.

    >>> fmt_pct(0.455), fmt_pct(0.006), fmt_pct(0)
    ('46%', '0.6%', '0%')
    """
    value = float(fraction) * 100
    if 0 < value < 10 and round(value, 1) != round(value):
        return f"{value:.1f}%"
    return f"{value:.0f}%"
