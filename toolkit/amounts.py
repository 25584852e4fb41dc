"""Amounts as people type them, and the field types every input model uses.

Why one module: the scenario, the plan, the clinic quotes, the financing terms and the
expense tracker all read money through :func:`read_money`, so "$1,000" means the same
everywhere and a typo gets the same message everywhere.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def read_money(value: Any) -> Any:
    """Money and percentages as people type them: ``$1,000``, `` 20 % `` -> ``Decimal('1000')``, ``Decimal('20')``.

    The one reader of typed amounts: the dashboard form, the batch file, clinic quotes, the
    financing terms and the expense tracker all read text through it (the scenario model's
    :data:`Dollars` and :data:`Percent` run it first), so "$1,000" means the same everywhere
    and a typo gets the same message everywhere. Other values pass through for the field's
    own type check.

    >>> read_money(" $1,250.50 "), read_money("20%"), read_money(7)
    (Decimal('1250.50'), Decimal('20'), 7)
    >>> read_money("lots")
    Traceback (most recent call last):
    ...
    ValueError: 'lots' is not a number
    """
    if not isinstance(value, str):
        return value
    text = value.strip().replace("$", "").replace(",", "").replace("%", "").strip()
    if not text:
        raise ValueError("enter a number (0 if none)")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{value.strip()}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"'{value.strip()}' is not a number")
    return number


def blank_is_none(value: Any) -> Any:
    """An empty form field or CSV cell means "not given" for an optional amount."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


Dollars = Annotated[Decimal, BeforeValidator(read_money), Field(ge=0, le=10_000_000, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, BeforeValidator(read_money), Field(ge=0, le=100, max_digits=6, decimal_places=3)]
Multiple = Annotated[Decimal, BeforeValidator(read_money), Field(ge=0, le=1000, max_digits=7, decimal_places=3)]
OptionalDollars = Annotated[Dollars | None, BeforeValidator(blank_is_none)]
OptionalPercent = Annotated[Percent | None, BeforeValidator(blank_is_none)]
OptionalMultiple = Annotated[Multiple | None, BeforeValidator(blank_is_none)]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)



_Model = InputModel  # the name the input models use
