"""The patient handout: renders to a PDF of at most two pages with the key figures in it,
falls back to HTML plainly when WeasyPrint is missing, and the CLI exits 2 on bad input."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from html import escape

import pytest

from toolkit import CRISIS_LINE, DISCLAIMER, compare, default_scenario, load_example
from toolkit.faces.cli import main
from toolkit.faces.handout import HandoutError, handout_pdf, render_html, write_handout
from toolkit.money import fmt_round

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def comp():
    return compare(default_scenario())


def key_figures(comp) -> list[str]:
    out = []
    for o in comp.options.values():
        # the paths lead: each path's cost over the whole period, the likely path's first month; the average stays, labelled
        out += [o.label, o.coverage.level_label, fmt_round(o.total("expected")), fmt_round(o.likely_path.total("typical", 1))]
        out += [fmt_round(p.total()) for p in o.paths]
    return out


def test_html_has_the_key_figures_and_notices(comp):
    html = render_html(comp, prepared=date(2026, 11, 30))
    for text in key_figures(comp):
        assert escape(text) in html, text
    assert escape(DISCLAIMER) in html
    assert escape(CRISIS_LINE) in html
    assert "30 November 2026" in html
    assert "Next steps" in html and "Documents to gather" in html
    assert "Figures checked between" in html
    assert "data:image/svg+xml;base64," in html  # the chart travels inside the file
    assert "Ways to pay" in html and "one payment missed" in html


def test_text_is_escaped(make_scenario):
    s = make_scenario({"title": "<script>alert(1)</script> PPO"})
    html = render_html(compare(s), with_financing=False)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_poppler
@pytest.mark.parametrize("example, months", [("commercial_ppo_trd", None), ("commercial_ppo_chronic_pain", None), ("hdhp_hsa_trd", 36)])
def test_pdf_has_key_figures_on_at_most_two_pages(tmp_path, example, months):
    s = load_example(example)
    if months:
        s = s.model_copy(update={"horizon_months": months})
    c = compare(s)
    path, message = write_handout(c, tmp_path / "handout.pdf")
    assert path.suffix == ".pdf" and path.read_bytes()[:5] == b"%PDF-"
    assert message.startswith("Handout written")
    text = " ".join(pdf_text(path).split())
    for figure in key_figures(c):
        assert figure in text, figure
    assert "988" in text and "Estimates, not advice" in text
    # the whole sentences from toolkit.notices, as printed on the page
    assert " ".join(DISCLAIMER.split()) in text and " ".join(CRISIS_LINE.split()) in text
    assert pdf_pages(path) <= 2


def test_missing_weasyprint_writes_html_and_says_so(comp, tmp_path, monkeypatch):
    import toolkit.faces.handout as handout

    monkeypatch.setattr(handout, "pdf_available", lambda: (False, "WeasyPrint cannot load its system libraries (libpango missing)"))
    path, message = write_handout(comp, tmp_path / "h.pdf")
    assert path == tmp_path / "h.html" and path.exists()
    assert not (tmp_path / "h.pdf").exists()
    assert "PDF not available" in message and "written as HTML instead" in message
    with pytest.raises(HandoutError):
        handout_pdf(comp)


def test_bad_extension_is_refused(comp, tmp_path):
    with pytest.raises(HandoutError, match=".html or .pdf"):
        write_handout(comp, tmp_path / "h.docx")


def test_cli_writes_handout_and_calendar(tmp_path, capsys):
    rc = main(["handout", "--example", "uninsured_trd", "--out", str(tmp_path / "h.html"), "--calendar", str(tmp_path / "s.ics"), "--option", "iv_ketamine", "--time", "10:00"])
    out = capsys.readouterr().out
    assert rc == 0
    assert (tmp_path / "h.html").exists() and (tmp_path / "s.ics").exists()
    assert "Handout written" in out and "Calendar written" in out


@pytest.mark.parametrize("args, words", [
    (["--out", "h.docx"], "must end in .pdf or .html"),
    (["missing.json", "--out", "h.html"], "missing.json: file: not found"),
    (["--example", "nope", "--out", "h.html"], "not an example"),
    (["--out", "no/such/folder/h.html"], "does not exist"),
    (["--out", "h.html", "--calendar", "s.ics", "--time", "noon"], "HH:MM"),
    (["--out", "h.html", "--calendar", "s.txt"], "must end in .ics"),
])
def test_cli_bad_input_exits_2_with_one_message(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    rc = main(["handout", *args])  # in process: an unforeseen error would raise here
    out, err = capsys.readouterr()
    assert rc == 2
    assert err.startswith("error:") and words in err
    assert len(err.strip().splitlines()) == 1
    # refused before anything was written: no handout, no calendar, no "written" message
    assert sorted(p.name for p in tmp_path.rglob("*")) == []
    assert out == ""


def test_cli_bad_scenario_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cut.json").write_text('{"schema_version": 1, "plan": {')
    assert main(["handout", "cut.json", "--out", "h.html"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert not (tmp_path / "h.html").exists()


def test_panel_makes_handout_links(tmp_path, monkeypatch):
    from toolkit.faces.dashboard import Dashboard

    monkeypatch.chdir(tmp_path)
    handout = Dashboard().takeaway.handout
    message, link = handout.message, handout.link
    handout.html_button.click()
    assert "Handout ready" in message.value and 'download="handout-2026-12-07.html"' in link.value


def test_accumulator_question_at_the_top_while_unknown():
    """Nobody has asked the plan about an accumulator: the handout asks first, above the comparison and in the calls."""
    scenario = load_example("commercial_ppo_trd")
    assert scenario.plan.copay_assistance_counts == "unknown"
    html = render_html(compare(scenario), prepared=date(2026, 11, 30))
    top = html.index("Ask the plan first:")
    assert top < html.index("The two options side by side") and "copay-accumulator or maximizer program" in html[top:top + 400]
    known = scenario.model_copy(update={"plan": scenario.plan.model_copy(update={"copay_assistance_counts": "accumulator"})})
    assert "Ask the plan first:" not in render_html(compare(known), prepared=date(2026, 11, 30))
