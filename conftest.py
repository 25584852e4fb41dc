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


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config):
    if _is_xdist_worker(config) and os.environ.get("TOOLKIT_NETGUARD_LOG"):
        # a pytest-xdist worker (make test runs `pytest -n 2`): it inherited the controller's
        # environment, so its children log to the one file the controller reads at the end
        config._toolkit_netguard_log = Path(os.environ["TOOLKIT_NETGUARD_LOG"])
        return
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
    # figures a test reports with record_property("figure", text), e.g. the data mutations
    # caught; read from the reports, so they arrive from xdist workers too
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) == "call":
                for name, value in getattr(report, "user_properties", []):
                    if name == "figure":
                        terminalreporter.write_line(str(value))
    attempts = _attempts(config)
    terminalreporter.write_line(f"network guard: {len(attempts)} attempted connections outside 127.0.0.1 from child processes")
    for line in attempts[:10]:
        terminalreporter.write_line(f"  {line}")


def pytest_sessionfinish(session, exitstatus):
    if _attempts(session.config) and session.exitstatus == 0:
        session.exitstatus = 1
