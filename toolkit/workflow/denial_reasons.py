"""Denial reasons: what each reason on a denial letter means, what to do, and the paragraph the
appeal letter leads with (the table :mod:`.appeals` and :mod:`.letters` read).

Why its own module: it is a table, read by a person who checks what the patient is told. Its
patient-facing texts (label, what it means, what to do, external review) are msgids (``N_``),
shown in the patient's language where the checklist is rendered; ``letter_focus`` is not: it goes
into the letter to the plan, which stays in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True)
class DenialReason:
    id: str
    label: str
    means: str
    todo: tuple[str, ...]
    letter_focus: str  # the paragraph the appeal letter leads with
    external_review: str


DENIAL_REASONS: dict[str, DenialReason] = {
    r.id: r
    for r in (
        DenialReason(
            "incomplete_documentation",
            N_("Incomplete documentation"),
            N_("The plan did not receive everything its policy asks for (often the antidepressant trial history, a baseline score or the REMS enrolment)."),
            (
                N_("Ask the plan which item was missing and for the policy criteria it used (policy number and date)."),
                N_("Ask the prescriber to send the missing records; the readiness step lists what shows each criterion and who supplies it."),
                N_("Often faster than an appeal: ask the clinic to resubmit the prior-authorization request with the missing documents."),
            ),
            "The original request lacked some of the records the policy asks for. They are enclosed now and listed criterion by criterion below.",
            N_("Usually settled by resubmitting; if the plan still says no after an internal appeal, ask whether the decision is eligible for external review."),
        ),
        DenialReason(
            "medical_necessity",
            N_("Medical necessity not shown"),
            N_("The plan's reviewer decided the treatment is not medically necessary for this patient, or that the criteria are not met."),
            (
                N_("Ask for the criteria used, the reviewer's reasoning and the reviewer's specialty."),
                N_("Ask the prescriber for a letter that answers each criterion one by one (your advisor can prepare a draft for the prescriber)."),
                N_("Ask the prescriber to request a peer-to-peer conversation with the plan's reviewing doctor."),
            ),
            "The denial states that the treatment is not medically necessary. Each criterion of the plan's policy is answered below with the clinical facts that show it is met.",
            N_("Medical-judgment decisions can go to external review once the internal appeal is decided (HealthCare.gov, external review)."),
        ),
        DenialReason(
            "experimental_investigational",
            N_("Experimental or investigational exclusion"),
            N_("The plan's policy calls the treatment experimental or investigational (common for IV ketamine; should not apply to Spravato for its FDA-approved uses)."),
            (
                N_("Ask for the medical policy that excludes it, with its number and last review date."),
                N_("For Spravato: point out its FDA approval for treatment-resistant depression and for depression with acute suicidal thoughts."),
                N_("For IV ketamine: the prescriber cites the published evidence and explains why other treatments failed or are unsuitable."),
                N_("Where the plan is subject to mental-health parity, ask how the same exclusion is applied to comparable medical/surgical treatments."),
            ),
            "The denial calls the treatment experimental or investigational. The clinical evidence and the patient's treatment history below show why it is an established, appropriate treatment for this patient.",
            N_("Decisions that a treatment is experimental or investigational can go to external review (HealthCare.gov, external review)."),
        ),
        DenialReason(
            "off_label",
            N_("Off-label use"),
            N_("The drug is used outside its FDA label (IV ketamine for depression, or either option for PTSD, anxiety or pain)."),
            (
                N_("Ask whether the plan covers off-label uses supported by drug compendia or peer-reviewed literature, and which ones it accepts."),
                N_("Ask the prescriber to cite the evidence for this use and explain why labelled options failed or are unsuitable."),
                N_("Compare with the on-label option: Spravato is FDA-approved for treatment-resistant depression and for depression with acute suicidal thoughts."),
            ),
            "The denial cites off-label use. The evidence below supports this use, and the patient's history shows that labelled treatments were tried or are unsuitable.",
            N_("If the plan treats it as experimental or as a medical-judgment decision, external review is available after the internal appeal."),
        ),
        DenialReason(
            "out_of_network",
            N_("Out of network"),
            N_("The clinic is not in the plan's network, or the plan has no out-of-network benefits for these codes."),
            (
                N_("Ask whether an in-network site (REMS-certified, for Spravato) is within reasonable reach; if none is, ask for a network exception (a single-case agreement)."),
                N_("If the plan has out-of-network benefits, file the superbill before the timely-filing limit (superbill step)."),
                N_("Ask the clinic whether it will bill the plan directly, and what it would balance-bill."),
            ),
            "The denial cites the provider's network status. No in-network provider able to give this treatment is available within a reasonable distance or time, as set out below; we ask the plan to cover it at the in-network level.",
            N_("Network decisions are usually administrative; ask the plan whether its final decision is eligible for external review."),
        ),
        DenialReason(
            "other",
            N_("Another reason"),
            N_("The letter gives another reason (coding, quantity limit, eligibility ...)."),
            (N_("Ask the plan to explain the reason in writing, and what would change the decision."), N_("Ask the clinic's billing office whether a corrected claim fixes it.")),
            "The denial gives the reason quoted below. The facts below address it.",
            N_("Ask the plan whether its final decision is eligible for external review."),
        ),
    )
}


def reasons_table():
    """Common denial reasons, what they mean and what to do (for the notebook)."""
    import pandas as pd

    return pd.DataFrame(
        [{"denial reason": r.label, "what it means": r.means, "what to do": " ".join(r.todo), "external review": r.external_review} for r in DENIAL_REASONS.values()]
    )
