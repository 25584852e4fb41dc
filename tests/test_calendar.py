"""The calendar file: parses back with the right dates, carries the reminders, names no one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from toolkit import compare, default_scenario, load_example
from toolkit.faces.calendar_file import CalendarError, ics_filename, parse_time, sessions_ics, write_ics


@pytest.fixture(scope="module")
def comp():
    return compare(default_scenario())


def events(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


@pytest.mark.parametrize("option", ["spravato", "iv_ketamine"])
def test_events_match_the_planned_sessions(comp, option):
    sessions = comp.options[option].sessions
    evs = [e for e in events(sessions_ics(comp, option, "10:30")) if " session " in str(e["summary"])]
    assert len(evs) == len(sessions)
    for e, s in zip(evs, sessions):
        start = e.decoded("dtstart")
        assert start == datetime.combine(s.day, time(10, 30))
        assert start.tzinfo is None  # floating local time: no place, no time zone
        assert e.decoded("dtend") - start == timedelta(minutes=s.minutes_in_clinic)
        label = "Spravato" if option == "spravato" else "IV ketamine"
        assert str(e["summary"]) == f"{label} session {s.number} of {len(sessions)}"


def test_spravato_reminders(comp):
    e = events(sessions_ics(comp, "spravato"))[2]
    alarms = {a.decoded("trigger"): str(a["description"]) for a in e.walk("VALARM")}
    assert set(alarms) == {timedelta(days=-1), timedelta(hours=-2), timedelta(minutes=-30)}
    assert "ride home" in alarms[timedelta(days=-1)]
    assert "no food" in alarms[timedelta(hours=-2)]
    assert "no more liquids" in alarms[timedelta(minutes=-30)]
    text = str(e["description"])
    assert "no food for 2 hours and no liquids for 30 minutes" in text
    assert "988" in text


def test_iv_reminder_is_the_ride_home(comp):
    e = events(sessions_ics(comp, "iv_ketamine"))[0]
    alarms = e.walk("VALARM")
    assert len(alarms) == 1 and "ride home" in str(alarms[0]["description"])


def test_no_identifiers_and_stable_uids(comp):
    a = sessions_ics(comp, "spravato")
    b = sessions_ics(comp, "spravato")
    text = a.decode()
    for prop in ("ORGANIZER", "ATTENDEE", "LOCATION", "CONTACT", "GEO"):
        assert f"\n{prop}" not in text
    assert comp.scenario.title not in text and comp.scenario.description[:30] not in text
    uids = [str(e["uid"]) for e in events(a)]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["uid"]) for e in events(b)]  # re-import replaces instead of doubling


def test_calendar_follows_a_different_start(comp):
    s = load_example("hdhp_hsa_trd")
    c = compare(s)
    first = events(sessions_ics(c, "spravato"))[0]
    assert first.decoded("dtstart").date() == s.start_date
    assert ics_filename(c, "spravato") == f"spravato-sessions-from-{s.start_date.isoformat()}.ics"


def test_write_ics_and_bad_input(comp, tmp_path):
    p = write_ics(comp, "spravato", tmp_path / "s.ics", "08:15")
    opt = comp.options["spravato"]
    assert len(events(p.read_bytes())) == opt.schedule.sessions + len(opt.reauthorizations)
    with pytest.raises(CalendarError, match="Session start time"):
        parse_time("8 am")
    with pytest.raises(CalendarError, match="Option"):
        sessions_ics(comp, "ect")


def test_panel_offers_a_download(tmp_path, monkeypatch):
    from toolkit.faces.dashboard import Dashboard

    monkeypatch.chdir(tmp_path)
    cal = Dashboard().takeaway.calendar
    when, button, message, link = cal.when, cal.button, cal.message, cal.link
    when.value = "7:45"
    button.click()
    assert "35 sessions" in message.value and 'download="spravato-sessions-from-2026-12-07.ics"' in link.value
    when.value = "late"
    button.click()
    assert "HH:MM" in message.value and link.value == ""


def test_prior_authorization_end_is_an_all_day_event_with_a_reminder(comp):
    """The built-in example: a 6-month approval from Mon 7 Dec 2026 runs out on Mon 7 Jun 2027 (sessions go on to Nov 2027)."""
    opt = comp.options["spravato"]
    assert [r.day for r in opt.reauthorizations] == [date(2027, 6, 7)]
    ends = [e for e in events(sessions_ics(comp, "spravato")) if "prior authorization ends" in str(e["summary"])]
    assert len(ends) == 1 and ends[0].decoded("dtstart") == date(2027, 6, 7)
    (alarm,) = ends[0].walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-14) and "re-approval" in str(alarm["description"])
    assert "988" in str(ends[0]["description"])
    assert not [e for e in events(sessions_ics(comp, "iv_ketamine")) if "prior authorization" in str(e["summary"])]
