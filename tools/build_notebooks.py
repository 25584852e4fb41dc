"""Build every notebook in notebooks/ from its percent script in notebooks/py/ (jupytext).

Why scripts: a notebook is JSON, hard to review in a diff and invisible to a linter. Each
``notebooks/NN_name.ipynb`` is paired (see jupytext.toml) with ``notebooks/py/NN_name.py``,
a ``py:percent`` script: ``# %%`` starts a code cell, ``# %% [markdown]`` a markdown cell
written as comments. The script is the source; tests/test_notebook_sources.py fails when a
pair disagrees.

    make notebooks                              # = python tools/build_notebooks.py --execute
    python tools/build_notebooks.py             # inputs only: write each .ipynb from its script
    python tools/build_notebooks.py --execute   # then run it and store the pinned outputs
    python tools/build_notebooks.py 05_scenarios --execute   # one notebook

Writing keeps what the existing .ipynb has that a script cannot carry (cell ids, notebook
metadata such as the kernelspec, the outputs of unchanged cells); a new cell gets the next
readable id (``05_scenarios-18``), so ids never shift when a cell is inserted.

``--execute`` runs each notebook (kernel in notebooks/, as nbval and Voila start it) and
stores outputs only for the cells marked ``# NBVAL_CHECK_OUTPUT``, the ones nbval compares.
Every other code cell keeps no output and no execution count, and the widget state is
dropped, so a reopened notebook never shows a stale "model not found" widget.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "notebooks"
SCRIPTS = NB / "py"
FORMAT = "py:percent"
PINNED = "NBVAL_CHECK_OUTPUT"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def pairs() -> dict[str, tuple[Path, Path]]:
    """{stem: (script, notebook)} for every script; an .ipynb without a script is an error."""
    found = {p.stem: (p, NB / f"{p.stem}.ipynb") for p in sorted(SCRIPTS.glob("[0-9][0-9]_*.py"))}
    orphans = [p.name for p in sorted(NB.glob("*.ipynb")) if p.stem not in found]
    if orphans:
        sys.exit(f"no script in notebooks/py/ for: {', '.join(orphans)} (add one, or delete the notebook)")
    return found


def _readable_ids(book: nbformat.NotebookNode, stem: str) -> None:
    """Keep ids like ``05_scenarios-07``; give every other cell (new, or from an editor) the next one."""
    prefix = stem[:20]  # nbformat allows 64 characters; the existing ids use the first 20
    own = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    numbers = [int(m.group(1)) for c in book.cells if (m := own.match(c.get("id", "")))]
    following = max(numbers, default=-1) + 1
    seen: set[str] = set()
    for cell in book.cells:
        if not own.match(cell.get("id", "")) or cell.id in seen:
            cell.id = f"{prefix}-{following:02d}"
            following += 1
        seen.add(cell.id)


def _strip(book: nbformat.NotebookNode) -> None:
    """Outputs only on pinned cells; no widget state, no timing metadata."""
    for cell in book.cells:
        if cell.cell_type == "code":
            if PINNED not in cell.source:
                cell.outputs = []
                cell.execution_count = None
            cell.metadata.pop("execution", None)
    book.metadata.pop("widgets", None)


def build(script: Path, notebook: Path) -> None:
    """Write ``notebook`` from ``script``: the script's cells, the old notebook's ids and metadata."""
    book = jupytext.read(script, fmt=FORMAT)
    if notebook.exists():
        book = combine_inputs_with_outputs(book, nbformat.read(notebook, as_version=4), fmt=FORMAT)
    else:
        book.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    book.metadata.pop("jupytext", None)
    _readable_ids(book, script.stem)
    _strip(book)
    nbformat.validate(book)
    nbformat.write(book, notebook)


def execute(notebook: Path) -> None:
    """Run ``notebook`` in notebooks/ and store outputs only for the cells nbval compares."""
    from nbclient import NotebookClient

    book = nbformat.read(notebook, as_version=4)
    NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NB)}}).execute()
    _strip(book)
    nbformat.write(book, notebook)


def main(argv: list[str]) -> None:
    wanted = [Path(a).stem for a in argv if not a.startswith("-")]
    found = pairs()
    unknown = [w for w in wanted if w not in found]
    if unknown:
        sys.exit(f"no script notebooks/py/<name>.py for: {', '.join(unknown)}")
    for stem in wanted or found:
        script, notebook = found[stem]
        build(script, notebook)
        if "--execute" in argv:
            execute(notebook)
        print(f"{notebook.relative_to(ROOT)}  <-  {script.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
