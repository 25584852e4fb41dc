"""The planned sessions as a calendar file (.ics) the patient can import.

Why a file, not a link: it works with every calendar (Google, Apple, Outlook), offline,
and carries the reminders that matter on the day:

- every session: the day before, arrange a ride home (clinics require one; after Spravato,
  no driving until the next day after a restful sleep);
- Spravato: no food in the 2 hours and no liquids in the 30 minutes before dosing
  (FACTS.md section 1), each as its own alarm;
- Spravato: the day each prior authorization runs out, with a reminder to ask for
  re-approval ahead (``workflow.reminder_lead_days`` before).

Privacy: the file names no person, clinic, address or identifier; each event is a generic
"Spravato session 3 of 35" at a floating local time (imported at the patient's own
local time), with a stable UID so importing an updated file replaces the old events
instead of doubling them. Dates are the planned schedule: confirm each one with the clinic.

Language: ``lang`` ("en" or "es") words the events and reminders through the catalogue; the
988 line is the one every page carries, in the same language.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from ..engine.compare import Comparison
from ..engine.schedule import Reauthorization, Session
from ..i18n import N_, gettext_for
from ..notices import CRISIS_LINE
from .words import reauthorization, say

PRODID = "-//ketamine-options-toolkit//session calendar//EN"
_UID_NAMESPACE = uuid.UUID("6f1c1f1e-5a8e-4c3b-9b0e-0c6d7d1a2b3c")
SHORT_LABEL = {"iv_ketamine": N_("IV ketamine"), "spravato": "Spravato"}


class CalendarError(ValueError):
    """Bad calendar input: names the field."""


def parse_time(text: str | time) -> time:
    """A session start time typed as ``9:30``, ``09:30`` or ``14:00``.

    >>> parse_time("9:30")
    datetime.time(9, 30)
    >>> parse_time("25:00")
    Traceback (most recent call last):
    ...
    toolkit.faces.calendar_file.CalendarError: Session start time: write it as HH:MM on a 24-hour clock, e.g. 09:30 (got '25:00')
    """
    if isinstance(text, time):
        return text
    raw = str(text).strip()
    try:
        h, m = raw.split(":")
        return time(int(h), int(m))
    except (ValueError, TypeError):
        raise CalendarError(f"Session start time: write it as HH:MM on a 24-hour clock, e.g. 09:30 (got '{raw}')") from None


def _reminder_text(option: str, lang: str = "en") -> str:
    _ = gettext_for(lang)
    if option == "spravato":
        return "\n".join([
            _("Arrange a ride home: clinics require one; after Spravato, no driving until the next day, after a restful sleep."),
            _("Before the session: no food for 2 hours and no liquids for 30 minutes."),
            _("The clinic observes you for at least 2 hours after the dose."),
        ])
    return "\n".join([_("Arrange a ride home: clinics require one; no driving for the rest of the day."),
                      _("Follow the clinic's instructions about eating and drinking before the infusion.")])


def _alarm(trigger: timedelta, text: str) -> Alarm:
    a = Alarm()
    a.add("action", "DISPLAY")
    a.add("trigger", trigger)
    a.add("description", text)
    return a


def session_event(s: Session, total: int, start_time: time, stamp: datetime, lang: str = "en") -> Event:
    """One calendar event for one planned session, with its reminders, worded in ``lang``."""
    _ = gettext_for(lang)
    label = _(SHORT_LABEL[s.option])
    summary = _("{label} session {number} of {total}").format(label=label, number=s.number, total=total)
    start = datetime.combine(s.day, start_time)  # floating local time: no time zone, no place
    e = Event()
    e.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, f'{s.option}/{s.number}/{s.day.isoformat()}')}@ketamine-options-toolkit.invalid")
    e.add("dtstamp", stamp)
    e.add("summary", summary)
    e.add("dtstart", start)
    e.add("dtend", start + timedelta(minutes=s.minutes_in_clinic))
    hours, minutes = divmod(s.minutes_in_clinic, 60)
    what = (_("Planned {label} session, {phase}. About {hours} h {minutes} min in the clinic, including check-in and at least 2 hours of observation.")
            if s.option == "spravato" else
            _("Planned {label} session, {phase}. About {hours} h {minutes} min in the clinic, including check-in and recovery."))
    details = [
        what.format(label=label, phase=say(s.phase, lang), hours=hours, minutes=f"{minutes:02d}"),
        _reminder_text(s.option, lang),
        _("Planned dates from the decision toolkit: confirm every appointment with the clinic."),
        _(CRISIS_LINE),
    ]
    e.add("description", "\n\n".join(details))
    e.add("transp", "OPAQUE")
    e.add_component(_alarm(timedelta(days=-1), _("Tomorrow: {summary}. Is your ride home arranged?").format(summary=summary)))
    if s.option == "spravato":
        e.add_component(_alarm(timedelta(hours=-2), _("{summary} in 2 hours: no food from now on.").format(summary=summary)))
        e.add_component(_alarm(timedelta(minutes=-30), _("{summary} in 30 minutes: no more liquids from now on.").format(summary=summary)))
    return e


def reauthorization_event(option: str, r: Reauthorization, lead_days: int, stamp: datetime, lang: str = "en") -> Event:
    """An all-day event on the day a prior authorization runs out, with a reminder ``lead_days`` before."""
    _ = gettext_for(lang)
    label = _(SHORT_LABEL[option])
    e = Event()
    e.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, f'{option}/reauthorization/{r.day.isoformat()}')}@ketamine-options-toolkit.invalid")
    e.add("dtstamp", stamp)
    e.add("summary", _("{label}: prior authorization ends (planned)").format(label=label))
    e.add("dtstart", r.day)
    e.add("dtend", r.day + timedelta(days=1))
    e.add("description", "\n\n".join([
        _("The approval runs out about {when}. Ask the clinic to request re-approval before this day: it needs documented improvement, "
          "and sessions after a lapse are not paid until the plan approves again.").format(when=reauthorization(r, lang)),
        _("Planned date from the decision toolkit: confirm the approval's end date with the plan or the clinic."),
        _(CRISIS_LINE),
    ]))
    e.add("transp", "TRANSPARENT")
    e.add_component(_alarm(timedelta(days=-lead_days),
                           _("{label}: the prior authorization ends in {days} days. Has the clinic asked for re-approval?").format(label=label, days=lead_days)))
    return e


def sessions_ics(comp: Comparison, option: str, start_time: time | str = time(9, 0), *, stamp: datetime | None = None, lang: str = "en") -> bytes:
    """The planned sessions of one option as an iCalendar file (bytes).

    Example: the built-in example's Spravato schedule, 35 sessions from Mon 7 Dec 2026.

    >>> from icalendar import Calendar
    >>> from toolkit import compare, default_scenario
    >>> cal = Calendar.from_ical(sessions_ics(compare(default_scenario()), "spravato", "10:00"))
    >>> events = cal.walk("VEVENT")
    >>> len(events), str(events[2]["summary"]), events[2].decoded("dtstart")
    (36, 'Spravato session 3 of 35', datetime.datetime(2026, 12, 14, 10, 0))
    >>> str(events[-1]["summary"]), events[-1].decoded("dtstart")
    ('Spravato: prior authorization ends (planned)', datetime.date(2027, 6, 7))
    >>> len(events[2].walk("VALARM"))
    3
    """
    if option not in comp.options:
        raise CalendarError(f"Option: must be one of {', '.join(comp.options)} (got '{option}')")
    when = parse_time(start_time)
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    opt = comp.options[option]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    _ = gettext_for(lang)
    cal.add("x-wr-calname", _("{label} sessions (planned)").format(label=_(SHORT_LABEL[option])))
    for s in opt.sessions:
        cal.add_component(session_event(s, len(opt.sessions), when, stamp, lang))
    if opt.reauthorizations:
        from ..data import dataset

        lead = int(dataset().number("workflow.reminder_lead_days"))
        for r in opt.reauthorizations:
            cal.add_component(reauthorization_event(option, r, lead, stamp, lang))
    return cal.to_ical()


def write_ics(comp: Comparison, option: str, path: str | Path, start_time: time | str = time(9, 0), lang: str = "en") -> Path:
    """Write the calendar file atomically (see :func:`toolkit.storage.atomic_write`)."""
    from ..storage import atomic_write

    return atomic_write(path, sessions_ics(comp, option, start_time, lang=lang))


def ics_filename(comp: Comparison, option: str) -> str:
    """A file name without identifiers: ``spravato-sessions-from-2026-12-07.ics``.

    >>> from toolkit import compare, default_scenario
    >>> ics_filename(compare(default_scenario()), "iv_ketamine")
    'iv-ketamine-sessions-from-2026-12-07.ics'
    """
    first: date = comp.scenario.start_date
    return f"{option.replace('_', '-')}-sessions-from-{first.isoformat()}.ics"


def preview(comp: Comparison | None = None, option: str = "spravato", start_time: time | str = time(9, 0), n: int = 5):
    """The first ``n`` events of the calendar file as a table: what the patient will see.

    >>> preview(n=1)[["event", "starts"]].to_dict("records")
    [{'event': 'Spravato session 1 of 35', 'starts': 'Mon 07 Dec 2026 09:00'}]
    """
    import pandas as pd

    from ..engine.compare import compare as run_compare
    from ..examples import default_scenario

    comp = comp or run_compare(default_scenario())
    cal = Calendar.from_ical(sessions_ics(comp, option, start_time))
    rows = []
    for e in cal.walk("VEVENT")[:n]:
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        rows.append({
            "event": str(e["summary"]),
            "starts": f"{start:%a %d %b %Y %H:%M}",
            "ends": f"{end:%H:%M}",
            "reminders": "; ".join(str(a["description"]) for a in e.walk("VALARM")),
        })
    return pd.DataFrame(rows)
