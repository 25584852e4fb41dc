"""Letter drafts: every criterion rendered; no [TO COMPLETE] left when all fields are given;
missing fields marked clearly; no template or field asks for an identifier."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import jinja2.meta
import pytest

from toolkit.workflow import benefits_check
from toolkit.workflow.common import TEMPLATE_DIR, WorkflowError, environment
from toolkit.workflow.letters import PLACEHOLDERS, TODO_RE, LetterFields, build_letter, save_letter
from toolkit.workflow.readiness import readiness

TODAY = date(2026, 11, 28)
FORBIDDEN = re.compile(r"name|birth|dob|member|subscriber|address|phone|email|ssn|social_security|zip|insurance_id", re.I)


def full_fields(scenario, ds, option: str, kind: str) -> dict:
    shown = [i.id for i in readiness(scenario, option, ds).items if i.status != "not needed"]
    return {
        "diagnosis_code": "F33.2",
        "policy_reference": "Esketamine policy RX501.105",
        "clinical_summary": "Severe recurrent depression for 14 months; unable to work; passive suicidal thoughts without plan.",
        "treatment_plan": "84 mg twice weekly for 4 weeks, then weekly; MADRS every 4 weeks.",
        "alternatives": "ECT declined after discussion of memory effects; TMS not available within reach.",
        "evidence_cited": "ELEKT-D (NEJM 2023) and the 2017 APA task-force consensus statement.",
        "evidence": {cid: f"EVIDENCE-{cid}: documented in the chart." for cid in shown},
        "denial_date": "2026-11-02" if kind == "appeal" else None,
        "denial_reason": "medical_necessity" if kind == "appeal" else None,
        "denial_quote": "Criteria for coverage not met." if kind == "appeal" else None,
    }


@pytest.mark.parametrize("kind", ["medical_necessity", "appeal"])
@pytest.mark.parametrize("option", ["spravato", "iv_ketamine"])
def test_all_fields_given_leaves_nothing_to_complete(make_scenario, ds, kind, option):
    s = make_scenario()
    f = full_fields(s, ds, option, kind)
    letter = build_letter(kind, s, option, f, ds, today=TODAY)
    assert letter.complete and letter.missing == []
    items = [i for i in readiness(s, option, ds).items if i.status != "not needed"]
    assert items
    for text in (letter.markdown, letter.html):
        assert not TODO_RE.search(text)
        for i in items:  # every criterion of the policy, with its evidence
            assert i.check.criterion in text.replace("&#39;", "'")
            assert f"EVIDENCE-{i.id}" in text
        # identity details stay placeholders for the prescriber's own system
        for key, ph in PLACEHOLDERS.items():
            if key != "claim" or kind == "appeal":  # a claim number exists only after a denial
                assert ph in text.replace("&#39;", "'")
        assert "988" in text and "not legal" in text.lower()
    if kind == "appeal":
        assert "Mon 2 Nov 2026" in letter.markdown and '"Criteria for coverage not met".' in letter.markdown
    if option == "iv_ketamine":
        assert "off-label" in letter.markdown and "ELEKT-D" in letter.markdown


@pytest.mark.parametrize("kind", ["medical_necessity", "appeal"])
def test_missing_fields_are_marked_clearly(make_scenario, ds, kind):
    s = make_scenario()
    letter = build_letter(kind, s, "spravato", {}, ds, today=TODAY)
    assert not letter.complete
    markers = TODO_RE.findall(letter.markdown)
    # every missing field is marked in the body, and listed for the prescriber
    for label in letter.missing:
        assert f"[TO COMPLETE: {label}]" in markers
    assert f"Still to complete ({len(letter.missing)})" in letter.markdown
    assert letter.html.count('<span class="todo">') >= len(letter.missing)
    # one marker per criterion shown
    items = [i for i in readiness(s, "spravato", ds).items if i.status != "not needed"]
    assert len(letter.missing) == len(items) + 5 + (3 if kind == "appeal" else 0)


def test_partly_filled_letter_marks_only_what_is_missing(make_scenario, ds):
    s = make_scenario()
    f = full_fields(s, ds, "spravato", "appeal")
    del f["evidence"]["baseline_score"]
    f["treatment_plan"] = "   "
    letter = build_letter("appeal", s, "spravato", f, ds, today=TODAY)
    assert sorted(letter.missing) == sorted(["baseline scale, score and date", "treatment plan: dose, schedule, monitoring, how response will be measured"])


def test_letter_flags_criteria_the_record_shows_missing(make_scenario, ds):
    s = make_scenario({"history": {"antidepressant_trials": 1}})
    letter = build_letter("medical_necessity", s, "spravato", {}, ds)
    assert any("not yet documented" in n and "antidepressant" in n for n in letter.prescriber_notes)


@pytest.mark.parametrize(
    "payer, parity, expected",
    [("commercial", None, True), ("hdhp", None, True), ("medicare", None, False), ("tricare", None, False), ("medicaid", None, False), ("medicaid", True, True), ("commercial", False, False)],
)
def test_parity_paragraph_where_it_applies(make_scenario, ds, payer, parity, expected):
    s = make_scenario({"plan": {"payer_type": payer}})
    letter = build_letter("appeal", s, "spravato", {"parity": parity}, ds, today=TODAY)
    assert ("29 U.S.C. 1185a" in letter.markdown) is expected
    assert ("29 U.S.C. 1185a" in letter.html) is expected


def test_urgent_letter_asks_for_expedited_review(make_scenario, ds):
    letter = build_letter("appeal", make_scenario(), "spravato", {"urgent": True}, ds, today=TODAY)
    assert "expedited appeal and, at the same time, an expedited external review" in letter.markdown


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"patient_name": "Jane Doe"}, "patient_name"),
        ({"member_id": "XYZ123"}, "member_id"),
        ({"date_of_birth": "1980-01-01"}, "date_of_birth"),
        ({"clinical_summary": "Reach her at jane@example.org"}, "Clinical summary (severity, duration of this episode, impact, risk)"),
        ({"clinical_summary": "call (612) 555-0199"}, "Clinical summary (severity, duration of this episode, impact, risk)"),
        ({"alternatives": "DOB 01/02/1980"}, "Other treatments tried or considered, and why this one"),
        ({"evidence": {"adult": "member ID 123456789"}}, "How each criterion is met (adult)"),
        ({"diagnosis_code": "Z99.9"}, "Diagnosis code (ICD-10)"),
        ({"denial_date": "2030-01-01"}, "Date of the denial"),
        ({"evidence": {"passport": "x"}}, "How each criterion is met"),
    ],
)
def test_identifiers_and_bad_fields_are_refused_by_name(make_scenario, ds, fields, field):
    with pytest.raises(WorkflowError) as err:
        build_letter("appeal", make_scenario(), "spravato", fields, ds, today=TODAY)
    assert err.value.field == field


def test_html_escapes_what_is_typed(make_scenario, ds):
    letter = build_letter("medical_necessity", make_scenario(), "spravato", {"clinical_summary": "<script>alert(1)</script> & more"}, ds)
    assert "<script>" not in letter.html and "&lt;script&gt;" in letter.html


def test_no_field_asks_for_an_identifier():
    for model in (LetterFields, benefits_check.BenefitsCall):
        for name, info in model.model_fields.items():
            assert not FORBIDDEN.search(name), name
            assert not FORBIDDEN.search((info.title or "").replace("reference number", "")), info.title
    # the only things called "name" or "member ID" are the fixed placeholders
    for key, ph in PLACEHOLDERS.items():
        assert ph.startswith("[") and ph.endswith("]")


def test_no_template_asks_for_an_identifier():
    env = environment()
    mine = sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.name.startswith(("letter_", "appeal_", "callsheet_", "superbill_")))
    assert len(mine) >= 9
    for name in mine:
        source = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        variables = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert not [v for v in variables if FORBIDDEN.search(v)], (name, variables)
        # attribute lookups such as {{ fields.patient_name }} are not allowed either
        for expr in re.findall(r"{{(.*?)}}", source):
            assert not FORBIDDEN.search(re.sub(r"ph\.\w+", "", expr)), (name, expr)


def test_save_only_where_asked(make_scenario, ds, tmp_path: Path):
    letter = build_letter("appeal", make_scenario(), "spravato", {}, ds)
    out = save_letter(letter, str(tmp_path / "draft.html"), "html")
    assert Path(out).read_text(encoding="utf-8").startswith("<!doctype html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.html"]
    with pytest.raises(WorkflowError, match="does not exist"):
        save_letter(letter, str(tmp_path / "nowhere" / "draft.md"))
    with pytest.raises(WorkflowError, match="is a folder"):
        save_letter(letter, str(tmp_path))
