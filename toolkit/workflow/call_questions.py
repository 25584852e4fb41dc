"""The benefits-call questions: what to ask, why, and which scenario field each answer feeds.

Why a module of its own: the list is the script an advisor reads on hold, and it grows with
every plan mechanic the comparison models (accumulators, allowed amounts, Medicare's parts,
TRICARE groups); :mod:`toolkit.workflow.benefits_check` turns the answers into a scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..scenario import Scenario


@dataclass(frozen=True)
class Question:
    field: str  # BenefitsCall field that records the answer
    party: Literal["insurer", "clinic"]
    option: Literal["iv_ketamine", "spravato", "both"]
    text: str
    why: str
    feeds: str  # the scenario field it changes, or "record only"
    payers: tuple[str, ...] = ()  # asked only for these payer types (empty: every insured plan)


PRIVATE = ("commercial", "hdhp")
MEDICARE = ("medicare", "medicare_advantage")
ACCUMULATOR_QUESTION = "Does the plan have a copay-accumulator or maximizer program for specialty drugs?"

QUESTIONS: tuple[Question, ...] = (
    Question("copay_assistance", "insurer", "spravato", ACCUMULATOR_QUESTION + " Do payments from a manufacturer's savings program count toward my deductible and out-of-pocket maximum?",
             "With an accumulator the savings program's payments do not count, so the deductible and cap fill only from what the patient pays; a maximizer spreads the program's yearly maximum across the year. Either can move the yearly cost by thousands of dollars.",
             "plan.copay_assistance_counts", PRIVATE),
    Question("iv_covered", "insurer", "iv_ketamine", "Is an IV ketamine infusion (CPT {iv_codes}, drug J3490) covered for {diagnosis}? Is there a medical policy on ketamine infusion, and does it call it investigational?",
             "Many plans call IV ketamine investigational; a few cover it for treatment-resistant depression.", "coverage likelihood (iv_likelihood_pct)"),
    Question("iv_pa_required", "insurer", "iv_ketamine", "Does it need prior authorization? Which documents do you need?", "Prior authorization decides whether the criteria in the readiness step apply.", "coverage likelihood (with readiness)"),
    Question("oon_benefits", "insurer", "iv_ketamine", "Do I have out-of-network benefits for {iv_codes}, J3490 and the evaluation visit ({em_code})?", "Without them a superbill brings nothing back.", "plan.out_of_network"),
    Question("oon_allowed_method", "insurer", "iv_ketamine", "How do you set the out-of-network allowed amount for these codes: a share of the clinic's charge, a multiple of the Medicare fee, or a dollar amount per code?",
             "Reimbursement is figured on the allowed amount, not the clinic's price; a share of the charge and a multiple of Medicare can differ by hundreds of dollars per infusion.", "plan.oon_allowed_method"),
    Question("oon_allowed_pct", "insurer", "iv_ketamine", "If a share of the charge: what share (%)?", "The allowed amount is that share of each charge.", "plan.oon_allowed_pct"),
    Question("oon_medicare_pct", "insurer", "iv_ketamine", "If a multiple of Medicare: what percentage of the Medicare fee (for example 110%, 140% or 200%)?", "The allowed amount is that multiple of Medicare's national fee for each code.", "plan.oon_medicare_pct"),
    Question("oon_allowed_amounts", "insurer", "iv_ketamine", "If by code: what is the allowed amount in dollars for 96365, 96366, 90791 and {em_code}?", "Insurers often quote 'the allowed amount for 96365 is $350'; the toolkit uses those dollars line by line.", "plan.oon_allowed_amounts"),
    Question("oon_deductible", "insurer", "iv_ketamine", "What are the out-of-network deductible, coinsurance and out-of-pocket maximum?", "They decide how much of each allowed amount comes back.", "plan.out_of_network"),
    Question("oon_deductible_met", "insurer", "iv_ketamine", "How much of the out-of-network deductible and out-of-pocket maximum is met so far this plan year?", "Amounts already met lower the first sessions' cost.", "plan.out_of_network"),
    Question("timely_filing_days", "insurer", "iv_ketamine", "What is the timely-filing limit for an out-of-network claim (superbill)? By portal, mail or fax?", "A claim filed late is denied; the toolkit dates each filing deadline.", "superbill filing deadlines"),
    Question("spravato_covered", "insurer", "spravato", "Is Spravato (esketamine) covered for {diagnosis}?", "FDA-approved for TRD and for depression with suicidal thoughts.", "coverage likelihood (spravato_likelihood_pct)"),
    Question("spravato_pa_required", "insurer", "spravato", "Does it need prior authorization? Which documents and criteria do you use (policy number)?", "The plan's own criteria replace the usual list in the readiness step.", "coverage likelihood (with readiness)"),
    Question("pa_approval_months", "insurer", "spravato", "How long is an approval good for (months), and what does re-authorization need?",
             "Approval periods differ by plan (from about 1 month to 12 months for a first approval); the schedule dates the re-authorization from it.", "plan.pa_approval_months"),
    Question("spravato_drug_benefit", "insurer", "spravato", "Is the drug ({spravato_drug_codes}) paid under the medical or the pharmacy benefit (specialty pharmacy)?", "It changes which deductible and coinsurance apply to the drug.", "plan.spravato_drug_benefit"),
    Question("medicare_spravato_route", "insurer", "spravato", "Is Spravato paid under Part B (the clinic bills G2082/G2083) or dispensed by a specialty pharmacy under my Part D plan?",
             "Part B has 20% coinsurance with no yearly cap unless a supplement pays it; Part D has its own deductible and a yearly out-of-pocket cap.", "plan.medicare_spravato_route", MEDICARE),
    Question("medigap", "insurer", "both", "Do I have a Medicare supplement (Medigap)? Which plan letter: G-like (pays the 20% after the Part B deductible) or N-like (copays of up to $20 per office visit)?",
             "A supplement decides what is left of Part B's 20% coinsurance.", "plan.medigap", ("medicare",)),
    Question("tricare_group", "insurer", "both", "Which TRICARE beneficiary group and plan am I in: active-duty family member or retiree, Prime or Select, or TRICARE For Life?",
             "TRICARE cost shares depend on the group: active-duty family members in Prime pay nothing for network care; retirees pay copays and have a higher cap.", "plan.tricare_group", ("tricare",)),
    Question("spravato_visit_benefit", "insurer", "spravato", "Does the treatment visit fall under the medical or the behavioral-health benefit?", "Behavioral-health visits can have a different copay or a separate network.", "record only"),
    Question("spravato_rems_site_nearby", "insurer", "spravato", "Which nearby treatment sites are in network and REMS-certified?", "Spravato is given only at REMS-certified sites, with 2 hours of observation.", "record only (the advisor keeps the list)"),
    Question("in_network_deductible_met", "insurer", "both", "How much of the in-network deductible and out-of-pocket maximum is met so far this plan year?", "Amounts already met lower the first sessions' cost.", "plan.in_network"),
    Question("iv_clinic_billing", "clinic", "iv_ketamine", "Do you bill my plan in network, give a superbill for me to file, or take cash only? Which codes and units would the superbill show?", "Decides whether the IV claim runs in network, as a superbill, or self-pay.", "plan.iv_claim_route"),
    Question("spravato_clinic_in_network", "clinic", "spravato", "Are you in network with my plan for the Spravato visit and observation (the behavioral-health codes), and is the site REMS-certified?",
             "Out-of-network visits cost more and may be balance-billed.", "plan.spravato_clinic_in_network"),
    Question("spravato_drug_in_network", "clinic", "spravato", "Are you also in network for the medical codes (the drug, {spravato_drug_codes})? Do you buy the drug or use a specialty pharmacy?",
             "A clinic can be in network for behavioral-health codes and out of network for medical ones: ask about both.", "plan.spravato_drug_in_network"),
)


def asked_of(q: Question, payer: str) -> bool:
    """Whether a question applies to this type of coverage (Medigap only for Original Medicare ...)."""
    return not q.payers or payer in q.payers


def ask_first(scenario: Scenario) -> list[str]:
    """Questions for the top of the sheet: the plan rules still unknown that move the cost most.

    Why: with an accumulator the approved Spravato cost can be several times the cost without
    one (the comparison shows both while it is unknown), so it is the first thing to ask.
    """
    plan = scenario.plan
    if plan.payer_type.value in PRIVATE and plan.copay_assistance_counts == "unknown" and plan.manufacturer_savings:
        return [ACCUMULATOR_QUESTION + " (Until it is known, the comparison shows Spravato both ways.)"]
    return []
