"""Loan and card arithmetic: installments, amortized loans, deferred-interest cards.

Pure functions of cents and rates, each with its rule, formula, source and a worked example
(as numpy-financial's functions do), so a benefits counsellor can check the arithmetic
without running anything. :mod:`toolkit.paying.routes` strings them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf

from ..money import Cents

MAX_MONTHS = 600  # 50 years: a payment that never pays a balance off is refused, not looped


def _cents(value: Decimal) -> Cents:
    """Round a Decimal amount of cents half up to a whole cent."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def monthly_interest(balance: Cents, apr: Decimal | str) -> Cents:
    """One month's interest on a balance at an annual percentage rate.

    Rule: a card or loan charges a twelfth of the APR on the balance each month.
    Formula: ``interest = round(balance x APR / 12)`` (half up, to the cent).

    Example: $1,000 at 12 % APR: $10.00 for the month.

    >>> monthly_interest(100000, "0.12")
    1000
    """
    return _cents(Decimal(balance) * Decimal(str(apr)) / 12)


# ----------------------------------------------------------------------------- installments


def installments(principal: Cents, months: int) -> list[Cents]:
    """Equal 0 % payments that add up to the amount exactly.

    Rule (an in-house plan at 0 %): the balance is split into equal monthly payments; the
    cents that do not divide evenly are paid one each in the first months.
    Formula: ``base = principal // n``; the first ``principal mod n`` payments are ``base + 1``.

    Example: $1,000.00 over 3 months: $333.34, $333.33, $333.33.

    >>> installments(100000, 3)
    [33334, 33333, 33333]
    >>> sum(installments(123457, 7)) == 123457
    True
    """
    if months < 1:
        raise ValueError("months: must be 1 or more")
    if principal <= 0:
        return []
    base, extra = divmod(principal, months)
    return [base + (1 if i < extra else 0) for i in range(months)]


# ----------------------------------------------------------------------------- loans


@dataclass(frozen=True)
class LoanMonth:
    month: int  # 1-based
    payment: Cents
    interest: Cents
    principal: Cents
    balance: Cents  # after this payment


def loan_payment(principal: Cents, apr: Decimal | str, months: int) -> Cents:
    """The fixed monthly payment of an amortizing loan (numpy-financial ``pmt``).

    Given the amount borrowed, the APR and the number of monthly payments, return the
    payment that pays the loan off exactly, rounded half up to the cent.

    Notes: solves ``P = A x r / (1 - (1 + r) ** -n)`` with ``r = APR / 12`` (the standard
    annuity equation; numpy-financial's ``pmt``). At 0 % the payment is ``P / n``.

    Example: $1,000 at 12 % APR over 3 months: r = 1 %, payment $340.02.
    What is the monthly payment needed to pay off a $10,000 medical loan in 2 years at
    11.4 %?

    >>> loan_payment(100000, "0.12", 3)
    34002
    >>> loan_payment(1000000, "0.114", 24)  # r = 0.95 %: 10,000 x 0.0095 / (1 - 1.0095 ** -24)
    46794
    >>> loan_payment(120000, "0", 12)
    10000
    """
    if months < 1:
        raise ValueError("months: must be 1 or more")
    if principal <= 0:
        return 0
    rate = Decimal(str(apr)) / 12
    if rate == 0:
        return -(-principal // months)  # round up so n payments cover the balance
    value = -npf.pmt(float(rate), months, principal / 100) * 100
    return _cents(Decimal(repr(float(value))))


def amortize(principal: Cents, apr: Decimal | str, months: int) -> list[LoanMonth]:
    """A loan's payment schedule: interest, principal and balance month by month.

    Rule: each month the lender charges a month's interest on the balance (see
    :func:`monthly_interest`); the rest of the fixed payment repays principal. The last
    payment is whatever clears the balance, so the payments add up exactly.
    Formula: ``i_k = round(B_{k-1} x r)``; ``B_k = B_{k-1} + i_k - payment``.

    Example (by hand): $1,000 at 12 % APR, 3 payments of $340.02.
    Month 1: interest $10.00, principal $330.02, balance $669.98.
    Month 2: interest $6.70 (6.6998), principal $333.32, balance $336.66.
    Month 3: interest $3.37 (3.3666), final payment $340.03. Total interest $20.07.

    >>> rows = amortize(100000, "0.12", 3)
    >>> [(r.payment, r.interest, r.balance) for r in rows]
    [(34002, 1000, 66998), (34002, 670, 33666), (34003, 337, 0)]
    >>> sum(r.interest for r in rows)
    2007
    """
    pay = loan_payment(principal, apr, months)
    apr_d = Decimal(str(apr))
    out: list[LoanMonth] = []
    balance = principal
    for k in range(1, months + 1):
        if balance <= 0:
            break
        interest = monthly_interest(balance, apr_d)
        payment = balance + interest if k == months or pay >= balance + interest else pay
        balance = balance + interest - payment
        out.append(LoanMonth(k, payment, interest, payment - interest, balance))
    return out


# ----------------------------------------------------------------------------- medical credit card


def card_suggested_payment(principal: Cents, promo_months: int, minimum: Cents) -> Cents:
    """The monthly payment that clears a deferred-interest purchase within the promotion.

    Rule (CareCredit's payment calculator): the greater of the amount financed divided by
    the promotional months, or the card's minimum monthly payment ($30), and never more
    than the balance. Rounded *up* to the cent so the promotion really is cleared.
    Formula: ``min(P, max(ceil(P / n), minimum))``.

    Example: $1,000 over 12 months: $83.34 (12 x $83.34 covers $1,000); $200 over 12
    months: the $30 minimum.

    >>> card_suggested_payment(100000, 12, 3000)
    8334
    >>> card_suggested_payment(20000, 12, 3000)
    3000
    """
    if promo_months < 1:
        raise ValueError("promo_months: must be 1 or more")
    if principal <= 0:
        return 0
    return min(principal, max(-(-principal // promo_months), minimum))


def deferred_interest(balances: list[Cents], apr: Decimal | str) -> Cents:
    """Interest held back during a deferred-interest promotion, charged if it is missed.

    Given the balance carried in each promotional month, return the interest that is
    charged "from the purchase date" if the balance is not paid in full in time.

    Rule (CareCredit: "if the Amount Financed is not paid in full within the Payoff Period,
    interest will be charged to your account from the purchase date"). The toolkit accrues
    a month's interest on each month's starting balance at the standard APR, without
    compounding during the promotion (statements use the average daily balance, so the
    real figure differs by a little).
    Formula: ``D = sum_k round(B_k x APR / 12)``.

    Example (by hand): $1,200 over 12 months at $100 a month, 29.99 % APR, the last
    payment missed: balances $1,200, $1,100, ..., $100 (sum $7,800), so
    D = $7,800 x 0.2999 / 12 = $194.94 (rounded month by month: also $194.94).

    >>> deferred_interest([120000 - 10000 * k for k in range(12)], "0.2999")
    19494
    """
    return sum(monthly_interest(b, apr) for b in balances)


@dataclass(frozen=True)
class CardPlan:
    """A deferred-interest purchase month by month."""

    payments: list[Cents]  # month 1, 2, ...
    deferred_interest_charged: Cents  # the cliff (0 when cleared in time)
    interest_after_promo: Cents
    cleared_in_promo: bool
    payment: Cents

    @property
    def interest(self) -> Cents:
        return self.deferred_interest_charged + self.interest_after_promo


def card_schedule(principal: Cents, apr: Decimal | str, promo_months: int, payment: Cents, missed: frozenset[int] | set[int] = frozenset()) -> CardPlan:
    """Pay a deferred-interest purchase: cleared in time, or over the cliff.

    Given the purchase, the standard APR, the promotional months, the monthly payment and
    the months (1-based) in which a payment is missed, return every payment made.

    Rule: during the promotion no interest is charged but it accrues (see
    :func:`deferred_interest`). If any balance is left when the promotion ends, all of it
    is charged at once; from then on the standard APR applies each month (see
    :func:`monthly_interest`) and the same payment continues until the balance is paid.

    Example: $1,200 over 12 months at $100 a month, 29.99 % APR. Paid on time: 12 x
    $100, no interest. Month 12 missed: $100 left, so the $194.96 of deferred interest is
    charged; month 13 then pays $100 plus a month's interest on $294.96, and so on.

    >>> on_time = card_schedule(120000, "0.2999", 12, 10000)
    >>> on_time.cleared_in_promo, on_time.interest, sum(on_time.payments)
    (True, 0, 120000)
    >>> cliff = card_schedule(120000, "0.2999", 12, 10000, missed={12})
    >>> cliff.cleared_in_promo, cliff.deferred_interest_charged, cliff.payments[11:]
    (False, 19494, [0, 10000, 10000, 10000, 1030])
    >>> sum(cliff.payments) - 120000 == cliff.interest
    True
    """
    if promo_months < 1:
        raise ValueError("promo_months: must be 1 or more")
    apr_d = Decimal(str(apr))
    balance = principal
    payments: list[Cents] = []
    held: list[Cents] = []
    for k in range(1, promo_months + 1):
        if balance <= 0:
            break
        held.append(balance)
        pay = 0 if k in missed else min(payment, balance)
        payments.append(pay)
        balance -= pay
    cleared = balance <= 0
    charged = 0 if cleared else deferred_interest(held, apr_d)
    balance += charged
    after = 0
    k = len(payments)
    while balance > 0:
        k += 1
        if k > MAX_MONTHS:
            raise ValueError("payment: too small to ever pay the balance off at this APR")
        interest = monthly_interest(balance, apr_d)
        if interest >= payment and k not in missed:
            raise ValueError("payment: too small to ever pay the balance off at this APR")
        balance += interest
        after += interest
        pay = 0 if k in missed else min(payment, balance)
        payments.append(pay)
        balance -= pay
    return CardPlan(payments, charged, after, cleared, payment)
