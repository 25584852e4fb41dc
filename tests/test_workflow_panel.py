"""Drive the coverage-and-appeals widgets from Python, as an advisor would in one sitting:
benefits call -> readiness -> denial -> letter and checklist -> superbill. Bad input shows a
message naming the field (never a traceback) and keeps the last good scenario."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from toolkit.faces.exporter import Exporter
from toolkit.faces.workflow_panel import CoverageWorkflow

TODAY = date(2026, 11, 28)


@pytest.fixture
def wf(ds) -> CoverageWorkflow:
    """A fresh workflow with every step shown, for each test (about 0.1 s): no test sees another's answers."""
    w = CoverageWorkflow(today=TODAY, ds=ds)
    w.situation_panel()
    w.benefits_panel()
    w.readiness_panel()
    w.appeal_panel()
    w.letter_panel()
    w.superbill_panel()
    return w


def test_starts_clean(wf):
    assert all(out.message is None for name, out in wf.outputs.items() if name != "appeal")
    # the appeal step waits for a denial date and says so
    assert "Date on the denial notice" in wf.outputs["appeal"].message


def test_benefits_answers_update_the_comparison(wf):
    before = wf.scenario
    wf.call_widgets["oon_coinsurance_pct"].value = "50%"
    wf.call_widgets["spravato_covered"].value = "yes"
    wf.call_widgets["spravato_pa_required"].value = "yes"
    wf.call_widgets["insurer_reference"].value = "REF-20261120-7"
    wf.apply_call()
    assert wf.outputs["benefits"].message is None
    assert wf.scenario.plan.out_of_network.coinsurance_pct == 50
    assert wf.scenario.spravato_likelihood_pct is not None and wf.scenario != before
    assert any("coinsurance_pct" in c for c in wf.changes)
    assert "Answers applied" in wf.call_message.value
    assert "Coverage now" in wf.summary_html()


def test_bad_answer_names_the_field_and_keeps_the_last_good_scenario(wf):
    good = wf.scenario
    wf.call_widgets["oon_coinsurance_pct"].value = "fifty"
    wf.apply_call()
    assert "Out-of-network coinsurance (%)" in wf.outputs["benefits"].message
    assert wf.scenario == good and wf.call_message.value == ""
    wf.call_widgets["insurer_reference"].value = "Jane at Acme"
    wf.call_widgets["oon_coinsurance_pct"].value = "50"
    wf.apply_call()
    assert "Call reference number" in wf.outputs["benefits"].message
    wf.call_widgets["insurer_reference"].value = "REF-20261120-7"
    wf.apply_call()
    assert wf.outputs["benefits"].message is None


def test_documenting_updates_readiness_and_the_letter(wf):
    wf.documented_widget.value = ("augmentation",)
    assert wf.scenario.history.augmentation_tried is True
    assert "augmentation" not in " ".join(wf.letter.prescriber_notes).lower()
    wf.documented_widget.value = ()
    assert wf.scenario.history.augmentation_tried is False


def test_denial_gives_a_dated_checklist_and_the_letter_follows(wf):
    w = wf.appeal_widgets
    w["denial_date"].value = date(2026, 11, 2)
    w["reason"].value = "medical_necessity"
    assert wf.outputs["appeal"].message is None
    assert wf.checklist.deadline("Last day to file the internal appeal").day == date(2027, 5, 1)
    # the letter panel is linked to the denial date, option and urgency
    assert wf.letter_widgets["denial_date"].value == date(2026, 11, 2)
    assert "Mon 2 Nov 2026" in wf.letter.markdown
    w["denial_date"].value = date(2026, 12, 25)  # after "today"
    assert "Denial date" in wf.outputs["appeal"].message and "after today" in wf.outputs["appeal"].message
    w["denial_date"].value = date(2026, 11, 2)
    w["final_denial"].value = date(2026, 10, 1)  # before the denial
    assert "Final internal decision" in wf.outputs["appeal"].message
    w["final_denial"].value = None
    assert wf.outputs["appeal"].message is None


def test_letter_refuses_identifiers_and_completes(wf):
    lw = wf.letter_widgets
    lw["clinical_summary"].value = "Call the patient at 612-555-0199"
    assert "Clinical summary" in wf.outputs["letter"].message
    lw["clinical_summary"].value = "Severe recurrent depression, 14 months."
    assert wf.outputs["letter"].message is None
    assert "Severe recurrent depression" in wf.letter.markdown
    lw["kind"].value = "medical_necessity"
    assert wf.letter.kind == "medical_necessity"
    assert lw["denial_quote"].layout.display == "none"
    lw["kind"].value = "appeal"


def test_superbill_panel_follows_the_answers(wf):
    assert wf.outputs["superbill"].message is None


def test_exporter_writes_only_where_asked(tmp_path: Path):
    ex = Exporter("doc", {"md": lambda: "# hello", "ics": lambda: b"BEGIN:VCALENDAR"})
    assert ex.save_files() == [] and "Type a folder" in ex.message.value
    ex.folder.value = str(tmp_path / "missing")
    assert ex.save_files() == [] and "does not exist" in ex.message.value
    ex.folder.value = str(tmp_path)
    written = ex.save_files()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.ics", "doc.md"] == sorted(p.name for p in written)
    ex.make_links()
    assert "data:text/markdown;base64," in ex.message.value and 'download="doc.ics"' in ex.message.value


def test_example_change_resets_documentation(wf):
    wf.picker.value = "medicare_original_trd"
    assert wf.scenario.plan.payer_type == "medicare"
    assert all(out.message is None for name, out in wf.outputs.items() if name not in ("appeal",))
    wf.picker.value = "commercial_ppo_trd"


def test_app_builds_every_step():
    tab = CoverageWorkflow(today=TODAY).app()
    assert len(tab.children) == 6


def test_updated_scenario_saves_as_a_scenario_file(tmp_path: Path):
    from toolkit import load_scenario

    w = CoverageWorkflow(today=TODAY)
    w.set_call({"oon_coinsurance_pct": "45"})
    path = tmp_path / "s.json"
    path.write_text(w.scenario.to_json(), encoding="utf-8")
    assert load_scenario(path).plan.out_of_network.coinsurance_pct == 45


def test_plan_mechanics_answers_from_the_widgets(wf):
    wf.call_widgets["copay_assistance"].value = "accumulator"
    wf.call_widgets["oon_allowed_amounts"].value = "96365: $350; 96366 = 120"
    wf.call_widgets["pa_approval_months"].value = "12"
    wf.call_widgets["spravato_drug_in_network"].value = "no"
    wf.apply_call()
    assert wf.outputs["benefits"].message is None
    p = wf.scenario.plan
    assert p.copay_assistance_counts == "accumulator" and p.oon_allowed_method == "per_code"
    assert p.oon_allowed_amounts == {"96365": 350, "96366": 120} and p.pa_approval_months == 12 and p.spravato_drug_in_network is False
    kept = wf.scenario
    wf.call_widgets["oon_allowed_amounts"].value = "96365 350"
    wf.apply_call()
    assert "Out-of-network allowed amount by code" in wf.outputs["benefits"].message and wf.scenario == kept
