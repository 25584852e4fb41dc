"""The money rules of a health plan, one small function each.

Every function works in integer cents and basis points (see :mod:`toolkit.money`), states
its rule in words and as a formula, and ends with a worked example a benefits counsellor
would recognise. The adjudication engine only strings these together claim by claim.

Sources for the rules: HealthCare.gov glossary (deductible, coinsurance, copayment,
out-of-pocket maximum, balance billing); Medicare.gov "Doctor & other health care provider
services" (Part B: 20 % of the Medicare-approved amount after the Part B deductible, no
yearly cap in Original Medicare). The figures (deductibles, caps) come from ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .money import BasisPoints, Cents, share


@dataclass(frozen=True)
class CostShare:
    """How the patient's share of one allowed amount breaks down."""

    deductible: Cents
    coinsurance: Cents
    copay: Cents
    capped_by_oop: Cents  # how much the out-of-pocket maximum took off

    @property
    def total(self) -> Cents:
        return self.deductible + self.coinsurance + self.copay


def deductible_portion(allowed: Cents, deductible_remaining: Cents) -> Cents:
    """The part of a claim that goes to the deductible.

    Rule: until the deductible is met, the patient pays the whole allowed amount.
    Formula: ``min(allowed, deductible_remaining)``.

    Example: $800 of deductible left and a $952.59 visit: $800.00 goes to the deductible.

    >>> deductible_portion(95259, 80000)
    80000
    """
    return max(0, min(allowed, deductible_remaining))


def cap_at_oop(patient_share: Cents, oop_remaining: Cents | None) -> Cents:
    """Cut the patient's share at what is left of the out-of-pocket maximum.

    Rule: once the patient has paid the out-of-pocket maximum for the plan year, the plan
    pays 100 % of covered in-network services. ``None`` means no cap (Original Medicare,
    or a plan with no out-of-network cap).

    Example: the patient owes $412.50 on a claim but only $300 of the cap is left: $300.

    >>> cap_at_oop(41250, 30000)
    30000
    >>> cap_at_oop(41250, None)
    41250
    """
    if oop_remaining is None:
        return patient_share
    return max(0, min(patient_share, oop_remaining))


def coinsurance_claim(
    allowed: Cents,
    deductible_remaining: Cents,
    coinsurance_bp: BasisPoints,
    oop_remaining: Cents | None,
) -> CostShare:
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
    d = deductible_portion(allowed, deductible_remaining)
    c = share(allowed - d, coinsurance_bp)
    return _apply_cap(d, c, 0, oop_remaining)


def copay_claim(
    allowed: Cents,
    deductible_remaining: Cents,
    copay: Cents,
    oop_remaining: Cents | None,
    *,
    before_deductible: bool,
) -> CostShare:
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
    if before_deductible:
        return _apply_cap(0, 0, min(copay, allowed), oop_remaining)
    d = deductible_portion(allowed, deductible_remaining)
    return _apply_cap(d, 0, min(copay, allowed - d), oop_remaining)


def _apply_cap(d: Cents, c: Cents, p: Cents, oop_remaining: Cents | None) -> CostShare:
    total = d + c + p
    capped = cap_at_oop(total, oop_remaining)
    cut = total - capped
    # take the cut from copay/coinsurance first, then the deductible
    take_p = min(p, cut)
    take_c = min(c, cut - take_p)
    take_d = cut - take_p - take_c
    return CostShare(d - take_d, c - take_c, p - take_p, cut)


def out_of_network_allowed(billed: Cents, allowed_bp: BasisPoints) -> Cents:
    """The amount an out-of-network plan recognises for a charge.

    Rule: plans allow a "usual, customary and reasonable" amount, often a percentage of
    Medicare or of a charge percentile, not the clinic's fee. The toolkit models it as a
    share of the billed charge (``data/prices.csv: oon.allowed_share``).
    Formula: ``allowed = round(billed x share)``.

    Example: a $600 infusion and a plan that allows 60 %: $360.

    >>> out_of_network_allowed(60000, 6000)
    36000
    """
    return min(billed, share(billed, allowed_bp))


def balance_bill(billed: Cents, allowed: Cents) -> Cents:
    """What an out-of-network clinic may bill beyond the allowed amount.

    Rule: the patient owes the difference in full and it never counts toward the
    deductible or the out-of-pocket maximum.

    >>> balance_bill(60000, 36000)
    24000
    """
    return max(0, billed - allowed)


def superbill_reimbursement(
    paid: Cents,
    allowed: Cents,
    deductible_remaining: Cents,
    coinsurance_bp: BasisPoints,
    oop_remaining: Cents | None,
) -> tuple[Cents, CostShare]:
    """What the plan sends back when a self-paid session is claimed out of network.

    Rule: the plan treats the superbill as an out-of-network claim: it pays the allowed
    amount less the out-of-network deductible and coinsurance; the balance bill stays with
    the patient. Formula: ``reimbursement = A - share``, never more than what was paid.

    Example: paid $600, allowed $360, $200 out-of-network deductible left, 40 %
    coinsurance: share = $200 + 40 % x $160 = $264, so the plan sends $96.

    >>> r, s = superbill_reimbursement(60000, 36000, 20000, 4000, None)
    >>> (r, s.total)
    (9600, 26400)
    """
    s = coinsurance_claim(allowed, deductible_remaining, coinsurance_bp, oop_remaining)
    return min(paid, allowed - s.total), s


def savings_program_pay(patient_share: Cents, patient_floor: Cents, cap_remaining: Cents) -> Cents:
    """What a manufacturer savings program pays of the patient's share.

    Rule (Spravato savings program, commercial plans only): the patient pays "as little as"
    the floor per treatment ($10 for the medication, $0 after rebate for observation); the
    program pays the rest of the patient's share until its yearly maximum is used up.
    Formula: ``min(max(0, share - floor), cap_remaining)``.

    Example: a $1,120 share for the drug, $10 floor, $7,150 of the yearly cap left: $1,110.

    >>> savings_program_pay(112000, 1000, 715000)
    111000
    """
    return max(0, min(patient_share - patient_floor, cap_remaining))
