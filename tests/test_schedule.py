"""Session schedules against the Spravato label and the usual IV ketamine protocol.

All schedules start on Monday 4 Jan 2027 unless a test says otherwise; "day N" means N days
after the first session. A 12-month horizon ends on 4 Jan 2028, 365 days later.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from toolkit.engine.schedule import add_months, build_schedule, horizon_end, month_index, summarize_schedule

START = date(2027, 1, 4)


def offsets(sessions) -> list[int]:
    return [(s.day - START).days for s in sessions]


def spravato(make_scenario, ds, **over):
    return build_schedule(make_scenario(over), ds, "spravato")


def iv(make_scenario, ds, **over):
    return build_schedule(make_scenario(over), ds, "iv_ketamine")


# --------------------------------------------------------------------------- Spravato, TRD


@pytest.mark.parametrize(
    "maintenance,step,expected_total",
    [
        # weeks 1-4: 8, weeks 5-8: 4, then day 56 + 14k < 365 -> k = 0..22 -> 23 sessions
        ("every_2_weeks", 14, 8 + 4 + 23),
        # then day 56 + 7k < 365 -> k = 0..44 -> 45 sessions
        ("weekly", 7, 8 + 4 + 45),
    ],
)
def test_spravato_trd_follows_the_label(make_scenario, ds, maintenance, step, expected_total):
    sessions = spravato(make_scenario, ds, horizon_months=12, schedule={"spravato_maintenance": maintenance})
    days = offsets(sessions)
    assert days[:8] == [0, 3, 7, 10, 14, 17, 21, 24]  # twice weekly in weeks 1-4
    assert days[8:12] == [28, 35, 42, 49]  # weekly in weeks 5-8
    assert days[12:] == list(range(56, 365, step))  # from week 9, weekly or every 2 weeks
    assert len(sessions) == expected_total
    assert [s.phase for s in sessions[:13]] == (
        ["induction (weeks 1-4)"] * 8 + ["weeks 5-8"] * 4 + ["maintenance (week 9 on)"]
    )


@pytest.mark.parametrize("dose,devices", [(56, 2), (84, 3)])
def test_spravato_first_dose_is_56_mg_then_the_chosen_dose(make_scenario, ds, dose, devices):
    sessions = spravato(make_scenario, ds, horizon_months=3, schedule={"spravato_dose_mg": dose})
    assert (sessions[0].dose_mg, sessions[0].devices) == (56, 2)  # label: day 1 is 56 mg
    assert {s.dose_mg for s in sessions[1:]} == {dose}
    assert {s.devices for s in sessions[1:]} == {devices}  # devices = dose / 28 mg


def test_devices_are_dose_over_28_mg(make_scenario, ds):
    for dose in (28, 56, 84):
        for s in spravato(make_scenario, ds, horizon_months=2, schedule={"spravato_dose_mg": dose}):
            assert s.devices * 28 == s.dose_mg


def test_mdsi_is_84_mg_twice_weekly_for_4_weeks_then_nothing(make_scenario, ds):
    # the chosen TRD dose and maintenance must not leak into the suicidal-ideation course
    sessions = spravato(make_scenario, ds, indication="mdd_si", horizon_months=12, schedule={"spravato_dose_mg": 56, "spravato_maintenance": "weekly"})
    assert len(sessions) == 8
    assert offsets(sessions) == [0, 3, 7, 10, 14, 17, 21, 24]
    assert {s.dose_mg for s in sessions} == {84}  # 84 mg from the first session
    assert {s.devices for s in sessions} == {3}


def test_custom_spravato_phases(make_scenario, ds):
    # 3 a week for 2 weeks, then once every 4 weeks until the end (2 months: end 4 Mar, day 59)
    phases = [{"weeks": 2, "sessions_per_week": 3}, {"weeks": None, "sessions_per_week": 1, "every_weeks": 4}]
    sessions = spravato(make_scenario, ds, horizon_months=2, schedule={"spravato_custom_phases": phases, "spravato_dose_mg": 84})
    assert offsets(sessions) == [0, 2, 4, 7, 9, 11, 14, 42]
    assert [s.phase for s in sessions] == ["custom phase 1"] * 6 + ["custom phase 2"] * 2
    assert [s.dose_mg for s in sessions] == [56] + [84] * 7


# --------------------------------------------------------------------------- IV ketamine


def test_iv_six_infusions_twice_weekly_then_boosters(make_scenario, ds):
    sessions = iv(make_scenario, ds, horizon_months=12, schedule={"iv_maintenance_interval_weeks": 5})
    days = offsets(sessions)
    assert days[:6] == [0, 3, 7, 10, 14, 17]
    # boosters every 5 weeks after the last infusion: 17 + 35k, k >= 1, while < 365
    assert days[6:] == [52, 87, 122, 157, 192, 227, 262, 297, 332]
    assert [s.phase for s in sessions] == ["first series"] * 6 + ["booster"] * 9


def test_iv_zero_interval_means_no_boosters(make_scenario, ds):
    sessions = iv(make_scenario, ds, horizon_months=12, schedule={"iv_maintenance_interval_weeks": 0})
    assert len(sessions) == 6
    assert {s.phase for s in sessions} == {"first series"}


def test_iv_three_a_week_series(make_scenario, ds):
    sessions = iv(make_scenario, ds, horizon_months=1, schedule={"iv_induction_infusions": 6, "iv_induction_per_week": 3})
    assert offsets(sessions) == [0, 2, 4, 7, 9, 11]  # Mon, Wed, Fri


def test_custom_iv_phases(make_scenario, ds):
    phases = [{"weeks": 3, "sessions_per_week": 2}, {"weeks": None, "sessions_per_week": 1, "every_weeks": 6}]
    sessions = iv(make_scenario, ds, horizon_months=3, schedule={"iv_custom_phases": phases, "iv_maintenance_interval_weeks": 5})
    # end = 4 Apr 2027 = day 90; phase 2 starts day 21: 21, 63 (105 is past the end)
    assert offsets(sessions) == [0, 3, 7, 10, 14, 17, 21, 63]
    assert {s.phase for s in sessions} == {"custom phase 1", "custom phase 2"}


# --------------------------------------------------------------------------- horizon and dates


def test_sessions_stop_at_the_horizon(make_scenario, ds):
    # weekly series of 6 from 4 Jan, 1 month ends 4 Feb: 4, 11, 18, 25 Jan and 1 Feb only
    sessions = iv(make_scenario, ds, horizon_months=1, schedule={"iv_induction_per_week": 1})
    assert [s.day for s in sessions] == [date(2027, 1, d) for d in (4, 11, 18, 25)] + [date(2027, 2, 1)]


@pytest.mark.parametrize("option", ["iv_ketamine", "spravato"])
@pytest.mark.parametrize("months", [1, 2, 5, 12, 36])
@pytest.mark.parametrize("start", ["2027-01-04", "2027-01-31", "2028-02-29", "2026-12-30"])
def test_no_session_past_the_horizon(make_scenario, ds, option, months, start):
    scenario = make_scenario({"start_date": start, "horizon_months": months, "schedule": {"iv_maintenance_interval_weeks": 4}})
    sessions = build_schedule(scenario, ds, option)
    end = horizon_end(scenario)
    assert sessions, "the first session always falls inside the horizon"
    assert all(scenario.start_date <= s.day < end for s in sessions)
    assert [s.number for s in sessions] == list(range(1, len(sessions) + 1))
    assert all(a.day < b.day for a, b in zip(sessions, sessions[1:]))


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # clamped to February's end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), 13, date(2028, 2, 29)),  # across a year into a leap February
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # leap day to a common year
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # leap day to leap day
        (date(2027, 8, 31), 1, date(2027, 9, 30)),  # 30-day month
        (date(2027, 3, 31), -1, date(2027, 2, 28)),  # backwards
        (date(2027, 12, 15), 1, date(2028, 1, 15)),  # year roll-over
        (date(2027, 1, 15), 0, date(2027, 1, 15)),
        (date(2027, 1, 31), 36, date(2030, 1, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_horizon_from_31_january(make_scenario, ds):
    scenario = make_scenario({"start_date": "2027-01-31", "horizon_months": 1})
    assert horizon_end(scenario) == date(2027, 2, 28)
    sessions = build_schedule(scenario, ds, "spravato")
    # 31 Jan + 0, 3, 7, 10, 14, 17, 21, 24 days: 24 Feb is the last before 28 Feb
    assert sessions[-1].day == date(2027, 2, 24)


@pytest.mark.parametrize(
    "day,expected",
    [(date(2027, 2, 27), 0), (date(2027, 2, 28), 1), (date(2027, 3, 30), 1), (date(2027, 3, 31), 2)],
)
def test_month_index_with_clamped_month_ends(day, expected):
    # months from 31 Jan: [31 Jan, 28 Feb), [28 Feb, 31 Mar), [31 Mar, 30 Apr) ...
    assert month_index(date(2027, 1, 31), day) == expected


# --------------------------------------------------------------------------- time in clinic


@pytest.mark.parametrize(
    "dose,minutes",
    [
        (56, 145),  # check-in 10 + 2 devices x 5 + observation 120 + discharge 5
        (84, 150),  # check-in 10 + 3 devices x 5 + observation 120 + discharge 5
    ],
)
def test_spravato_minutes_in_clinic(make_scenario, ds, dose, minutes):
    sessions = spravato(make_scenario, ds, horizon_months=1, schedule={"spravato_dose_mg": dose})
    assert sessions[1].minutes_in_clinic == minutes
    observation = int(ds.number("spravato.observation_minutes"))
    assert observation >= 120  # REMS: at least 2 hours of monitoring
    for s in sessions:
        assert s.minutes_in_clinic >= observation + int(ds.number("spravato.checkin_minutes")) + int(ds.number("spravato.discharge_minutes"))
        assert s.infusion_minutes == 0


@pytest.mark.parametrize(
    "protocol,infusion,minutes",
    [
        ("depression", 40, 100),  # check-in 15 + infusion 40 + recovery 45
        ("pain", 240, 300),  # check-in 15 + infusion 240 + recovery 45
    ],
)
def test_iv_minutes_in_clinic(make_scenario, ds, protocol, infusion, minutes):
    for s in iv(make_scenario, ds, schedule={"iv_protocol": protocol}):
        assert (s.infusion_minutes, s.minutes_in_clinic) == (infusion, minutes)
        assert s.dose_mg is None and s.devices == 0


@pytest.mark.parametrize("option", ["iv_ketamine", "spravato"])
def test_every_session_needs_a_driver(make_scenario, ds, option):
    sessions = build_schedule(make_scenario({"horizon_months": 12, "schedule": {"iv_maintenance_interval_weeks": 4}}), ds, option)
    assert all(s.needs_driver for s in sessions)


def test_unknown_option(make_scenario, ds):
    with pytest.raises(ValueError, match="unknown option"):
        build_schedule(make_scenario(), ds, "oral_ketamine")


# --------------------------------------------------------------------------- summary


def test_summary_of_the_spravato_label_schedule(make_scenario, ds):
    scenario = make_scenario({"horizon_months": 12, "schedule": {"spravato_dose_mg": 84}})
    sessions = build_schedule(scenario, ds, "spravato")
    summary = summarize_schedule(sessions, scenario)
    assert summary.sessions == 35
    assert summary.trips_needing_driver == 35
    # first month [4 Jan, 4 Feb): days 0..24 (8) and day 28 = 1 Feb
    assert summary.first_month_sessions == 9
    assert summary.busiest_week_sessions == 2
    assert len(summary.sessions_per_month) == 12
    assert sum(summary.sessions_per_month) == 35
    # [4 Feb, 4 Mar) = days 31..58: 35, 42, 49, 56; [4 Mar, 4 Apr) = days 59..89: 70, 84
    assert summary.sessions_per_month[:3] == [9, 4, 2]
    # 1 x 145 min (56 mg) + 34 x 150 min (84 mg) = 5,245 min = 87.42 h -> 87.4
    assert summary.clinic_hours == 87.4


def test_summary_of_the_iv_schedule(make_scenario, ds):
    scenario = make_scenario({"horizon_months": 12, "schedule": {"iv_maintenance_interval_weeks": 5}})
    sessions = build_schedule(scenario, ds, "iv_ketamine")
    summary = summarize_schedule(sessions, scenario)
    assert summary.sessions == 15  # 6 + 9 boosters
    assert summary.first_month_sessions == 6
    assert summary.busiest_week_sessions == 2
    assert summary.sessions_per_month[1] == 1  # booster on day 52 = 25 Feb
    assert summary.trips_needing_driver == 15
    assert summary.clinic_hours == 25.0  # 15 x 100 min = 1,500 min


def test_summary_busiest_week_with_three_a_week(make_scenario, ds):
    scenario = make_scenario({"schedule": {"iv_induction_per_week": 3}})
    summary = summarize_schedule(build_schedule(scenario, ds, "iv_ketamine"), scenario)
    assert summary.busiest_week_sessions == 3
    assert summary.first_month_sessions == 6


def test_every_session_lands_in_a_month_of_the_horizon(make_scenario, ds):
    scenario = make_scenario({"start_date": "2027-01-31", "horizon_months": 3})
    sessions = build_schedule(scenario, ds, "spravato")
    summary = summarize_schedule(sessions, scenario)
    assert sum(summary.sessions_per_month) == len(sessions)
    assert timedelta(0) < horizon_end(scenario) - sessions[-1].day


# ------------------------------------------------------------ prior-authorization end dates


def test_reauthorization_dates_from_the_usual_period(make_scenario, ds):
    """TRD: a 6-month approval (workflow.csv pa.approval_months.trd typical) from 4 Jan 2027 ends 4 Jul 2027."""
    from toolkit.engine.schedule import reauthorizations

    s = make_scenario({"start_date": "2027-01-04", "horizon_months": 12})
    sessions = build_schedule(s, ds, "spravato")
    got = reauthorizations(s, ds, "spravato", sessions)
    assert [r.day for r in got] == [date(2027, 7, 4)]
    assert got[0].months == 6 and not got[0].from_plan and "1 to 12 months" in got[0].text
    assert "pa.approval_months.range" in got[0].ref


def test_reauthorization_dates_from_the_plans_period(make_scenario, ds):
    """3-month approvals from 31 Jan 2027: month ends clamp (30 Apr), then 31 Jul, 31 Oct; renewals repeat the period."""
    from toolkit.engine.schedule import reauthorizations

    s = make_scenario({"start_date": "2027-01-31", "horizon_months": 12, "plan": {"pa_approval_months": 3}})
    got = reauthorizations(s, ds, "spravato", build_schedule(s, ds, "spravato"))
    assert [r.day for r in got] == [date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]
    assert all(r.from_plan and r.months == 3 for r in got)


@pytest.mark.parametrize(
    "over",
    [
        {"plan": {"payer_type": "medicare"}},  # Original Medicare: no prior authorization for the Part B drug
        {"plan": {"payer_type": "uninsured"}},
        {"indication": "mdd_si"},  # the 4-week course ends before a 2-month approval does
    ],
)
def test_no_reauthorization_where_none_is_needed(make_scenario, ds, over):
    from toolkit.engine.schedule import reauthorizations

    s = make_scenario({"start_date": "2027-01-04", "horizon_months": 12, **over})
    assert reauthorizations(s, ds, "spravato", build_schedule(s, ds, "spravato")) == []
    assert reauthorizations(s, ds, "iv_ketamine", build_schedule(s, ds, "iv_ketamine")) == []


def test_reauthorization_shows_on_the_schedule_and_in_the_summary(make_scenario, ds):
    from toolkit import compare
    from toolkit.faces.fragments import schedule_view

    comp = compare(make_scenario({"start_date": "2027-01-04", "horizon_months": 12}), ds)
    assert comp.summary()["options"]["spravato"]["reauthorization_dates"] == ["2027-07-04"]
    html = schedule_view(comp)
    assert "Spravato (esketamine): approval ends" in html and "4 Jul" in html and "Sun 4 Jul 2027" in html
    printed = schedule_view(comp, per_row=12, summary=False)
    assert "on the dates in the table" in printed
