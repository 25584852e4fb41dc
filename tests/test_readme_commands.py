"""The README's two quick-start commands, exercised exactly as written.

`make test` is what CI runs (.ci/run); here the other one, `make dashboard`, is started,
checked to serve the dashboard on 127.0.0.1, then stopped.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    assert quick_start_commands() == ["make dashboard", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_make_dashboard_serves_the_dashboard_on_loopback():
    command = quick_start_commands()[0]
    # inside the suite the network is closed, so the set-up step must already be current
    # (make test runs it first); a stale .venv would make pip reach for the index here
    stale = subprocess.run(["make", "-q", "setup"], cwd=ROOT).returncode
    assert stale == 0, "the .venv is older than the requirements: run `make setup` (make test does) and retry"
    env = dict(os.environ, BROWSER="true")  # no display here: let "open the browser" be a no-op
    proc = subprocess.Popen(command, shell=True, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        page = ""
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8866/", timeout=30) as resp:
                    page = resp.read().decode("utf-8", "replace")
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode()) from None
                time.sleep(0.5)
        assert "voila" in page.lower(), page[:500]
        # Voila renders the notebook server-side into the page: the dashboard's cell ran
        assert "Compare IV ketamine and Spravato" in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
