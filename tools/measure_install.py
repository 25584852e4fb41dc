"""How much each install brings: size of site-packages and number of distributions.

Creates three fresh venvs in a temporary folder and installs, from PyPI:

- core:      ``pip install .``                          (engine, CLI, HTML handout)
- dashboard: ``pip install .[dashboard,pdf]``           (what ``make dashboard`` and Binder get)
- test:      ``pip install -r requirements-dev.txt .``  (what ``make test`` and CI get)

and prints, for each, the installed size of site-packages (MB, 10^6 bytes) and the number of
installed distributions (``pip list``, not counting pip, setuptools and wheel). Needs the
network; not part of the test run. Figures go in the README ("What gets installed").

Run: ``python3 tools/measure_install.py`` (about 2 minutes).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "core": ["."],
    "dashboard": [".[dashboard,pdf]"],
    "test": ["-r", "requirements-dev.txt", "."],
}
NOT_COUNTED = {"pip", "setuptools", "wheel"}


def site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python*/site-packages")
    return found


def size_mb(folder: Path) -> float:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            p = Path(dirpath) / f
            if not p.is_symlink():
                total += p.stat().st_size
    return total / 1e6


def measure(name: str, args: list[str], tmp: Path) -> dict:
    venv = tmp / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    # a copy of the repository, so pip's build files never land in the working tree
    src = tmp / f"src-{name}"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "test-artifacts"))
    t = time.perf_counter()
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args], cwd=src, check=True)
    seconds = time.perf_counter() - t
    listed = json.loads(subprocess.run([py, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"], capture_output=True, text=True, check=True).stdout)
    dists = [d["name"] for d in listed if d["name"].lower() not in NOT_COUNTED]
    return {"set": name, "MB": size_mb(site_packages(venv)), "distributions": len(dists), "seconds": seconds}


def main() -> None:
    print(f"measured {date.today():%Y-%m-%d}, Python {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="toolkit-measure-") as tmp:
        rows = [measure(name, args, Path(tmp)) for name, args in SETS.items()]
    print(f"{'set':<10} {'site-packages':>14} {'distributions':>14} {'install':>9}")
    for r in rows:
        print(f"{r['set']:<10} {r['MB']:>11.0f} MB {r['distributions']:>14} {r['seconds']:>7.0f} s")


if __name__ == "__main__":
    main()
