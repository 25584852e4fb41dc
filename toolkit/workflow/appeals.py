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

Language: the checklist is the patient's, so it is worded in the patient's language
(``lang="es"``: Spanish) through the catalogue (:mod:`toolkit.i18n`): the denial reasons' texts
(:mod:`.denial_reasons`) are msgids (``N_``), the dated sentences are msgids with ``{fields}``, the
templates use ``_()``; a step keeps its English title as ``key`` (tests, calendar UIDs).
English is the msgid itself, so the English checklist reads as before. The letters to the plan
(:mod:`.letters`, which lead with ``DenialReason.letter_focus``) stay in English: the plan reads
them, and the Spanish checklist says so.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from ..data import Dataset, dataset
from ..i18n import N_, check, gettext_for
from ..i18n import day as say_day
from ..scenario import OPTION_LABELS
from .common import (
    CRISIS_LINE,
    NOT_LEGAL_ADVICE,
    WorkflowError,
    cited,
    days,
    figure,
    html_document,
    parse_date,
    render,
)
from .denial_reasons import DENIAL_REASONS, DenialReason, reasons_table  # noqa: F401 - the table, re-exported here as before

Service = Literal["pre_service", "post_service"]


@dataclass(frozen=True)
class Step:
    day: date
    title: str
    detail: str
    kind: Literal["event", "deadline", "expected", "reminder"]
    source: str = ""
    estimated: bool = False
    past: bool = False
    key: str = ""  # the English title: what a step is called in code, tests and calendar UIDs, whatever the language
    lang: str = "en"

    @property
    def when(self) -> str:
        return say_day(self.day, self.lang)


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
    lang: str = "en"  # the language the patient reads the checklist in ("en" or "es")

    @property
    def label(self) -> str:
        return gettext_for(self.lang)(OPTION_LABELS.get(self.option, self.option))

    @property
    def reason_label(self) -> str:
        """The denial reason's name in the checklist's language (``reason.label`` stays English: the letters use it)."""
        return gettext_for(self.lang)(self.reason.label)

    @property
    def reason_means(self) -> str:
        return gettext_for(self.lang)(self.reason.means)

    @property
    def key_dates(self) -> list[Step]:
        """Deadlines still ahead: what the patient must not miss."""
        return [s for s in self.steps if s.kind == "deadline" and not s.past]

    def deadline(self, title_start: str) -> Step:
        """The deadline whose title starts with ``title_start``: the English title, in any language (or the shown one)."""
        return next(s for s in self.steps if s.kind == "deadline" and ((s.key or s.title).startswith(title_start) or s.title.startswith(title_start)))

    def to_markdown(self) -> str:
        return render("appeal_checklist.md.j2", c=self, lang=self.lang)

    def to_html(self, standalone: bool = False) -> str:
        fragment = render("appeal_checklist.html.j2", c=self, lang=self.lang)
        if not standalone:
            return fragment
        _ = gettext_for(self.lang)
        title = _("Appeal checklist: {option}").format(option=self.label)
        return html_document(title, fragment, lang=self.lang)

    def to_ics(self) -> bytes:
        return checklist_ics(self)


def _hours_to_days(hours: int) -> int:
    """Whole days a decision in ``hours`` can take, rounded up (72 hours -> 3 days).

    >>> _hours_to_days(72), _hours_to_days(48), _hours_to_days(1)
    (3, 2, 1)
    """
    return max(1, math.ceil(hours / 24))


def _weekend(day: date, lang: str = "en") -> str:
    if day.weekday() >= 5:
        friday = day - timedelta(days=day.weekday() - 4)
        _ = gettext_for(lang)
        return " " + _("It falls on a {weekday}: aim to send it by {day}.").format(
            weekday=say_day(day, lang, "weekday"), day=say_day(friday, lang))
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
    lang: str = "en",
) -> AppealChecklist:
    """The dated checklist after a denial.

    ``denial_date`` is the date on the denial notice. ``appeal_filed`` and ``final_denial``
    are filled in as the case moves on; ``letter_*_deadline`` are the dates printed on the
    plan's letters, which replace the computed ones. Bad input raises :class:`WorkflowError`
    naming the field. ``lang`` is the language the patient reads (``"en"`` or ``"es"``):
    every sentence of the checklist, its exports and its calendar is worded in it through
    the catalogue; the dates and the figures are the same in every language.
    """
    ds = ds or dataset()
    today = today or date.today()
    lang = check(lang)
    _ = gettext_for(lang)
    d = lambda day: say_day(day, lang)  # a date as the checklist writes it
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

    def add(day: date, key: str, title: str, detail: str, kind: str, source: str = "", estimated: bool = False) -> None:
        """One dated step: ``key`` is its English title, ``title`` the one shown (the same in English)."""
        if kind == "deadline":
            detail += _weekend(day, lang)
        steps.append(Step(day, title, detail, kind, source, estimated, day < today, key, lang))  # type: ignore[arg-type]

    def titled(msgid: str, **fields: Any) -> tuple[str, str]:
        """A step's title as (English key, shown title)."""
        return msgid.format(**fields), _(msgid).format(**fields)

    add(denial, *titled(N_("Denial notice dated")),
        _("Reason given: {reason}. Keep the letter: it names the policy used and the deadlines that apply to this plan.").format(reason=_(why.label).lower()), "event")

    # internal appeal window
    internal_days = days("appeal.internal.filing_days", ds)
    computed_internal = denial + timedelta(days=internal_days)
    internal = letter_int or computed_internal
    src = cite("appeal.internal.filing_days")
    detail = _("{days} days from the denial notice.").format(days=internal_days)
    if letter_int:
        detail = _("Date printed on the denial letter. (The usual rule, {days} days from the notice, would give {day}.)").format(days=internal_days, day=d(computed_internal))
        if letter_int != computed_internal:
            warnings.append(_("The letter's internal-appeal deadline ({letter_day}) differs from the usual {days} days ({day}): follow the letter.").format(
                letter_day=d(letter_int), days=internal_days, day=d(computed_internal)))
    if filed is None and final is None:
        lead = days("workflow.reminder_lead_days", ds)
        cite("workflow.reminder_lead_days")
        if internal - timedelta(days=lead) > denial:
            add(internal - timedelta(days=lead), *titled(N_("Reminder: {days} days left to file the internal appeal"), days=lead),
                _("Check that the appeal letter and records are ready to send."), "reminder", "workflow.csv:workflow.reminder_lead_days")
        add(internal, *titled(N_("Last day to file the internal appeal")), detail, "deadline", src)
        if internal < today:
            warnings.append(_("The internal-appeal window ended on {day}. Check the denial letter; ask the plan whether it accepts a late appeal, "
                              "or ask the clinic to submit a new prior-authorization request.").format(day=d(internal)))
    elif filed is not None:
        add(filed, *titled(N_("Internal appeal filed")), _("Filed before the deadline ({day}).").format(day=d(internal)), "event", src)

    # decision on the internal appeal
    start = filed or (today if final is None else None)
    if urgent:
        hours = days("appeal.urgent_decision_hours", ds)
        decision_days = _hours_to_days(hours)
        dsrc = cite("appeal.urgent_decision_hours")
        decision_text = _("Expedited (urgent) appeal: decision within {hours} hours.").format(hours=hours)
    else:
        key = f"appeal.internal_decision_days.{service}"
        v = figure(key, ds)
        decision_days = int(v.typical)  # type: ignore[arg-type]
        dsrc = cite(key)
        longer = " " + _("(some sources say up to {high})").format(high=f"{v.high:g}") if v.high != v.typical else ""
        if service == "pre_service":
            decision_text = _("Before the service: the plan decides within about {days} days{longer}.").format(days=decision_days, longer=longer)
        else:
            decision_text = _("After the service: the plan decides within about {days} days{longer}.").format(days=decision_days, longer=longer)
    if start is not None and final is None and (filed is not None or internal >= today):
        est = filed is None
        add(start + timedelta(days=decision_days),
            *titled(N_("Expected decision on the internal appeal (if filed today)") if est else N_("Expected decision on the internal appeal")),
            decision_text + " " + _("If nothing arrives by then, call the plan and ask for the status."), "expected", dsrc, estimated=est)

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
            add(letter_ext, *titled(N_("Last day to ask for external review")),
                _("Date printed on the plan's letter. (The federal rule gives 4 months after the final denial, to {long_day}; {low} days, to {short_day}, "
                  "is the conservative figure some pages print.)").format(long_day=d(long), low=int(ext_v.low), short_day=d(short)),  # type: ignore[arg-type]
                "deadline", ext_src)
        else:
            add(short, *titled(N_("Aim to ask for external review")),
                _("{low} days after the final internal denial: a conservative date to aim for (one HealthCare.gov page and some plans' letters print 60 days). "
                  "The federal rule (45 CFR 147.136) gives 4 months (about {high} days, to {long_day}), and a state process may not allow less. "
                  "Follow the date printed on the final denial letter.").format(low=int(ext_v.low), high=int(ext_v.high), long_day=d(long)),  # type: ignore[arg-type]
                "deadline", ext_src)
        add(final + timedelta(days=ext_dec), *titled(N_("External review decision, if requested the day the final denial arrived")),
            _("The independent reviewer decides within about {days} days of receiving the request; the plan must accept its decision.").format(days=ext_dec),
            "expected", x_src, estimated=True)
    else:
        if letter_ext:
            add(letter_ext, *titled(N_("Last day to ask for external review")), _("Date printed on the plan's letter."), "deadline", ext_src)
        later.append(
            _("If the internal appeal is denied: ask for an independent external review. The federal rule (45 CFR 147.136) gives 4 months (about {high} days) "
              "from that final denial; aiming for {low} days is the conservative choice, since some pages and letters print 60 days. Follow the date printed on the final denial letter; "
              "your advisor can add that date to get exact dates. The reviewer decides within about {days} days, and the plan must accept the decision.").format(
                high=int(ext_v.high), low=int(ext_v.low), days=ext_dec)  # type: ignore[arg-type]
            + " " + _(why.external_review)
        )
    if urgent:
        xh = days("appeal.expedited_external_hours", ds)
        cite("appeal.expedited_external_hours")
        from_day = filed or today
        add(from_day + timedelta(days=_hours_to_days(xh)), *titled(N_("Expedited external review decision (if requested with the urgent appeal)")),
            _("When waiting could seriously harm the patient, external review can be asked for at the same time as the internal appeal; "
              "it is decided within {hours} hours.").format(hours=xh),
            "expected", "rules.csv:appeal.expedited_external_hours", estimated=filed is None)

    # faster route for missing documents
    now = [_(t) for t in why.todo]
    if reason == "incomplete_documentation" and service == "pre_service":
        pa = days("appeal.pa_decision_days", ds)
        cite("appeal.pa_decision_days")
        add(today + timedelta(days=pa), *titled(N_("Decision on a resubmitted prior authorization (if resubmitted today)")),
            _("A new prior-authorization request is decided within {days} days.").format(days=pa), "expected", "rules.csv:appeal.pa_decision_days", estimated=True)
    if urgent:
        now.insert(0, _("Waiting could seriously harm the patient: ask the prescriber to request an expedited (urgent) appeal and, at the same time, "
                        "an expedited external review."))
    now.append(_("Send copies, never originals; keep a note of every call (date and reference number) and every document sent."))
    warnings.append(_("Follow the deadlines printed on the plan's letters: they replace the dates computed here."))
    steps.sort(key=lambda s: (s.day, s.kind != "event"))
    facts = {"internal_days": internal_days, "external_days": (int(ext_v.low), int(ext_v.high)), "decision_days": decision_days}  # type: ignore[arg-type]
    return AppealChecklist(option, why, service, urgent, denial, today, steps, now, later, warnings, sources, facts, lang)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------- .ics


def checklist_ics(checklist: AppealChecklist) -> bytes:
    """The checklist's deadlines, expected decisions and reminders as an iCalendar file.

    All-day events; deadlines carry a reminder alarm the day before. Nothing identifying is
    written: the summary names the option and the step, never the patient. Dates already
    past, and estimates ("if filed today"), are left out. UIDs are stable, so re-importing an updated checklist replaces events.
    Summaries, descriptions and alarms are in the checklist's language; the UIDs come from the
    English step names, so a calendar made in one language is replaced by one made in the other.
    """
    from icalendar import Alarm, Calendar, Event

    _ = gettext_for(checklist.lang)
    cal = Calendar()
    cal.add("prodid", "-//ketamine-options-toolkit//appeal checklist//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Appeal dates: {option}").format(option=checklist.label))
    stamp = datetime.combine(checklist.today, time(0, 0), tzinfo=timezone.utc)
    footer = "\n\n" + _("Follow the dates printed on the plan's letters.") + f" {_(NOT_LEGAL_ADVICE)}\n{_(CRISIS_LINE)}"
    for step in checklist.steps:
        if step.kind == "event" or step.past or step.estimated:
            continue
        ev = Event()
        summary = f"{step.title} ({checklist.label})"
        if step.kind == "deadline":
            summary = _("DEADLINE: {step}").format(step=summary)
        ev.add("summary", summary)
        ev.add("dtstart", step.day)
        ev.add("dtend", step.day + timedelta(days=1))
        ev.add("dtstamp", stamp)
        ev.add("transp", "TRANSPARENT")
        ev.add("description", step.detail + ("\n" + _("Source: {source}").format(source=step.source) if step.source else "") + footer)
        uid = hashlib.sha1(f"{checklist.option}|{checklist.denial_date}|{step.kind}|{step.key or step.title}".encode()).hexdigest()[:20]
        ev.add("uid", f"{uid}@ketamine-options-toolkit.invalid")
        if step.kind == "deadline":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _("Tomorrow: {step}").format(step=step.title))
            alarm.add("trigger", timedelta(days=-1))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()
