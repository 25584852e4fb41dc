"""Spanish for everything the patient reads: the catalogue is complete, the Spanish pages carry no
English sentence from it, and the same figures as the English pages.

The catalogue is built here as ``make i18n`` builds it (tools/i18n.py: Babel's extraction with
babel.cfg, plus the engine's label tables and the data columns named in toolkit/faces/words.py),
so a string added on another branch fails the first test until it has a Spanish entry.
"""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from toolkit import compare, default_scenario
from toolkit.examples import example_names, load_example
from toolkit.faces import fragments
from toolkit.faces.calendar_file import sessions_ics
from toolkit.faces.charts import alt_text
from toolkit.faces.handout import render_html
from toolkit.faces.words import known, say
from toolkit.i18n import day as say_day
from toolkit.i18n import dollars, gettext_for, money

ROOT = Path(__file__).resolve().parent.parent
PREPARED = date(2026, 11, 30)


def _tools():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


TOOL = _tools()
TEMPLATE = TOOL.template_catalog()
_ = gettext_for("es")


@pytest.fixture(scope="module")
def handouts() -> dict[str, tuple[str, str]]:
    """Each example's handout, English and Spanish (HTML)."""
    out = {}
    for name in example_names():
        comp = compare(load_example(name))
        out[name] = (render_html(comp, prepared=PREPARED, lang="en"), render_html(comp, prepared=PREPARED, lang="es"))
    return out


def visible_text(page: str) -> str:
    """What a reader sees: the text outside tags, styles and scripts, plus the images' alt text."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + alts
    return re.sub(r"\s+", " ", html.unescape(text))


def english_fragments(msgid: str) -> list[str]:
    """The literal parts of a msgid between its placeholders, long enough to be a sentence of its own."""
    parts = re.split(r"%\(\w+\)s|\{\w+\}", html.unescape(msgid))
    return [p.strip(" .,;:()") for p in parts if len(p.strip(" .,;:()")) >= 24 and " " in p.strip()]


# ----------------------------------------------------------------------------- the catalogue


def test_every_patient_facing_msgid_has_a_spanish_entry():
    missing = TOOL.untranslated("es", TEMPLATE)
    assert not missing, f"{len(missing)} msgid(s) without Spanish: run `make i18n` and translate: {missing[:5]}"


def test_the_catalogue_reaches_templates_python_engine_tables_and_data():
    where = {loc.split(":")[0] for m in TEMPLATE for loc, _line in m.locations}
    assert "toolkit/templates/handout.html.j2" in where
    assert "toolkit/faces/calendar_file.py" in where
    assert "toolkit/notices.py" in where
    assert any(w.startswith("toolkit/plan.py") for w in where)  # PAYER_LABELS, harvested as msgids
    assert "data/coverage.csv" in where
    # the letters to insurers and the superbill checklist stay in English: no msgid comes from them
    assert not {w for w in where if "letter_" in w or "superbill" in w}


def test_spanish_entries_keep_their_placeholders():
    cat = TOOL.read("es")
    for m in TEMPLATE:
        if not m.id:
            continue
        es = cat.get(m.id).string
        for rx in (r"%\(\w+\)s", r"\{\w+\}"):
            assert sorted(re.findall(rx, m.id)) == sorted(re.findall(rx, es)), (m.id, es)


def test_the_988_line_in_spanish_is_said_as_the_lifeline_serves_spanish_speakers():
    from toolkit.notices import CRISIS_LINE

    line = _(CRISIS_LINE)
    assert "988" in line and "marque 2" in line and "AYUDA" in line and "988lifeline.org" in line and "911" in line


def test_money_and_dates_read_naturally_in_spanish():
    assert money(123456, "es") == "$1,234.56" and dollars(123456, "es") == "$1,235" and dollars(-500, "es") == "-$5"
    assert say_day(date(2027, 3, 15), "es") == "lun 15 mar 2027"
    assert say_day(date(2027, 3, 15), "es", "long") == "lunes 15 de marzo de 2027"
    assert say_day(date(2027, 3, 15), "en") == "Mon 15 Mar 2027"  # English as before


# ----------------------------------------------------------------------------- the handout


def test_spanish_handout_carries_no_english_sentence_from_the_catalogue(handouts):
    sentences = {frag for m in TEMPLATE if m.id and _(m.id) != m.id for frag in english_fragments(m.id)}
    sentences -= {frag for m in TEMPLATE if m.id for frag in english_fragments(_(m.id))}  # the same words in both
    for name, (_en, es) in handouts.items():
        text = visible_text(es)
        left = sorted(s for s in sentences if s in text)
        assert not left, f"{name}: English left on the Spanish handout: {left[:3]}"
        assert 'lang="es"' in es


def test_spanish_handout_has_the_disclaimer_988_and_terms_a_patient_knows(handouts):
    from toolkit.notices import DISCLAIMER

    _en, es = handouts["commercial_ppo_trd"]
    text = visible_text(es)
    assert _(DISCLAIMER) in text and "AYUDA" in text and "988 Línea de Prevención del Suicidio y Crisis" in text
    for term in ("deducible", "coseguro", "máximo de gastos de bolsillo", "autorización previa"):
        assert term in text, term
    assert "están en inglés" in text  # the letters and the superbill checklist stay in English, and it says so


MONEY = re.compile(r"-?\$[\d,]+(?:\.\d\d)?")
PCT = re.compile(r"\d+(?:\.\d)?%")
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ES_MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept?", "oct", "nov", "dic"]
EN_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(EN_MONTHS) + r")[a-z]* (\d{4})")
ES_DATE = re.compile(r"\b(\d{1,2}) (?:de )?(" + "|".join(ES_MONTHS) + r")[a-z]*\.? (?:de )?(\d{4})")


def figures(text: str, lang: str) -> tuple[Counter, Counter, Counter]:
    """Dollar amounts, percentages and full dates on a page, as multisets."""
    rx, months = (EN_DATE, EN_MONTHS) if lang == "en" else (ES_DATE, ES_MONTHS)
    days = Counter()
    for d, mon, y in rx.findall(text):
        idx = next(i for i, m in enumerate(months) if re.fullmatch(m, mon))
        days[date(int(y), idx + 1, int(d))] += 1
    return Counter(MONEY.findall(text)), Counter(PCT.findall(text)), days


def test_spanish_handout_carries_the_same_figures_as_the_english_one(handouts):
    for name, (en, es) in handouts.items():
        en_money, en_pct, en_days = figures(visible_text(en), "en")
        es_money, es_pct, es_days = figures(visible_text(es), "es")
        assert en_money and es_money == en_money, (name, en_money - es_money, es_money - en_money)
        assert es_pct == en_pct, (name, en_pct - es_pct, es_pct - en_pct)
        assert en_days and es_days == en_days, (name, en_days - es_days, es_days - en_days)


def test_every_engine_sentence_a_patient_reads_has_spanish():
    """Reasons, notes, paths and what would help: the engine's English, worded at the face through the catalogue."""
    for name in example_names():
        comp = compare(load_example(name))
        for o in comp.options.values():
            texts = [o.label, *(r.text for r in o.coverage.reasons), *o.coverage.raise_odds, *o.run("approved").notes]
            texts += [p.means for p in o.paths] + [p.short for p in o.paths] + [s.phase for s in o.sessions[:60]]
            for t in texts:
                assert known(t, "es"), f"{name}: no Spanish for {t!r}"
        if comp.limits_note:
            assert known(comp.limits_note, "es"), f"{name}: no Spanish for {comp.limits_note!r}"


def test_english_pages_are_unchanged_by_the_switch():
    comp = compare(default_scenario())
    assert render_html(comp, prepared=PREPARED) == render_html(comp, prepared=PREPARED, lang="en")
    assert say("IV ketamine", "en") == "IV ketamine"


# ----------------------------------------------------------------------------- dashboard fragments, chart, calendar


def test_dashboard_fragments_and_chart_text_in_spanish():
    comp = compare(default_scenario())
    page = "".join([fragments.notices_html(lang="es"), fragments.coverage_cards(comp, "es"), fragments.paths_table(comp, "es"),
                    fragments.cost_table(comp, "es"), fragments.schedule_view(comp, lang="es"), fragments.chart_numbers_html(comp, "es"),
                    fragments.explanation_html(comp, "es")])
    text = visible_text(page)
    for word in ("Probablemente cubierto", "Lo más probable", "Sesiones por mes", "Costo neto", "AYUDA"):
        assert word in text, word
    sentences = {frag for m in TEMPLATE if m.id and _(m.id) != m.id for frag in english_fragments(m.id)}
    sentences -= {frag for m in TEMPLATE if m.id for frag in english_fragments(_(m.id))}
    assert not sorted(s for s in sentences if s in text)[:3]
    alt = alt_text(comp, "es")
    assert alt.startswith("Gráfica del total acumulado") and figures(alt, "es")[0] == figures(alt_text(comp), "en")[0]


def test_calendar_reminders_in_spanish():
    comp = compare(default_scenario())
    cal = Calendar.from_ical(sessions_ics(comp, "spravato", "10:00", lang="es"))
    events = cal.walk("VEVENT")
    assert str(events[2]["summary"]) == "Spravato: sesión 3 de 35"
    desc = str(events[2]["description"])
    assert "no coma nada" in desc and "AYUDA" in desc and "Arrange" not in desc
    alarms = [str(a["description"]) for a in events[2].walk("VALARM")]
    assert alarms[0].startswith("Mañana:") and len(alarms) == 3


# ----------------------------------------------------------------------------- the CLI, end to end


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, capture_output=True, text=True, timeout=240,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_cli_handout_lang_es_html(tmp_path):
    r = _cli("handout", "--lang", "es", "--out", str(tmp_path / "folleto.html"), "--calendar", str(tmp_path / "s.ics"), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "folleto.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert 'lang="es"' in page and "Un resumen para llevar a casa" in text and "AYUDA" in text
    assert "sesión 1 de" in (tmp_path / "s.ics").read_text(encoding="utf-8")


def test_cli_handout_rejects_an_unknown_language(tmp_path):
    r = _cli("handout", "--lang", "fr", "--out", str(tmp_path / "x.html"), cwd=ROOT)
    assert r.returncode == 2 and "--lang" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_cli_handout_lang_es_pdf(tmp_path):
    from toolkit.faces.handout import pdf_available

    if not pdf_available()[0]:
        pytest.skip("WeasyPrint cannot make a PDF here")
    texts = {}
    for lang in ("en", "es"):
        r = _cli("handout", "--lang", lang, "--out", str(tmp_path / f"{lang}.pdf"), cwd=ROOT)
        assert r.returncode == 0, r.stderr
        out = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{lang}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        texts[lang] = " ".join(out.split())
    assert "Un resumen para llevar a casa" in texts["es"] and "AYUDA" in texts["es"] and "Estimaciones, no consejos" in texts["es"]
    # the same dollar amounts on both papers (the chart's axis included: it is drawn as text)
    assert set(figures(texts["es"], "es")[0]) == set(figures(texts["en"], "en")[0])


# ----------------------------------------------------------------------------- the dashboard, whole


def _widget_texts(widget) -> str:
    """Every word a widget tree shows: values, labels, placeholders, tooltips, choices and section titles."""
    import ipywidgets as W

    out: list[str] = []

    def walk(w) -> None:
        for attr in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, attr, None)
            if isinstance(v, str) and v:
                out.append(v)
        if isinstance(w, (W.Dropdown, W.ToggleButtons)):
            out.extend(o[0] if isinstance(o, tuple) else str(o) for o in w.options)
        if isinstance(w, (W.Accordion, W.Tab)):
            out.extend(w.get_title(i) or "" for i in range(len(w.children)))
        for c in getattr(w, "children", ()):
            walk(c)

    walk(widget)
    return visible_text(" ".join(out))


def _english_left(text: str) -> list[str]:
    sentences = {frag for m in TEMPLATE if m.id and _(m.id) != m.id for frag in english_fragments(m.id)}
    sentences -= {frag for m in TEMPLATE if m.id for frag in english_fragments(_(m.id))}
    return sorted(s for s in sentences if s in text)


def test_dashboard_in_spanish_carries_no_english_sentence_from_the_catalogue():
    from toolkit.faces.dashboard import Dashboard

    d = Dashboard()
    d.set_lang("es")
    d.example_picker.value = "commercial_hmo_suicidal_ideation"  # an example opened in Spanish is titled in Spanish
    d.example_picker.value = "commercial_ppo_trd"
    d.takeaway.financing.update()  # the ways-to-pay table and chart, in Spanish
    text = _widget_texts(d.widget)
    assert "Para llevar a casa" in text and "Salida de dinero por mes" in text
    assert not _english_left(text)[:5]
    for name in ("medicare_original_trd", "tricare_trd", "medicaid_trd"):
        d.example_picker.value = name
        assert not _english_left(_widget_texts(d.widget))[:5], name


def test_a_bad_field_in_spanish_is_named_in_spanish_and_the_last_result_stays():
    from toolkit.faces.dashboard import Dashboard

    d = Dashboard()
    d.set_lang("es")
    table = d.table.value
    d.fields["plan.in_network.deductible"].widget.value = "-5"
    d.refresh()
    msg = d.fields["plan.in_network.deductible"].message.value
    assert "no puede ser negativo" in msg, msg
    assert "Revise" in d.status.value and d.table.value == table


def test_every_ways_to_pay_note_has_spanish():
    """The ways-to-pay panel's notes (routes, HSA/FSA, savings program) for every example and every cost to pay."""
    from toolkit.paying.routes import COSTS_TO_PAY, ROUTES, plan_financing
    from toolkit.paying.terms import FinancingTerms

    for name in example_names():
        comp = compare(load_example(name))
        for outcome in COSTS_TO_PAY:
            for of in plan_financing(comp, FinancingTerms.defaults(), outcome).options.values():
                texts = [of.label, *of.savings_program] + [t for key in ROUTES for t in (of.route(key).label, of.route(key).note)]
                for t in texts:
                    assert not t or known(t, "es"), f"{name}, {outcome}: no Spanish for {t!r}"
