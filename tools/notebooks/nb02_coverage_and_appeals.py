"""Cells of 02_coverage_and_appeals.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
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
]
