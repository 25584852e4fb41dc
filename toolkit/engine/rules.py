"""The money rules of a health plan, one small function each, for one patient or many at once.

Every function works in integer cents and basis points (see :mod:`toolkit.money`), states
its rule in words and as a formula, and ends with a worked example a benefits counsellor
would recognise. Each takes plain ints (one patient: exact, unbounded) or numpy int64
arrays (one entry per draw or per patient) alike, the way numpy-financial's functions do:
the one-patient adjudicator and the many-draws evaluator call these same functions, so a
rule is written once.

Sources for the rules: HealthCare.gov glossary (deductible, coinsurance, copayment,
out-of-pocket maximum, balance billing); Medicare.gov "Doctor & other health care provider
services" (Part B: 20 % of the Medicare-approved amount after the Part B deductible, no
yearly cap in Original Medicare). The figures (deductibles, caps) come from ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np

from ..money import maximum, minimum, share, weigh, where


@dataclass(frozen=True)
class CostShare:
    """How the patient's share of one allowed amount breaks down (ints, or arrays of draws)."""

    deductible: Any
    coinsurance: Any
    copay: Any
    capped_by_oop: Any  # how much the out-of-pocket maximum took off

    @property
    def total(self) -> Any:
        return self.deductible + self.coinsurance + self.copay


def deductible_portion(allowed: Any, deductible_remaining: Any) -> Any:
    """The part of a claim that goes to the deductible.

    Rule: until the deductible is met, the patient pays the whole allowed amount.
    Formula: ``min(allowed, deductible_remaining)``.

    Example: $800 of deductible left and a $952.59 visit: $800.00 goes to the deductible.

    >>> deductible_portion(95259, 80000)
    80000
    """
    return maximum(0, minimum(allowed, deductible_remaining))


def cap_at_oop(patient_share: Any, oop_remaining: Any) -> Any:
    """Cut the patient's share at what is left of the out-of-pocket maximum.

    Rule: once the patient has paid the out-of-pocket maximum for the plan year, the plan
    pays 100 % of covered in-network services. ``None`` (or :data:`toolkit.money.NO_CAP`)
    means no cap (Original Medicare, or a plan with no out-of-network cap).

    Example: the patient owes $412.50 on a claim but only $300 of the cap is left: $300.

    >>> cap_at_oop(41250, 30000)
    30000
    >>> cap_at_oop(41250, None)
    41250
    """
    if oop_remaining is None:
        return patient_share
    return maximum(0, minimum(patient_share, oop_remaining))


def apply_cap(d: Any, c: Any, p: Any, oop_remaining: Any) -> CostShare:
    """The out-of-pocket cap applied to a deductible, coinsurance and copay split.

    Rule: the cap takes the copay off first, then the coinsurance, then the deductible (so a
    claim that reaches the cap still shows what went to the deductible).

    Example: $300 deductible + $140 coinsurance with $350 of cap left: the cap takes $90 of
    coinsurance off, leaving $300 + $50.

    >>> s = apply_cap(30000, 14000, 0, 35000)
    >>> (s.deductible, s.coinsurance, s.capped_by_oop)
    (30000, 5000, 9000)
    """
    total = d + c + p
    cut = total - cap_at_oop(total, oop_remaining)
    take_p = minimum(p, cut)
    take_c = minimum(c, cut - take_p)
    take_d = cut - take_p - take_c
    return CostShare(d - take_d, c - take_c, p - take_p, cut)


def cost_share(allowed: Any, deductible_remaining: Any, coinsurance_bp: Any, copay: Any, oop_remaining: Any, *, copay_rule: Any, before_deductible: Any) -> CostShare:
    """Patient share of one claim line under the plan's rule for it: a copay or coinsurance.

    Rule: a line billed with a copay (a visit, or a pharmacy fill with a copay) costs the copay,
    charged before the deductible on most plans (``before_deductible``) or after it on some;
    every other line costs the deductible first, then the coinsurance percentage of the rest.
    A copay is never more than the allowed amount, and the out-of-pocket cap applies to both.
    Formula: ``d = min(A, D)``; coinsurance ``c = round(r x (A - d))``; copay
    ``p = min(copay, A)`` before the deductible or ``min(copay, A - d)`` after it; then the cap.

    Example: allowed $1,000, $300 deductible left, 20 % coinsurance: $300 + $140 = $440;
    the same line with a $40 copay before the deductible: $40.

    One step is not monotone, and real plans behave so: a visit copay of $0 means the plan
    has *no* visit copay (coinsurance applies), while any copay replaces the coinsurance. So
    going from no copay to a small one can lower a visit's cost ($150 visit, 50 %: $75 with
    no copay, $1 with a $1 copay). Above $0 a higher copay never costs less.

    >>> cost_share(100000, 30000, 2000, 4000, None, copay_rule=False, before_deductible=True).total
    44000
    >>> cost_share(100000, 30000, 2000, 4000, None, copay_rule=True, before_deductible=True).total
    4000
    """
    d1 = deductible_portion(allowed, deductible_remaining)
    c = where(copay_rule, 0, share(allowed - d1, coinsurance_bp))
    d = where(copay_rule & before_deductible, 0, d1)
    p = where(copay_rule, where(before_deductible, minimum(copay, allowed), minimum(copay, allowed - d1)), 0)
    return apply_cap(d, c, p, oop_remaining)


def coinsurance_claim(allowed: Any, deductible_remaining: Any, coinsurance_bp: Any, oop_remaining: Any) -> CostShare:
    """Patient share of a claim under a deductible-then-coinsurance plan.

    Rule: the patient pays the deductible first, then the coinsurance percentage of what is
    left of the allowed amount, and never more than what remains of the out-of-pocket
    maximum. The cap takes the coinsurance off first, then the deductible.
    Formula: ``d = min(A, D)``; ``c = round(r x (A - d))``; share = ``min(d + c, M)``.

    Example (a benefits counsellor's standard case): allowed $1,000, $300 deductible left,
    20 % coinsurance, $5,000 of cap left: $300 deductible + 20 % of $700 = $140, total $440.

    >>> s = coinsurance_claim(100000, 30000, 2000, 500000)
    >>> (s.deductible, s.coinsurance, s.total)
    (30000, 14000, 44000)
    """
    return cost_share(allowed, deductible_remaining, coinsurance_bp, 0, oop_remaining, copay_rule=False, before_deductible=False)


def copay_claim(allowed: Any, deductible_remaining: Any, copay: Any, oop_remaining: Any, *, before_deductible: Any) -> CostShare:
    """Patient share of a visit billed with a flat copay.

    Rule: most plans charge the copay whether or not the deductible is met
    (``before_deductible``); some apply the deductible first and the copay after. A copay
    is never more than the allowed amount, and the out-of-pocket cap still applies.
    Formula: before the deductible: ``min(copay, A)``; otherwise ``d = min(A, D)``,
    ``p = min(copay, A - d)``.

    Example: a $40 copay on a $500 observation visit, copay before the deductible: $40.

    >>> copay_claim(50000, 100000, 4000, None, before_deductible=True).total
    4000
    >>> copay_claim(50000, 20000, 4000, None, before_deductible=False).total
    24000
    """
    return cost_share(allowed, deductible_remaining, 0, copay, oop_remaining, copay_rule=True, before_deductible=before_deductible)


def copay_toward_deductible(deductible: Any, deductible_met: Any, copay: Any) -> Any:
    """Deductible met after a copay that counts toward it (plans that say so).

    Rule: where the plan counts copays toward the deductible, a copay charged before the
    deductible still fills it, up to the deductible itself.
    Formula: ``min(D, met + copay)``.

    Example: $500 deductible, $480 met, a $40 copay: the deductible is met ($500).

    >>> copay_toward_deductible(50000, 48000, 4000)
    50000
    """
    return minimum(deductible, deductible_met + copay)


def out_of_network_allowed(billed: Any, allowed_bp: Any) -> Any:
    """The amount an out-of-network plan recognises for a charge.

    Rule: plans allow a "usual, customary and reasonable" amount, often a percentage of
    Medicare or of a charge percentile, not the clinic's fee. The toolkit models it as a
    share of the billed charge (``data/prices.csv: oon.allowed_share``).
    Formula: ``allowed = round(billed x share)``, never above the charge.

    Example: a $600 infusion and a plan that allows 60 %: $360.

    >>> out_of_network_allowed(60000, 6000)
    36000
    """
    return minimum(billed, share(billed, allowed_bp))


def medicare_multiple_allowed(billed: Any, fee: Any, multiple_bp: Any) -> Any:
    """The out-of-network allowed amount of a plan that pays a multiple of Medicare's fee.

    Rule: many plans set the out-of-network allowed amount at a percentage of the Medicare
    fee schedule (often 110-200 %), never above the clinic's charge.
    Formula: ``allowed = min(billed, round(fee x multiple))``.

    Example: a $600 self-paid infusion filed as 96365 (Medicare $67.14) with a plan that
    allows 140 % of Medicare: $94.00 (a 50 %-of-charge estimate would say $300).

    >>> medicare_multiple_allowed(60000, 6714, 14000)
    9400
    """
    return minimum(billed, share(fee, multiple_bp))


def quoted_allowed(billed: Any, quote: Any) -> Any:
    """The out-of-network allowed amount the insurer quoted for the line's codes, never above the charge.

    Rule: "the allowed amount for 96365 is $350" is what the plan recognises, whatever the
    clinic charges; a charge below it is allowed in full.
    Formula: ``allowed = min(billed, quote)``.

    >>> quoted_allowed(60000, 35000), quoted_allowed(30000, 35000)
    (35000, 30000)
    """
    return minimum(billed, quote)


def maximizer_share(allowed: Any, program_yearly_max: Any, fills_in_month: Any) -> Any:
    """The patient's share a copay maximizer sets on a drug line.

    Rule: the plan sets the drug's cost share so that the manufacturer program's yearly
    maximum is spread evenly over the year: a twelfth of it each month, split over that
    month's fills; never more than the allowed amount. The program pays it (less its floor)
    while its maximum lasts, and nothing counts toward the deductible or the cap (the plan
    treats the drug as a non-essential benefit). Some maximizers front-load instead; the
    toolkit spreads evenly (the common design; Autoimmune Association, MMIT).
    Formula: ``min(A, floor(floor(max / 12) / fills))``, rounded down to the cent.

    Example: a $7,150 yearly maximum is $595.83 a month; with 8 sessions in an induction
    month each drug line's share is $74.47; with 2 in a maintenance month, $297.91.

    >>> maximizer_share(112000, 715000, 8), maximizer_share(112000, 715000, 2)
    (7447, 29791)
    """
    return minimum(allowed, (program_yearly_max // 12) // maximum(1, fills_in_month))


def medigap_pays(coinsurance: Any, plan: Any, office_visit: Any, plan_n_copay: Any) -> Any:
    """What a Medigap policy pays of the Part B coinsurance on one line.

    Rule (CMS/NAIC Medigap guide): Plan G pays all of the Part B coinsurance after the Part B
    deductible; Plan N pays it too, except a copay of up to $20 for some office visits. Neither
    pays the Part B deductible. ``plan``: 0 none, 1 Plan G-like, 2 Plan N-like.
    Formula: G: ``c``; N on an office visit: ``c - min(c, copay)``; N otherwise: ``c``.

    Example: 20 % of a $952.59 G2082 session is $190.52: Plan G pays it all; Plan N pays $170.52
    and the patient $20.

    >>> medigap_pays(19052, 1, True, 2000), medigap_pays(19052, 2, True, 2000), medigap_pays(19052, 0, True, 2000)
    (19052, 17052, 0)
    """
    n_share = where(office_visit, minimum(coinsurance, plan_n_copay), 0)
    return where(plan == 1, coinsurance, where(plan == 2, coinsurance - n_share, 0))


def balance_bill(billed: Any, allowed: Any) -> Any:
    """What an out-of-network clinic may bill beyond the allowed amount.

    Rule: the patient owes the difference in full and it never counts toward the
    deductible or the out-of-pocket maximum.

    >>> balance_bill(60000, 36000)
    24000
    """
    return maximum(0, billed - allowed)


def superbill_reimbursement(paid: Any, allowed: Any, patient_share: Any) -> Any:
    """What the plan sends back when a self-paid session is claimed out of network.

    Rule: the plan treats the superbill as an out-of-network claim: it pays the allowed
    amount less the patient's out-of-network deductible and coinsurance on it (see
    :func:`cost_share`); the balance bill stays with the patient.
    Formula: ``reimbursement = min(paid, A - share)``.

    Example: paid $600, allowed $360, $200 out-of-network deductible left, 40 %
    coinsurance: share = $200 + 40 % x $160 = $264, so the plan sends $96.

    >>> s = coinsurance_claim(36000, 20000, 4000, None)
    >>> (superbill_reimbursement(60000, 36000, s.total), s.total)
    (9600, 26400)
    """
    return minimum(paid, allowed - patient_share)


def savings_program_pay(patient_share: Any, patient_floor: Any, cap_remaining: Any) -> Any:
    """What a manufacturer savings program pays of the patient's share.

    Rule (Spravato savings program, commercial plans only): the patient pays "as little as"
    the floor per treatment ($10 for the medication, $0 after rebate for observation); the
    program pays the rest of the patient's share until its yearly maximum is used up.
    Formula: ``min(max(0, share - floor), cap_remaining)``.

    Example: a $1,120 share for the drug, $10 floor, $7,150 of the yearly cap left: $1,110.

    One consequence is not monotone, and real plans behave so: where the program's payments
    count toward the deductible and out-of-pocket maximum (no accumulator), a higher drug
    price makes the program pay more of a share that fills them, so they are met sooner and
    the patient's own cost can fall (a $50 cap, a $40.00 drug share: the $150 visit after it
    costs $10.00; a $40.01 share: $9.99). The cost share before the program (patient's cost
    plus the program's payments) never falls; under an accumulator or a maximizer, where the
    program's payments do not count, neither does the patient's cost.

    >>> savings_program_pay(112000, 1000, 715000)
    111000
    """
    return maximum(0, minimum(patient_share - patient_floor, cap_remaining))


def accumulator_uncredit(patient_pays: Any, balance: Any, savings: Any, deductible: Any) -> tuple[Any, Any]:
    """What an accumulator program takes back off the deductible and the cap: (deductible, cap).

    Rule: under an accumulator program the manufacturer's payment does not count toward the
    deductible or the out-of-pocket maximum; only what the patient paid of the cost share
    does. Savings beyond the cost share paid the balance bill, which never counted.
    Formula: counted ``k = max(0, pays - balance - savings)``; the cap loses
    ``(pays - balance) - k``; the deductible loses ``max(0, d - min(d, k))``.

    Example: a $1,120 drug line all to the deductible, $1,110 paid by the program: only $10
    counts, so $1,110 comes off both the deductible met and the cap met.

    >>> accumulator_uncredit(112000, 0, 111000, 112000)
    (111000, 111000)
    """
    counted = maximum(0, patient_pays - balance - savings)
    return maximum(0, deductible - minimum(deductible, counted)), (patient_pays - balance) - counted


def running_weighted(p: Any, approved: Any, denied: Any) -> Any:
    """Likelihood-weighted running totals from two monthly (or per-date) series.

    Rule: the weighted figure at any point is the weight of the two running totals at that
    point (see :func:`toolkit.money.weigh`), rounded each time, so the last value is exactly
    the weighted total. Works on lists (one patient) and on (draws, months) arrays.

    Example: 50 % approved; monthly costs $100, $100 if approved and $300, $300 if denied:
    running totals $200 then $400.

    >>> running_weighted(50_000_000, [10000, 10000], [30000, 30000])
    [20000, 40000]
    """
    if isinstance(approved, np.ndarray):
        return weigh(p, np.cumsum(approved, axis=-1), np.cumsum(denied, axis=-1))
    return [weigh(p, a, d) for a, d in zip(accumulate(approved), accumulate(denied))]
