"""Write the notebooks in notebooks/ from readable sources in tools/notebooks/.

Why generate them: notebooks are JSON, hard to review in a diff; this file is the source
of their text and cells (one module per notebook). Run ``python tools/build_notebooks.py`` after editing it; then
``python tools/build_notebooks.py --execute`` stores the outputs of the cells marked
``# NBVAL_CHECK_OUTPUT`` (the ones nbval compares) and leaves widget cells without saved
output, so a reopened notebook never shows a stale "model not found" widget.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "notebooks"

def nb(cells: list, stem: str = "nb") -> nbformat.NotebookNode:
    book = new_notebook(cells=cells)
    for i, cell in enumerate(book.cells):
        cell.id = f"{stem[:20]}-{i:02d}"  # stable ids keep diffs readable
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    book.metadata["language_info"] = {"name": "python"}
    return book


def notebooks() -> dict[str, list]:
    """Every notebook's cells, from tools/notebooks/nbNN_name.py (one module per notebook)."""
    import importlib

    out = {}
    for path in sorted((Path(__file__).parent / "notebooks").glob("nb[0-9][0-9]_*.py")):
        module = importlib.import_module(f"notebooks.{path.stem}")
        out[path.stem[2:] + ".ipynb"] = module.CELLS
    return out


def build() -> None:
    NB.mkdir(exist_ok=True)
    for name, cells in notebooks().items():
        nbformat.write(nb(cells, name.removesuffix(".ipynb")), NB / name)


def execute() -> None:
    """Store outputs only for cells nbval compares (# NBVAL_CHECK_OUTPUT)."""
    from nbclient import NotebookClient

    for name in notebooks():
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
