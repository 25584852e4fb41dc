"""Benefits check: what to ask the insurer and the clinic, and what the answers change.

Why a fixed list of questions with typed answers: an advisor on hold with an insurer needs
a script, and every answer that matters for money or odds must land in the scenario so the
comparison updates. Each question names the scenario field it feeds (or says it is for the
record only). The answers hold no identifiers: no names, no member IDs, no phone numbers,
only the call date and the insurer's call reference number.

Flow: :func:`call_sheet` (questions and codes for one option) -> the advisor records a
:class:`BenefitsCall` -> :func:`apply_answers` returns an updated, validated scenario and
the list of changes -> ``toolkit.compare`` runs on it as on any scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..data import Code, Dataset, dataset
from ..engine.coverage import assess
from ..scenario import (
    INDICATION_LABELS,
    OPTION_LABELS,
    PAYER_LABELS,
    Scenario,
    ScenarioError,
    _explain,
    validate_scenario,
)
from .common import WorkflowError, cited, figure, parse_date, render

YesNo = Literal["yes", "no", "unknown"]
Money = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=10, decimal_places=2)]
Pct = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]
CriterionId = Literal[
    "adult", "diagnosis", "two_antidepressant_trials", "different_classes", "augmentation",
    "oral_antidepressant", "psychiatrist", "baseline_score", "rems", "no_contraindication",
]
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ./#-]{0,39}$"


class BenefitsCall(BaseModel):
    """Answers from the benefits calls. Empty (None or "unknown") means not asked yet.

    No field holds an identifier: ``extra="forbid"`` refuses any field not listed here.
    """

    model_config = ConfigDict(extra="forbid")

    insurer_call_date: date | None = Field(None, title="Date of the call to the insurer")
    insurer_reference: str = Field("", max_length=40, title="Call reference number the insurer gave")
    clinic_call_date: date | None = Field(None, title="Date of the call to the clinic")

    iv_covered: YesNo = Field("unknown", title="IV ketamine covered for this diagnosis")
    iv_pa_required: YesNo = Field("unknown", title="IV ketamine needs prior authorization")
    iv_pa_documents: list[CriterionId] = Field(default_factory=list, title="Documents the plan asks for (IV ketamine)")
    iv_clinic_billing: Literal["in_network", "superbill", "cash_only", "unknown"] = Field("unknown", title="How the IV clinic bills")

    spravato_covered: YesNo = Field("unknown", title="Spravato covered for this diagnosis")
    spravato_pa_required: YesNo = Field("unknown", title="Spravato needs prior authorization")
    spravato_pa_documents: list[CriterionId] = Field(default_factory=list, title="Documents the plan asks for (Spravato)")
    spravato_drug_benefit: Literal["medical", "pharmacy", "unknown"] = Field("unknown", title="Spravato drug paid under")
    spravato_visit_benefit: Literal["medical", "behavioral_health", "unknown"] = Field("unknown", title="Spravato visit falls under")
    spravato_clinic_in_network: YesNo = Field("unknown", title="Spravato clinic is in network")
    spravato_rems_site_nearby: YesNo = Field("unknown", title="An in-network, REMS-certified site is within reach")

    oon_benefits: YesNo = Field("unknown", title="Plan has out-of-network benefits for the IV codes")
    oon_deductible: Money | None = Field(None, title="Out-of-network deductible ($)")
    oon_deductible_met: Money | None = Field(None, title="Out-of-network deductible met so far ($)")
    oon_coinsurance_pct: Pct | None = Field(None, title="Out-of-network coinsurance (%)")
    oon_oop_max: Money | None = Field(None, title="Out-of-network out-of-pocket maximum ($)")
    oon_oop_met: Money | None = Field(None, title="Out-of-network out-of-pocket met so far ($)")
    oon_allowed_pct: Pct | None = Field(None, title="Out-of-network allowed amount (% of the clinic's charge)")
    in_network_deductible_met: Money | None = Field(None, title="In-network deductible met so far ($)")
    in_network_oop_met: Money | None = Field(None, title="In-network out-of-pocket met so far ($)")
    timely_filing_days: int | None = Field(None, ge=1, le=730, title="Timely-filing limit for superbills (days)")

    @field_validator("insurer_call_date", "clinic_call_date")
    @classmethod
    def _not_future(cls, v: date | None) -> date | None:
        if v is not None:
            parse_date(v, "call date")  # future or implausible dates -> message naming the field
        return v

    @field_validator("insurer_reference")
    @classmethod
    def _reference_only(cls, v: str) -> str:
        v = v.strip()
        if v and not (re.match(REFERENCE_PATTERN, v) and re.search(r"\d", v)):
            raise ValueError("reference: use the reference number only: it has digits, and letters, spaces, '-', '.', '/' or '#' (no names)")
        return v

    @field_validator("iv_pa_documents", "spravato_pa_documents")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))


def read_call(data: Any) -> BenefitsCall:
    """Validate recorded answers; one :class:`WorkflowError` naming the first bad field."""
    if isinstance(data, BenefitsCall):
        return data
    if not isinstance(data, dict):
        raise WorkflowError("benefits call", "must be a set of named answers")
    try:
        return BenefitsCall.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        name, msg = _explain(err)
        if err.get("type") == "extra_forbidden":
            msg = "is not an answer the toolkit records (it stores no names, member IDs or other identifiers)"
        if "call date:" in msg:
            msg = msg.split("call date: ", 1)[1]
        title = BenefitsCall.model_fields.get(name.split(".")[0])
        label = title.title if title and title.title else name
        raise WorkflowError(label, msg) from None


# ------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class Question:
    field: str  # BenefitsCall field that records the answer
    party: Literal["insurer", "clinic"]
    option: Literal["iv_ketamine", "spravato", "both"]
    text: str
    why: str
    feeds: str  # the scenario field it changes, or "record only"


QUESTIONS: tuple[Question, ...] = (
    Question("iv_covered", "insurer", "iv_ketamine", "Is an IV ketamine infusion (CPT {iv_codes}, drug J3490) covered for {diagnosis}? Is there a medical policy on ketamine infusion, and does it call it investigational?",
             "Many plans call IV ketamine investigational; a few cover it for treatment-resistant depression.", "coverage likelihood (iv_likelihood_pct)"),
    Question("iv_pa_required", "insurer", "iv_ketamine", "Does it need prior authorization? Which documents do you need?", "Prior authorization decides whether the criteria in the readiness step apply.", "coverage likelihood (with readiness)"),
    Question("oon_benefits", "insurer", "iv_ketamine", "Do I have out-of-network benefits for {iv_codes}, J3490 and the evaluation visit ({em_code})?", "Without them a superbill brings nothing back.", "plan.out_of_network"),
    Question("oon_allowed_pct", "insurer", "iv_ketamine", "What is the out-of-network allowed amount for these codes (in dollars, or as a share of the charge)?", "Reimbursement is figured on the allowed amount, not the clinic's price.", "plan.oon_allowed_pct"),
    Question("oon_deductible", "insurer", "iv_ketamine", "What are the out-of-network deductible, coinsurance and out-of-pocket maximum?", "They decide how much of each allowed amount comes back.", "plan.out_of_network"),
    Question("oon_deductible_met", "insurer", "iv_ketamine", "How much of the out-of-network deductible and out-of-pocket maximum is met so far this plan year?", "Amounts already met lower the first sessions' cost.", "plan.out_of_network"),
    Question("timely_filing_days", "insurer", "iv_ketamine", "What is the timely-filing limit for an out-of-network claim (superbill)? By portal, mail or fax?", "A claim filed late is denied; the toolkit dates each filing deadline.", "superbill filing deadlines"),
    Question("spravato_covered", "insurer", "spravato", "Is Spravato (esketamine) covered for {diagnosis}?", "FDA-approved for TRD and for depression with suicidal thoughts.", "coverage likelihood (spravato_likelihood_pct)"),
    Question("spravato_pa_required", "insurer", "spravato", "Does it need prior authorization? Which documents and criteria do you use (policy number)?", "The plan's own criteria replace the usual list in the readiness step.", "coverage likelihood (with readiness)"),
    Question("spravato_drug_benefit", "insurer", "spravato", "Is the drug ({spravato_drug_codes}) paid under the medical or the pharmacy benefit (specialty pharmacy)?", "It changes which deductible and coinsurance apply to the drug.", "plan.spravato_drug_benefit"),
    Question("spravato_visit_benefit", "insurer", "spravato", "Does the treatment visit fall under the medical or the behavioral-health benefit?", "Behavioral-health visits can have a different copay or a separate network.", "record only"),
    Question("spravato_rems_site_nearby", "insurer", "spravato", "Which nearby treatment sites are in network and REMS-certified?", "Spravato is given only at REMS-certified sites, with 2 hours of observation.", "record only (the advisor keeps the list)"),
    Question("in_network_deductible_met", "insurer", "both", "How much of the in-network deductible and out-of-pocket maximum is met so far this plan year?", "Amounts already met lower the first sessions' cost.", "plan.in_network"),
    Question("iv_clinic_billing", "clinic", "iv_ketamine", "Do you bill my plan in network, give a superbill for me to file, or take cash only? Which codes and units would the superbill show?", "Decides whether the IV claim runs in network, as a superbill, or self-pay.", "plan.iv_claim_route"),
    Question("spravato_clinic_in_network", "clinic", "spravato", "Are you in network with my plan for Spravato, and is the site REMS-certified? Do you buy the drug or use a specialty pharmacy?", "Out-of-network visits cost more and may be balance-billed.", "plan.spravato_clinic_in_network"),
)

DIAGNOSIS_CODES = {
    "trd": ("F33.2", "F32.2"),
    "mdd_si": ("F33.2", "F32.2"),
    "ptsd": ("F43.10", "F43.11", "F43.12"),
    "anxiety": ("F41.1",),
    "chronic_pain": ("G90.50",),
}
BUNDLED_PAYERS = {"medicare", "medicare_advantage", "tricare"}


@dataclass
class CallSheet:
    option: str
    label: str
    situation: str
    questions: list[tuple[Question, str]]  # (question, text with codes filled in)
    codes: list[Code]
    notes: list[str] = field(default_factory=list)


def codes_to_quote(scenario: Scenario, ds: Dataset, option: str) -> list[Code]:
    """Billing and diagnosis codes to read out on the call, from ``data/codes.csv``."""
    payer = scenario.plan.payer_type.value
    if option == "iv_ketamine":
        wanted = ["96365", "96366", "J3490", "99214", "90791"]
    elif payer in BUNDLED_PAYERS:
        wanted = ["G2082", "G2083"]
    else:
        wanted = ["J0013" if scenario.start_date >= date(2026, 1, 1) else "S0013", "G2082", "G2083", "99214", "99215"]
    wanted += list(DIAGNOSIS_CODES[scenario.indication.value])
    return [ds.codes[c] for c in wanted if c in ds.codes]


def call_sheet(scenario: Scenario, option: str, ds: Dataset | None = None) -> CallSheet:
    """The questions for one option, with this patient's codes filled in."""
    ds = ds or dataset()
    if option not in OPTION_LABELS:
        raise WorkflowError("option", f"must be one of: {', '.join(OPTION_LABELS)}")
    codes = codes_to_quote(scenario, ds, option)
    dx = [c.code for c in codes if c.system == "ICD-10-CM"]
    drug = [c.code for c in codes if c.code in ("J0013", "S0013", "G2082", "G2083")]
    fill = {
        "diagnosis": f"{INDICATION_LABELS[scenario.indication.value].lower()} (ICD-10 {' or '.join(dx)})",
        "iv_codes": "96365/96366",
        "em_code": "E/M, e.g. 99214",
        "spravato_drug_codes": ", ".join(drug),
    }
    questions = [(q, q.text.format(**fill)) for q in QUESTIONS if q.option in (option, "both")]
    notes = [
        "Write down the date and the call reference number the insurer gives; do not record the representative's name or your member ID here.",
        "Ask for the answer in writing (or the policy document) when it decides coverage.",
    ]
    payer = scenario.plan.payer_type.value
    if payer == "uninsured":
        notes.insert(0, "No insurance: skip the insurer questions; ask the clinic for its self-pay price and any package or payment plan.")
    if option == "iv_ketamine":
        tf = cited("superbill.timely_filing_days", ds)
        notes.append(f"If the insurer does not give a timely-filing limit, the toolkit uses the shortest published one: {tf.text} [{tf.cite}].")
    return CallSheet(option, OPTION_LABELS[option], f"{INDICATION_LABELS[scenario.indication.value]}; {PAYER_LABELS[payer]}", questions, codes, notes)


def render_call_sheets(scenario: Scenario, ds: Dataset | None = None, fmt: Literal["md", "html"] = "md", options: tuple[str, ...] = ("iv_ketamine", "spravato")) -> str:
    """The printable call sheet (both options by default) as Markdown or an HTML fragment."""
    ds = ds or dataset()
    sheets = [call_sheet(scenario, o, ds) for o in options]
    return render(f"callsheet_benefits.{fmt}.j2", sheets=sheets)


# ------------------------------------------------------------------- answers -> scenario


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any
    answer: str  # the BenefitsCall field it came from


@dataclass
class AppliedAnswers:
    scenario: Scenario
    changes: list[Change]
    notes: list[str]


def _likelihood_pct(key: str, ds: Dataset) -> dict[str, str]:
    v = figure(key, ds)
    return {k: f"{v.pick(k) * 100:.1f}".rstrip("0").rstrip(".") for k in ("low", "typical", "high")}  # type: ignore[arg-type]


def likelihood_from_answers(scenario: Scenario, call: BenefitsCall, option: str, ds: Dataset) -> tuple[dict[str, str] | None, str]:
    """The likelihood override (in %) that a coverage answer implies, and why.

    Not covered -> ``benefits.not_covered.likelihood``; covered without prior authorization
    -> ``benefits.covered_no_pa.likelihood``; covered with prior authorization (or unknown)
    -> ``benefits.covered_with_pa.ready`` or ``.not_ready`` depending on the readiness
    checklist that :func:`toolkit.coverage.assess` computes (plus documents the plan named).
    Unknown coverage -> no override: the payer-type base rate stays.
    """
    prefix = "iv" if option == "iv_ketamine" else "spravato"
    covered = getattr(call, f"{prefix}_covered")
    pa = getattr(call, f"{prefix}_pa_required")
    if covered == "unknown":
        return None, ""
    base = scenario.model_copy(update={"iv_likelihood_pct": None, "spravato_likelihood_pct": None})
    cov = assess(base, ds, option)
    if cov.level == "not_eligible" and covered == "yes":
        return {"low": "0", "typical": "0", "high": "0"}, "The plan covers it, but not for this patient (see the coverage card)."
    if covered == "no":
        return _likelihood_pct("benefits.not_covered.likelihood", ds), "The insurer said it is not covered: an appeal or external review is the remaining route."
    if pa == "no":
        return _likelihood_pct("benefits.covered_no_pa.likelihood", ds), "The insurer said it is covered without prior authorization."
    required = set(getattr(call, f"{prefix}_pa_documents"))
    blocking = [c for c in cov.checklist if c.status == "missing" and (c.how_common == "usual" or c.id in required)]
    if blocking:
        names = ", ".join(c.criterion.rstrip(".").lower() for c in blocking)
        return _likelihood_pct("benefits.covered_with_pa.not_ready", ds), f"Covered with prior authorization, but not yet documented: {names}."
    return _likelihood_pct("benefits.covered_with_pa.ready", ds), "Covered with prior authorization, and the usual criteria are documented."


def apply_answers(scenario: Scenario, call: BenefitsCall | dict, ds: Dataset | None = None) -> AppliedAnswers:
    """A new scenario with the benefits-call answers in it, and the list of what changed.

    Raises :class:`WorkflowError` naming the answer when the answers contradict each other
    (for example more deductible met than the deductible).
    """
    ds = ds or dataset()
    call = read_call(call)
    data = scenario.model_dump(mode="json")
    plan = data["plan"]
    changes: list[Change] = []
    notes: list[str] = []

    def put(path: str, value: Any, answer: str) -> None:
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[k]
        before = node.get(keys[-1])
        if before != value:
            node[keys[-1]] = value
            changes.append(Change(path, before, value, answer))

    money = lambda v: None if v is None else str(v)  # noqa: E731
    # out-of-network tier
    if call.oon_benefits == "no":
        put("plan.out_of_network", None, "oon_benefits")
    else:
        tier_answers = {
            "deductible": call.oon_deductible,
            "deductible_met": call.oon_deductible_met,
            "coinsurance_pct": call.oon_coinsurance_pct,
            "oop_max": call.oon_oop_max,
            "oop_met": call.oon_oop_met,
        }
        if call.oon_benefits == "yes" or any(v is not None for v in tier_answers.values()):
            if plan.get("out_of_network") is None:
                tier = {"deductible": "0", "deductible_met": "0", "coinsurance_pct": "40", "copay": "0", "oop_max": None, "oop_met": "0"}
                put("plan.out_of_network", tier, "oon_benefits")
                notes.append("Out-of-network benefits added; fill in the deductible, coinsurance and cap the insurer gave (40% coinsurance is a placeholder until then).")
            for key, v in tier_answers.items():
                if v is not None:
                    put(f"plan.out_of_network.{key}", money(v), f"oon_{key}")
    if call.oon_allowed_pct is not None:
        put("plan.oon_allowed_pct", money(call.oon_allowed_pct), "oon_allowed_pct")
    if call.in_network_deductible_met is not None:
        put("plan.in_network.deductible_met", money(call.in_network_deductible_met), "in_network_deductible_met")
    if call.in_network_oop_met is not None:
        put("plan.in_network.oop_met", money(call.in_network_oop_met), "in_network_oop_met")
    # Spravato benefit and network
    if call.spravato_drug_benefit != "unknown":
        put("plan.spravato_drug_benefit", call.spravato_drug_benefit, "spravato_drug_benefit")
    if call.spravato_clinic_in_network != "unknown":
        put("plan.spravato_clinic_in_network", call.spravato_clinic_in_network == "yes", "spravato_clinic_in_network")
    if call.spravato_visit_benefit == "behavioral_health":
        notes.append("The Spravato visit falls under the behavioral-health benefit: check its copay and network, which can differ from the medical benefit.")
    if call.spravato_rems_site_nearby == "no":
        notes.append("No in-network REMS-certified site within reach: Spravato would mean travel or out-of-network costs.")
    # IV billing route
    route = {"in_network": "in_network", "superbill": "superbill", "cash_only": "self_pay"}.get(call.iv_clinic_billing)
    if route:
        put("plan.iv_claim_route", route, "iv_clinic_billing")
    if route == "superbill" and call.oon_benefits == "no":
        notes.append("The clinic gives superbills but the plan has no out-of-network benefits: a superbill would bring nothing back.")
    # coverage answers -> likelihood overrides
    for option, key in (("iv_ketamine", "iv_likelihood_pct"), ("spravato", "spravato_likelihood_pct")):
        override, why = likelihood_from_answers(scenario, call, option, ds)
        prefix = "iv" if option == "iv_ketamine" else "spravato"
        if override is not None:
            put(key, override, f"{prefix}_covered")
            notes.append(f"{OPTION_LABELS[option]}: {why}")
    try:
        new = validate_scenario(data)
    except ScenarioError as exc:
        path, msg = exc.problems[0]
        answer = _answer_for(path, changes)
        title = BenefitsCall.model_fields.get(answer)
        raise WorkflowError(title.title if title and title.title else answer, f"{msg} ({path})") from None
    return AppliedAnswers(new, changes, notes)


def _answer_for(path: str, changes: list[Change]) -> str:
    """The answer behind a scenario error: same field, else a field of the same tier."""
    for test in (lambda c: c.path == path, lambda c: path.startswith(c.path + "."), lambda c: c.path.rsplit(".", 1)[0] == path.rsplit(".", 1)[0]):
        for c in changes:
            if test(c):
                return c.answer
    return path


def describe_changes(applied: AppliedAnswers) -> list[str]:
    """Plain sentences for the screen: ``plan.oon_allowed_pct: empty -> 60``."""
    def show(v: Any) -> str:
        if v is None:
            return "empty"
        if isinstance(v, dict):
            if set(v) == {"low", "typical", "high"}:
                return f"{v['low']}-{v['high']}% (typical {v['typical']}%)"
            return "set"
        return str(v)

    return [f"{c.path}: {show(c.before)} -> {show(c.after)} (from '{BenefitsCall.model_fields[c.answer].title if c.answer in BenefitsCall.model_fields else c.answer}')" for c in applied.changes]
