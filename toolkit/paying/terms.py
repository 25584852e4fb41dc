"""The financing terms an advisor can change: months, APRs, minimum payments, HSA and FSA choices.

Defaults come from ``data/financing.csv`` (vendor figures and toolkit assumptions, marked as
such). Typed values go through the one money and percent validator of the scenario model
(:data:`toolkit.scenario.Dollars`, :data:`toolkit.scenario.Percent`), so "$1,000" and
"12 %" read the same here as in the dashboard form.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import SourcedValue, dataset
from ..scenario import read_money

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


class FinancingError(ValueError):
    """Bad financing input: names the field, never a traceback."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(f"{FIELD_LABELS.get(field_name, field_name)}: {message}")


def financing_data(data_dir: Path | str | None = None) -> dict[str, SourcedValue]:
    """The default financing terms from ``data/financing.csv``, validated like every table.

    >>> financing_data()["financing.card.min_payment"].typical
    Decimal('30')
    """
    return dataset(data_dir).table("financing.csv")


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
        toolkit.paying.terms.FinancingError: Loan: APR (%): 'nine' is not a number
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
    """A typed term through the toolkit's one money reader, then the term's own rules."""
    try:
        n = read_money(str(raw) if raw is not None else "")
    except ValueError as exc:
        raise FinancingError(key, str(exc)) from None
    if whole and n != n.to_integral_value():
        raise FinancingError(key, "must be a whole number")
    if n.as_tuple().exponent < -2 and not whole:  # type: ignore[operator]
        raise FinancingError(key, "use at most 2 decimal places")
    return n


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
