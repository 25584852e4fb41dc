"""Write the notebooks in notebooks/ from this one readable source.

Why generate them: notebooks are JSON, hard to review in a diff; this file is the source
of their text and cells. Run ``python tools/build_notebooks.py`` after editing it; then
``python tools/build_notebooks.py --execute`` stores the outputs of the cells marked
``# NBVAL_CHECK_OUTPUT`` (the ones nbval compares) and leaves widget cells without saved
output, so a reopened notebook never shows a stale "model not found" widget.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "notebooks"

SAFETY = """> **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
>
> **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
>
> **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911."""

SETUP = "# NBVAL_CHECK_OUTPUT\nimport toolkit\nprint(toolkit.DISCLAIMER)\nprint(toolkit.CRISIS_LINE)"


def nb(cells: list) -> nbformat.NotebookNode:
    book = new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    book.metadata["language_info"] = {"name": "python"}
    return book


NOTEBOOKS = {
    "00_start_here.ipynb": [
        new_markdown_cell(
            """# Start here: IV ketamine or Spravato?

This toolkit helps a patient advisor (navigator, clinic coordinator, benefits counsellor) sit with a patient and compare two ketamine-based options for treatment-resistant depression, depression with suicidal thoughts, PTSD or chronic pain:

| | IV ketamine infusion | Esketamine nasal spray (Spravato) |
|---|---|---|
| FDA status | off-label for depression and pain | approved for treatment-resistant depression and for depression with acute suicidal thoughts (adults) |
| Usually paid by | the patient (some out-of-network reimbursement) | the plan, after prior authorization |
| Where | an infusion clinic | a REMS-certified clinic, with at least 2 hours of observation every session |

It answers three questions, for *this* patient's plan:
1. **Will the plan pay?** How likely each option is covered, why, and which prior-authorization criteria are met or missing.
2. **What would the patient pay?** Claim by claim: deductible, coinsurance, copays, the out-of-pocket maximum, the plan-year reset, out-of-network reimbursement and the Spravato savings program; best, expected and worst.
3. **What does the schedule ask?** Sessions per week, hours in clinic, and the trips that need someone to drive."""
        ),
        new_markdown_cell(SAFETY),
        new_markdown_cell(
            """## How to walk a patient through it

1. Open **01 Compare options** (the dashboard). It starts from a built-in example; pick the example closest to the patient.
2. **Situation**: what is being treated and the treatment history prior authorization asks about (how many antidepressants were tried, whether a psychiatrist is involved, a baseline score).
3. **Insurance**: the plan type and the figures from its summary of benefits (deductible, coinsurance, out-of-pocket maximum, and how much is already met this year).
4. **Clinic prices**: leave them empty to use the published ranges, or type the clinic's quote.
5. **Schedule**: first session date, how many months to compare, and the maintenance choices.
6. Read the results together: the coverage cards first (and what would help), then the cost table and chart, then the schedule. Open *Explanation of estimate* to show every claim line behind a total.

Topic notebooks go deeper: **02** coverage and appeals, **03** costs, **04** session schedules, **05** scenarios (approved or denied, best or worst), **06** data and sources (every figure with its source and date)."""
        ),
        new_markdown_cell("The notices below are printed by the toolkit itself, so every face of it (dashboard, command line, handout) carries the same words."),
        new_code_cell(SETUP),
        new_markdown_cell("Every figure comes from the tables in `data/`, each row with a source and an as-of date. This check validates them and counts rows that are more than 18 months old (to re-check, not to discard):"),
        new_code_cell("from toolkit.notebook_helpers import data_check_summary\nprint(data_check_summary())"),
        new_markdown_cell("Next: open **01_compare_options.ipynb**, or run `make dashboard` to open it as an app."),
    ],
    "01_compare_options.ipynb": [
        new_markdown_cell(
            """# Compare IV ketamine and Spravato for one patient

Fill in the four steps on the left (or pick an example); the results on the right update when a field changes. A field with a problem shows a message beside it, and the last good results stay on screen. Enter no names or identifiers."""
        ),
        new_code_cell("from toolkit.dashboard import app\n\napp()"),
    ],
    "02_coverage_and_appeals.ipynb": [
        new_markdown_cell(
            """# Coverage and appeals

**What this page answers:** how each kind of plan usually treats each option, what prior authorization asks for, and the appeal deadlines.

The levels come from `data/coverage.csv`. Where a published rate exists (Medicaid policy review, Aug 2025) it is used; elsewhere the likelihood is an assumption, marked as such, that you can change in the dashboard."""
        ),
        new_markdown_cell(SAFETY),
        new_code_cell("from toolkit.pages import coverage_explorer\n\ncoverage_explorer()"),
        new_markdown_cell("## One patient: coverage cards\nThe same cards the dashboard shows, for any example: level, reasons with sources, the prior-authorization checklist and what would help."),
        new_code_cell("from toolkit.pages import coverage_cards_for_example\n\ncoverage_cards_for_example()"),
        new_markdown_cell("## What prior authorization usually asks for"),
        new_code_cell("from toolkit.tables import criteria_table\n\ncriteria_table()"),
        new_markdown_cell(
            """## Appeal deadlines

After a denial, the patient can ask the plan to reconsider (internal appeal), then ask for an independent external review. **Always follow the deadline printed on the denial letter**: sources disagree on the external-review window (the federal rule gives 4 months; HealthCare.gov's page and some states say 60 days)."""
        ),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nfrom toolkit.tables import rules_table\n\nprint(rules_table(('appeal.',))[['rule', 'value']].to_string(index=False))"),
        new_markdown_cell("Coming in a later release: a benefits-call sheet, dated appeal checklists and letter drafts."),
    ],
    "03_costs_and_financing.ipynb": [
        new_markdown_cell(
            """# Costs, claim by claim

**What this page answers:** what each option would cost the patient over time, and why, line by line.

Each session is priced into claim lines (drug, observation visit, infusion), and the lines are adjudicated in date order the way a plan does: deductible, then coinsurance or copay, then the out-of-pocket maximum, resetting at the plan year. Spravato's savings program (commercial plans only) is applied after cost sharing; a self-paid IV infusion may be claimed out of network with a superbill."""
        ),
        new_markdown_cell(SAFETY),
        new_code_cell("from toolkit.pages import costs_for_example\n\ncosts_for_example()"),
        new_markdown_cell("## The 2026 limits that shape these numbers"),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nfrom toolkit.tables import rules_table\n\nprint(rules_table(('aca.', 'hsa.', 'hdhp.', 'fsa.', 'medicare.'))[['rule', 'value']].to_string(index=False))"),
        new_markdown_cell("Coming in a later release: payment plans, loans, HSA/FSA tax savings and clinic quotes compared side by side."),
    ],
    "04_session_schedules.ipynb": [
        new_markdown_cell(
            """# Session schedules

**What this page answers:** how often the patient goes to the clinic, for how long, and how many trips need a driver.

- **Spravato** (label): twice weekly in weeks 1-4, weekly in weeks 5-8, then weekly or every 2 weeks; for depression with acute suicidal thoughts, 84 mg twice weekly for 4 weeks. At least 2 hours of observation every session, and no driving until the next day.
- **IV ketamine** (off-label): a first series (commonly 6 infusions over 2-3 weeks, 0.5 mg/kg over 40 minutes), then boosters at an interval the clinic sets with the patient. Clinics require a ride home."""
        ),
        new_markdown_cell(SAFETY),
        new_code_cell("from toolkit.pages import schedule_for_example\n\nschedule_for_example()"),
        new_markdown_cell("Coming in a later release: a calendar file (.ics) to import the sessions, with reminders."),
    ],
    "05_scenarios.ipynb": [
        new_markdown_cell(
            """# Scenarios: approved or denied, best or worst

**What this page answers:** how the answer moves when prior authorization is denied, or prices land at the low or high end.

For every example: the expected cost (typical prices, weighted by the typical chance of approval), the best and worst cases, and the cost if the plan approves or denies."""
        ),
        new_markdown_cell(SAFETY),
        new_code_cell("from toolkit.tables import examples_overview\n\nexamples_overview().round(0)"),
        new_markdown_cell("Coming in a later release: sensitivity (tornado) charts, two-way grids, Monte Carlo and break-even."),
    ],
    "06_data_and_sources.ipynb": [
        new_markdown_cell(
            """# Data and sources

**What this page answers:** where every figure comes from, how old it is and how reliable.

Each row of `data/` carries a source (title and link), an as-of date and a reliability tag: official, payer policy, peer-reviewed, vendor, clinic, low (a secondary explainer) or assumption (no published figure; the toolkit says so). Rows older than 18 months are flagged **stale**: re-check them against the source. Where sources disagree the range is kept and the conflict recorded."""
        ),
        new_markdown_cell(SAFETY),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nfrom toolkit.notebook_helpers import data_counts\nprint(data_counts())"),
        new_markdown_cell("How many rows are stale today (this changes as time passes):"),
        new_code_cell("from toolkit.notebook_helpers import data_check_summary\nprint(data_check_summary().splitlines()[-1])"),
        new_markdown_cell("## Every figure"),
        new_code_cell("from toolkit.notebook_helpers import sources_table\n\nsources_table()"),
        new_markdown_cell("## Where sources disagree"),
        new_code_cell("from toolkit.notebook_helpers import conflicts_table\n\nconflicts_table()"),
        new_markdown_cell("To update a figure: edit the row in `data/*.csv` (value, source, URL, as-of date, reliability), then run `python -m toolkit check-data`; it names the file, row and column of anything wrong."),
    ],
}


def build() -> None:
    NB.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nbformat.write(nb(cells), NB / name)


def execute() -> None:
    """Store outputs only for cells nbval compares (# NBVAL_CHECK_OUTPUT)."""
    from nbclient import NotebookClient

    for name in NOTEBOOKS:
        path = NB / name
        book = nbformat.read(path, as_version=4)
        NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NB)}}).execute()
        for cell in book.cells:
            if cell.cell_type == "code":
                if "NBVAL_CHECK_OUTPUT" not in cell.source:
                    cell.outputs = []
                    cell.execution_count = None
                cell.metadata.pop("execution", None)
        book.metadata.pop("widgets", None)
        nbformat.write(book, path)


if __name__ == "__main__":
    build()
    if "--execute" in sys.argv:
        execute()
