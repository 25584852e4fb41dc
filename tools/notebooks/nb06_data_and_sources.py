"""Cells of 06_data_and_sources.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
    new_markdown_cell(
        """# Data and sources

**What this page answers:** where every figure comes from, how old it is and how reliable.

Each row of `data/` carries a source (title and link), an as-of date and a reliability tag: official, payer policy, peer-reviewed, vendor, clinic, low (a secondary explainer) or assumption (no published figure; the toolkit says so). Rows older than 18 months are flagged **stale**: re-check them against the source. Where sources disagree the range is kept and the conflict recorded."""
    ),
    new_markdown_cell(SAFETY),
    new_code_cell("# NBVAL_CHECK_OUTPUT\nfrom toolkit.faces.notebook import data_counts\nprint(data_counts())"),
    new_markdown_cell("How many rows are stale today (this changes as time passes):"),
    new_code_cell("from toolkit.faces.notebook import data_check_summary\nprint(data_check_summary().splitlines()[-1])"),
    new_markdown_cell("## Every figure"),
    new_code_cell("from toolkit.faces.notebook import sources_table\n\nsources_table()"),
    new_markdown_cell("## Where sources disagree"),
    new_code_cell("from toolkit.faces.notebook import conflicts_table\n\nconflicts_table()"),
    new_markdown_cell("To update a figure: edit the row in `data/*.csv` (value, source, URL, as-of date, reliability), then run `python -m toolkit check-data`; it names the file, row and column of anything wrong."),
]
