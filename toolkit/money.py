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

Cents = int
BasisPoints = int

BP_PER_WHOLE = 10_000


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
    """
    if amount < 0 or bp < 0:
        raise ValueError("share() takes non-negative amounts and rates")
    return (amount * bp + BP_PER_WHOLE // 2) // BP_PER_WHOLE


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
