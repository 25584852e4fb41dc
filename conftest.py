"""Suite-wide guards: no network for any process the tests start.

pytest-socket (see pyproject addopts) guards this process. Kernels (nbval), Voila and CLI
subprocesses are separate processes, so tests/netguard/sitecustomize.py is put on their
PYTHONPATH: it refuses and logs any connection outside 127.0.0.0/8 and ::1. At the end the
number of attempts is printed, and any attempt fails the run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

GUARD_DIR = Path(__file__).resolve().parent / "tests" / "netguard"

# notebooks/py/ holds the notebooks' percent scripts (jupytext pairs, see jupytext.toml). They
# sit under a testpath, so --doctest-modules would import them and run every cell outside a
# kernel; nbval runs the .ipynb and tests/test_notebook_sources.py checks the scripts instead.
collect_ignore_glob = ["notebooks/py/*"]

# CI runs the same hypothesis examples every time (a red run is reproducible); a developer's
# run explores new ones. Tests that set their own max_examples keep it.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config):
    log = Path(tempfile.mkstemp(prefix="toolkit-netguard-", suffix=".log")[1])
    os.environ["TOOLKIT_NETGUARD_LOG"] = str(log)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD_DIR), os.environ.get("PYTHONPATH", "")]))
    config._toolkit_netguard_log = log


def _attempts(config) -> list[str]:
    log = getattr(config, "_toolkit_netguard_log", None)
    if log is None or not log.exists():
        return []
    return [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    attempts = _attempts(config)
    terminalreporter.write_line(f"network guard: {len(attempts)} attempted connections outside 127.0.0.1 from child processes")
    for line in attempts[:10]:
        terminalreporter.write_line(f"  {line}")


def pytest_sessionfinish(session, exitstatus):
    if _attempts(session.config) and session.exitstatus == 0:
        session.exitstatus = 1
