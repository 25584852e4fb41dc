"""Clinic quotes: two to five clinics, compared on the patient's own schedule.

Why run the whole comparison per quote: a cheaper infusion can cost more in the end (a
consultation fee, a smaller package discount, no superbill so nothing comes back from the
plan). Each quote becomes the scenario's clinic prices (:class:`toolkit.scenario.ClinicPrices`)
and goes through the same schedule, claim lines and adjudication as everything else, so
the totals are comparable line for line.

How a quote maps onto the prices:

- price per session -> the infusion price (IV ketamine) or the self-pay session price (Spravato);
- booster price -> the booster price (empty: the per-session price);
- package price (IV, the whole first series) -> each first-series infusion at
  ``package / infusions in the first series`` (to the cent, see :func:`package_per_infusion`);
- consultation fee -> the consultation (empty: none);
- no superbill offered -> the IV sessions are self-pay with nothing to claim back;
- cancellation fee -> shown beside the total, and added for the late cancellations entered.

Quotes describe clinics, never the patient: the label is for the clinic ("Clinic A").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..data import Dataset, dataset
from ..engine.compare import Comparison, compare
from ..money import Cents, fmt, to_cents
from ..scenario import OPTION_LABELS, Dollars, OptionalDollars, Scenario, _explain

MIN_QUOTES, MAX_QUOTES = 2, 5

QUOTE_FIELDS = {
    "label": "Clinic (e.g. Clinic A)",
    "option": "Treatment",
    "price_per_session": "Price per session ($)",
    "package_price": "Package price, first series ($)",
    "booster_price": "Booster price ($)",
    "consultation_fee": "Consultation fee ($)",
    "cancellation_fee": "Late cancellation fee ($)",
    "observation_fee": "Spravato observation visit fee ($)",
    "superbill_offered": "Superbill offered",
}


class QuoteError(ValueError):
    """A bad quote: names the quote and the field."""


class ClinicQuote(BaseModel):
    """One clinic's prices, as the clinic quotes them. Empty fees mean none."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(..., min_length=1, max_length=40)
    option: Literal["iv_ketamine", "spravato"] = "iv_ketamine"
    price_per_session: Dollars
    package_price: OptionalDollars = None
    booster_price: OptionalDollars = None
    consultation_fee: OptionalDollars = None
    cancellation_fee: OptionalDollars = None
    observation_fee: OptionalDollars = None
    superbill_offered: bool = True


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if _blank(v):
            continue
        out[k] = v.strip() if isinstance(v, str) else v
    return out


def parse_quotes(rows: list[dict[str, Any]]) -> list[ClinicQuote]:
    """Quotes from form rows or CSV rows; empty rows are skipped; two to five are needed.

    Every problem names the quote and the field: ``Quote 2 (Clinic B), Package price,
    first series ($): must be a number``.

    >>> qs = parse_quotes([{"label": "Clinic A", "price_per_session": "450"},
    ...                    {"label": "Clinic B", "price_per_session": "$600", "package_price": "3,000"}, {}])
    >>> [(q.label, q.price_per_session, q.package_price) for q in qs]
    [('Clinic A', Decimal('450'), None), ('Clinic B', Decimal('600'), Decimal('3000'))]
    >>> parse_quotes([{"label": "Clinic A", "price_per_session": "450"}])
    Traceback (most recent call last):
    ...
    toolkit.paying.quotes.QuoteError: Enter two to five clinic quotes to compare (got 1).
    """
    quotes: list[ClinicQuote] = []
    problems: list[str] = []
    for i, row in enumerate(rows, start=1):
        data = _clean(row)
        if not any(k != "superbill_offered" and k != "option" for k in data):
            continue  # an empty row
        name = f"Quote {i}" + (f" ({data['label']})" if data.get("label") else "")
        unknown = [k for k in data if k not in QUOTE_FIELDS]
        if unknown:
            problems.append(f"{name}: unknown field(s) {', '.join(unknown)}")
            continue
        try:
            quotes.append(ClinicQuote.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                field, msg = _explain(err)
                if field == "label" and err.get("type") in ("missing", "string_too_short"):
                    msg = "give the clinic a short label, e.g. Clinic A"
                problems.append(f"{name}, {QUOTE_FIELDS.get(field, field)}: {msg}")
    if problems:
        raise QuoteError("; ".join(problems))
    if not MIN_QUOTES <= len(quotes) <= MAX_QUOTES:
        raise QuoteError(f"Enter two to five clinic quotes to compare (got {len(quotes)}).")
    labels = [q.label for q in quotes]
    if len(set(labels)) != len(labels):
        raise QuoteError("Give each quote a different clinic label (e.g. Clinic A, Clinic B).")
    return quotes


def package_per_infusion(package_price: Decimal, sessions: int) -> Decimal:
    """The price per infusion a first-series package amounts to.

    Rule: a package is the first series for one price; the claim lines price each
    infusion of the series at an equal share of it, rounded half up to the cent, so the
    series can differ from the package price by at most half a cent per infusion.
    Formula: ``round(package / n, 2)``.

    Example: 6 infusions for a $3,000 package: $500.00 each; for $3,100: $516.67 each
    ($3,100.02 in all).

    >>> package_per_infusion(Decimal(3000), 6), package_per_infusion(Decimal(3100), 6)
    (Decimal('500.00'), Decimal('516.67'))
    """
    if sessions < 1:
        raise ValueError("sessions: must be 1 or more")
    return (package_price / sessions).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quote_scenario(scenario: Scenario, quote: ClinicQuote) -> tuple[Scenario, list[str]]:
    """The scenario with this clinic's prices, and notes on how the quote was read."""
    notes: list[str] = []
    name = quote.label
    if quote.option == "iv_ketamine":
        if quote.observation_fee is not None:
            raise QuoteError(f"{name}, {QUOTE_FIELDS['observation_fee']}: only for a Spravato quote; leave it empty")
        first = quote.price_per_session
        n = scenario.schedule.iv_induction_infusions
        if quote.package_price is not None:
            if scenario.schedule.iv_custom_phases:
                notes.append("package price not used: the IV schedule is custom, without a first series")
            elif quote.package_price > n * quote.price_per_session:
                raise QuoteError(
                    f"{name}, {QUOTE_FIELDS['package_price']}: is more than {n} sessions at the per-session price "
                    f"({fmt(to_cents(n * quote.price_per_session))}); check the quote"
                )
            else:
                first = package_per_infusion(quote.package_price, n)
                notes.append(f"package: {n} infusions for {fmt(to_cents(quote.package_price))}, {fmt(to_cents(first))} each")
        prices = scenario.prices.model_copy(
            update={
                # the first series is priced at the package's per-infusion price; boosters at theirs
                "iv_infusion": first,
                "iv_booster": quote.booster_price if quote.booster_price is not None else quote.price_per_session,
                "iv_consultation": quote.consultation_fee if quote.consultation_fee is not None else Decimal(0),
                "iv_package_discount_pct": Decimal(0),
            }
        )
        plan = scenario.plan
        if not quote.superbill_offered and plan.iv_claim_route == "superbill":
            plan = plan.model_copy(update={"iv_claim_route": "self_pay"})
            notes.append("no superbill: nothing to claim back from the plan")
        return scenario.model_copy(update={"prices": prices, "plan": plan}), notes
    for f in ("package_price", "booster_price"):
        if getattr(quote, f) is not None:
            raise QuoteError(f"{name}, {QUOTE_FIELDS[f]}: Spravato is billed per session; leave it empty")
    update: dict[str, Any] = {"spravato_cash_session": quote.price_per_session}
    if quote.observation_fee is not None:
        update["spravato_observation"] = quote.observation_fee
    if quote.consultation_fee:
        notes.append("consultation fee not in the engine's Spravato claim lines: added to the totals below")
    return scenario.model_copy(update={"prices": scenario.prices.model_copy(update=update)}), notes


@dataclass
class QuoteResult:
    quote: ClinicQuote
    comparison: Comparison
    notes: list[str]

    @property
    def option(self):
        return self.comparison.options[self.quote.option]

    @property
    def extra(self) -> Cents:
        """Costs outside the claim lines: a Spravato clinic's consultation fee."""
        if self.quote.option == "spravato" and self.quote.consultation_fee:
            return to_cents(self.quote.consultation_fee)
        return 0

    def total(self, case: str = "expected") -> Cents:
        return self.option.total(case) + self.extra

    def outcome_total(self, outcome: str) -> Cents:
        return self.option.run(outcome).totals()["net"] + self.extra

    def first_month(self) -> Cents:
        return self.option.total("expected", 1) + self.extra


@dataclass
class QuoteComparison:
    scenario: Scenario
    results: list[QuoteResult]
    late_cancellations: int = 0

    def cancellation_cost(self, r: QuoteResult) -> Cents:
        return self.late_cancellations * to_cents(r.quote.cancellation_fee or 0)

    def ranked(self) -> list[QuoteResult]:
        return sorted(self.results, key=lambda r: (r.total() + self.cancellation_cost(r), r.quote.label))

    def table(self) -> pd.DataFrame:
        """One row per quote, cheapest expected total first (dollars, exact to the cent)."""
        rows = []
        for rank, r in enumerate(self.ranked(), start=1):
            q = r.quote
            opt = r.option
            rows.append(
                {
                    "rank": rank,
                    "clinic": q.label,
                    "treatment": OPTION_LABELS[q.option],
                    "price per session": float(q.price_per_session),
                    "package price": None if q.package_price is None else float(q.package_price),
                    "sessions": opt.schedule.sessions,
                    "first month (expected)": r.first_month() / 100,
                    "total (expected)": r.total() / 100,
                    "if approved": r.outcome_total("approved") / 100,
                    "if denied": r.outcome_total("denied") / 100,
                    "reimbursed by the plan (if approved)": opt.run("approved").totals()["reimbursement"] / 100,
                    "superbill": "yes" if q.superbill_offered else "no",
                    "late cancellation fee": float(q.cancellation_fee or 0),
                    "total with late cancellations": (r.total() + self.cancellation_cost(r)) / 100,
                    "notes": "; ".join(r.notes),
                }
            )
        return pd.DataFrame(rows)


def compare_quotes(scenario: Scenario, quotes: list[ClinicQuote] | list[dict[str, Any]], ds: Dataset | None = None, *, late_cancellations: int = 0) -> QuoteComparison:
    """Run the comparison once per quote, on the patient's own schedule and plan.

    Example: two IV clinics for the built-in example (15 sessions over 12 months). Clinic B
    charges more per infusion but sells the first series as a package and has no
    consultation fee.

    >>> from toolkit import default_scenario
    >>> qc = compare_quotes(default_scenario(), [
    ...     {"label": "Clinic A", "price_per_session": "550", "consultation_fee": "350"},
    ...     {"label": "Clinic B", "price_per_session": "600", "package_price": "3000"}])
    >>> [(r.quote.label, r.total() / 100) for r in qc.ranked()]
    [('Clinic B', 8400.0), ('Clinic A', 8600.0)]
    """
    ds = ds or dataset()
    if late_cancellations < 0 or late_cancellations > 50:
        raise QuoteError("Late cancellations: must be from 0 to 50")
    parsed = quotes if quotes and isinstance(quotes[0], ClinicQuote) else parse_quotes(quotes)  # type: ignore[arg-type]
    if not MIN_QUOTES <= len(parsed) <= MAX_QUOTES:
        raise QuoteError(f"Enter two to five clinic quotes to compare (got {len(parsed)}).")
    results = []
    for q in parsed:  # type: ignore[union-attr]
        s, notes = quote_scenario(scenario, q)  # type: ignore[arg-type]
        results.append(QuoteResult(q, compare(s, ds), notes))  # type: ignore[arg-type]
    return QuoteComparison(scenario, results, late_cancellations)
