"""Letter drafts the prescriber completes: a letter of medical necessity and an appeal letter.

Why offline templates (Jinja2, ``toolkit/templates/letter_*.j2``) and no identifiers: an
appeal letter is clinical and personal, and nothing about the patient should leave the
machine or sit in the toolkit. The letters answer the policy's criteria one by one (the
same checklist :func:`toolkit.coverage.assess` computes), with clear placeholders:

- identity and contact details are never fields: they appear as fixed placeholders such
  as ``[Patient: prescriber fills in]`` that the prescriber completes in their own system;
- a clinical fact the advisor did not enter appears as ``[TO COMPLETE: ...]``, so an
  unfinished draft is obvious; with every field given, none is left.

A mental-health-parity paragraph (MHPAEA, 29 U.S.C. 1185a) is added where it usually
applies (employer and individual-market plans), or when the advisor ticks it. Drafts are
returned as text; :func:`save_letter` writes one only where the user asks. No ``.docx``:
it would need a new dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..data import Dataset, dataset
from ..scenario import INDICATION_LABELS, OPTION_LABELS, Scenario, _explain
from .appeals import DENIAL_REASONS
from .benefits_check import BenefitsCall, CriterionId, codes_to_quote
from .common import (
    WorkflowError,
    check_no_identifiers,
    environment,
    format_day,
    html_document,
    parse_date,
    render,
    write_text,
)
from .readiness import readiness

LetterKind = Literal["medical_necessity", "appeal"]
LETTER_TITLES = {"medical_necessity": "Letter of medical necessity", "appeal": "Appeal letter"}

# Identity, contact and logistics details: fixed placeholders, never toolkit fields.
PLACEHOLDERS = {
    # one block, completed in the prescriber's own records system: the toolkit never asks for it
    "identification": "[Patient identification: the prescriber adds it in their own records system]",
    "claim": "[Claim or reference number: from the plan's letter]",
    "plan": "[Plan name and address: from the plan's letter or card]",
    "prescriber": "[Prescriber name, credentials, NPI and contact details: prescriber fills in]",
    "signature": "[Signature and date: prescriber signs]",
    "date": "[Date sent: prescriber fills in]",
}
TODO = "[TO COMPLETE: {}]"
# what the prescriber writes under each criterion (short, shown inside the marker)
PROMPTS = {
    "adult": "confirm the patient is 18 or older",
    "diagnosis": "diagnosis and ICD-10 code, why it is treatment-resistant (or the acute suicidal thoughts), no psychotic features",
    "two_antidepressant_trials": "each antidepressant in this episode: drug, dose, dates (6+ weeks), response",
    "different_classes": "the drug classes of those trials",
    "augmentation": "augmentation trial: drug, dose, dates, response",
    "oral_antidepressant": "current oral antidepressant and dose",
    "psychiatrist": "prescriber's specialty, or the psychiatric consultation",
    "baseline_score": "baseline scale, score and date",
    "rems": "REMS enrolment of the patient, prescriber and treatment site",
    "no_contraindication": "no aneurysmal vascular disease, arteriovenous malformation or brain bleed",
}
TODO_RE = re.compile(r"\[TO COMPLETE: [^\]]*\]")
# documents to enclose, by criterion (the prescriber deletes any not sent)
ENCLOSURES = {
    "diagnosis": "Chart note with the diagnosis (ICD-10) and the course of this episode",
    "two_antidepressant_trials": "Antidepressant trial history (drug, dose, dates, response) and pharmacy fill records",
    "different_classes": "Antidepressant trial history (drug, dose, dates, response) and pharmacy fill records",
    "augmentation": "Chart note on the augmentation trial",
    "oral_antidepressant": "Current medication list",
    "psychiatrist": "Psychiatric evaluation or consultation note",
    "baseline_score": "Baseline depression rating (scale, score, date)",
    "rems": "Spravato REMS enrolment confirmation (patient and treatment site)",
    "no_contraindication": "Note on screening for contraindications",
}
PARITY_PAYERS = {"commercial", "hdhp"}
Text = str | None


class LetterFields(BaseModel):
    """Clinical facts for a letter. No identifiers: ``extra="forbid"`` refuses any other field."""

    model_config = ConfigDict(extra="forbid")

    diagnosis_code: Text = Field(None, max_length=10, title="Diagnosis code (ICD-10)")
    policy_reference: Text = Field(None, max_length=200, title="Plan policy the request answers (number and title)")
    clinical_summary: Text = Field(None, max_length=3000, title="Clinical summary (severity, duration of this episode, impact, risk)")
    treatment_plan: Text = Field(None, max_length=2000, title="Treatment plan (dose, schedule, monitoring, how response is measured)")
    alternatives: Text = Field(None, max_length=2000, title="Other treatments tried or considered, and why this one")
    evidence_cited: Text = Field(None, max_length=2000, title="Published evidence the prescriber relies on (IV ketamine, off-label)")
    evidence: dict[CriterionId, str] = Field(default_factory=dict, title="How each criterion is met")
    denial_date: date | None = Field(None, title="Date of the denial")
    denial_reason: Literal[tuple(DENIAL_REASONS)] | None = Field(None, title="Denial reason")  # type: ignore[valid-type]
    denial_quote: Text = Field(None, max_length=1000, title="The denial reason as the letter words it")
    urgent: bool = Field(False, title="Urgent: waiting could seriously harm the patient (expedited review)")
    parity: bool | None = Field(None, title="Add the mental-health-parity paragraph (empty = by plan type)")


def read_fields(data: LetterFields | dict | None) -> LetterFields:
    """Validate letter fields; refuse text that looks like an identifier; name the field."""
    if data is None:
        return LetterFields()
    if not isinstance(data, LetterFields):
        if not isinstance(data, dict):
            raise WorkflowError("letter fields", "must be a set of named fields")
        try:
            data = LetterFields.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            name, msg = _explain(err)
            if err.get("type") == "extra_forbidden":
                msg = "is not a letter field (identifiers such as names, birth dates or member IDs are filled in by the prescriber, never stored)"
            top = LetterFields.model_fields.get(name.split(".")[0])
            raise WorkflowError(top.title if top and top.title and err.get("type") != "extra_forbidden" else name, msg) from None
    for name, info in LetterFields.model_fields.items():
        value = getattr(data, name)
        if isinstance(value, str):
            check_no_identifiers(value, info.title or name)
    for cid, text in data.evidence.items():
        check_no_identifiers(text, f"How each criterion is met ({cid})")
    return data


@dataclass(frozen=True)
class LetterCriterion:
    id: str
    criterion: str
    how_common: str
    status: str  # from the readiness checklist
    text: str  # the evidence, or a [TO COMPLETE: ...] marker
    missing: bool


@dataclass
class Letter:
    kind: str
    option: str
    title: str
    markdown: str
    html: str
    missing: list[str] = field(default_factory=list)
    prescriber_notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    def standalone_html(self) -> str:
        return html_document(f"{self.title}: {OPTION_LABELS[self.option]}", self.html)


def _slot(value: str | None, label: str, missing: list[str]) -> str:
    if value is not None and value.strip():
        return value.strip()
    missing.append(label)
    return TODO.format(label)


def _mark(text: str) -> Markup:
    """HTML filter: escape, then highlight [TO COMPLETE] markers and identity placeholders."""
    out = str(escape(text))
    out = TODO_RE.sub(lambda m: f'<span class="todo">{m.group(0)}</span>', out)
    for ph in PLACEHOLDERS.values():
        e = str(escape(ph))
        out = out.replace(e, f'<span class="ph">{e}</span>')
    return Markup(out)


def parity_applies(scenario: Scenario, fields: LetterFields) -> bool:
    return fields.parity if fields.parity is not None else scenario.plan.payer_type.value in PARITY_PAYERS


def build_letter(
    kind: LetterKind,
    scenario: Scenario,
    option: str,
    fields: LetterFields | dict | None = None,
    ds: Dataset | None = None,
    call: BenefitsCall | dict | None = None,
    today: date | None = None,
) -> Letter:
    """Render one letter draft (Markdown and HTML) for ``option``; nothing is written to disk."""
    ds = ds or dataset()
    if kind not in LETTER_TITLES:
        raise WorkflowError("Letter", f"must be one of: {', '.join(LETTER_TITLES)}")
    if option not in OPTION_LABELS:
        raise WorkflowError("Option", f"must be one of: {', '.join(OPTION_LABELS)}")
    f = read_fields(fields)
    missing: list[str] = []
    notes: list[str] = []
    ready = readiness(scenario, option, ds, call)

    dx_codes = [c for c in codes_to_quote(scenario, ds, option) if c.system == "ICD-10-CM"]
    if f.diagnosis_code and f.diagnosis_code not in ds.codes:
        raise WorkflowError(LetterFields.model_fields["diagnosis_code"].title, f"'{f.diagnosis_code}' is not in data/codes.csv; use one of {', '.join(c.code for c in dx_codes)}")
    dx = _slot(f.diagnosis_code and f"{f.diagnosis_code}, {ds.codes[f.diagnosis_code].description.lower()}", "ICD-10 code, e.g. " + " or ".join(c.code for c in dx_codes), missing)

    criteria: list[LetterCriterion] = []
    for item in ready.items:
        if item.status == "not needed":
            continue
        given = f.evidence.get(item.id)  # type: ignore[call-overload]
        text = _slot(given, PROMPTS.get(item.id, item.check.criterion), missing)
        criteria.append(LetterCriterion(item.id, item.check.criterion, item.check.how_common, item.status, text, not (given and given.strip())))
        if item.status == "missing":
            notes.append(f"The toolkit's record shows '{item.check.criterion.rstrip('.')}' as not yet documented: document it, or explain why it does not apply.")
    if not criteria:
        notes.append("No prior-authorization checklist applies to this option for this plan; the letter argues medical necessity in general.")

    policy = _slot(f.policy_reference, "the plan policy this answers (number and title, from the plan or the denial letter)", missing)
    summary = _slot(f.clinical_summary, "clinical summary: severity, duration of this episode, functional impact, risk", missing)
    plan = _slot(f.treatment_plan, "treatment plan: dose, schedule, monitoring, how response will be measured", missing)
    alternatives = _slot(f.alternatives, "other treatments tried or considered, and why this one", missing)
    evidence_cited = _slot(f.evidence_cited, "published evidence for this off-label use", missing) if option == "iv_ketamine" else ""

    appeal: dict[str, object] = {}
    if kind == "appeal":
        denial_day = parse_date(f.denial_date, "Date of the denial", today=today) if f.denial_date else None
        reason = DENIAL_REASONS.get(f.denial_reason or "")
        appeal = {
            "denial_date": format_day(denial_day) if denial_day else _slot(None, "date of the denial", missing),
            "reason": reason,
            "reason_label": reason.label.lower() if reason else _slot(None, "denial reason", missing),
            "quote": _slot(f.denial_quote and f.denial_quote.strip().rstrip("."), "the denial reason as the plan's letter words it", missing),
            "focus": reason.letter_focus if reason else "",
        }
    codes = [c for c in codes_to_quote(scenario, ds, option) if c.system != "ICD-10-CM" and c.status != "replaced"]
    if option == "spravato":
        treatment = "esketamine nasal spray (Spravato), given under the Spravato REMS at a certified treatment site with at least 2 hours of observation after each dose"
    else:
        treatment = "intravenous ketamine infusion (CPT 96365, ketamine billed as J3490), given in clinic with monitoring"
    parity = parity_applies(scenario, f)
    payer = scenario.plan.payer_type.value
    if parity and f.parity is None:
        notes.append("The parity paragraph was added because employer and individual-market plans are subject to MHPAEA; leave it out if this plan is not (for example a grandfathered or very small employer plan).")
    if payer == "medicaid" and f.parity is None:
        notes.append("Medicaid managed-care plans fall under a separate federal parity rule; tick the parity paragraph if the plan is a managed-care plan.")
    if payer in ("medicare", "medicare_advantage", "tricare", "va") and f.parity:
        notes.append("MHPAEA generally does not govern Medicare, TRICARE or VA coverage: check before keeping the parity paragraph.")
    context = dict(
        kind=kind,
        title=LETTER_TITLES[kind],
        option_label=OPTION_LABELS[option],
        option=option,
        indication=INDICATION_LABELS[scenario.indication.value],
        treatment=treatment,
        codes=codes,
        dx=dx,
        policy=policy,
        summary=summary,
        plan=plan,
        alternatives=alternatives,
        evidence_cited=evidence_cited,
        criteria=criteria,
        enclosures=list(dict.fromkeys(ENCLOSURES[c.id] for c in criteria if c.id in ENCLOSURES)),
        appeal=appeal,
        urgent=f.urgent,
        parity=parity,
        ph=PLACEHOLDERS,
        notes=notes,
        missing=missing,
    )
    md = render(f"letter_{kind}.md.j2", **context)
    environment().filters["mark"] = _mark
    html = render(f"letter_{kind}.html.j2", **context)
    return Letter(kind, option, LETTER_TITLES[kind], md, html, missing, notes)


def save_letter(letter: Letter, path: str, fmt: Literal["md", "html"] = "md") -> str:
    """Write the draft to ``path`` (only where the user asks); returns the path written."""
    text = letter.markdown if fmt == "md" else letter.standalone_html()
    return str(write_text(path, text))
