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
from ..plan import OON_METHOD_LABELS
from ..scenario import (
    INDICATION_LABELS,
    OPTION_LABELS,
    PAYER_LABELS,
    Scenario,
    ScenarioError,
    _explain,
    validate_scenario,
)
from .call_questions import QUESTIONS, Question, ask_first, asked_of
from .common import WorkflowError, cited, figure, parse_date, render

YesNo = Literal["yes", "no", "unknown"]
Money = Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=10, decimal_places=2)]
Pct = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]
CriterionId = Literal[
    "adult", "diagnosis", "two_antidepressant_trials", "different_classes", "augmentation",
    "oral_antidepressant", "psychiatrist", "baseline_score", "rems", "no_contraindication",
]
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ./#-]{0,39}$"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{5}$")
Multiple = Annotated[Decimal, Field(ge=0, le=1000, max_digits=7, decimal_places=3)]
Assistance = Literal["counts", "accumulator", "maximizer", "unknown"]
OonMethod = Literal["percent_of_charge", "percent_of_medicare", "per_code", "unknown"]
Medigap = Literal["none", "plan_g", "plan_n", "unknown"]
MedicareRoute = Literal["part_b", "part_d", "unknown"]
TricareGroup = Literal["adfm_prime", "adfm_select", "retiree_prime", "retiree_select", "tricare_for_life", "unknown"]


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

    copay_assistance: Assistance = Field("unknown", title="Copay-accumulator or maximizer program for specialty drugs")
    spravato_covered: YesNo = Field("unknown", title="Spravato covered for this diagnosis")
    spravato_pa_required: YesNo = Field("unknown", title="Spravato needs prior authorization")
    spravato_pa_documents: list[CriterionId] = Field(default_factory=list, title="Documents the plan asks for (Spravato)")
    spravato_drug_benefit: Literal["medical", "pharmacy", "unknown"] = Field("unknown", title="Spravato drug paid under")
    spravato_visit_benefit: Literal["medical", "behavioral_health", "unknown"] = Field("unknown", title="Spravato visit falls under")
    spravato_clinic_in_network: YesNo = Field("unknown", title="Spravato clinic is in network (visit and observation codes)")
    spravato_drug_in_network: YesNo = Field("unknown", title="Spravato clinic is in network for the drug (medical codes)")
    spravato_rems_site_nearby: YesNo = Field("unknown", title="An in-network, REMS-certified site is within reach")

    oon_benefits: YesNo = Field("unknown", title="Plan has out-of-network benefits for the IV codes")
    oon_deductible: Money | None = Field(None, title="Out-of-network deductible ($)")
    oon_deductible_met: Money | None = Field(None, title="Out-of-network deductible met so far ($)")
    oon_coinsurance_pct: Pct | None = Field(None, title="Out-of-network coinsurance (%)")
    oon_oop_max: Money | None = Field(None, title="Out-of-network out-of-pocket maximum ($)")
    oon_oop_met: Money | None = Field(None, title="Out-of-network out-of-pocket met so far ($)")
    oon_allowed_method: OonMethod = Field("unknown", title="How the plan sets the out-of-network allowed amount")
    oon_allowed_pct: Pct | None = Field(None, title="Out-of-network allowed amount (% of the clinic's charge)")
    oon_medicare_pct: Multiple | None = Field(None, title="Out-of-network allowed amount (% of Medicare's fee)")
    oon_allowed_amounts: dict[str, Money] = Field(default_factory=dict, title="Out-of-network allowed amount by code ($)")
    in_network_deductible_met: Money | None = Field(None, title="In-network deductible met so far ($)")
    in_network_oop_met: Money | None = Field(None, title="In-network out-of-pocket met so far ($)")
    timely_filing_days: int | None = Field(None, ge=1, le=730, title="Timely-filing limit for superbills (days)")
    medigap: Medigap = Field("unknown", title="Medicare supplement (Medigap) plan")
    medicare_spravato_route: MedicareRoute = Field("unknown", title="Medicare pays Spravato under Part B or Part D")
    tricare_group: TricareGroup = Field("unknown", title="TRICARE beneficiary group")
    pa_approval_months: int | None = Field(None, ge=1, le=24, title="Prior authorization approved for (months)")

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

    @field_validator("oon_allowed_amounts", mode="before")
    @classmethod
    def _codes(cls, v: Any) -> Any:
        """Codes as the insurer says them (``"j0013 "`` is ``J0013``); anything else is not a billing code."""
        if not isinstance(v, dict):
            return v
        out = {}
        for code, amount in v.items():
            key = str(code).strip().upper()
            if not CODE_PATTERN.match(key):
                raise ValueError(f"{str(code)!r} is not a billing code (5 letters or digits, e.g. 96365)")
            out[key] = amount
        return out

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
    payer = scenario.plan.payer_type.value
    questions = [(q, q.text.format(**fill)) for q in QUESTIONS if q.option in (option, "both") and asked_of(q, payer)]
    notes = [
        "Write down the date and the call reference number the insurer gives; do not record the representative's name or your member ID here.",
        "Ask for the answer in writing (or the policy document) when it decides coverage.",
    ]
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
    return render(f"callsheet_benefits.{fmt}.j2", sheets=sheets, ask_first=ask_first(scenario))


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
    # out-of-network allowed amount: the method stated, or the one implied by the only detail given
    details = {"percent_of_charge": call.oon_allowed_pct is not None, "percent_of_medicare": call.oon_medicare_pct is not None,
               "per_code": bool(call.oon_allowed_amounts)}
    method = call.oon_allowed_method
    if method == "unknown" and sum(details.values()) == 1:
        method = next(k for k, given in details.items() if given)
        if method != plan.get("oon_allowed_method"):
            notes.append(f"Out-of-network allowed amount: set to '{OON_METHOD_LABELS[method].lower()}' from the figure the insurer gave.")
    if method != "unknown":
        put("plan.oon_allowed_method", method, "oon_allowed_method")
    if call.oon_allowed_pct is not None:
        put("plan.oon_allowed_pct", money(call.oon_allowed_pct), "oon_allowed_pct")
    if call.oon_medicare_pct is not None:
        put("plan.oon_medicare_pct", money(call.oon_medicare_pct), "oon_medicare_pct")
    if call.oon_allowed_amounts:
        put("plan.oon_allowed_amounts", {**plan.get("oon_allowed_amounts", {}), **{k: money(v) for k, v in call.oon_allowed_amounts.items()}}, "oon_allowed_amounts")
    figure_for = {"percent_of_charge": "oon_allowed_pct", "percent_of_medicare": "oon_medicare_pct", "per_code": "oon_allowed_amounts"}
    if method != "unknown" and not plan.get(figure_for[method]):
        notes.append("Out-of-network allowed amount: the method is recorded; until the insurer gives the figure the toolkit uses the published range.")
    if call.in_network_deductible_met is not None:
        put("plan.in_network.deductible_met", money(call.in_network_deductible_met), "in_network_deductible_met")
    if call.in_network_oop_met is not None:
        put("plan.in_network.oop_met", money(call.in_network_oop_met), "in_network_oop_met")
    # Spravato benefit and network
    if call.spravato_drug_benefit != "unknown":
        put("plan.spravato_drug_benefit", call.spravato_drug_benefit, "spravato_drug_benefit")
    if call.spravato_clinic_in_network != "unknown":
        put("plan.spravato_clinic_in_network", call.spravato_clinic_in_network == "yes", "spravato_clinic_in_network")
    if call.spravato_drug_in_network != "unknown":
        put("plan.spravato_drug_in_network", call.spravato_drug_in_network == "yes", "spravato_drug_in_network")
    if call.spravato_drug_in_network != "unknown" and call.spravato_clinic_in_network != "unknown" and call.spravato_drug_in_network != call.spravato_clinic_in_network:
        notes.append("The clinic is in network for one benefit and out of network for the other: the claim lines price the visit and the drug each by its own network status.")
    # plan mechanics: copay assistance, Medicare, TRICARE, approval period
    for answer, path in (("copay_assistance", "plan.copay_assistance_counts"), ("medigap", "plan.medigap"),
                         ("medicare_spravato_route", "plan.medicare_spravato_route"), ("tricare_group", "plan.tricare_group")):
        value = getattr(call, answer)
        if value != "unknown":
            put(path, value, answer)
    if call.copay_assistance in ("accumulator", "maximizer"):
        notes.append(f"The plan has {'an accumulator' if call.copay_assistance == 'accumulator' else 'a maximizer'}: the savings program's payments do not count toward the deductible or the out-of-pocket maximum.")
    if call.pa_approval_months is not None:
        put("plan.pa_approval_months", call.pa_approval_months, "pa_approval_months")
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
