"""Privacy and safety: nothing asks for an identifier; every patient-facing place carries the
disclaimer and the 988 Lifeline; the project carries no sales copy or business contacts.
"""

from __future__ import annotations

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


def test_patient_facing_places_carry_disclaimer_and_988():
    from toolkit.faces import fragments as report
    from toolkit.faces.cli import render_table
    from toolkit.faces.dashboard import Dashboard

    notices = report.notices_html()
    places = {
        "dashboard header": Dashboard().header.value,
        "report notices": notices,
        "CLI table": render_table(toolkit.compare(toolkit.default_scenario())),
        "start notebook": (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"),
        "README": (ROOT / "README.md").read_text(encoding="utf-8"),
    }
    handout = ROOT / "toolkit" / "templates" / "handout.html.j2"
    if handout.exists():
        places["handout template"] = handout.read_text(encoding="utf-8")
    for name, text in places.items():
        assert "988" in text, name
        assert re.search(r"not medical|isn.t medical|not\s+(a\s+)?substitute", text, re.I) or "DISCLAIMER" in text, name


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
