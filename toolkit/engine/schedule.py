"""Session schedules: the dated sessions each option asks of the patient.

Why dates, not counts: cost depends on *when* (deductible resets at the plan year, savings
caps reset each calendar year) and the patient's life depends on *how often* (trips, hours
in clinic, a ride home every time). Both come from one list of dated sessions.

Label phases (Spravato, TRD): twice weekly in weeks 1-4, weekly in weeks 5-8, then weekly or
every 2 weeks; depression with acute suicidal ideation: 84 mg twice weekly for 4 weeks.
IV ketamine (off-label): a first series (default 6 infusions, twice weekly as in ELEKT-D),
then boosters at an interval the clinic sets. Figures come from ``data/protocols.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

import pandas as pd

from ..data import Dataset
from ..dates import add_months, month_index
from ..scenario import Phase, Scenario

# Day offsets inside a treatment week for n sessions; spread out so rest days fall between.
WEEK_PATTERNS = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}


@dataclass(frozen=True)
class Session:
    option: str
    number: int  # 1-based
    day: date
    phase: str
    dose_mg: int | None  # Spravato only
    devices: int  # Spravato 28 mg devices; 0 for IV
    minutes_in_clinic: int
    infusion_minutes: int  # IV only; 0 for Spravato
    needs_driver: bool


def horizon_end(scenario: Scenario) -> date:
    """First day after the comparison window."""
    return add_months(scenario.start_date, scenario.horizon_months)


def _phase_days(start: date, phases: list[Phase], end: date) -> list[tuple[date, int]]:
    """Dates produced by consecutive phases, with the index of the phase each came from."""
    out: list[tuple[date, int]] = []
    week_start = start
    for idx, phase in enumerate(phases):
        weeks = phase.weeks if phase.weeks is not None else max(0, ceil((end - week_start).days / 7))
        pattern = WEEK_PATTERNS[phase.sessions_per_week]
        for w in range(0, weeks, phase.every_weeks):
            base = week_start + timedelta(weeks=w)
            for offset in pattern:
                d = base + timedelta(days=offset)
                if d < end:
                    out.append((d, idx))
        week_start = week_start + timedelta(weeks=weeks)
        if week_start >= end:
            break
    return out


def iv_sessions(scenario: Scenario, ds: Dataset) -> list[Session]:
    """First series of N infusions at k per week, then a booster every M weeks."""
    s = scenario.schedule
    end = horizon_end(scenario)
    infusion = int(ds.number(f"iv.infusion_minutes.{s.iv_protocol}"))
    minutes = int(ds.number("iv.checkin_minutes")) + infusion + int(ds.number("iv.recovery_minutes"))
    driver = ds.number("iv.driver_required") >= 1
    days: list[tuple[date, str]] = []
    if s.iv_custom_phases:
        days = [(d, f"custom phase {i + 1}") for d, i in _phase_days(scenario.start_date, s.iv_custom_phases, end)]
    else:
        pattern = WEEK_PATTERNS[s.iv_induction_per_week]
        week = 0
        while len(days) < s.iv_induction_infusions:
            for offset in pattern:
                if len(days) < s.iv_induction_infusions:
                    days.append((scenario.start_date + timedelta(weeks=week, days=offset), "first series"))
            week += 1
        if s.iv_maintenance_interval_weeks > 0:
            d = days[-1][0] + timedelta(weeks=s.iv_maintenance_interval_weeks)
            while d < end:
                days.append((d, "booster"))
                d += timedelta(weeks=s.iv_maintenance_interval_weeks)
    return [
        Session("iv_ketamine", n, d, phase, None, 0, minutes, infusion, driver)
        for n, (d, phase) in enumerate((x for x in days if x[0] < end), start=1)
    ]


def spravato_phases(scenario: Scenario, ds: Dataset) -> tuple[list[Phase], list[str]]:
    """The label's phases for the indication (or the advisor's custom phases)."""
    s = scenario.schedule
    if s.spravato_custom_phases:
        return list(s.spravato_custom_phases), [f"custom phase {i + 1}" for i in range(len(s.spravato_custom_phases))]
    if scenario.indication == "mdd_si":
        weeks = int(ds.number("spravato.mdsi.weeks"))
        per_week = int(ds.number("spravato.mdsi.per_week"))
        return [Phase(weeks=weeks, sessions_per_week=per_week)], ["4-week course (suicidal ideation)"]
    induction = int(ds.number("spravato.trd.induction_per_week"))
    mid = int(ds.number("spravato.trd.weeks5_8_per_week"))
    every = 1 if s.spravato_maintenance == "weekly" else 2
    return (
        [Phase(weeks=4, sessions_per_week=induction), Phase(weeks=4, sessions_per_week=mid), Phase(weeks=None, sessions_per_week=1, every_weeks=every)],
        ["induction (weeks 1-4)", "weeks 5-8", "maintenance (week 9 on)"],
    )


def spravato_sessions(scenario: Scenario, ds: Dataset) -> list[Session]:
    s = scenario.schedule
    end = horizon_end(scenario)
    phases, names = spravato_phases(scenario, ds)
    mg_per_device = int(ds.number("spravato.mg_per_device"))
    fixed = (
        int(ds.number("spravato.checkin_minutes"))
        + int(ds.number("spravato.observation_minutes"))
        + int(ds.number("spravato.discharge_minutes"))
    )
    per_device = int(ds.number("spravato.dosing_minutes"))
    driver = ds.number("spravato.driver_required") >= 1
    mdsi_dose = int(ds.number("spravato.mdsi.dose_mg"))
    out = []
    for n, (d, idx) in enumerate(_phase_days(scenario.start_date, phases, end), start=1):
        if scenario.indication == "mdd_si" and not s.spravato_custom_phases:
            dose = mdsi_dose
        else:
            # label: day 1 is 56 mg (28 mg where a prescriber starts lower), then 56 or 84 mg
            dose = min(56, s.spravato_dose_mg) if n == 1 else s.spravato_dose_mg
        devices = dose // mg_per_device
        out.append(Session("spravato", n, d, names[idx], dose, devices, fixed + per_device * devices, 0, driver))
    return out


def build_schedule(scenario: Scenario, ds: Dataset, option: str) -> list[Session]:
    if option == "iv_ketamine":
        return iv_sessions(scenario, ds)
    if option == "spravato":
        return spravato_sessions(scenario, ds)
    raise ValueError(f"unknown option {option!r}")


# Original Medicare does not ask prior authorization for a Part B drug given in a clinic; no plan, no authorization
NO_PRIOR_AUTHORIZATION = ("medicare", "uninsured")


@dataclass(frozen=True)
class Reauthorization:
    """The day a prior authorization ends: the clinic asks for re-approval before it (documented improvement)."""

    day: date
    months: int  # the approval period used
    from_plan: bool  # the plan's own period (asked on the benefits call) rather than the usual one
    ref: str  # the data row behind the usual period, with the range across plans

    @property
    def text(self) -> str:
        how = "the period the plan gave" if self.from_plan else "the usual period; plans give 1 to 12 months, so ask"
        return f"{self.day:%a %-d %b %Y} ({self.months}-month approval: {how})"


def reauthorizations(scenario: Scenario, ds: Dataset, option: str, sessions: list[Session]) -> list[Reauthorization]:
    """When each Spravato approval runs out while sessions are still planned.

    Why on the schedule: an approval lasts a set time (from about 1 month to 12 months for a
    first approval, ``workflow.csv:pa.approval_months.range``); a lapse stops the claims until
    re-approval. The plan's own period (``plan.pa_approval_months``) wins; else the usual one
    for the indication (``pa.approval_months.trd`` / ``.mdsi``). Approvals are renewed for the
    same period; a course that ends first (the 4-week course for suicidal ideation) needs
    none. IV ketamine is rarely authorized at all, so it gets no dates here.
    """
    p = scenario.plan
    if option != "spravato" or p.payer_type.value in NO_PRIOR_AUTHORIZATION or not sessions:
        return []
    key = "pa.approval_months.mdsi" if scenario.indication == "mdd_si" else "pa.approval_months.trd"
    months = p.pa_approval_months or int(ds.number(key))
    end = sessions[-1].day + timedelta(days=1)
    ref = f"workflow.csv:{key}; workflow.csv:pa.approval_months.range"
    out, k = [], 1
    while (day := add_months(scenario.start_date, months * k)) < end:
        out.append(Reauthorization(day, months, p.pa_approval_months is not None, ref))
        k += 1
    return out


def schedule_frame(sessions: list[Session]) -> pd.DataFrame:
    """One row per session: what a patient puts in a calendar."""
    return pd.DataFrame(
        [
            {
                "session": s.number,
                "date": s.day,
                "weekday": s.day.strftime("%a"),
                "phase": s.phase,
                "dose_mg": s.dose_mg,
                "devices": s.devices,
                "hours_in_clinic": round(s.minutes_in_clinic / 60, 2),
                "needs_driver": s.needs_driver,
            }
            for s in sessions
        ]
    )


@dataclass(frozen=True)
class ScheduleSummary:
    sessions: int
    clinic_hours: float
    trips_needing_driver: int
    first_month_sessions: int
    busiest_week_sessions: int
    sessions_per_month: list[int]


def summarize_schedule(sessions: list[Session], scenario: Scenario) -> ScheduleSummary:
    months = [0] * scenario.horizon_months
    weeks: dict[int, int] = {}
    for s in sessions:
        months[month_index(scenario.start_date, s.day)] += 1
        w = (s.day - scenario.start_date).days // 7
        weeks[w] = weeks.get(w, 0) + 1
    return ScheduleSummary(
        sessions=len(sessions),
        clinic_hours=round(sum(s.minutes_in_clinic for s in sessions) / 60, 1),
        trips_needing_driver=sum(1 for s in sessions if s.needs_driver),
        first_month_sessions=months[0] if months else 0,
        busiest_week_sessions=max(weeks.values(), default=0),
        sessions_per_month=months,
    )
