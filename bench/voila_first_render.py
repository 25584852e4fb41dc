"""Time to the first rendered result in Voila, from opening the page on a warm server (target <= 3 s).

Starts Voila on 127.0.0.1 with the dashboard notebook, opens it once to warm the server (the
first kernel and imports), then opens it again several times in Debian's Chromium and times
``goto`` to the moment the first figures (the decision-path tables) are on screen. Prints the
median; asserts nothing (a timed test would flake on a busy machine).

Run: ``make bench`` (needs the test set: Playwright and Chromium, as ``make test`` installs them).
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_RESULT = "table[aria-label^='what could happen']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(repeat: int = 5) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Voila first render: skipped (Playwright is in the test set: make setup-test)")
        return
    if not Path(CHROMIUM).exists():
        print("Voila first render: skipped (Chromium is not installed: make test installs it)")
        return
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    proc = subprocess.Popen([str(voila), str(ROOT / "notebooks" / "01_compare_options.ipynb"), "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1", *sys.argv[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for i in range(repeat + 1):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                t = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded", timeout=90_000)
                page.locator(FIRST_RESULT).first.wait_for(timeout=90_000)
                if i:  # the first visit warms the server
                    times.append(time.perf_counter() - t)
                page.close()
            browser.close()
        print(f"Voila: page opened -> first result on screen:    {statistics.median(times):6.2f} s median   target <= 3 s "
              f"(warm server, {repeat} visits)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
