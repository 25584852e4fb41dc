"""How the patient could pay: the same out-of-pocket cost, paid seven different ways.

Why month by month: a family deciding at the kitchen table asks two questions, "what does
it cost in the end?" and "what leaves our account each month?". A loan lowers the second
and raises the first; a medical credit card looks free until one missed payment makes it
the most expensive route (the deferred-interest cliff). Both questions are answered from
the same claim lines the comparison adjudicated, so the totals here tie back to them.

Routes, for each option's patient cost (expected, if approved or if denied):

1. **Pay as you go**: each visit paid on the day (no package discount).
2. **Prepaid package** (IV ketamine): the clinic's package discount on the first series,
   paid at the first visit (the discount the comparison already applies).
3. **Clinic in-house plan**: 0 % interest, equal monthly payments.
4. **Medical credit card, paid on time**: deferred interest; every promotional payment made.
5. **Medical credit card, one payment missed**: the cliff. Interest from the purchase
   date is charged at the end of the promotion, then the standard APR runs until paid off.
6. **Personal or medical loan**: fixed payment (numpy-financial ``pmt``), amortized.
7. **HSA** and **8. FSA**: paid with untaxed money, saving the marginal tax rate, within
   the 2026 limits (see :mod:`toolkit.hsa_fsa`).

The Spravato savings program is already in the claim lines (column ``savings``, applied by
:mod:`toolkit.adjudication`); routes pay what is left after it, and the savings are shown,
never recomputed. Superbill reimbursements arrive when the adjudication says they do.

Simplification, stated wherever it shows: the financed routes (3 to 6) pay the clinic for
the whole period at the first session, so the package discount applies to them.
Financing terms that are not published facts are inputs whose defaults come from
``data/financing.csv`` (vendor figures and toolkit assumptions, marked as such).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy_financial as npf
import pandas as pd

from . import hsa_fsa
from .adjudication import Adjudicator, plan_year_start
from .compare import CASES, Comparison, OptionResult, compare, weigh
from .datasets import DataError, Dataset, Problem, SourcedValue, _read_parameters, dataset, default_data_dir
from .money import Cents, fmt, to_cents
from .schedule import add_months, month_index

OUTCOMES = {
    # default: a patient pays one real outcome, not a probability-weighted blend of two
    "likely": "for each option, the more likely outcome (approved when the plan is more likely than not to pay, else self-pay), typical prices",
    "expected": "expected (typical prices, weighted by the chance of approval)",
    "approved": "if approved (typical prices)",
    "denied": "if denied (typical prices, self-pay)",
}
ROUTES = {
    "pay_as_you_go": "Pay as you go",
    "package": "Prepaid package",
    "in_house": "Clinic in-house plan (0%)",
    "card_on_time": "Medical credit card, paid on time",
    "card_cliff": "Medical credit card, one payment missed",
    "loan": "Personal or medical loan",
    "hsa": "Health savings account (HSA)",
    "fsa": "Flexible spending account (FSA)",
}
MAX_MONTHS = 600  # 50 years: a payment that never pays a balance off is refused, not looped


class FinancingError(ValueError):
    """Bad financing input: names the field, never a traceback."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(f"{FIELD_LABELS.get(field_name, field_name)}: {message}")


# ----------------------------------------------------------------------------- rounding


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


# ----------------------------------------------------------------------------- terms (inputs)


FIELD_LABELS = {
    "inhouse_months": "Clinic plan: number of monthly payments",
    "card_promo_months": "Credit card: promotional months",
    "card_apr_pct": "Credit card: standard APR (%)",
    "card_min_payment": "Credit card: minimum monthly payment ($)",
    "loan_apr_pct": "Loan: APR (%)",
    "loan_months": "Loan: number of monthly payments",
    "hsa_coverage": "HSA coverage",
    "hsa_age_55": "HSA holder is 55 or over",
    "fsa_election": "FSA amount chosen for the plan year ($)",
    "fsa_carryover": "FSA plan allows a carryover",
    "outcome": "Which cost to pay",
}


def financing_data(data_dir: Path | str | None = None) -> dict[str, SourcedValue]:
    """The default financing terms from ``data/financing.csv``, validated like every table.

    The main loader reads ``financing.csv`` as one of the parameter tables (so
    ``check-data`` validates it and lists its stale rows); a data folder whose loader does
    not know the table yet is read directly with the same validator.

    >>> financing_data()["financing.card.min_payment"].typical
    Decimal('30')
    """
    rows = {k: v for k, v in dataset(data_dir).parameters.items() if k.startswith("financing.")}
    if rows:
        return rows
    directory = Path(data_dir) if data_dir else default_data_dir()
    path = directory / "financing.csv"
    if not path.exists():
        raise DataError([Problem(f"data/{path.name}", None, None, "file is missing (the financing defaults live there)")])
    return _financing_data(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _financing_data(path: str, stamp: int) -> dict[str, SourcedValue]:
    values, problems = _read_parameters(Path(path), {}, {})
    if problems:
        raise DataError(problems)
    return {v.id: v for v in values}


@dataclass(frozen=True)
class FinancingTerms:
    """The financing inputs, in the units people read on an offer (months, %, dollars)."""

    inhouse_months: int = 6
    card_promo_months: int = 12
    card_apr_pct: Decimal = Decimal("29.99")
    card_min_payment: Decimal = Decimal("30")
    loan_apr_pct: Decimal = Decimal("11.4")
    loan_months: int = 24
    hsa_coverage: str = "self_only"
    hsa_age_55: bool = False
    fsa_election: Decimal | None = None  # None: enough for the first plan year's cost, up to the limit
    fsa_carryover: bool = True

    @classmethod
    def defaults(cls, data_dir: Path | str | None = None) -> "FinancingTerms":
        """Typical figures from ``data/financing.csv``.

        >>> t = FinancingTerms.defaults()
        >>> (t.card_promo_months, t.card_apr_pct, t.loan_apr_pct, t.loan_months)
        (12, Decimal('29.99'), Decimal('11.4'), 24)
        """
        d = financing_data(data_dir)

        def pct(key: str) -> Decimal:
            return (d[key].typical * 100).normalize()

        return cls(
            inhouse_months=int(d["financing.inhouse.months"].typical),
            card_promo_months=int(d["financing.card.promo_months"].typical),
            card_apr_pct=pct("financing.card.standard_apr"),
            card_min_payment=d["financing.card.min_payment"].typical,
            loan_apr_pct=pct("financing.loan.apr"),
            loan_months=int(d["financing.loan.term_months"].typical),
        )

    @classmethod
    def from_values(cls, values: dict[str, Any], base: "FinancingTerms | None" = None) -> "FinancingTerms":
        """Build terms from form values (text or numbers); a bad one raises :class:`FinancingError`.

        >>> FinancingTerms.from_values({"loan_apr_pct": "9.5", "loan_months": "36"}).loan_months
        36
        >>> FinancingTerms.from_values({"loan_apr_pct": "nine"})
        Traceback (most recent call last):
        ...
        toolkit.financing.FinancingError: Loan: APR (%): 'nine' is not a number
        """
        base = base or cls.defaults()
        out: dict[str, Any] = {}
        for key, raw in values.items():
            if key not in FIELD_LABELS or key == "outcome":
                raise FinancingError(key, "is not a financing field")
            if key in ("inhouse_months", "card_promo_months", "loan_months"):
                n = _number(key, raw, whole=True)
                if not 1 <= n <= 120:
                    raise FinancingError(key, "must be from 1 to 120 months")
                out[key] = int(n)
            elif key in ("card_apr_pct", "loan_apr_pct"):
                n = _number(key, raw)
                if not 0 <= n <= 100:
                    raise FinancingError(key, "must be from 0 to 100")
                out[key] = n
            elif key == "card_min_payment":
                n = _number(key, raw)
                if n < 0:
                    raise FinancingError(key, "cannot be negative")
                out[key] = n
            elif key == "fsa_election":
                if raw is None or str(raw).strip() == "":
                    out[key] = None
                    continue
                n = _number(key, raw)
                if n < 0:
                    raise FinancingError(key, "cannot be negative")
                out[key] = n
            elif key == "hsa_coverage":
                if raw not in ("self_only", "family"):
                    raise FinancingError(key, "must be self_only or family")
                out[key] = raw
            else:
                out[key] = bool(raw)
        return cls(**{**base.__dict__, **out})


def _number(key: str, raw: Any, *, whole: bool = False) -> Decimal:
    text = str(raw).strip().replace("$", "").replace(",", "").replace("%", "")
    if text == "":
        raise FinancingError(key, "enter a number")
    try:
        n = Decimal(text)
    except InvalidOperation:
        raise FinancingError(key, f"'{raw}' is not a number") from None
    if not n.is_finite():
        raise FinancingError(key, f"'{raw}' is not a number")
    if whole and n != n.to_integral_value():
        raise FinancingError(key, "must be a whole number")
    if n.as_tuple().exponent < -2 and not whole:  # type: ignore[operator]
        raise FinancingError(key, "use at most 2 decimal places")
    return n


# ----------------------------------------------------------------------------- cash needs


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


def _month_lists(opt: OptionResult, outcome: str, months: int) -> dict[str, list[Cents]]:
    run = opt.run(outcome, "typical")
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


def _weighted(p: Decimal, a: list[Cents], d: list[Cents]) -> list[Cents]:
    """Month-by-month weighted amounts whose sum equals the weighted total (weigh the running sums)."""
    out, ca, cd, prev = [], 0, 0, 0
    for x, y in zip(a, d):
        ca += x
        cd += y
        cum = weigh(p, ca, cd)
        out.append(cum - prev)
        prev = cum
    return out


def likely_outcome(opt: OptionResult) -> str:
    """``approved`` when the typical chance of approval is at least one half, else ``denied``."""
    return "approved" if opt.coverage.likelihood[CASES["expected"][1]] >= Decimal("0.5") else "denied"


def cash_needs(opt: OptionResult, outcome: str = "likely") -> CashNeeds:
    """The option's cash needs by month for one outcome, read from its claim lines.

    ``expected`` weighs the approved and denied claim lines by the typical chance of
    approval, month by month, so the months add up to the comparison's expected figure
    (reimbursements included).
    """
    if outcome not in OUTCOMES:
        raise FinancingError("outcome", f"must be one of: {', '.join(OUTCOMES)}")
    months = _span(opt)
    first = frozenset(s.number for s in opt.sessions if s.phase == "first series")
    if outcome == "likely":
        outcome = likely_outcome(opt)
    if outcome == "expected":
        p = opt.coverage.likelihood[CASES["expected"][1]]
        a, d = _month_lists(opt, "approved", months), _month_lists(opt, "denied", months)
        w = {k: _weighted(p, a[k], d[k]) for k in a}
    else:
        w = _month_lists(opt, outcome, months)
    return CashNeeds(opt.option, opt.label, opt.start, w["charges"], w["refunds"], sum(w["savings"]), first, w["first_series"])


# ----------------------------------------------------------------------------- routes


@dataclass
class Route:
    """One way to pay, month by month (index 0 = the first treatment month)."""

    key: str
    label: str
    available: bool
    note: str
    payments: list[Cents] = field(default_factory=list)  # to the clinic, card or lender
    refunds: list[Cents] = field(default_factory=list)  # reimbursements coming back
    tax_saving: list[Cents] = field(default_factory=list)
    interest: Cents = 0
    monthly_payment: Cents | None = None
    source: str = ""

    def padded(self, months: int) -> "Route":
        def pad(xs: list[Cents]) -> list[Cents]:
            return xs + [0] * (months - len(xs))

        self.payments, self.refunds, self.tax_saving = pad(self.payments), pad(self.refunds), pad(self.tax_saving)
        return self

    @property
    def cash_out(self) -> list[Cents]:
        """Money leaving the patient's pocket each month: payments - refunds - tax saved."""
        n = max(len(self.payments), len(self.refunds), len(self.tax_saving))
        p, r, t = (xs + [0] * (n - len(xs)) for xs in (self.payments, self.refunds, self.tax_saving))
        return [a - b - c for a, b, c in zip(p, r, t)]

    @property
    def total(self) -> Cents:
        return sum(self.cash_out)

    @property
    def months_paying(self) -> int:
        return sum(1 for x in self.payments if x)


def _unavailable(key: str, why: str) -> Route:
    return Route(key, ROUTES[key], False, why)


def _financed(key: str, needs: CashNeeds, payments: list[Cents], interest: Cents, note: str, monthly: Cents | None, source: str = "") -> Route:
    return Route(key, ROUTES[key], True, note, payments, list(needs.refunds), [], interest, monthly, source)


def _tax_route(key: str, needs: CashNeeds, base: Route, saving: list[Cents], note: str) -> Route:
    return Route(key, ROUTES[key], True, note, list(base.payments), list(base.refunds), saving, 0, None)


@dataclass
class OptionFinancing:
    option: str
    label: str
    needs: CashNeeds
    routes: list[Route]
    savings_program: list[str]

    def route(self, key: str) -> Route:
        return next(r for r in self.routes if r.key == key)


@dataclass
class FinancingPlan:
    comparison: Comparison
    terms: FinancingTerms
    outcome: str
    options: dict[str, OptionFinancing]
    months: int

    def month_starts(self) -> list[date]:
        return [add_months(self.comparison.scenario.start_date, m) for m in range(self.months)]

    def table(self) -> pd.DataFrame:
        """Total cost per route, option by option (dollars, exact to the cent)."""
        rows = []
        for of in self.options.values():
            for r in of.routes:
                out = r.cash_out
                rows.append(
                    {
                        "option": of.label,
                        "way to pay": r.label,
                        "available": r.available,
                        "first month": out[0] / 100 if r.available and out else None,
                        "largest month": max(out) / 100 if r.available and out else None,
                        "months with payments": r.months_paying if r.available else None,
                        "interest": r.interest / 100 if r.available else None,
                        "tax saved": sum(r.tax_saving) / 100 if r.available else None,
                        "total cost": r.total / 100 if r.available else None,
                        "note": r.note,
                    }
                )
        return pd.DataFrame(rows)

    def cash_out_frame(self) -> pd.DataFrame:
        """Cash out per month for every available route (dollars): the chart's numbers."""
        rows = []
        starts = self.month_starts()
        for of in self.options.values():
            for r in of.routes:
                if not r.available:
                    continue
                for m, v in enumerate(r.cash_out):
                    rows.append({"option": of.label, "way to pay": r.label, "month": m + 1, "month starts": starts[m], "cash out": v / 100})
        return pd.DataFrame(rows)


def _package_discount_bp(comp: Comparison, ds: Dataset) -> Decimal:
    q = comp.scenario.prices.iv_package_discount_pct
    return q / 100 if q is not None else ds.number("iv.package_discount")


def _without_package(comp: Comparison, ds: Dataset) -> Comparison:
    s = comp.scenario
    prices = s.prices.model_copy(update={"iv_package_discount_pct": Decimal(0)})
    return compare(s.model_copy(update={"prices": prices}), ds)


def savings_program_lines(comp: Comparison, ds: Dataset, opt: OptionResult, needs: CashNeeds) -> list[str]:
    """The Spravato savings program in plain words, read from the adjudication (not recomputed)."""
    if opt.option != "spravato":
        return []
    adj = Adjudicator(comp.scenario, ds)
    floor = ds.value("savings.drug.patient_pays")
    cap = ds.value("savings.drug.annual_max")
    states = ", ".join(ds.value("savings.observation.excluded_states").items)
    out = []
    if not adj.savings_ok:
        out.append(adj.savings_note or "The Spravato savings program does not apply.")
        return out
    out.append(
        f"Spravato savings program (commercial plans only): the patient pays as little as {fmt(to_cents(floor.typical))} per treatment "
        f"for the medication, up to a yearly maximum of {fmt(to_cents(cap.typical))} per calendar year"
        + (f" (one clinic says {fmt(to_cents(cap.high))}; confirm the current terms)" if cap.high != cap.typical else "")
        + ". It does not pay the observation visit."
    )
    out.append(f"Already taken off these costs: {fmt(needs.savings)} paid by the program (claim lines, column 'savings').")
    run = opt.run("approved")
    years: dict[int, Cents] = {}
    for a in run.lines:
        if a.line.savings_kind == "drug":
            years[a.line.day.year] = years.get(a.line.day.year, 0) + a.savings
            if years[a.line.day.year] >= to_cents(cap.typical) and a.savings:
                out.append(f"If approved, the yearly maximum is used up on {a.line.day:%d %b %Y}; after that the patient pays the plan's full share until 1 January.")
    if not adj.rebate_ok:
        out.append(adj.savings_note or f"The observation rebate is not valid for residents of {states}.")
    else:
        out.append(f"Observation rebate: the patient pays the clinic, then claims the rebate (not valid for residents of {states}); its yearly cap is not published, so it is not counted.")
    return out


def plan_financing(comp: Comparison, terms: FinancingTerms | None = None, outcome: str = "likely", ds: Dataset | None = None) -> FinancingPlan:
    """Every way to pay, for both options, month by month.

    Example: the built-in example, expected costs. Every route pays the same claim lines,
    so pay-as-you-go and the HSA differ only by the tax saved, and a loan costs its
    interest on top.

    >>> from toolkit import compare, default_scenario
    >>> plan = plan_financing(compare(default_scenario()), outcome="expected")
    >>> spr = plan.options["spravato"]
    >>> spr.route("pay_as_you_go").total == plan.comparison.options["spravato"].total("expected")
    True
    >>> spr.route("loan").total - spr.route("loan").interest == spr.route("in_house").total
    True
    """
    ds = ds or dataset()
    terms = terms or FinancingTerms.defaults()
    if outcome not in OUTCOMES:
        raise FinancingError("outcome", f"must be one of: {', '.join(OUTCOMES)}")
    s = comp.scenario
    discount = _package_discount_bp(comp, ds)
    plain = _without_package(comp, ds) if discount else comp
    card_apr = terms.card_apr_pct / 100
    loan_apr = terms.loan_apr_pct / 100
    card_min = to_cents(terms.card_min_payment)
    rate = s.marginal_tax_rate_pct
    hsa_ok = hsa_fsa.hsa_eligibility(s)
    fsa_ok = hsa_fsa.fsa_eligibility(s)
    options: dict[str, OptionFinancing] = {}
    for key, opt in comp.options.items():
        needs = cash_needs(opt, outcome)
        routes: list[Route] = []
        principal = sum(needs.charges)
        has_package = key == "iv_ketamine" and discount > 0 and sum(needs.first_series) > 0
        if has_package:
            plain_needs = cash_needs(plain.options[key], outcome)
            payg = Route("pay_as_you_go", ROUTES["pay_as_you_go"], True, "Each visit paid on the day, at the full per-visit price (no package).", list(plain_needs.charges), list(plain_needs.refunds))
            pkg_pay = [c - f for c, f in zip(needs.charges, needs.first_series)]
            pkg_pay[0] += sum(needs.first_series)
            saved = payg.total - (sum(pkg_pay) - sum(needs.refunds))
            package = Route(
                "package", ROUTES["package"], True,
                f"The first series is prepaid at the first visit with a {(discount * 100).normalize():f}% package discount (saves about {fmt(saved)}); other visits as you go. Ask what happens to prepaid visits if treatment stops.",
                pkg_pay, list(needs.refunds),
            )
            base = package
            routes += [payg, package]
        else:
            payg = Route("pay_as_you_go", ROUTES["pay_as_you_go"], True, "Each visit paid on the day.", list(needs.charges), list(needs.refunds))
            why = "Spravato is billed per session: no package." if key == "spravato" else "No package discount for this clinic (0% entered)."
            base = payg
            routes += [payg, _unavailable("package", why)]
        refund_note = " Superbill reimbursements still come back weeks later, as shown." if sum(needs.refunds) else ""
        up_front = " The whole period's bills are financed at the first visit (a simplification)."
        if principal <= 0:
            for k in ("in_house", "card_on_time", "card_cliff", "loan"):
                routes.append(_unavailable(k, "Nothing to finance: the patient pays nothing in this case."))
        else:
            inst = installments(principal, terms.inhouse_months)
            routes.append(_financed("in_house", needs, inst, 0, f"{terms.inhouse_months} equal payments of about {fmt(inst[0])}, no interest. Offered by some clinics, case by case: ask.{up_front}{refund_note}", inst[0], "financing.csv:financing.inhouse.months"))
            pay = card_suggested_payment(principal, terms.card_promo_months, card_min)
            ok = card_schedule(principal, card_apr, terms.card_promo_months, pay)
            routes.append(_financed("card_on_time", needs, ok.payments, ok.interest, f"{terms.card_promo_months} months of deferred interest; {fmt(pay)} a month clears it in time, so no interest.{up_front}{refund_note}", pay, "financing.csv:financing.card.promo_months"))
            last = len(ok.payments)
            try:
                cliff = card_schedule(principal, card_apr, terms.card_promo_months, pay, missed={last})
                routes.append(_financed(
                    "card_cliff", needs, cliff.payments, cliff.interest,
                    f"The cliff: one payment missed in month {last}, so {fmt(cliff.deferred_interest_charged)} of interest is charged back to the purchase date, "
                    f"then {terms.card_apr_pct:g}% APR until paid ({fmt(cliff.interest)} of interest in all).",
                    pay, "financing.csv:financing.card.standard_apr",
                ))
            except ValueError as exc:
                routes.append(_unavailable("card_cliff", str(exc)))
            rows = amortize(principal, loan_apr, terms.loan_months)
            interest = sum(r.interest for r in rows)
            routes.append(_financed("loan", needs, [r.payment for r in rows], interest, f"{terms.loan_months} payments of {fmt(rows[0].payment)} at {terms.loan_apr_pct:g}% APR; {fmt(interest)} of interest in all.{up_front}{refund_note}", rows[0].payment, "financing.csv:financing.loan.apr"))
        # HSA: calendar (tax) years
        base_out = base.cash_out
        starts = [add_months(s.start_date, m) for m in range(len(base_out))]
        if hsa_ok.ok:
            years = [d.year for d in starts]
            limit = hsa_fsa.hsa_limit(ds, terms.hsa_coverage, terms.hsa_age_55)  # type: ignore[arg-type]
            eligible = _yearly_eligible(base, years, limit)
            saving = [hsa_fsa.tax_saving(x, rate) for x in eligible]
            routes.append(_tax_route("hsa", needs, base, saving, f"Bills paid from the HSA with untaxed money save the {rate:g}% tax rate: {fmt(sum(saving))} on {fmt(sum(eligible))}. Limit {fmt(limit)} a year ({terms.hsa_coverage.replace('_', '-')} coverage{', with the 55+ catch-up' if terms.hsa_age_55 else ''}), if the account is not needed for other bills. Unspent money stays in the account."))
        else:
            routes.append(_unavailable("hsa", hsa_ok.reason))
        if fsa_ok.ok:
            years_fsa = [plan_year_start(d, s.plan.plan_year_start_month) for d in starts]
            limit = hsa_fsa.fsa_limit(ds)
            first_year = years_fsa[0] if years_fsa else None
            need_first = sum(max(0, x) for x, y in zip(base_out, years_fsa) if y == first_year)
            election = min(limit, to_cents(terms.fsa_election)) if terms.fsa_election is not None else min(limit, need_first)
            limits = {y: (election if y == first_year else limit) for y in set(years_fsa)}
            eligible = _yearly_eligible(base, years_fsa, limits)
            saving = [hsa_fsa.tax_saving(x, rate) for x in eligible]
            spent_first_month = max(0, base_out[0]) if base_out else 0
            carry = hsa_fsa.fsa_carryover_limit(ds)
            lost = hsa_fsa.fsa_forfeit(election, spent_first_month, carry, plan_allows_carryover=terms.fsa_carryover)
            over = ""
            if terms.fsa_election is not None and to_cents(terms.fsa_election) > limit:
                over = f" The amount entered is above the {fmt(limit)} limit, so {fmt(limit)} is used."
            unspent = hsa_fsa.fsa_forfeit(election, need_first, carry, plan_allows_carryover=terms.fsa_carryover)
            routes.append(_tax_route(
                "fsa", needs, base, saving,
                f"{fmt(election)} chosen for the first plan year (limit {fmt(limit)}) saves {fmt(sum(saving))} at {rate:g}%.{over} "
                + (f"If the bills come in as estimated, {fmt(unspent)} would be lost at the year's end. " if unspent else "")
                + f"Use it or lose it: if treatment stopped after the first month, {fmt(lost)} would be lost"
                + (f" (after carrying over up to {fmt(carry)}, if the employer's plan allows it)." if terms.fsa_carryover else ".")
                + " The amount is chosen at open enrollment, before the plan year.",
            ))
        else:
            routes.append(_unavailable("fsa", fsa_ok.reason))
        options[key] = OptionFinancing(key, opt.label, needs, routes, savings_program_lines(comp, ds, opt, needs))
    months = max(len(r.cash_out) for of in options.values() for r in of.routes if r.available)
    for of in options.values():
        for r in of.routes:
            if r.available:
                r.padded(months)
    return FinancingPlan(comp, terms, outcome, options, months)


def _yearly_eligible(base: Route, years: list[object], limits: Cents | dict[object, Cents]) -> list[Cents]:
    """Per month, the part of the bills an account can pay: net of reimbursements per year, within the limit."""
    n = len(years)
    pays = (base.payments + [0] * n)[:n]
    refunds = (base.refunds + [0] * n)[:n]
    if not isinstance(limits, dict):
        limits = {y: limits for y in set(years)}
    # reimbursed bills are not the patient's expense: take them off the year's limit first
    yearly_refund: dict[object, Cents] = {}
    for r, y in zip(refunds, years):
        yearly_refund[y] = yearly_refund.get(y, 0) + r
    paid_by_year: dict[object, Cents] = {}
    for p, y in zip(pays, years):
        paid_by_year[y] = paid_by_year.get(y, 0) + p
    caps = {y: max(0, min(limits.get(y, 0), paid_by_year.get(y, 0) - yearly_refund.get(y, 0))) for y in set(years)}
    return hsa_fsa.allocate_yearly(pays, years, caps)


# ----------------------------------------------------------------------------- faces


ROUTE_STYLE = {
    "pay_as_you_go": ("#000000", "-", "o"),
    "package": ("#56B4E9", "--", "s"),
    "in_house": ("#009E73", "-", "^"),
    "card_on_time": ("#0072B2", "-.", "D"),
    "card_cliff": ("#D55E00", "-", "X"),
    "loan": ("#CC79A7", ":", "v"),
    "hsa": ("#E69F00", "--", "P"),
    "fsa": ("#999999", "-.", "*"),
}


def draw_cash_out(plan: FinancingPlan, fig=None):
    """Cash out per month, one panel per option, one line per route (distinct colour, style and marker)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = fig or Figure(figsize=(10, 3.9), dpi=100)
    opts = list(plan.options.values())
    axes = fig.subplots(1, len(opts), sharey=True)
    axes = list(axes) if len(opts) > 1 else [axes]
    xs = list(range(1, plan.months + 1))
    step = max(1, plan.months // 8)
    starts = plan.month_starts()
    for ax, of in zip(axes, opts):
        for r in of.routes:
            if not r.available:
                continue
            color, ls, marker = ROUTE_STYLE[r.key]
            ax.plot(xs, [v / 100 for v in r.cash_out], color=color, linestyle=ls, marker=marker, markersize=4, linewidth=1.6, label=r.label, markevery=max(1, plan.months // 12))
        ax.set_title(of.label, fontsize=10, loc="left")
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_xticks(xs[::step])
        ax.set_xticklabels([f"{starts[i - 1]:%b %y}" for i in xs[::step]], fontsize=8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v:,.0f}"))
        ax.grid(axis="y", color="#dddddd")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel("Cash out that month", fontsize=9)
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.24, wspace=0.08)
    return fig


def cash_out_png(plan: FinancingPlan) -> bytes:
    """The cash-out chart as PNG bytes (for an Image widget, the handout or a file)."""
    from .charts import to_png

    return to_png(draw_cash_out(plan))


def financing_html(plan: FinancingPlan) -> str:
    """The total-cost table per route and the savings-program notes, as an HTML fragment."""
    from html import escape

    parts = ['<div class="kt mathjax_ignore tex2jax_ignore">']
    parts.append(f"<p class='small muted'>Cost {escape(OUTCOMES[plan.outcome])}. Total = payments + interest - reimbursements - tax saved. "
                 f"Terms are inputs: defaults from data/financing.csv (vendor figures and toolkit assumptions). Confirm real terms with the clinic or lender.</p>")
    for of in plan.options.values():
        parts.append(f"<table class='kt-t' aria-label='ways to pay, {escape(of.label)}'><caption>{escape(of.label)}: ways to pay {fmt(of.needs.net)}</caption>"
                     "<tr><th scope='col'>Way to pay</th><th scope='col'>First month</th><th scope='col'>Largest month</th><th scope='col'>Months paying</th>"
                     "<th scope='col'>Interest</th><th scope='col'>Tax saved</th><th scope='col'>Total cost</th><th scope='col' style='text-align:left'>What to know</th></tr>")
        for r in of.routes:
            if r.available:
                out = r.cash_out
                cells = (f"<td>{fmt(out[0])}</td><td>{fmt(max(out))}</td><td>{r.months_paying}</td><td>{fmt(r.interest)}</td>"
                         f"<td>{fmt(sum(r.tax_saving))}</td><td><b>{fmt(r.total)}</b></td>")
            else:
                cells = "<td colspan='6' class='muted'>not available</td>"
            parts.append(f"<tr><th scope='row' style='text-align:left'>{escape(r.label)}</th>{cells}<td class='small' style='text-align:left'>{escape(r.note)}</td></tr>")
        parts.append("</table>")
        if of.savings_program:
            parts.append("<ul class='small'>" + "".join(f"<li>{escape(x)}</li>" for x in of.savings_program) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def terms_table(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The default financing terms from ``data/financing.csv``: value, source and reliability.

    >>> terms_table().iloc[1]["value"]
    '30 USD per month'
    """
    def pct(x: Decimal) -> str:
        return f"{(x * 100).normalize():f}%"

    rows = []
    for v in financing_data(data_dir).values():
        if v.unit == "fraction":
            value = pct(v.typical) if v.low == v.high else f"{pct(v.low)} to {pct(v.high)} (typical {pct(v.typical)})"
        else:
            value = f"{v.typical:g} {v.unit}" if v.low == v.high else f"{v.low:g} to {v.high:g} {v.unit} (typical {v.typical:g})"
        rows.append({"term": v.label, "value": value, "reliability": v.source.reliability, "source": v.source.cite(), "conflict": v.source.conflict})
    return pd.DataFrame(rows)
