"""The three dependency lists agree, and the two set-up paths (make, Binder) stay wired up."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def normalise(requirement: str) -> tuple[str, str]:
    """("ipywidgets", "==8.1.9"): name lower-cased with -, _ and . alike; specifier without spaces."""
    m = REQUIREMENT.match(requirement.split("#", 1)[0])
    assert m, f"not a requirement: {requirement!r}"
    name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
    spec = ",".join(sorted(part.strip() for part in m.group(2).replace(" ", "").split(",") if part.strip()))
    return name, spec


def requirements_txt() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, spec = normalise(line)
            out[name] = spec
    return out


def environment_yml() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_pip() -> dict[str, str]:
    pip = [d for d in environment_yml()["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml needs one pip: section"
    return dict(normalise(r) for r in pip[0]["pip"])


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_deps() -> dict[str, str]:
    return dict(normalise(r) for r in pyproject()["project"]["dependencies"])


def test_normalise():
    assert normalise("jupyterlab_widgets == 3.0.17") == ("jupyterlab-widgets", "==3.0.17")
    assert normalise("Pandas>=2.2  # comment") == ("pandas", ">=2.2")
    assert normalise("numpy<3, >=1.26") == ("numpy", "<3,>=1.26")


def test_requirements_and_pyproject_agree():
    assert requirements_txt() == pyproject_deps()


def test_requirements_and_environment_yml_agree():
    assert requirements_txt() == environment_pip()


def test_no_duplicates_in_the_lists():
    lines = [l.split("#", 1)[0].strip() for l in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    names = [normalise(l)[0] for l in lines if l and not l.startswith("-")]
    assert len(names) == len(set(names))
    assert len(pyproject()["project"]["dependencies"]) == len(pyproject_deps())


def test_widget_packages_are_pinned_exactly():
    deps = requirements_txt()
    for name in ("ipywidgets", "jupyterlab-widgets"):
        assert deps[name].startswith("=="), name


def test_python_version_is_the_same_everywhere():
    conda = [d for d in environment_yml()["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    requires = pyproject()["project"]["requires-python"].replace(" ", "")
    assert requires in (">=3.11", "==3.11.*", ">=3.11,<3.12")


def test_postbuild_installs_the_package_without_dependencies():
    post = ROOT / "postBuild"
    text = post.read_text(encoding="utf-8")
    assert re.search(r"pip install\s+--no-deps\s+-e\s+\.(\s|$)", text), text
    assert text.startswith("#!")
    assert post.stat().st_mode & 0o111, "postBuild must be executable"


def test_ci_runs_make_test():
    run = ROOT / ".ci" / "run"
    lines = [l.strip() for l in run.read_text(encoding="utf-8").splitlines() if l.strip() and not l.strip().startswith("#")]
    assert "make test" in lines
    assert run.stat().st_mode & 0o111, ".ci/run must be executable"


def test_makefile_has_the_test_target():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test:", make, re.M)
    assert "pytest" in make


def test_readme_gives_the_test_command():
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("no README.md yet")
    assert "make test" in readme.read_text(encoding="utf-8")
