"""The package's floors: data flows one way, and no module imports from a floor above its own.

Floors, from the ground up (a module may import from its own floor and those below):

0. ``money``, ``dates``, ``notices``, ``templating``: arithmetic, calendars, the words every page carries
1. ``data``: reading and checking the sourced tables
2. ``amounts``, ``plan``, ``scenario``, ``examples``, ``storage``: the validated inputs
3. ``engine``: schedule, claims, adjudication, comparison, the many-draws evaluator
4. ``analysis``, ``paying``, ``workflow``: what is worked out from the engine's results
5. ``faces``: what a person sees (dashboard, notebooks' panels, CLI, handout, calendar file)

Checked from the source (every ``import`` and ``from ... import``, including those inside
functions), so a lazy import cannot hide a wrong-way dependency. Also: no cycle between
modules, and no module much over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"
FLOORS = {
    "money": 0, "dates": 0, "notices": 0, "templating": 0, "i18n": 0,
    "data": 1,
    "amounts": 2, "plan": 2, "scenario": 2, "examples": 2, "storage": 2,
    "engine": 3,
    "analysis": 4, "paying": 4, "workflow": 4, "eob": 4,
    "faces": 5, "__main__": 5,
}
MAX_LINES = 420  # "about 400": a module a person reads in one sitting


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every toolkit module ``name`` imports (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("toolkit")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("toolkit"):
                continue
            found.add(target)
            for alias in node.names:  # "from . import rules" imports a module
                found.add(f"{target}.{alias.name}")
    modules = _modules()
    return {m for m in found if m in modules and m != name}


def floor(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # the package itself: its __init__ re-exports the public names
        return 6
    return FLOORS[parts[1]]


def test_every_module_has_a_floor():
    missing = [m for m in _modules() if m != "toolkit" and m.split(".")[1] not in FLOORS]
    assert not missing, f"give these a floor in FLOORS: {missing}"


def test_no_module_imports_from_a_higher_floor():
    wrong = []
    for name, path in _modules().items():
        for target in _imports(name, path):
            if floor(target) > floor(name):
                wrong.append(f"{name} (floor {floor(name)}) imports {target} (floor {floor(target)})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    modules = _modules()
    graph = {name: {t for t in _imports(name, path) if t != "toolkit"} for name, path in modules.items()}
    # a package's __init__ may import its own modules; a module importing its package is the cycle to find
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt.startswith(node + "."):
                continue  # a package importing its own submodules
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]) if nxt in stack else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_is_small_enough_to_read_in_one_sitting(name):
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it by what it is for"


def test_the_check_can_fail(tmp_path):
    """The floor rule itself: the engine importing a face would be refused."""
    assert floor("toolkit.engine.compare") < floor("toolkit.faces.dashboard")
    assert floor("toolkit.data.loader") < floor("toolkit.engine.terms")


def test_the_package_has_no_unused_or_undefined_names():
    """pyflakes' checks and import order (ruff F and I) over toolkit/: dead imports are where moved code leaves a trail."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F,I", str(PACKAGE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
