"""Denials and appeals: what each denial reason means, what to do, and a dated checklist.

Why dates from the denial date: the patient's first question after a denial is "by when?".
Every day count comes from a sourced row (``data/rules.csv``: ``appeal.internal.filing_days``,
``appeal.external.filing_days``, ``appeal.urgent_decision_hours`` ...; ``data/workflow.csv``
for the reminder lead time and the external-review decision time), read through
:func:`toolkit.workflow.common.figure`. Sources disagree on the external-review window
(the federal rule, 45 CFR 147.136, gives 4 months; 60 days is a conservative figure that one
HealthCare.gov page and some plans' letters print, not the typical one): the checklist shows
the 60-day date as a safe one to aim for, the 4 months as the rule, and always says to follow
the date printed on the denial letter, which replaces the computed one when entered.

Exports: Markdown and HTML (printable) through the ``appeal_checklist`` templates, and an
``.ics`` calendar of the deadlines (:func:`checklist_ics`, with the icalendar package).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from ..data import Dataset, dataset
from ..scenario import OPTION_LABELS
from .common import (
    CRISIS_LINE,
    NOT_LEGAL_ADVICE,
    WorkflowError,
    cited,
    days,
    figure,
    format_day,
    html_document,
    parse_date,
    render,
)

Service = Literal["pre_service", "post_service"]


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
            "Incomplete documentation",
            "The plan did not receive everything its policy asks for (often the antidepressant trial history, a baseline score or the REMS enrolment).",
            (
                "Ask the plan which item was missing and for the policy criteria it used (policy number and date).",
                "Ask the prescriber to send the missing records; the readiness step lists what shows each criterion and who supplies it.",
                "Often faster than an appeal: ask the clinic to resubmit the prior-authorization request with the missing documents.",
            ),
            "The original request lacked some of the records the policy asks for. They are enclosed now and listed criterion by criterion below.",
            "Usually settled by resubmitting; if the plan still says no after an internal appeal, ask whether the decision is eligible for external review.",
        ),
        DenialReason(
            "medical_necessity",
            "Medical necessity not shown",
            "The plan's reviewer decided the treatment is not medically necessary for this patient, or that the criteria are not met.",
            (
                "Ask for the criteria used, the reviewer's reasoning and the reviewer's specialty.",
                "Ask the prescriber for a letter that answers each criterion one by one (your advisor can prepare a draft for the prescriber).",
                "Ask the prescriber to request a peer-to-peer conversation with the plan's reviewing doctor.",
            ),
            "The denial states that the treatment is not medically necessary. Each criterion of the plan's policy is answered below with the clinical facts that show it is met.",
            "Medical-judgment decisions can go to external review once the internal appeal is decided (HealthCare.gov, external review).",
        ),
        DenialReason(
            "experimental_investigational",
            "Experimental or investigational exclusion",
            "The plan's policy calls the treatment experimental or investigational (common for IV ketamine; should not apply to Spravato for its FDA-approved uses).",
            (
                "Ask for the medical policy that excludes it, with its number and last review date.",
                "For Spravato: point out its FDA approval for treatment-resistant depression and for depression with acute suicidal thoughts.",
                "For IV ketamine: the prescriber cites the published evidence and explains why other treatments failed or are unsuitable.",
                "Where the plan is subject to mental-health parity, ask how the same exclusion is applied to comparable medical/surgical treatments.",
            ),
            "The denial calls the treatment experimental or investigational. The clinical evidence and the patient's treatment history below show why it is an established, appropriate treatment for this patient.",
            "Decisions that a treatment is experimental or investigational can go to external review (HealthCare.gov, external review).",
        ),
        DenialReason(
            "off_label",
            "Off-label use",
            "The drug is used outside its FDA label (IV ketamine for depression, or either option for PTSD, anxiety or pain).",
            (
                "Ask whether the plan covers off-label uses supported by drug compendia or peer-reviewed literature, and which ones it accepts.",
                "Ask the prescriber to cite the evidence for this use and explain why labelled options failed or are unsuitable.",
                "Compare with the on-label option: Spravato is FDA-approved for treatment-resistant depression and for depression with acute suicidal thoughts.",
            ),
            "The denial cites off-label use. The evidence below supports this use, and the patient's history shows that labelled treatments were tried or are unsuitable.",
            "If the plan treats it as experimental or as a medical-judgment decision, external review is available after the internal appeal.",
        ),
        DenialReason(
            "out_of_network",
            "Out of network",
            "The clinic is not in the plan's network, or the plan has no out-of-network benefits for these codes.",
            (
                "Ask whether an in-network site (REMS-certified, for Spravato) is within reasonable reach; if none is, ask for a network exception (a single-case agreement).",
                "If the plan has out-of-network benefits, file the superbill before the timely-filing limit (superbill step).",
                "Ask the clinic whether it will bill the plan directly, and what it would balance-bill.",
            ),
            "The denial cites the provider's network status. No in-network provider able to give this treatment is available within a reasonable distance or time, as set out below; we ask the plan to cover it at the in-network level.",
            "Network decisions are usually administrative; ask the plan whether its final decision is eligible for external review.",
        ),
        DenialReason(
            "other",
            "Another reason",
            "The letter gives another reason (coding, quantity limit, eligibility ...).",
            ("Ask the plan to explain the reason in writing, and what would change the decision.", "Ask the clinic's billing office whether a corrected claim fixes it."),
            "The denial gives the reason quoted below. The facts below address it.",
            "Ask the plan whether its final decision is eligible for external review.",
        ),
    )
}


@dataclass(frozen=True)
class Step:
    day: date
    title: str
    detail: str
    kind: Literal["event", "deadline", "expected", "reminder"]
    source: str = ""
    estimated: bool = False
    past: bool = False

    @property
    def when(self) -> str:
        return format_day(self.day)


@dataclass
class AppealChecklist:
    option: str
    reason: DenialReason
    service: Service
    urgent: bool
    denial_date: date
    today: date
    steps: list[Step]
    now: list[str]  # undated to-dos, in order
    later: list[str] = field(default_factory=list)  # what comes after, undated
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return OPTION_LABELS.get(self.option, self.option)

    @property
    def key_dates(self) -> list[Step]:
        """Deadlines still ahead: what the patient must not miss."""
        return [s for s in self.steps if s.kind == "deadline" and not s.past]

    def deadline(self, title_start: str) -> Step:
        return next(s for s in self.steps if s.kind == "deadline" and s.title.startswith(title_start))

    def to_markdown(self) -> str:
        return render("appeal_checklist.md.j2", c=self)

    def to_html(self, standalone: bool = False) -> str:
        fragment = render("appeal_checklist.html.j2", c=self)
        return html_document(f"Appeal checklist: {self.label}", fragment) if standalone else fragment

    def to_ics(self) -> bytes:
        return checklist_ics(self)


def _hours_to_days(hours: int) -> int:
    """Whole days a decision in ``hours`` can take, rounded up (72 hours -> 3 days).

    >>> _hours_to_days(72), _hours_to_days(48), _hours_to_days(1)
    (3, 2, 1)
    """
    return max(1, math.ceil(hours / 24))


def _weekend(day: date) -> str:
    if day.weekday() >= 5:
        friday = day - timedelta(days=day.weekday() - 4)
        return f" It falls on a {day:%A}: aim to send it by {format_day(friday)}."
    return ""


def appeal_checklist(
    denial_date: Any,
    reason: str = "medical_necessity",
    *,
    option: str = "spravato",
    service: Service = "pre_service",
    urgent: bool = False,
    appeal_filed: Any = None,
    final_denial: Any = None,
    letter_internal_deadline: Any = None,
    letter_external_deadline: Any = None,
    today: date | None = None,
    ds: Dataset | None = None,
) -> AppealChecklist:
    """The dated checklist after a denial.

    ``denial_date`` is the date on the denial notice. ``appeal_filed`` and ``final_denial``
    are filled in as the case moves on; ``letter_*_deadline`` are the dates printed on the
    plan's letters, which replace the computed ones. Bad input raises :class:`WorkflowError`
    naming the field.
    """
    ds = ds or dataset()
    today = today or date.today()
    denial = parse_date(denial_date, "Denial date", today=today)
    if reason not in DENIAL_REASONS:
        raise WorkflowError("Denial reason", f"'{reason}' is not one of: {', '.join(DENIAL_REASONS)}")
    if option not in OPTION_LABELS:
        raise WorkflowError("Option", f"must be one of: {', '.join(OPTION_LABELS)}")
    if service not in ("pre_service", "post_service"):
        raise WorkflowError("Service", "must be pre_service (not yet received) or post_service (already received)")
    filed = parse_date(appeal_filed, "Internal appeal filed on", today=today, not_before=(denial, "denial date")) if _given(appeal_filed) else None
    final = parse_date(final_denial, "Final internal decision (denial) date", today=today, not_before=(filed or denial, "appeal date" if filed else "denial date")) if _given(final_denial) else None
    letter_int = parse_date(letter_internal_deadline, "Internal-appeal deadline printed on the letter", today=today, allow_future=True, not_before=(denial, "denial date")) if _given(letter_internal_deadline) else None
    letter_ext = parse_date(letter_external_deadline, "External-review deadline printed on the letter", today=today, allow_future=True, not_before=(denial, "denial date")) if _given(letter_external_deadline) else None

    why = DENIAL_REASONS[reason]
    steps: list[Step] = []
    warnings: list[str] = []
    sources: list[str] = []

    def cite(key: str) -> str:
        c = cited(key, ds)
        if c.cite not in sources:
            sources.append(c.cite)
        return c.cite

    def add(day: date, title: str, detail: str, kind: str, source: str = "", estimated: bool = False) -> None:
        if kind == "deadline":
            detail += _weekend(day)
        steps.append(Step(day, title, detail, kind, source, estimated, day < today))  # type: ignore[arg-type]

    add(denial, "Denial notice dated", f"Reason given: {why.label.lower()}. Keep the letter: it names the policy used and the deadlines that apply to this plan.", "event")

    # internal appeal window
    internal_days = days("appeal.internal.filing_days", ds)
    computed_internal = denial + timedelta(days=internal_days)
    internal = letter_int or computed_internal
    src = cite("appeal.internal.filing_days")
    detail = f"{internal_days} days from the denial notice."
    if letter_int:
        detail = f"Date printed on the denial letter. (The usual rule, {internal_days} days from the notice, would give {format_day(computed_internal)}.)"
        if letter_int != computed_internal:
            warnings.append(f"The letter's internal-appeal deadline ({format_day(letter_int)}) differs from the usual {internal_days} days ({format_day(computed_internal)}): follow the letter.")
    if filed is None and final is None:
        lead = days("workflow.reminder_lead_days", ds)
        cite("workflow.reminder_lead_days")
        if internal - timedelta(days=lead) > denial:
            add(internal - timedelta(days=lead), f"Reminder: {lead} days left to file the internal appeal", "Check that the appeal letter and records are ready to send.", "reminder", "workflow.csv:workflow.reminder_lead_days")
        add(internal, "Last day to file the internal appeal", detail, "deadline", src)
        if internal < today:
            warnings.append(f"The internal-appeal window ended on {format_day(internal)}. Check the denial letter; ask the plan whether it accepts a late appeal, or ask the clinic to submit a new prior-authorization request.")
    elif filed is not None:
        add(filed, "Internal appeal filed", f"Filed before the deadline ({format_day(internal)}).", "event", src)

    # decision on the internal appeal
    start = filed or (today if final is None else None)
    if urgent:
        hours = days("appeal.urgent_decision_hours", ds)
        decision_days = _hours_to_days(hours)
        dsrc = cite("appeal.urgent_decision_hours")
        decision_text = f"Expedited (urgent) appeal: decision within {hours} hours."
    else:
        key = f"appeal.internal_decision_days.{service}"
        v = figure(key, ds)
        decision_days = int(v.typical)  # type: ignore[arg-type]
        dsrc = cite(key)
        longer = f" (some sources say up to {v.high:g})" if v.high != v.typical else ""
        decision_text = f"{'Before the service' if service == 'pre_service' else 'After the service'}: the plan decides within about {decision_days} days{longer}."
    if start is not None and final is None and (filed is not None or internal >= today):
        est = filed is None
        add(start + timedelta(days=decision_days), "Expected decision on the internal appeal" + (" (if filed today)" if est else ""),
            decision_text + " If nothing arrives by then, call the plan and ask for the status.", "expected", dsrc, estimated=est)

    # external review: dated once the final internal denial is known
    ext_v = figure("appeal.external.filing_days", ds)
    ext_src = cite("appeal.external.filing_days")
    ext_dec = days("appeal.external_decision_days", ds)
    x_src = cite("appeal.external_decision_days")
    later: list[str] = []
    if final is not None:
        short = final + timedelta(days=int(ext_v.low))  # type: ignore[arg-type]
        long = final + timedelta(days=int(ext_v.high))  # type: ignore[arg-type]
        if letter_ext:
            add(letter_ext, "Last day to ask for external review", f"Date printed on the plan's letter. (The federal rule gives 4 months after the final denial, to {format_day(long)}; {int(ext_v.low)} days, to {format_day(short)}, is the conservative figure some pages print.)", "deadline", ext_src)
        else:
            add(short, "Aim to ask for external review",
                f"{int(ext_v.low)} days after the final internal denial: a conservative date to aim for (one HealthCare.gov page and some plans' letters print 60 days). "
                f"The federal rule (45 CFR 147.136) gives 4 months (about {int(ext_v.high)} days, to {format_day(long)}), and a state process may not allow less. Follow the date printed on the final denial letter.",
                "deadline", ext_src)
        add(final + timedelta(days=ext_dec), "External review decision, if requested the day the final denial arrived",
            f"The independent reviewer decides within about {ext_dec} days of receiving the request; the plan must accept its decision.", "expected", x_src, estimated=True)
    else:
        if letter_ext:
            add(letter_ext, "Last day to ask for external review", "Date printed on the plan's letter.", "deadline", ext_src)
        later.append(
            f"If the internal appeal is denied: ask for an independent external review. The federal rule (45 CFR 147.136) gives 4 months (about {int(ext_v.high)} days) "
            f"from that final denial; aiming for {int(ext_v.low)} days is the conservative choice, since some pages and letters print 60 days. Follow the date printed on the final denial letter; "
            f"your advisor can add that date to get exact dates. The reviewer decides within about {ext_dec} days, and the plan must accept the decision. {why.external_review}"
        )
    if urgent:
        xh = days("appeal.expedited_external_hours", ds)
        cite("appeal.expedited_external_hours")
        from_day = filed or today
        add(from_day + timedelta(days=_hours_to_days(xh)), "Expedited external review decision (if requested with the urgent appeal)",
            f"When waiting could seriously harm the patient, external review can be asked for at the same time as the internal appeal; it is decided within {xh} hours.",
            "expected", "rules.csv:appeal.expedited_external_hours", estimated=filed is None)

    # faster route for missing documents
    now = list(why.todo)
    if reason == "incomplete_documentation" and service == "pre_service":
        pa = days("appeal.pa_decision_days", ds)
        cite("appeal.pa_decision_days")
        add(today + timedelta(days=pa), "Decision on a resubmitted prior authorization (if resubmitted today)",
            f"A new prior-authorization request is decided within {pa} days.", "expected", "rules.csv:appeal.pa_decision_days", estimated=True)
    if urgent:
        now.insert(0, "Waiting could seriously harm the patient: ask the prescriber to request an expedited (urgent) appeal and, at the same time, an expedited external review.")
    now.append("Send copies, never originals; keep a note of every call (date and reference number) and every document sent.")
    warnings.append("Follow the deadlines printed on the plan's letters: they replace the dates computed here.")
    steps.sort(key=lambda s: (s.day, s.kind != "event"))
    facts = {"internal_days": internal_days, "external_days": (int(ext_v.low), int(ext_v.high)), "decision_days": decision_days}  # type: ignore[arg-type]
    return AppealChecklist(option, why, service, urgent, denial, today, steps, now, later, warnings, sources, facts)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------- .ics


def checklist_ics(checklist: AppealChecklist) -> bytes:
    """The checklist's deadlines, expected decisions and reminders as an iCalendar file.

    All-day events; deadlines carry a reminder alarm the day before. Nothing identifying is
    written: the summary names the option and the step, never the patient. Dates already
    past, and estimates ("if filed today"), are left out. UIDs are stable, so re-importing an updated checklist replaces events.
    """
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//ketamine-options-toolkit//appeal checklist//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Appeal dates: {checklist.label}")
    stamp = datetime.combine(checklist.today, time(0, 0), tzinfo=timezone.utc)
    footer = f"\n\nFollow the dates printed on the plan's letters. {NOT_LEGAL_ADVICE}\n{CRISIS_LINE}"
    for step in checklist.steps:
        if step.kind == "event" or step.past or step.estimated:
            continue
        ev = Event()
        prefix = "DEADLINE: " if step.kind == "deadline" else ""
        ev.add("summary", f"{prefix}{step.title} ({checklist.label})")
        ev.add("dtstart", step.day)
        ev.add("dtend", step.day + timedelta(days=1))
        ev.add("dtstamp", stamp)
        ev.add("transp", "TRANSPARENT")
        ev.add("description", step.detail + (f"\nSource: {step.source}" if step.source else "") + footer)
        uid = hashlib.sha1(f"{checklist.option}|{checklist.denial_date}|{step.kind}|{step.title}".encode()).hexdigest()[:20]
        ev.add("uid", f"{uid}@ketamine-options-toolkit.invalid")
        if step.kind == "deadline":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Tomorrow: {step.title}")
            alarm.add("trigger", timedelta(days=-1))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


def reasons_table():
    """Common denial reasons, what they mean and what to do (for the notebook)."""
    import pandas as pd

    return pd.DataFrame(
        [{"denial reason": r.label, "what it means": r.means, "what to do": " ".join(r.todo), "external review": r.external_review} for r in DENIAL_REASONS.values()]
    )
