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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from ..data import Dataset, dataset
from ..dates import add_months, plan_year_start
from ..engine.compare import Comparison, OptionResult
from ..money import Cents, fmt, to_cents
from . import hsa_fsa
from .cash_needs import COSTS_TO_PAY, CashNeeds, cash_needs
from .loans import amortize, card_schedule, card_suggested_payment, installments
from .terms import FinancingError, FinancingTerms

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


def savings_program_lines(comp: Comparison, ds: Dataset, opt: OptionResult, needs: CashNeeds) -> list[str]:
    """The Spravato savings program in plain words, read from the adjudication (not recomputed)."""
    if opt.option != "spravato":
        return []
    elig = opt.savings
    floor = ds.value("savings.drug.patient_pays")
    cap = ds.value("savings.drug.annual_max")
    states = ", ".join(ds.value("savings.observation.excluded_states").items)
    out = []
    if not elig.drug:
        out.append(elig.note or "The Spravato savings program does not apply.")
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
    if not elig.rebate:
        out.append(elig.note or f"The observation rebate is not valid for residents of {states}.")
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
    if outcome not in COSTS_TO_PAY:
        raise FinancingError("outcome", f"must be one of: {', '.join(COSTS_TO_PAY)}")
    s = comp.scenario
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
        discount = Decimal(opt.inputs["iv_discount_bp"]) / 10_000
        has_package = key == "iv_ketamine" and opt.without_package is not None and sum(needs.first_series) > 0
        if has_package:
            plain_needs = cash_needs(opt, outcome, full_price=True)
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
