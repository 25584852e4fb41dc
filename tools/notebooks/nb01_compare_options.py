"""Cells of 01_compare_options.ipynb. Edit here, then run ``python tools/build_notebooks.py``."""

from nbformat.v4 import new_code_cell, new_markdown_cell

from ._common import SAFETY, SETUP  # noqa: F401

CELLS = [
    new_markdown_cell(
        """# Compare IV ketamine and Spravato for one patient

Fill in the four steps on the left (or pick an example); the results on the right update when a field changes. A field with a problem shows a message beside it, and the last good results stay on screen. Enter no names or identifiers."""
    ),
    new_code_cell("from toolkit.faces.dashboard import app\n\napp()"),
]
