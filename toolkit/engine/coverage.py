"""Coverage assessment: how likely each option is paid for by this patient's plan, and why.

Why a base rate plus a checklist: published policy reviews give a base rate by payer type
and indication (``data/coverage.csv``), and prior-authorization criteria decide whether this
patient clears the bar (``data/pa_criteria.csv``). The assessment starts from the base
rate, checks each usual criterion against the patient's history, and lowers the level when
a usual criterion is missing. Every reason points at its data row.

The step-down for a missing criterion (one level down, likelihood halved) is a toolkit
assumption, stated as such on screen; advisors can override the likelihood range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..data import CoverageRow, Dataset, Source
from ..scenario import INDICATION_LABELS, PAYER_LABELS, Scenario

LEVEL_ORDER = ("likely", "possible", "unlikely", "not_eligible")
LEVEL_LABELS = {
    "likely": "Likely covered",
    "possible": "Possibly covered",
    "unlikely": "Unlikely to be covered",
    "not_eligible": "Not covered",
}
# Spravato's label: treatment-resistant depression and depression with acute suicidal ideation
# or behaviour, in adults (FDA; data/coverage.csv). Any other use is off-label: no plan's
# approval path is priced for it.
INDICATED = {"spravato": ("trd", "mdd_si")}
NOT_INDICATED_LABEL = "Not indicated (off-label)"
OFF_LABEL_WORDS = {"ptsd": "PTSD", "anxiety": "anxiety", "chronic_pain": "chronic pain or CRPS"}
SCORE_THRESHOLDS = {"PHQ-9": 15, "MADRS": 28, "HAM-D": 17, "QIDS-SR": 16}
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Reason:
    text: str
    ref: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class CriterionCheck:
    id: str
    criterion: str
    status: str  # "met", "missing", "to confirm", "not needed"
    who_supplies: str
    how_common: str
    source: Source | None


@dataclass
class CoverageAssessment:
    option: str
    level: str
    likelihood: tuple[Decimal, Decimal, Decimal]
    rate_published: bool
    pa_required: str
    basis: str
    reasons: list[Reason] = field(default_factory=list)
    checklist: list[CriterionCheck] = field(default_factory=list)
    raise_odds: list[str] = field(default_factory=list)
    indicated: bool = True  # False: the option is not approved for this condition (off-label)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level] if self.indicated else NOT_INDICATED_LABEL

    @property
    def missing(self) -> list[CriterionCheck]:
        return [c for c in self.checklist if c.status == "missing"]


def indicated(option: str, indication: str) -> bool:
    """Whether the option is approved for this condition (IV ketamine is off-label for all of them, and priced as such)."""
    return indication in INDICATED.get(option, (indication,))


def _step_down(level: str) -> str:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[min(i + 1, 2)] if level != "not_eligible" else level


def _criterion_status(cid: str, scenario: Scenario, option: str) -> str:
    h = scenario.history
    ind = scenario.indication
    if cid == "adult":
        return "met" if h.adult else "missing"
    if cid == "diagnosis":
        return "met" if ind in ("trd", "mdd_si") else "missing"
    if cid == "two_antidepressant_trials":
        if ind == "mdd_si" and option == "spravato":
            return "not needed"
        return "met" if h.antidepressant_trials >= 2 else "missing"
    if cid == "different_classes":
        if ind == "mdd_si" and option == "spravato":
            return "not needed"
        return "met" if h.antidepressant_trials >= 2 and h.different_classes else "missing"
    if cid == "augmentation":  # a treatment-resistant-depression criterion: not asked for depression with suicidal ideation
        if ind == "mdd_si" and option == "spravato":
            return "not needed"
        return "met" if h.augmentation_tried else "missing"
    if cid == "oral_antidepressant":
        return "met" if h.on_oral_antidepressant else "missing"
    if cid == "psychiatrist":
        return "met" if h.psychiatrist_involved else "missing"
    if cid == "baseline_score":
        if h.baseline_scale == "none" or h.baseline_score is None:
            return "missing"
        return "met" if h.baseline_score >= SCORE_THRESHOLDS[h.baseline_scale] else "missing"
    if cid == "rems":
        return "to confirm" if option == "spravato" else "not needed"
    if cid == "no_contraindication":
        return "missing" if h.contraindication else "met"
    return "to confirm"


WHAT_TO_DO = {
    "adult": "Spravato is approved for adults only; ask the prescriber about other options.",
    "diagnosis": "Coverage policies name treatment-resistant depression or depression with suicidal ideation; ask the prescriber whether either diagnosis applies.",
    "two_antidepressant_trials": "Gather pharmacy records or chart notes for at least two antidepressant trials (drug, dose, dates, 6+ weeks each).",
    "different_classes": "Check that the trials include two different drug classes (for example an SSRI and an SNRI or bupropion).",
    "augmentation": "Some plans ask for an augmentation trial (for example an antipsychotic or lithium added); ask the prescriber.",
    "oral_antidepressant": "Some plans still require a current oral antidepressant beside Spravato, although monotherapy was approved in Jan 2025.",
    "psychiatrist": "Ask for a psychiatrist to prescribe or document a consultation.",
    "baseline_score": "Ask the clinic to record a baseline depression scale score (e.g. PHQ-9 >= 15 or MADRS >= 28).",
    "rems": "Confirm the clinic is REMS-certified and will enrol the patient before the first session.",
    "no_contraindication": "A listed contraindication usually rules Spravato out; the prescriber decides.",
}


def assess(scenario: Scenario, ds: Dataset, option: str) -> CoverageAssessment:
    """Level, likelihood range, reasons, PA checklist and next steps for one option."""
    payer = scenario.plan.payer_type.value
    row: CoverageRow = ds.coverage_row(payer, option, scenario.indication.value)
    level = row.level
    lo, typ, hi = row.likelihood_low, row.likelihood_typical, row.likelihood_high
    reasons = [Reason(row.reasoning, row.ref, row.source)]
    rate_note = (
        "This likelihood rests on a published rate."
        if row.rate_published
        else "No published approval rate exists for this case: the range is an assumption you can change."
    )
    reasons.append(Reason(rate_note, row.ref, row.source))

    on_label = indicated(option, scenario.indication.value)
    if not on_label:
        level, lo, typ, hi = "not_eligible", Decimal(0), Decimal(0), Decimal(0)
        reasons[-1] = Reason("No approval rate applies: the use is off-label.", row.ref, row.source)
        reasons.append(Reason(
            f"{NOT_INDICATED_LABEL} for {OFF_LABEL_WORDS.get(scenario.indication.value, 'this condition')}: no approved "
            "path is priced; a clinic that gave it anyway would be paid by the patient.", row.ref, row.source))
    checklist: list[CriterionCheck] = []
    applies = level != "not_eligible" and payer != "uninsured"
    if applies:
        for cid, entries in ds.criteria.items():
            usable = [c for c in entries if c.option in (option, "both")]
            if not usable:
                continue
            c = usable[0]
            checklist.append(CriterionCheck(cid, c.criterion, _criterion_status(cid, scenario, option), c.who_supplies, c.how_common, c.source))

    missing_usual = [c for c in checklist if c.status == "missing" and c.how_common == "usual"]
    if not on_label:
        pass
    elif option == "spravato" and scenario.history.contraindication:
        level, lo, typ, hi = "not_eligible", Decimal(0), Decimal(0), Decimal(0)
        reasons.append(Reason("A listed contraindication: Spravato is usually not given, so coverage does not arise."))
    elif not scenario.history.adult and option == "spravato":
        level, lo, typ, hi = "not_eligible", Decimal(0), Decimal(0), Decimal(0)
        reasons.append(Reason("Spravato is approved for adults (18 and over) only."))
    elif missing_usual and level in ("likely", "possible"):
        level = _step_down(level)
        lo, typ, hi = lo * HALF, typ * HALF, hi * HALF
        names = ", ".join(c.criterion.rstrip(".").lower() for c in missing_usual)
        reasons.append(Reason(f"Usual prior-authorization criteria not yet shown: {names}. Toolkit assumption: this lowers the level one step and halves the likelihood until documented."))

    override = scenario.iv_likelihood_pct if option == "iv_ketamine" else scenario.spravato_likelihood_pct
    if override is not None and on_label:
        lo, typ, hi = (override.low / 100, override.typical / 100, override.high / 100)
        reasons.append(Reason(f"The advisor set the likelihood to {override.low}-{override.high}% (typical {override.typical}%)."))

    raise_odds = [WHAT_TO_DO[c.id] for c in checklist if c.status in ("missing", "to confirm") and c.id in WHAT_TO_DO]
    if option == "iv_ketamine" and payer in ("commercial", "hdhp"):
        raise_odds.append("Ask the plan for its medical policy on ketamine infusion (some plans cover it for depression under esketamine-like criteria; many call it investigational).")
        if scenario.plan.out_of_network is not None:
            raise_odds.append("Ask the clinic for a superbill with CPT codes and the diagnosis code to claim out-of-network reimbursement.")
    if option == "spravato" and payer not in ("uninsured",) and level != "not_eligible":
        raise_odds.append("Ask whether the drug is paid under the medical or the pharmacy benefit, and whether the clinic is in network.")
    if payer == "medicaid" and option == "spravato" and level != "not_eligible":
        rems = ds.criteria.get("rems", [])
        reasons.append(Reason(
            "Medicaid's cost sharing is nominal (a few dollars a visit) and capped at 5% of family income, so the cost is rarely "
            "the barrier: finding a REMS-certified Spravato site that takes Medicaid is. Some certified clinics do not take "
            "Medicaid for Spravato.", "pa_criteria.csv:rems", rems[0].source if rems else None))
        raise_odds.insert(0, "Ask the Medicaid plan (or its managed-care plan) for in-network, REMS-certified Spravato sites, "
                             "and ask the site whether it takes Medicaid before the first visit.")
    if payer == "tricare" and option == "spravato" and level != "not_eligible":
        from .payers import group_refs, group_rows, tricare_note

        refs, rows = group_refs(scenario), group_rows(scenario)
        src = ds.value(rows.in_rows["oop_max"]).source if rows else None
        reasons.append(Reason(tricare_note(scenario, ds), ", ".join(refs), src))
        if scenario.plan.tricare_group is None:
            raise_odds.append("Ask which TRICARE plan (Prime, Select or TRICARE For Life) and group (A or B) applies: the cost sharing follows from them.")
    if payer == "uninsured":
        reasons.append(Reason(f"{PAYER_LABELS[payer]}: every session is self-pay."))
    return CoverageAssessment(
        option=option,
        level=level,
        likelihood=(lo, typ, hi),
        rate_published=row.rate_published,
        pa_required=row.pa_required,
        basis=row.basis,
        reasons=reasons,
        checklist=checklist,
        raise_odds=raise_odds,
        indicated=on_label,
    )


def describe_situation(scenario: Scenario) -> str:
    return f"{INDICATION_LABELS[scenario.indication.value]}; {PAYER_LABELS[scenario.plan.payer_type.value]}"
