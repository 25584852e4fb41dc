"""The core stays light: the CLI, a batch run and the HTML handout import nothing from the extras.

`pip install .` installs only the core (pyproject `dependencies`); the notebooks/dashboard and
the PDF handout are extras. The test suite has everything installed, so "it runs" proves
nothing here: instead a fresh interpreter runs the commands through ``toolkit.faces.cli.main`` and
reports every module it imported, and none may come from the extras.

Also runnable on its own in a venv that has only the core (no pytest needed)::

    python tests/test_light_core.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# top-level modules of the dashboard and pdf extras (and the Jupyter machinery they bring)
FORBIDDEN = (
    "ipywidgets", "jupyterlab", "jupyterlab_widgets", "voila", "weasyprint", "IPython", "ipykernel",
    "jupyter_server", "jupyter_client", "nbformat", "nbconvert", "zmq", "tornado", "comm", "traitlets",
)

CHECK = r"""
import contextlib, io, json, sys
import toolkit.faces.cli

out_html, batch = sys.argv[1], sys.argv[2]
codes = {}
with contextlib.redirect_stdout(io.StringIO()):
    codes["compare"] = toolkit.faces.cli.main(["compare"])
    codes["batch"] = toolkit.faces.cli.main(["batch", batch])
    codes["handout"] = toolkit.faces.cli.main(["handout", "--out", out_html])
print(json.dumps({"codes": codes, "modules": sorted(sys.modules)}))
"""


def run_check(python: str = sys.executable) -> dict:
    """Run compare, batch and handout (HTML) in a fresh interpreter: exit codes, imported modules, the handout."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "handout.html"
        proc = subprocess.run(
            [python, "-c", CHECK, str(out), str(ROOT / "data" / "examples" / "batch_example.csv")],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["handout"] = out.read_text(encoding="utf-8") if out.exists() else ""
    return result


def heavy_imports(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".", 1)[0] in FORBIDDEN)


def test_cli_batch_and_html_handout_import_nothing_from_the_extras():
    result = run_check()
    assert result["codes"] == {"compare": 0, "batch": 0, "handout": 0}
    assert "988" in result["handout"] and "<img" in result["handout"]  # the chart is embedded
    assert "toolkit.faces.cli_batch" in result["modules"] and "toolkit.faces.handout" in result["modules"]
    assert heavy_imports(result["modules"]) == []


def test_the_core_dependencies_exclude_the_extras():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"]).lower().replace("_", "-")
    for name in ("ipywidgets", "jupyterlab", "voila", "ipykernel", "weasyprint"):
        assert name not in core, name


if __name__ == "__main__":
    result = run_check()
    heavy = heavy_imports(result["modules"])
    print(f"exit codes: {result['codes']}; {len(result['modules'])} modules imported; from the extras: {heavy or 'none'}")
    raise SystemExit(1 if heavy or set(result["codes"].values()) != {0} else 0)
