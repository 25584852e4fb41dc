"""Prior-authorization readiness: which criteria the patient meets, what is missing, who supplies it.

Built on :func:`toolkit.coverage.assess`, which already checks each usual criterion from
``data/pa_criteria.csv`` against the patient's history and lowers the level when a usual
criterion is missing. This module adds what an advisor needs to act on that checklist: the
documents that show each criterion, the plan's own answers from the benefits call (a plan
can ask for a "some plans" criterion, or need no prior authorization at all), and what the
assessment would be once the missing items are documented (``assess`` again on the
documented history, so the two never disagree).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import Dataset, dataset
from ..engine.coverage import (
    SCORE_THRESHOLDS,
    CoverageAssessment,
    CriterionCheck,
    assess,
)
from ..scenario import OPTION_LABELS, Scenario
from .benefits_check import BenefitsCall, read_call
from .common import WorkflowError, cited

EVIDENCE = {
    "adult": "Age on the prescriber's record (the plan checks it against enrolment; nothing to send).",
    "diagnosis": "Chart note with the diagnosis and its ICD-10 code (for example F33.2), stating that the depression is treatment-resistant or that there are acute suicidal thoughts; note that there are no psychotic features.",
    "two_antidepressant_trials": "For each antidepressant tried in this episode: drug, dose, start and stop dates (6+ weeks at an adequate dose), and the response (25% improvement or less). Pharmacy fill history helps.",
    "different_classes": "The trial list above, showing two different drug classes (for example an SSRI and an SNRI, or bupropion).",
    "augmentation": "Chart note of an augmentation trial in this episode (a medicine added to the antidepressant, for example an antipsychotic or lithium): drug, dose, dates, response.",
    "oral_antidepressant": "Current medication list showing an oral antidepressant taken alongside the treatment.",
    "psychiatrist": "The prescriber's specialty, or a psychiatrist's consultation note.",
    "baseline_score": "A dated baseline depression scale score, for example PHQ-9 15+ or MADRS 28+ (HAM-D 17+, QIDS 16+), taken before the first treatment.",
    "rems": "The clinic's REMS site certification and the patient's REMS enrolment form (the clinic does both before the first session).",
    "no_contraindication": "Prescriber's note that there is no aneurysmal vascular disease, arteriovenous malformation or history of bleeding in the brain.",
}
WHO = {"prescriber": "the prescriber", "psychiatrist": "a psychiatrist", "clinic": "the treatment clinic"}
# criteria that describe a fact about the patient, not a document: they cannot be "documented" into being
NOT_DOCUMENTABLE = {"adult", "no_contraindication", "diagnosis"}


@dataclass(frozen=True)
class ReadinessItem:
    check: CriterionCheck
    required_by_plan: bool  # the plan named it on the benefits call
    blocking: bool  # missing, and usual or named by the plan
    evidence: str
    who: str

    @property
    def id(self) -> str:
        return self.check.id

    @property
    def status(self) -> str:
        return self.check.status


@dataclass
class Readiness:
    option: str
    assessment: CoverageAssessment
    items: list[ReadinessItem]
    pa_needed: str  # "yes", "no", "varies" (from the plan's answer, else data/coverage.csv)
    if_documented: CoverageAssessment | None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.option]

    @property
    def blocking(self) -> list[ReadinessItem]:
        return [i for i in self.items if i.blocking]

    @property
    def to_confirm(self) -> list[ReadinessItem]:
        return [i for i in self.items if i.status == "to confirm"]

    @property
    def ready(self) -> bool:
        """Nothing usual (or asked for by this plan) is missing, and the option is open to the patient."""
        if self.assessment.level == "not_eligible":
            return False
        return self.pa_needed == "no" or not self.blocking

    @property
    def summary(self) -> str:
        if self.assessment.level == "not_eligible":
            return f"{self.label}: not open to this patient under this plan ({self.assessment.level_label.lower()})."
        if self.pa_needed == "no":
            return f"{self.label}: the plan said no prior authorization is needed."
        met = sum(1 for i in self.items if i.status == "met")
        shown = sum(1 for i in self.items if i.status != "not needed")
        if self.ready:
            extra = f"; confirm {len(self.to_confirm)} item(s) with the clinic" if self.to_confirm else ""
            return f"{self.label}: ready to request prior authorization ({met} of {shown} criteria met{extra})."
        return f"{self.label}: not ready yet: {len(self.blocking)} item(s) missing ({met} of {shown} criteria met)."


def documented(scenario: Scenario, criteria: list[str] | tuple[str, ...]) -> Scenario:
    """The scenario with the named criteria documented in the history (what the clinic could add).

    Only criteria that a document can show are changed; age, diagnosis and contraindications
    are facts about the patient and stay as they are.

    >>> from toolkit import default_scenario
    >>> s = documented(default_scenario(), ["augmentation"])
    >>> s.history.augmentation_tried
    True
    """
    h = scenario.history.model_dump()
    for cid in criteria:
        if cid == "two_antidepressant_trials":
            h["antidepressant_trials"] = max(2, h["antidepressant_trials"])
        elif cid == "different_classes":
            h["antidepressant_trials"] = max(2, h["antidepressant_trials"])
            h["different_classes"] = True
        elif cid == "augmentation":
            h["augmentation_tried"] = True
        elif cid == "oral_antidepressant":
            h["on_oral_antidepressant"] = True
        elif cid == "psychiatrist":
            h["psychiatrist_involved"] = True
        elif cid == "baseline_score":
            scale = h["baseline_scale"] if h["baseline_scale"] != "none" else "PHQ-9"
            h["baseline_scale"] = scale
            h["baseline_score"] = max(h["baseline_score"] or 0, SCORE_THRESHOLDS[scale])
    return scenario.model_copy(update={"history": scenario.history.model_validate(h)})


def readiness(scenario: Scenario, option: str, ds: Dataset | None = None, call: BenefitsCall | dict | None = None) -> Readiness:
    """Which prior-authorization criteria are met, which are missing, and who supplies each."""
    ds = ds or dataset()
    if option not in OPTION_LABELS:
        raise WorkflowError("option", f"must be one of: {', '.join(OPTION_LABELS)}")
    call = read_call(call) if call is not None else BenefitsCall()
    prefix = "iv" if option == "iv_ketamine" else "spravato"
    asked = set(getattr(call, f"{prefix}_pa_documents"))
    pa_answer = getattr(call, f"{prefix}_pa_required")
    cov = assess(scenario, ds, option)
    items = [
        ReadinessItem(
            check=c,
            required_by_plan=c.id in asked,
            blocking=c.status == "missing" and (c.how_common == "usual" or c.id in asked),
            evidence=EVIDENCE.get(c.id, ""),
            who=WHO.get(c.who_supplies, c.who_supplies),
        )
        for c in cov.checklist
    ]
    pa_needed = pa_answer if pa_answer != "unknown" else cov.pa_required
    notes: list[str] = []
    if pa_answer != "unknown":
        notes.append(f"Prior authorization {'is' if pa_answer == 'yes' else 'is not'} needed, per the insurer's answer on the benefits call.")
    unknown_asks = asked - {c.id for c in cov.checklist}
    if unknown_asks:
        notes.append("The plan asked for items not on the usual list for this option: " + ", ".join(sorted(unknown_asks)) + ".")
    fixable = [i.id for i in items if i.status == "missing" and i.id not in NOT_DOCUMENTABLE]
    if_documented = assess(documented(scenario, fixable), ds, option) if fixable else None
    if option == "spravato" and cov.level != "not_eligible":
        key = "pa.approval_months.mdsi" if scenario.indication.value == "mdd_si" else "pa.approval_months.trd"
        months = cited(key, ds)
        if scenario.plan.pa_approval_months:
            notes.append(f"The plan said an approval lasts {scenario.plan.pa_approval_months} months (usually {months.text}); the schedule dates when it ends. "
                         f"Re-approval needs documented improvement, so ask the clinic to start it before the approval ends [{months.cite}].")
        else:
            notes.append(f"An approval usually lasts {months.text}; re-approval needs documented improvement, so ask the clinic to start it before the approval ends [{months.cite}].")
    if not cov.checklist:
        notes.append("No prior-authorization checklist applies: " + cov.reasons[-1].text)
    return Readiness(option, cov, items, pa_needed, if_documented, notes)


def readiness_frame(r: Readiness):
    """The readiness checklist as a table (for notebooks and tests)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "criterion": i.check.criterion,
                "status": i.status,
                "blocking": i.blocking,
                "asked by this plan": i.required_by_plan,
                "how common": i.check.how_common,
                "who supplies it": i.who,
                "what shows it": i.evidence,
            }
            for i in r.items
        ]
    )
