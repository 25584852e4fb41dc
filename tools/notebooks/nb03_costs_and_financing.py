"""Cells of 03_costs_and_financing.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
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
]
