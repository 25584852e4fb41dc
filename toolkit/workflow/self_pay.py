"""Paying for IV ketamine without the plan: the written notices the patient is owed first.

Why a step of its own: most IV ketamine is paid by the patient, and two federal rules give
that patient paper before the first infusion, which is also what protects them from a bill
that runs higher than quoted:

- **Good-faith estimate** (No Surprises Act, 45 CFR 149.610): an uninsured patient, or one
  not sending the claim to the plan, is owed a written estimate of the expected charges;
  a bill at least ``self_pay.gfe_dispute_threshold`` ($400) above it, per provider, may be
  disputed through HHS's patient-provider dispute process (45 CFR 149.620) within
  ``self_pay.gfe_dispute_days`` (120) of the bill.
- **Advance Beneficiary Notice** (Original Medicare, form CMS-R-131, ``abn.original_medicare``):
  IV ketamine for depression is off-label and not expected to be covered, so the clinic
  should give the notice, with the cost, before the service; the patient then chooses.

Figures come from ``data/workflow.csv`` with their sources; nothing here computes money.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import Dataset, dataset
from ..scenario import Scenario
from .common import cited, figure

GFE_ROUTES = ("self_pay", "superbill")  # the patient pays the clinic; no in-network claim


@dataclass(frozen=True)
class Notice:
    """A written notice owed before the service: what to ask for and what it protects."""

    key: str
    title: str
    steps: tuple[str, ...]
    cite: str


def self_pay_notices(scenario: Scenario, ds: Dataset | None = None, option: str = "iv_ketamine") -> list[Notice]:
    """The notices that apply to this patient paying the IV clinic (none for an in-network claim)."""
    ds = ds or dataset()
    if option != "iv_ketamine":
        return []
    payer = scenario.plan.payer_type.value
    if payer == "medicare":
        return [_abn(ds)]
    if payer == "uninsured" or scenario.plan.iv_claim_route in GFE_ROUTES:
        return [_good_faith_estimate(ds, superbill=payer != "uninsured" and scenario.plan.iv_claim_route == "superbill")]
    return []


def _good_faith_estimate(ds: Dataset, superbill: bool) -> Notice:
    limit = int(figure("self_pay.gfe_dispute_threshold", ds).typical)
    days = int(figure("self_pay.gfe_dispute_days", ds).typical)
    steps = [
        "Ask the clinic for a written good-faith estimate of every expected charge (infusions, consultation, any package) before the first infusion; "
        "a patient without insurance, or not sending the claim to the plan, is owed one (No Surprises Act).",
        "Keep it, and compare each bill with it.",
        f"If a bill is ${limit} or more above the estimate for that clinic, the bill can be disputed through the federal patient-provider dispute process "
        f"within {days} days of the bill; while the dispute is open the clinic may not send the amount to collections.",
    ]
    if superbill:
        steps.append("Filing a superbill yourself may mean the clinic does not count you as self-pay; ask for the estimate anyway and keep it with the receipts.")
    c1, c2 = cited("self_pay.gfe_dispute_threshold", ds), cited("self_pay.gfe_dispute_days", ds)
    return Notice("good_faith_estimate", "Good-faith estimate before paying the clinic yourself", tuple(steps), f"{c1.cite}; {c2.cite}")


def _abn(ds: Dataset) -> Notice:
    abn = cited("abn.original_medicare", ds)
    steps = (
        "IV ketamine for depression is off-label and Original Medicare is not expected to pay for it: before the first infusion the clinic should give "
        "an Advance Beneficiary Notice (ABN, form CMS-R-131) naming the service, why Medicare may not pay, and the estimated cost.",
        "Read the cost on it before signing; signing means agreeing to pay if Medicare does not. The patient can still ask the clinic to bill Medicare for a decision, which can be appealed.",
        "Without a valid ABN where one was required, the clinic generally cannot bill the patient for a denied infusion.",
    )
    return Notice("abn", "Advance Beneficiary Notice (Original Medicare)", steps, abn.cite)
