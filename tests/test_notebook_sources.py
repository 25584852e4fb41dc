"""Each notebook and its percent script agree, and the scripts are real, plain code.

notebooks/NN_name.ipynb is paired with notebooks/py/NN_name.py (jupytext ``py:percent``, see
jupytext.toml); the script is the source and ``make notebooks`` rebuilds the .ipynb from it.
These tests fail when:

- a notebook has no script, or a script no notebook;
- a pair disagrees on its cells (types and sources; outputs, execution counts, ids and
  metadata are the .ipynb's business and not compared);
- a stored notebook carries outputs other than the pinned ones (``# NBVAL_CHECK_OUTPUT``),
  or a pinned cell has none (nbval would then compare nothing and pass), or widget state;
- a code cell does not compile, or defines a function or class (logic lives in ``toolkit``),
  or ruff finds a problem (rules in notebooks/py/.ruff.toml);
- a notebook does not open with what it answers and close with a summary and what to do
  next, or its summary quotes a number no pinned output above it printed.
"""

from __future__ import annotations

import ast
import difflib
import fnmatch
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SCRIPTS = NOTEBOOKS / "py"
PINNED = "NBVAL_CHECK_OUTPUT"
REBUILD = "run `make notebooks` (script -> .ipynb, pinned outputs stored)"

STEMS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def script_cells(stem: str) -> list:
    return jupytext.read(SCRIPTS / f"{stem}.py", fmt="py:percent").cells


def notebook(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)


def code_cells(stem: str) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(script_cells(stem)) if c.cell_type == "code"]


def test_every_notebook_has_a_script_and_every_script_a_notebook():
    scripts = sorted(p.stem for p in SCRIPTS.glob("*.py"))
    assert STEMS, "no notebooks found"
    assert not sorted(set(STEMS) - set(scripts)), f"notebooks without a script in notebooks/py/: {sorted(set(STEMS) - set(scripts))}"
    assert not sorted(set(scripts) - set(STEMS)), f"scripts without a notebook in notebooks/: {sorted(set(scripts) - set(STEMS))} ({REBUILD})"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_and_script_agree(stem):
    if not (SCRIPTS / f"{stem}.py").exists():
        pytest.skip("no script (reported by the pairing test)")
    want = [(c.cell_type, c.source) for c in script_cells(stem)]
    have = [(c.cell_type, c.source) for c in notebook(stem).cells]
    if want == have:
        return
    i = next((k for k, (a, b) in enumerate(zip(want, have)) if a != b), min(len(want), len(have)))
    a = want[i] if i < len(want) else ("(none)", "")
    b = have[i] if i < len(have) else ("(none)", "")
    diff = "\n".join(difflib.unified_diff(a[1].splitlines(), b[1].splitlines(), f"notebooks/py/{stem}.py", f"notebooks/{stem}.ipynb", lineterm=""))
    pytest.fail(
        f"{stem}: script has {len(want)} cells, notebook {len(have)}; first difference at cell {i} "
        f"(script: {a[0]}, notebook: {b[0]}):\n{diff}\n"
        f"If the script is right, {REBUILD}; if the notebook was edited, `jupytext --sync notebooks/{stem}.ipynb`."
    )


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_stores_only_the_pinned_outputs(stem):
    book = notebook(stem)
    problems = []
    for i, cell in enumerate(book.cells):
        if cell.cell_type != "code":
            continue
        if PINNED in cell.source:
            if not cell.outputs:
                problems.append(f"cell {i} is pinned but has no stored output (nbval would compare nothing)")
        elif cell.outputs or cell.execution_count is not None:
            problems.append(f"cell {i} is not pinned but has stored output or an execution count")
    if "widgets" in book.metadata:
        problems.append("widget state is stored (a reopened notebook would show stale widgets)")
    assert not problems, f"{stem}: " + "; ".join(problems) + f". {REBUILD}"


@pytest.mark.parametrize("stem", STEMS)
def test_code_cells_compile_and_define_nothing(stem):
    assert code_cells(stem), f"{stem}: no code cell"
    for i, source in code_cells(stem):
        tree = compile(source, f"notebooks/py/{stem}.py, cell {i}", "exec", ast.PyCF_ONLY_AST)
        compile(tree, f"notebooks/py/{stem}.py, cell {i}", "exec")
        defined = [f"{type(n).__name__} {n.name!r} (line {n.lineno})" for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        assert not defined, f"{stem} cell {i} defines {defined}: put logic in the toolkit package and call it from the cell"
        assert not re.search(r"^(async\s+def|def|class)\s", source, re.M), f"{stem} cell {i}"


def test_ruff_passes_on_the_scripts():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "notebooks/py"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_scripts_are_not_collected_by_pytest():
    """--doctest-modules would import notebooks/py/*.py, running every cell outside a kernel
    (silently: they hold no doctests). The root conftest's collect_ignore_glob keeps them out;
    matched here the way pytest matches it (glob joined to the conftest's folder)."""
    spec = importlib.util.spec_from_file_location("_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    globs = [str(ROOT / g) for g in getattr(module, "collect_ignore_glob", [])]
    for script in sorted(SCRIPTS.glob("*.py")):
        assert any(fnmatch.fnmatch(str(script), g) for g in globs), f"{script} would be imported by doctest collection"
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        assert not any(fnmatch.fnmatch(str(nb), g) for g in globs), f"{nb} must stay under nbval"


# -- shape: what it answers first, a summary and what to do next last -----------------------

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
NOT_FIGURES = re.compile(r"\b\d\d_[a-z_]+|\b988\b|\b911\b")  # notebook names, crisis and emergency lines


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_opens_with_its_question_and_ends_with_summary_and_next_steps(stem):
    cells = script_cells(stem)
    first, last = cells[0], cells[-1]
    assert first.cell_type == "markdown" and first.source.startswith("# "), f"{stem}: open with a title and what the page answers"
    assert last.cell_type == "markdown", f"{stem}: close with a markdown summary"
    assert re.search(r"^## Summary$", last.source, re.M), f"{stem}: the last cell needs a '## Summary'"
    assert re.search(r"^### What to do next$", last.source, re.M), f"{stem}: the last cell needs a '### What to do next'"


@pytest.mark.parametrize("stem", STEMS)
def test_summary_quotes_only_pinned_figures(stem):
    book = notebook(stem)
    summary = book.cells[-1].source
    printed = "\n".join(
        o.get("text", "") if o.get("output_type") == "stream" else str(o.get("data", {}).get("text/plain", ""))
        for c in book.cells[:-1]
        if c.cell_type == "code" and PINNED in c.source
        for o in c.outputs
    )
    unbacked = [n for n in NUMBER.findall(NOT_FIGURES.sub(" ", summary)) if n not in printed]
    assert not unbacked, f"{stem}: the summary quotes {unbacked}, which no pinned output above it prints"


def test_every_notebook_but_the_dashboard_keeps_the_same_safety_notice():
    """Estimates-not-advice, privacy and 988, word for word the same in every notebook (the text
    was one shared constant before the scripts; now a copy per script, so a drift fails here).
    The dashboard (01) shows the notices in its own header (tests/test_privacy.py)."""
    notices = {}
    for stem in STEMS:
        if stem.startswith("01_"):
            continue
        cells = [c.source for c in script_cells(stem) if c.cell_type == "markdown" and "**988 Suicide & Crisis Lifeline.**" in c.source]
        assert len(cells) == 1, f"{stem}: expected one safety notice cell, found {len(cells)}"
        assert "**Estimates, not advice.**" in cells[0] and "**Privacy.**" in cells[0], stem
        notices[stem] = cells[0]
    assert len(set(notices.values())) == 1, f"the safety notice differs between notebooks: {sorted(notices)}"
