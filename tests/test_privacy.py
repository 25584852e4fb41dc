"""Privacy and safety: nothing asks for an identifier; every patient-facing place carries the
disclaimer and the 988 Lifeline; the project carries no sales copy or business contacts.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import toolkit
from toolkit.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
IDENTIFIER = re.compile(
    r"(first[_ ]?name|last[_ ]?name|full[_ ]?name|patient[_ ]?name|\bname\b|birth|\bdob\b|member[_ ]?id|subscriber|"
    r"policy[_ ]?number|\bssn\b|social security|address|zip|postal|phone|e-?mail)",
    re.I,
)


def _schema_fields(schema: dict) -> list[str]:
    """Every property name in a JSON schema, nested models included."""
    names: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                names.append(key)
                walk(value)
            for key in ("$defs", "items", "anyOf", "allOf", "oneOf"):
                if key in node:
                    sub = node[key]
                    for item in sub.values() if isinstance(sub, dict) else (sub if isinstance(sub, list) else [sub]):
                        walk(item)

    walk(schema)
    return names


def test_saved_scenario_schema_has_no_identifier_fields():
    fields = _schema_fields(Scenario.model_json_schema())
    assert fields, "schema walk found nothing"
    bad = [f for f in fields if IDENTIFIER.search(f)]
    assert not bad, bad


def test_scenario_refuses_an_identifier_smuggled_into_a_file():
    data = json.loads(toolkit.default_scenario().to_json())
    data["patient_name"] = "x"
    with pytest.raises(toolkit.ScenarioError) as exc:
        toolkit.validate_scenario(data)
    assert "patient_name" in str(exc.value)


def _source_files():
    for folder in ("toolkit", "notebooks", "tools"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".ipynb", ".j2", ".html", ".md"} and "__pycache__" not in path.parts:
                yield path


# prompts that would ask a person for an identifier, in any face of the toolkit
ASKS = re.compile(
    r"(enter|type|your|patient'?s|provide|what is)\s+(the\s+)?(patient'?s\s+)?(full\s+)?"
    r"(name|date of birth|birth ?date|member id|policy number|address|phone|e-?mail|social security)",
    re.I,
)
ALLOWED = re.compile(r"(no|never|not|nor|without|leave out|don't|do not)\b[^.\n]{0,60}(name|birth|member|identifier)", re.I)


def test_no_face_asks_for_an_identifier():
    hits = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in ASKS.finditer(text):
            line = text[text.rfind("\n", 0, m.start()) + 1 : text.find("\n", m.end())]
            if not ALLOWED.search(line):
                hits.append(f"{path.relative_to(ROOT)}: {line.strip()[:120]}")
    assert not hits, "\n".join(hits)


def test_dashboard_fields_ask_for_no_identifier():
    from toolkit.faces.dashboard import Dashboard

    dash = Dashboard()
    for path, fld in dash.fields.items():
        text = f"{path} {fld.widget.description} {getattr(fld.widget, 'placeholder', '')}"
        if IDENTIFIER.search(text):
            assert re.search(r"no names", text, re.I), text


def _plain(text: str) -> str:
    """What a reader sees of a page's words: entities decoded, runs of white space as one space."""
    return " ".join(html.unescape(text).split())


NOTICES = {"disclaimer": toolkit.DISCLAIMER, "988 line": toolkit.CRISIS_LINE}


def _assert_notices(name: str, text: str) -> None:
    seen = _plain(text)
    for what, sentence in NOTICES.items():
        assert _plain(sentence) in seen, f"{name}: the {what} sentence (toolkit.notices) is missing"
    assert "{{" not in seen and "{%" not in seen, f"{name}: an unrendered template placeholder"


def test_patient_facing_places_carry_disclaimer_and_988():
    """The rendered words, as the patient reads them: each place carries toolkit.notices' two sentences."""
    from toolkit.faces import fragments as report
    from toolkit.faces.cli import render_table
    from toolkit.faces.dashboard import Dashboard
    from toolkit.workflow.benefits_check import render_call_sheets

    comp = toolkit.compare(toolkit.default_scenario())
    places = {
        "dashboard header": Dashboard().header.value,
        "report notices": report.notices_html(),
        "CLI table": render_table(comp),
        "benefits call sheet (HTML)": render_call_sheets(comp.scenario, fmt="html"),
        "benefits call sheet (Markdown)": render_call_sheets(comp.scenario, fmt="md"),
    }
    for name, text in places.items():
        _assert_notices(name, text)


def test_start_notebook_prints_the_notices():
    """00_start_here's stored outputs (pinned by nbval against a fresh run), not its source cells."""
    book = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    outputs = []
    for cell in book["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            outputs.append("".join(text) if isinstance(text, list) else text)
    _assert_notices("00_start_here outputs", "\n".join(outputs))


@pytest.mark.parametrize("example", ["commercial_ppo_trd", "commercial_hmo_suicidal_ideation"])
def test_rendered_handout_carries_disclaimer_and_988(example):
    """The handout as rendered from its template, not the template's {{ DISCLAIMER }} placeholder."""
    from toolkit.faces import handout
    from toolkit.templating import TEMPLATE_DIR, environment

    template = TEMPLATE_DIR / handout.TEMPLATE
    assert template.is_file(), template
    # the file on disk is the one the handout renders, and it takes the words from toolkit.notices
    assert Path(environment().get_template(handout.TEMPLATE).filename).resolve() == template.resolve()
    source = template.read_text(encoding="utf-8")
    assert "{{ DISCLAIMER }}" in source and "{{ CRISIS_LINE }}" in source
    page = handout.render_html(toolkit.compare(toolkit.load_example(example)), with_financing=False)
    _assert_notices(f"handout ({example})", page)


def test_readme_carries_disclaimer_and_988():
    text = _plain((ROOT / "README.md").read_text(encoding="utf-8").replace("\n>", "\n"))
    assert "call or text **988**" in text
    assert "not medical, financial or legal advice" in text


SALES = re.compile(
    r"(call us|book (now|today|your)|schedule (now|today)|limited time|special offer|best (price|clinic)|"
    r"sign up today|whatsapp|ketacyn|\bpromo code\b)",
    re.I,
)
PHONE = re.compile(r"(?<![\d.$])(\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def test_no_sales_copy_or_business_contact_details():
    hits = []
    files = list(_source_files()) + list((ROOT / "data").rglob("*.csv")) + list((ROOT / "data").rglob("*.json")) + [ROOT / "README.md"]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            if line.strip().startswith(">>>"):
                continue  # doctests that show the identifier checker refusing a phone number
            for rx in (SALES, PHONE, EMAIL):
                for m in rx.finditer(line):
                    hits.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert not hits, "\n".join(hits[:20])
