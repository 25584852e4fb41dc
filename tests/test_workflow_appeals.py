"""Appeal deadlines from given dates (leap years, month ends), messages, and the exports.

Day counts come from data/rules.csv: internal appeal 180 days, external review 4 months under the
federal rule (about 122 days; 60 days is the conservative date aimed for), internal-appeal decision 30 days before the service and 60 after,
urgent 72 hours; the reminder lead (14 days) and external decision (45 days) from
data/workflow.csv. Expected dates below are counted by hand in the comments.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from toolkit.workflow.appeals import DENIAL_REASONS, appeal_checklist, reasons_table
from toolkit.workflow.common import WorkflowError, parse_date


def _after(day: str, n: int = 1) -> date:
    return date.fromisoformat(day) + timedelta(days=n)


@pytest.mark.parametrize(
    "denial, deadline",
    [
        ("2027-01-01", date(2027, 6, 30)),  # 30 + 28 + 31 + 30 + 31 + 30 = 180
        ("2026-09-02", date(2027, 3, 1)),  # through a 28-day February
        ("2027-09-03", date(2028, 3, 1)),  # through 29 Feb 2028 (leap year)
        ("2028-01-15", date(2028, 7, 13)),  # leap year, 29-day February inside the window
        ("2027-08-31", date(2028, 2, 27)),  # from a month end
        ("2028-02-29", date(2028, 8, 27)),  # from a leap day
        ("2027-12-31", date(2028, 6, 28)),  # from a year end
    ],
)
def test_internal_appeal_deadline_is_180_days(denial, deadline):
    c = appeal_checklist(denial, "medical_necessity", today=_after(denial))
    assert c.deadline("Last day to file the internal appeal").day == deadline
    reminder = next(s for s in c.steps if s.kind == "reminder")
    assert reminder.day == deadline - timedelta(days=14)


@pytest.mark.parametrize(
    "final, short, long_text",
    [
        ("2028-01-01", date(2028, 3, 1), "2 May 2028"),  # 60 days: 30 (Jan) + 29 (Feb) + 1; 122 days: ... + 31 + 30 + 2
        ("2027-01-01", date(2027, 3, 2), "3 May 2027"),  # 30 + 28 + 2 = 60; 122 days lands one day later than in 2028
        ("2027-10-31", date(2027, 12, 30), "1 Mar 2028"),  # 30 + 30 = 60; 30 + 31 + 31 + 29 + 1 = 122
    ],
)
def test_external_review_dates_from_the_final_denial(final, short, long_text):
    c = appeal_checklist("2027-01-01" if final > "2027-01-01" else "2026-12-01", "medical_necessity", appeal_filed=None, final_denial=final, today=_after(final))
    step = c.deadline("Aim to ask for external review")
    assert step.day == short
    assert long_text in step.detail and "4 months" in step.detail and "printed on the final denial letter" in step.detail
    decision = next(s for s in c.steps if s.title.startswith("External review decision"))
    assert decision.day == date.fromisoformat(final) + timedelta(days=45) and decision.estimated


@pytest.mark.parametrize(
    "service, urgent, expected",
    [
        ("pre_service", False, date(2027, 2, 9)),  # filed 10 Jan + 30 days
        ("post_service", False, date(2027, 3, 11)),  # + 60 days
        ("pre_service", True, date(2027, 1, 13)),  # 72 hours -> 3 days
    ],
)
def test_expected_decision_from_the_filing_date(service, urgent, expected):
    c = appeal_checklist("2027-01-05", "medical_necessity", service=service, urgent=urgent, appeal_filed="2027-01-10", today=date(2027, 1, 11))
    step = next(s for s in c.steps if s.title.startswith("Expected decision on the internal appeal"))
    assert step.day == expected and not step.estimated
    assert any(s.title == "Internal appeal filed" for s in c.steps)


def test_not_yet_filed_gives_an_estimate_if_filed_today():
    c = appeal_checklist("2027-01-05", "medical_necessity", today=date(2027, 1, 20))
    step = next(s for s in c.steps if s.title.startswith("Expected decision"))
    assert step.day == date(2027, 2, 19) and step.estimated and "(if filed today)" in step.title
    # no external-review date until the final denial is known; the rule is still stated
    assert not any("external review" in s.title.lower() for s in c.steps)
    assert any("60 days" in t and "4 months" in t for t in c.later)


def test_urgent_adds_expedited_steps():
    c = appeal_checklist("2027-01-05", "medical_necessity", urgent=True, today=date(2027, 1, 6))
    assert c.now[0].startswith("Waiting could seriously harm the patient")
    ext = next(s for s in c.steps if s.title.startswith("Expedited external review"))
    assert ext.day == date(2027, 1, 9) and "72 hours" in ext.detail


def test_dates_printed_on_the_letter_win():
    c = appeal_checklist("2027-01-01", "medical_necessity", letter_internal_deadline="2027-03-01", today=date(2027, 1, 2))
    assert c.deadline("Last day to file the internal appeal").day == date(2027, 3, 1)
    assert any("differs from the usual 180 days" in w for w in c.warnings)
    c = appeal_checklist("2027-01-01", "medical_necessity", final_denial="2027-02-01", letter_external_deadline="2027-06-01", today=date(2027, 2, 2))
    assert c.deadline("Last day to ask for external review").day == date(2027, 6, 1)


def test_weekend_deadline_and_past_window():
    # 2 Nov 2026 + 180 days = Sat 1 May 2027
    c = appeal_checklist("2026-11-02", "incomplete_documentation", today=date(2026, 11, 28))
    d = c.deadline("Last day to file the internal appeal")
    assert d.day == date(2027, 5, 1) and "Saturday" in d.detail and "Fri 30 Apr 2027" in d.detail
    assert any(s.title.startswith("Decision on a resubmitted prior authorization") and s.day == date(2026, 12, 13) for s in c.steps)
    late = appeal_checklist("2026-01-02", "medical_necessity", today=date(2026, 11, 28))
    assert any("window ended" in w for w in late.warnings)
    assert not any(s.title.startswith("Expected decision") for s in late.steps)


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"denial_date": "2026-12-01"}, "Denial date", "after today"),
        ({"denial_date": "2027-02-29"}, "Denial date", "2027 has no 29 February"),
        ({"denial_date": "2026-13-01"}, "Denial date", "no month 13"),
        ({"denial_date": "2026-04-31"}, "Denial date", "no day 31"),
        ({"denial_date": "02/30/2026"}, "Denial date", "no day 30"),
        ({"denial_date": "last Tuesday"}, "Denial date", "YYYY-MM-DD"),
        ({"denial_date": ""}, "Denial date", "enter a date"),
        ({"denial_date": "1890-01-01"}, "Denial date", "too far in the past"),
        ({"denial_date": "2026-10-01", "appeal_filed": "2026-09-01"}, "Internal appeal filed on", "before the denial date"),
        ({"denial_date": "2026-10-01", "appeal_filed": "2026-10-05", "final_denial": "2026-10-03"}, "Final internal decision (denial) date", "before the appeal date"),
        ({"denial_date": "2026-10-01", "reason": "too expensive"}, "Denial reason", "not one of"),
        ({"denial_date": "2026-10-01", "service": "later"}, "Service", "pre_service"),
        ({"denial_date": "2026-10-01", "letter_internal_deadline": "2026-09-01"}, "Internal-appeal deadline printed on the letter", "before the denial date"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, words):
    kwargs = dict(kwargs)
    denial = kwargs.pop("denial_date")
    with pytest.raises(WorkflowError) as err:
        appeal_checklist(denial, today=date(2026, 11, 28), **kwargs)
    assert err.value.field == field
    assert words in err.value.message


def test_us_date_form_and_date_objects():
    assert parse_date("10/01/2026", "x", today=date(2026, 11, 1)) == date(2026, 10, 1)
    assert parse_date(date(2026, 10, 1), "x", today=date(2026, 11, 1)) == date(2026, 10, 1)


def test_every_reason_has_actions_and_a_letter_paragraph():
    assert set(DENIAL_REASONS) >= {"incomplete_documentation", "medical_necessity", "experimental_investigational", "off_label", "out_of_network"}
    for r in DENIAL_REASONS.values():
        assert r.todo and r.letter_focus and r.external_review
    assert len(reasons_table()) == len(DENIAL_REASONS)


def test_markdown_and_html_exports_read_well():
    c = appeal_checklist("2026-11-02", "experimental_investigational", option="iv_ketamine", urgent=True, today=date(2026, 11, 28))
    for text in (c.to_markdown(), c.to_html(), c.to_html(standalone=True)):
        assert "988" in text and "not legal" in text.lower()
        assert "Last day to file the internal appeal" in text and "Sat 1 May 2027" in text
        assert "rules.csv:appeal.internal.filing_days" in text
    assert c.to_html(standalone=True).startswith("<!doctype html>")
    assert "<script" not in c.to_html(standalone=True)


def test_ics_has_the_deadlines_and_nothing_identifying():
    c = appeal_checklist("2026-11-02", "medical_necessity", today=date(2026, 11, 28))
    raw = c.to_ics()
    assert raw == c.to_ics()  # stable: re-import replaces events instead of duplicating
    cal = Calendar.from_ical(raw)
    events = [e for e in cal.walk("VEVENT")]
    by_day = {e.decoded("dtstart"): str(e.get("summary")) for e in events}
    assert by_day[date(2027, 5, 1)].startswith("DEADLINE: Last day to file the internal appeal")
    assert date(2027, 4, 17) in by_day  # reminder 14 days before
    assert date(2026, 11, 2) not in by_day  # the past denial date is not an event
    assert not any("(if filed today)" in s for s in by_day.values())  # estimates stay off the calendar
    deadline = next(e for e in events if str(e.get("summary")).startswith("DEADLINE"))
    assert deadline.walk("VALARM")
    for e in events:
        text = str(e.get("description"))
        assert "988" in text and "printed on the plan's letters" in text
    lowered = raw.decode().lower()
    for word in ("member id:", "date of birth", "@", "patient name"):
        if word == "@":
            assert all(line.split("@")[1].startswith("ketamine-options-toolkit.invalid") for line in raw.decode().splitlines() if "@" in line)
        else:
            assert word not in lowered
