"""Cells of 04_session_schedules.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
    new_markdown_cell(
        """# Session schedules

**What this page answers:** how often the patient goes to the clinic, for how long, and how many trips need a driver.

- **Spravato** (label): twice weekly in weeks 1-4, weekly in weeks 5-8, then weekly or every 2 weeks; for depression with acute suicidal thoughts, 84 mg twice weekly for 4 weeks. At least 2 hours of observation every session, and no driving until the next day.
- **IV ketamine** (off-label): a first series (commonly 6 infusions over 2-3 weeks, 0.5 mg/kg over 40 minutes), then boosters at an interval the clinic sets with the patient. Clinics require a ride home."""
    ),
    new_markdown_cell(SAFETY),
    new_code_cell("from toolkit.pages import schedule_for_example\n\nschedule_for_example()"),
    new_markdown_cell("Coming in a later release: a calendar file (.ics) to import the sessions, with reminders."),
]
