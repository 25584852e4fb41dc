"""Cells of 04_session_schedules.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
    new_markdown_cell(
        """# Session schedules

**What this page answers:** how often the patient goes to the clinic, for how long, and how many trips need a driver; and how to put the sessions in the patient's own calendar.

- **Spravato** (label): twice weekly in weeks 1-4, weekly in weeks 5-8, then weekly or every 2 weeks; for depression with acute suicidal thoughts, 84 mg twice weekly for 4 weeks. At least 2 hours of observation every session, and no driving until the next day.
- **IV ketamine** (off-label): a first series (commonly 6 infusions over 2-3 weeks, 0.5 mg/kg over 40 minutes), then boosters at an interval the clinic sets with the patient. Clinics require a ride home."""
    ),
    new_markdown_cell(SAFETY),
    new_code_cell("from toolkit.faces.notebook import schedule_for_example\n\nschedule_for_example()"),
    new_markdown_cell(
        """## A calendar file for the patient

The planned sessions of one option as a calendar file (`.ics`) that any calendar app can import. Each session is called, for example, *Spravato session 3 of 35*: no name, clinic or address is in the file. Every session has a reminder the day before to arrange a ride home; Spravato sessions also remind the patient to stop eating 2 hours and drinking 30 minutes before. The dates are the plan: confirm each one with the clinic."""
    ),
    new_code_cell("from toolkit.faces.takeaway import calendar_explorer\n\ncalendar_explorer()"),
    new_markdown_cell("What the patient will see, for the built-in example's Spravato schedule (first five sessions):"),
    new_code_cell("from toolkit.faces.calendar_file import preview\n\npreview()"),
    new_markdown_cell("From a terminal: `python -m toolkit handout my_scenario.json --out handout.pdf --calendar sessions.ics --option spravato --time 09:30`."),
]
