"""Health savings accounts (HSA) and health flexible spending accounts (FSA): the rules.

Why a module of its own: the two accounts look alike to a patient (both pay medical bills
with money that was never taxed) but follow different rules, and each rule changes the
answer to "how much does the treatment really cost me?":

- **HSA**: only with a high-deductible health plan (HDHP). Yearly contribution limit per
  calendar (tax) year: $4,400 self-only, $8,750 family in 2026, plus $1,000 from age 55.
  Money not spent stays in the account, year after year.
- **Health FSA**: offered by an employer. Yearly limit $3,400 in 2026; the amount is chosen
  at open enrollment, before the plan year. Use it or lose it: what is not spent by the end
  of the plan year is forfeited, except a carryover (at most $680 into 2027) if the
  employer's plan allows one. Someone contributing to an HSA may only have a
  limited-purpose FSA (dental and vision), which cannot pay for these sessions.

Figures come from ``data/rules.csv`` (``hsa.limit.*``, ``hsa.catch_up_55``, ``fsa.limit``,
``fsa.carryover``). Physician-prescribed ketamine and Spravato treatment is generally a
qualified medical expense (clinic pages; IRS Publication 502 does not name ketamine), so
the account administrator may ask for a letter of medical necessity.

Money is integer cents; the tax rate is the patient's marginal rate in percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..data import Dataset
from ..money import Cents, rate_to_bp, share, to_cents
from ..scenario import PAYER_LABELS, Scenario

Coverage = Literal["self_only", "family"]


@dataclass(frozen=True)
class Eligibility:
    """Whether an account can pay for these sessions, and why (plain words)."""

    ok: bool
    reason: str


def tax_saving(amount: Cents, marginal_rate_pct: Decimal | int | str) -> Cents:
    """Income tax not paid because a medical bill is paid from an HSA or FSA.

    Given the amount paid through the account and the patient's marginal income-tax rate,
    return the tax saved, rounded half up to the cent.

    Rule: money put into an HSA or a health FSA is not taxed, so every dollar of medical
    bills paid through the account saves the tax that dollar would have cost.
    Formula: ``saving = round(amount x rate / 100)``. Contributions made through payroll
    also skip Social Security and Medicare tax (7.65 %); that extra is not counted here.

    Example: $2,000 of infusions paid from an HSA at a 22 % marginal rate saves $440.

    >>> tax_saving(200000, 22)
    44000
    >>> tax_saving(123457, "24")  # 24 % of $1,234.57 = $296.2968
    29630
    """
    rate = Decimal(str(marginal_rate_pct))
    if amount < 0 or rate < 0 or rate > 100:
        raise ValueError("tax_saving() takes a non-negative amount and a rate from 0 to 100")
    return share(amount, rate_to_bp(rate / 100))


def hsa_eligibility(scenario: Scenario) -> Eligibility:
    """An HSA needs a high-deductible health plan (HDHP).

    Rule (26 U.S.C. 223): only people covered by an HDHP, and by no other plan that is not
    an HDHP, may contribute to an HSA. Medicare enrolment ends new contributions; money
    already in an HSA can still pay qualified medical bills.

    >>> from toolkit.scenario import Scenario, Plan
    >>> hsa_eligibility(Scenario(plan=Plan(payer_type="hdhp"))).ok
    True
    >>> hsa_eligibility(Scenario(plan=Plan(payer_type="commercial"))).ok
    False
    """
    payer = scenario.plan.payer_type.value
    if payer == "hdhp":
        return Eligibility(True, "Available: the plan is a high-deductible health plan (HDHP), so the patient can put money into an HSA.")
    extra = " Money already in an HSA from an earlier HDHP can still pay these bills." if payer in ("commercial", "medicare", "medicare_advantage") else ""
    return Eligibility(False, f"Not available: new HSA contributions need a high-deductible health plan (HDHP); this plan is {PAYER_LABELS[payer]}.{extra}")


def fsa_eligibility(scenario: Scenario) -> Eligibility:
    """A health FSA comes from an employer and cannot sit beside HSA contributions.

    Rule: someone contributing to an HSA may only have a limited-purpose FSA (dental and
    vision), which cannot pay for these sessions. Otherwise a health FSA is available when
    the employer offers one.

    >>> from toolkit.scenario import Scenario, Plan
    >>> fsa_eligibility(Scenario(plan=Plan(payer_type="hdhp"))).ok
    False
    >>> fsa_eligibility(Scenario()).ok
    True
    """
    if scenario.plan.payer_type.value == "hdhp":
        return Eligibility(False, "Not with an HSA: someone contributing to an HSA may only have a limited-purpose FSA (dental and vision), which cannot pay for these sessions.")
    return Eligibility(True, "Only if an employer offers a health FSA. The amount is chosen at open enrollment, before the plan year; what is not spent is lost (use it or lose it), apart from a small carryover if the plan allows one.")


def hsa_limit(ds: Dataset, coverage: Coverage = "self_only", age_55_or_over: bool = False) -> Cents:
    """The yearly HSA contribution limit (2026), from ``data/rules.csv``.

    Rule: $4,400 for self-only HDHP coverage, $8,750 for family coverage, plus $1,000 for
    an account holder aged 55 or over (a fixed statutory catch-up).
    Formula: ``limit = hsa.limit.<coverage> + (hsa.catch_up_55 if 55 or over)``.

    >>> from toolkit import dataset
    >>> hsa_limit(dataset(), "self_only"), hsa_limit(dataset(), "family", age_55_or_over=True)
    (440000, 975000)
    """
    if coverage not in ("self_only", "family"):
        raise ValueError("coverage: must be self_only or family")
    limit = to_cents(ds.number(f"hsa.limit.{coverage}"))
    if age_55_or_over:
        limit += to_cents(ds.number("hsa.catch_up_55"))
    return limit


def fsa_limit(ds: Dataset) -> Cents:
    """The yearly health FSA limit (2026: $3,400), from ``data/rules.csv``.

    >>> from toolkit import dataset
    >>> fsa_limit(dataset())
    340000
    """
    return to_cents(ds.number("fsa.limit"))


def fsa_carryover_limit(ds: Dataset) -> Cents:
    """The most a health FSA may carry over into the next plan year (2026 limit: $680).

    >>> from toolkit import dataset
    >>> fsa_carryover_limit(dataset())
    68000
    """
    return to_cents(ds.number("fsa.carryover"))


def fsa_forfeit(election: Cents, spent: Cents, carryover_limit: Cents, *, plan_allows_carryover: bool = True) -> Cents:
    """What a health FSA loses at the end of the plan year (use it or lose it).

    Given the amount elected for the year, the eligible bills actually paid from it and the
    carryover limit, return the amount forfeited.

    Rule: an unspent FSA balance is lost at the end of the plan year, except that the
    employer's plan may carry over up to the yearly limit ($680 into 2027).
    Formula: ``left = max(0, election - spent)``; ``forfeit = max(0, left - carryover)``
    (``carryover = 0`` when the plan allows none).

    Example: $3,400 elected, treatment stopped after $1,200 of bills: $2,200 left, $680
    carried over, $1,520 lost.

    >>> fsa_forfeit(340000, 120000, 68000)
    152000
    >>> fsa_forfeit(340000, 120000, 68000, plan_allows_carryover=False)
    220000
    >>> fsa_forfeit(100000, 150000, 68000)
    0
    """
    left = max(0, election - spent)
    carry = carryover_limit if plan_allows_carryover else 0
    return max(0, left - carry)


def allocate_yearly(amounts: list[Cents], years: list[object], limits: dict[object, Cents]) -> list[Cents]:
    """Spread a yearly account limit over monthly bills, in date order.

    Given each month's eligible bills, the account year each month falls in, and the limit
    per year, return how much of each month's bills the account can pay.

    Rule: an account pays bills in the order they come until that year's limit is used up;
    the next year starts afresh. Formula: ``paid_m = min(bill_m, limit_y - paid so far in y)``.

    Example: $3,000 a month for three months, a $4,400 limit, all in one year:
    $3,000, then $1,400, then nothing.

    >>> allocate_yearly([300000, 300000, 300000], [2027, 2027, 2027], {2027: 440000})
    [300000, 140000, 0]
    >>> allocate_yearly([300000, 300000], [2026, 2027], {2026: 440000, 2027: 440000})
    [300000, 300000]
    """
    left = dict(limits)
    out = []
    for amount, year in zip(amounts, years):
        take = max(0, min(amount, left.get(year, 0)))
        left[year] = left.get(year, 0) - take
        out.append(take)
    return out
