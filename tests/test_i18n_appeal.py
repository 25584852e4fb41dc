"""The appeal checklist the patient keeps, in Spanish: no English sentence from the catalogue on it,
the same dates as the English one, the 988 line as the Lifeline serves Spanish speakers, and a
calendar worded in Spanish; English, the default, is unchanged.

Each denial reason is rendered in every situation the checklist words differently (first days after
the denial, urgent, appeal filed, final denial with and without the letter's dates, a missed window,
after the service), so every sentence of toolkit/workflow/appeals.py and the templates is read.
"""

from __future__ import annotations

import html
import importlib.util
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from toolkit.i18n import gettext_for
from toolkit.notices import CRISIS_LINE
from toolkit.workflow.appeals import DENIAL_REASONS, appeal_checklist

ROOT = Path(__file__).resolve().parent.parent
_ = gettext_for("es")

SITUATIONS = {
    "just denied": {"denial_date": "2026-11-02", "today": date(2026, 11, 28)},
    "urgent, IV ketamine": {"denial_date": "2026-11-02", "urgent": True, "option": "iv_ketamine", "today": date(2026, 11, 28)},
    "filed, after the service": {"denial_date": "2027-01-05", "appeal_filed": "2027-01-10", "service": "post_service", "today": date(2027, 1, 11)},
    "urgent, filed": {"denial_date": "2027-01-05", "urgent": True, "appeal_filed": "2027-01-06", "today": date(2027, 1, 7)},
    "final denial": {"denial_date": "2027-01-01", "final_denial": "2027-02-01", "today": date(2027, 2, 2)},
    "final denial, letter's date": {"denial_date": "2027-01-01", "final_denial": "2027-02-01", "letter_external_deadline": "2027-06-01", "today": date(2027, 2, 2)},
    "letter's dates": {"denial_date": "2027-01-01", "letter_internal_deadline": "2027-03-01", "letter_external_deadline": "2027-08-01", "today": date(2027, 1, 2)},
    "window missed": {"denial_date": "2026-01-02", "today": date(2026, 11, 28)},
}


def _tools():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


TEMPLATE = _tools().template_catalog()


def visible_text(page: str) -> str:
    """What a reader sees (as tests/test_i18n.py reads a page): the text outside tags and styles."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def english_fragments(msgid: str) -> list[str]:
    """The literal parts of a msgid between its placeholders, long enough to be a sentence of its own."""
    parts = re.split(r"%\(\w+\)s|\{\w+\}", html.unescape(msgid))
    return [p.strip(" .,;:()") for p in parts if len(p.strip(" .,;:()")) >= 24 and " " in p.strip()]


# English sentences the catalogue has Spanish for, less those worded the same in both languages
SENTENCES = {frag for m in TEMPLATE if m.id and _(m.id) != m.id for frag in english_fragments(m.id)}
SENTENCES -= {frag for m in TEMPLATE if m.id for frag in english_fragments(_(m.id))}

EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ES_MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept?", "oct", "nov", "dic"]
EN_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(EN_MONTHS) + r")[a-z]* (\d{4})")
ES_DATE = re.compile(r"\b(\d{1,2}) (?:de )?(" + "|".join(ES_MONTHS) + r")[a-z]*\.? (?:de )?(\d{4})")


def dates(text: str, lang: str) -> Counter:
    """Every full date written on a page, as date objects (a multiset)."""
    rx, months = (EN_DATE, EN_MONTHS) if lang == "en" else (ES_DATE, ES_MONTHS)
    out = Counter()
    for d, mon, y in rx.findall(text):
        out[date(int(y), next(i for i, m in enumerate(months) if re.fullmatch(m, mon)) + 1, int(d))] += 1
    return out


def pair(reason: str, situation: str):
    kw = dict(SITUATIONS[situation])
    denial = kw.pop("denial_date")
    return appeal_checklist(denial, reason, **kw), appeal_checklist(denial, reason, **kw, lang="es")


CASES = [(r, s) for r in DENIAL_REASONS for s in SITUATIONS]


@pytest.mark.parametrize("reason, situation", CASES)
def test_spanish_checklist_has_no_english_sentence_the_same_dates_and_the_988_line(reason, situation):
    en, es = pair(reason, situation)
    assert es.lang == "es" and en.lang == "en"
    pages = {"md": (en.to_markdown(), es.to_markdown()), "html": (visible_text(en.to_html(standalone=True)), visible_text(es.to_html(standalone=True)))}
    for kind, (en_text, es_text) in pages.items():
        es_text = re.sub(r"\s+", " ", es_text)
        left = sorted(s for s in SENTENCES if s in es_text)
        assert not left, f"{reason}, {situation} ({kind}): English left on the Spanish checklist: {left[:3]}"
        assert _(CRISIS_LINE) in es_text and "AYUDA" in es_text and "988lifeline.org" in es_text
        assert "están en inglés, porque el plan es quien las lee" in es_text  # the letters stay in English, and it says so, once
        assert es_text.count("están en inglés, porque") == 1
        en_days = dates(en_text, "en")
        assert en_days and dates(es_text, "es") == en_days, (kind, en_days - dates(es_text, "es"), dates(es_text, "es") - en_days)
    assert 'lang="es"' in es.to_html(standalone=True)
    # the same steps on the same days, the same deadlines to keep
    assert [(s.day, s.kind, s.key, s.past, s.estimated) for s in es.steps] == [(s.day, s.kind, s.key, s.past, s.estimated) for s in en.steps]
    assert [s.day for s in es.key_dates] == [s.day for s in en.key_dates]
    assert len(es.now) == len(en.now) and len(es.warnings) == len(en.warnings) and es.sources == en.sources


def test_spanish_terms_a_patient_knows_and_the_weekend_warning():
    _en, es = pair("out_of_network", "just denied")
    text = es.to_markdown()
    for term in ("autorización previa", "apelación interna", "carta de denegación", "superbill (el recibo detallado"):
        assert term in text, term
    assert "Último día para presentar la apelación interna: sáb 1 may 2027" in text
    assert "Esa fecha cae en sábado: procure enviarla a más tardar el vie 30 abr 2027." in text
    assert "Lista para apelar después de una denegación: Spravato (esketamina)" in text
    _en, es = pair("medical_necessity", "final denial")
    assert "revisión externa" in es.to_markdown()


def test_deadlines_are_found_by_their_english_name_in_any_language():
    en, es = pair("medical_necessity", "just denied")
    assert es.deadline("Last day to file the internal appeal").day == en.deadline("Last day to file the internal appeal").day == date(2027, 5, 1)
    assert es.deadline("Last day to file the internal appeal").title == "Último día para presentar la apelación interna"
    en, es = pair("medical_necessity", "final denial")
    assert es.deadline("Aim to ask for external review").day == en.deadline("Aim to ask for external review").day


@pytest.mark.parametrize("reason, situation", [(r, "just denied") for r in DENIAL_REASONS] + [("medical_necessity", s) for s in SITUATIONS])
def test_english_is_unchanged_with_lang_en(reason, situation):
    kw = dict(SITUATIONS[situation])
    denial = kw.pop("denial_date")
    default, en = appeal_checklist(denial, reason, **kw), appeal_checklist(denial, reason, **kw, lang="en")
    assert default.to_markdown() == en.to_markdown()
    assert default.to_html() == en.to_html() and default.to_html(standalone=True) == en.to_html(standalone=True)
    assert default.to_ics() == en.to_ics()
    md = en.to_markdown()
    assert md.startswith("# Appeal checklist after a denial: ") and "**988 Suicide & Crisis Lifeline.**" in md
    assert "en inglés" not in md and "in English" not in md  # the Spanish-only notes stay off the English page
    assert all(s.key == s.title for s in en.steps)  # English titles are the keys: calendar UIDs as before
    assert '<html lang="en">' in en.to_html(standalone=True)


def test_calendar_in_spanish_same_events_and_uids():
    en, es = pair("medical_necessity", "final denial, letter's date")
    cal_en, cal_es = Calendar.from_ical(en.to_ics()), Calendar.from_ical(es.to_ics())
    assert str(cal_es["x-wr-calname"]) == "Fechas de la apelación: Spravato (esketamina)"
    ev_en, ev_es = cal_en.walk("VEVENT"), cal_es.walk("VEVENT")
    assert ev_es and [e.decoded("dtstart") for e in ev_es] == [e.decoded("dtstart") for e in ev_en]
    assert [str(e["uid"]) for e in ev_es] == [str(e["uid"]) for e in ev_en]  # re-importing in the other language replaces, never duplicates
    for e_en, e_es in zip(ev_en, ev_es):
        summary, desc = str(e_es["summary"]), str(e_es["description"])
        assert summary != str(e_en["summary"]) and summary.endswith("(Spravato (esketamina))")
        assert not any(s in summary or s in desc for s in SENTENCES), (summary, desc)
        assert "AYUDA" in desc and "Siga las fechas impresas en las cartas del plan." in desc and "Fuente: " in desc
        if str(e_en["summary"]).startswith("DEADLINE: "):
            assert summary.startswith("FECHA LÍMITE: ")
            assert next(str(a["description"]) for a in e_es.walk("VALARM")).startswith("Mañana: ")
    summaries = [str(e["summary"]) for e in ev_es]
    assert "FECHA LÍMITE: Último día para pedir la revisión externa (Spravato (esketamina))" in summaries


def test_calendar_in_spanish_for_each_reason_has_spanish_summaries():
    for reason in DENIAL_REASONS:
        _en, es = pair(reason, "just denied")
        events = Calendar.from_ical(es.to_ics()).walk("VEVENT")
        assert events
        for e in events:
            assert not any(s in str(e["summary"]) for s in SENTENCES)
        assert "FECHA LÍMITE: Último día para presentar la apelación interna (Spravato (esketamina))" in [str(e["summary"]) for e in events]


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="lang"):
        appeal_checklist("2026-11-02", today=date(2026, 11, 28), lang="fr")


def test_the_workflow_panel_hands_the_patient_a_spanish_checklist(ds):
    from toolkit.faces.workflow_panel import CoverageWorkflow

    wf = CoverageWorkflow(today=date(2026, 11, 28), ds=ds)
    wf.appeal_panel()
    w = wf.appeal_widgets
    assert w["lang"].value == "en" and dict(w["lang"].options) == {"English": "en", "Español": "es"}
    w["denial_date"].value = date(2026, 11, 2)
    assert wf.checklist.lang == "en" and "Appeal checklist after a denial" in wf.outputs["appeal"].html
    w["lang"].value = "es"
    assert wf.outputs["appeal"].message is None and wf.checklist.lang == "es"
    assert "Lista para apelar después de una denegación" in wf.outputs["appeal"].html
    assert wf.checklist.deadline("Last day to file the internal appeal").day == date(2027, 5, 1)
    md = wf.exporters["appeal"].producers["md"]()
    assert "AYUDA" in md and "Último día para presentar la apelación interna" in md
    assert b"FECHA L" in wf.exporters["appeal"].producers["ics"]()
