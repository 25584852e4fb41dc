"""The dependency lists agree (requirement files, pyproject, environment.yml), and the set-up paths (make, Binder) stay wired up."""

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


PROJECT = "ketamine-options-toolkit"
# requirement file -> the pyproject list its own lines must equal ("" = [project] dependencies)
FILES = {
    "requirements.txt": "",
    "requirements-dashboard.txt": "dashboard",
    "requirements-pdf.txt": "pdf",
    "requirements-dev.txt": "test",
}
# what each file must include with -r (the files build on each other)
INCLUDES = {
    "requirements.txt": [],
    "requirements-dashboard.txt": ["requirements.txt"],
    "requirements-pdf.txt": ["requirements.txt"],
    "requirements-dev.txt": ["requirements-dashboard.txt", "requirements-pdf.txt"],
}
# the extras: nothing of these in the core
EXTRA_ONLY = ("ipywidgets", "jupyterlab-widgets", "jupyterlab", "voila", "ipykernel", "weasyprint")
# pinned exactly, and all in the same list (widget front end and back end together)
PINNED_TOGETHER = ("ipywidgets", "jupyterlab-widgets", "jupyterlab", "voila")


def requirement_lines(name: str) -> list[str]:
    lines = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def includes(name: str) -> list[str]:
    return [l.split(None, 1)[1].strip() for l in requirement_lines(name) if l.startswith("-r ")]


def own(name: str) -> dict[str, str]:
    """The requirements written in the file itself (not those it includes with -r)."""
    out = {}
    for line in requirement_lines(name):
        assert not line.startswith("-") or line.startswith("-r "), f"{name}: only -r is used here: {line!r}"
        if not line.startswith("-"):
            req, spec = normalise(line)
            assert req not in out, f"{name}: {req} twice"
            out[req] = spec
    return out


def resolved(name: str) -> dict[str, str]:
    """Everything ``pip install -r name`` asks for, following -r; a name given twice must agree."""
    out = dict(own(name))
    for inc in includes(name):
        for req, spec in resolved(inc).items():
            assert out.get(req, spec) == spec, f"{name}: {req} {out[req]} vs {spec} (from {inc})"
            out[req] = spec
    return out


def requirements_txt() -> dict[str, str]:
    return own("requirements.txt")


def environment_yml() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_pip() -> dict[str, str]:
    pip = [d for d in environment_yml()["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml needs one pip: section"
    out = dict(normalise(r) for r in pip[0]["pip"])
    assert len(out) == len(pip[0]["pip"]), "environment.yml: a package twice"
    return out


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


SELF = re.compile(rf"^{PROJECT}\[([a-z0-9,\s-]+)\]$")


def pyproject_list(extra: str) -> tuple[dict[str, str], list[str]]:
    """One list of pyproject (``""``: the core), as {name: spec}, and the extras it pulls in by self-reference."""
    project = pyproject()["project"]
    reqs = project["dependencies"] if not extra else project["optional-dependencies"][extra]
    out, pulled = {}, []
    for r in reqs:
        m = SELF.match(r.replace(" ", ""))
        if m:
            pulled += m.group(1).split(",")
            continue
        name, spec = normalise(r)
        assert name not in out, f"pyproject {extra or 'dependencies'}: {name} twice"
        out[name] = spec
    return out, pulled


def pyproject_deps() -> dict[str, str]:
    return pyproject_list("")[0]


def test_normalise():
    assert normalise("jupyterlab_widgets == 3.0.17") == ("jupyterlab-widgets", "==3.0.17")
    assert normalise("Pandas>=2.2  # comment") == ("pandas", ">=2.2")
    assert normalise("numpy<3, >=1.26") == ("numpy", "<3,>=1.26")


def test_every_requirement_file_is_known():
    assert sorted(p.name for p in ROOT.glob("requirements*.txt")) == sorted(FILES)


def test_requirement_files_build_on_each_other():
    for name, expected in INCLUDES.items():
        assert sorted(includes(name)) == sorted(expected), name


@pytest.mark.parametrize("name", list(FILES))
def test_each_requirement_file_matches_its_pyproject_list(name):
    assert own(name) == pyproject_list(FILES[name])[0]


def test_requirements_and_pyproject_agree():
    assert requirements_txt() == pyproject_deps()


def test_the_test_extra_brings_what_requirements_dev_brings():
    """``pip install .[test]`` and ``pip install -r requirements-dev.txt`` ask for the same packages."""
    tools, pulled = pyproject_list("test")
    assert sorted(pulled) == ["dashboard", "pdf"]
    extras = {}
    for extra in pulled:
        extras.update(pyproject_list(extra)[0])
    assert resolved("requirements-dev.txt") == {**pyproject_deps(), **extras, **tools}


def test_environment_yml_is_core_dashboard_and_pdf():
    """Binder users open the dashboard and can make a PDF handout; they do not run the tests."""
    binder = {**resolved("requirements-dashboard.txt"), **resolved("requirements-pdf.txt")}
    assert environment_pip() == binder
    assert not set(environment_pip()) & set(own("requirements-dev.txt")), "test tools make every Binder build slower"


def test_requirements_and_environment_yml_agree():
    for name in ("requirements.txt", "requirements-dashboard.txt", "requirements-pdf.txt"):
        for req, spec in own(name).items():
            assert environment_pip().get(req) == spec, f"{req}: {name} says {spec!r}, environment.yml {environment_pip().get(req)!r}"


def test_no_duplicates_in_the_lists():
    everything = [req for name in FILES for req in own(name)]
    assert len(everything) == len(set(everything)), "a package listed in two requirement files"
    lists = [pyproject_list(x)[0] for x in FILES.values()]
    assert sum(map(len, lists)) == len(set().union(*lists))


def test_the_core_is_light():
    assert not set(EXTRA_ONLY) & set(requirements_txt())
    assert not set(EXTRA_ONLY) & set(pyproject_deps())


def test_widget_packages_are_pinned_exactly_and_together():
    dashboard = own("requirements-dashboard.txt")
    for name in PINNED_TOGETHER:
        assert dashboard.get(name, "").startswith("=="), name
        assert "," not in dashboard[name], name


def test_makefile_reinstalls_when_any_requirement_file_changes():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamps = re.findall(r"^\$\(VENV\)/\.installed[\w-]*:(.*)$", make, re.M)
    assert stamps, "no stamp rule in the Makefile"
    prerequisites = " ".join(stamps)
    for name in [*FILES, "pyproject.toml"]:
        assert name in prerequisites, name


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
