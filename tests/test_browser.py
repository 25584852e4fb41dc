"""A real browser: Voila serves the dashboard on 127.0.0.1, Chromium (Debian) loads it.

What a person sees is drawn by JavaScript, so this is the only test that proves the
widgets render, that changing an input updates the numbers and the chart, and that a bad
value shows a message. A screenshot is saved under test-artifacts/ to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:  # noqa: allowed by pytest-socket for 127.0.0.1 only
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (make test installs it)")
    port = _free_port()
    voila = Path(sys.executable).with_name("voila")
    proc = subprocess.Popen(
        [str(voila), str(ROOT / "notebooks" / "01_compare_options.ipynb"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("Voila did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def page(voila_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 800})
        pg.goto(voila_url, wait_until="domcontentloaded", timeout=90_000)
        pg.get_by_text("Will the plan pay?").wait_for(timeout=90_000)
        pg.locator("img").first.wait_for(timeout=30_000)
        yield pg
        browser.close()


def _chart_src(pg) -> str:
    return pg.locator("img").first.get_attribute("src") or ""


def _cost_table(pg) -> str:
    """The figures the dashboard leads with: each option's paths and what they cost."""
    return "\n".join(pg.locator("table[aria-label^='what could happen']").all_inner_texts())


def test_dashboard_renders_both_options(page):
    text = page.locator("body").inner_text()
    assert "IV ketamine" in text and "Spravato" in text
    assert "988" in text
    assert "not medical, financial or legal advice" in text
    assert "Likely covered" in text  # Spravato for the built-in commercial TRD example
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_changing_an_input_updates_numbers_and_chart(page):
    page.get_by_role("tab", name="2 Insurance").click()
    before_table, before_chart = _cost_table(page), _chart_src(page)
    box = page.get_by_label("Coinsurance (%)", exact=True)
    box.fill("50")
    box.press("Enter")
    page.wait_for_function(
        "([sel, old]) => { const i = document.querySelector(sel); return i && i.getAttribute('src') !== old; }",
        arg=["img", before_chart],
        timeout=30_000,
    )
    after_table = _cost_table(page)
    assert after_table != before_table
    assert _chart_src(page) != before_chart
    page.screenshot(path=str(ARTIFACTS / "dashboard-after-change.png"), full_page=True)


def test_bad_input_shows_message_and_keeps_result(page):
    page.get_by_role("tab", name="2 Insurance").click()
    before_table = _cost_table(page)
    box = page.get_by_label("Coinsurance (%)", exact=True)
    box.fill("150")
    box.press("Enter")
    page.get_by_text("must be 100 or less").first.wait_for(timeout=30_000)
    assert _cost_table(page) == before_table
    assert "Traceback" not in page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-bad-input.png"), full_page=True)
    box.fill("20")
    box.press("Enter")


def test_accessibility_no_serious_or_critical_axe_violations(page):
    """axe-core (bundled with axe-playwright-python, no download) on the live dashboard."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}" for v in bad)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-violations.txt").write_text(report or "none", encoding="utf-8")
    assert not bad, report


def test_keyboard_alone_can_change_a_value(page):
    """Tab from the top of the page to the coinsurance field and type a new value."""
    page.get_by_role("tab", name="2 Insurance").click()
    page.keyboard.press("Home")
    before = _cost_table(page)
    target = page.get_by_label("Coinsurance (%)", exact=True)
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the coinsurance field cannot be reached with the Tab key")
    page.keyboard.press("Control+A")
    page.keyboard.type("35")  # the observation visits' share changes every Spravato path
    page.keyboard.press("Enter")
    page.wait_for_function(
        "old => { const t = [...document.querySelectorAll(\"table[aria-label^='what could happen']\")]; return t.length && t.map(x => x.innerText).join('\\n') !== old; }",
        arg=before,
        timeout=30_000,
    )
