"""Cells of 05_scenarios.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
    new_markdown_cell(
        """# Scenarios: approved or denied, best or worst

**What this page answers:** how the answer moves when prior authorization is denied, or prices land at the low or high end.

For every example: the expected cost (typical prices, weighted by the typical chance of approval), the best and worst cases, and the cost if the plan approves or denies."""
    ),
    new_markdown_cell(SAFETY),
    new_code_cell("from toolkit.tables import examples_overview\n\nexamples_overview().round(0)"),
    new_markdown_cell("Coming in a later release: sensitivity (tornado) charts, two-way grids, Monte Carlo and break-even."),
]
