"""Prior-authorization readiness, as a table of cases.

The base scenario (tests/conftest.py) meets every criterion: adult, TRD, 2 trials from
different classes, augmentation tried, on an oral antidepressant, psychiatrist involved,
PHQ-9 20 (threshold 15). Each case changes one thing and states what readiness must say.
Readiness is built on toolkit.engine.coverage.assess, so the level it reports is assess's level.
"""

from __future__ import annotations

import pytest

from toolkit.engine.coverage import assess
from toolkit.workflow.readiness import documented, readiness, readiness_frame

CASES = [
    # id, option, scenario overrides, benefits-call answers, ready, blocking ids, level
    ("all met", "spravato", {}, None, True, [], "likely"),
    ("one trial only", "spravato", {"history": {"antidepressant_trials": 1}}, None, False, ["two_antidepressant_trials"], "possible"),
    ("no oral antidepressant (usual)", "spravato", {"history": {"on_oral_antidepressant": False}}, None, False, ["oral_antidepressant"], "possible"),
    ("no augmentation (some plans)", "spravato", {"history": {"augmentation_tried": False}}, None, True, [], "likely"),
    ("no augmentation, plan asks for it", "spravato", {"history": {"augmentation_tried": False}}, {"spravato_pa_documents": ["augmentation"]}, False, ["augmentation"], "likely"),
    ("no psychiatrist (some plans)", "spravato", {"history": {"psychiatrist_involved": False}}, None, True, [], "likely"),
    ("no baseline score, plan asks", "spravato", {"history": {"baseline_scale": "none", "baseline_score": None}}, {"spravato_pa_documents": ["baseline_score"]}, False, ["baseline_score"], "likely"),
    ("PHQ-9 below 15, plan asks", "spravato", {"history": {"baseline_score": 14}}, {"spravato_pa_documents": ["baseline_score"]}, False, ["baseline_score"], "likely"),
    ("MADRS 28 meets the threshold", "spravato", {"history": {"baseline_scale": "MADRS", "baseline_score": 28}}, {"spravato_pa_documents": ["baseline_score"]}, True, [], "likely"),
    ("minor", "spravato", {"history": {"adult": False}}, None, False, ["adult"], "not_eligible"),
    ("contraindication", "spravato", {"history": {"contraindication": True}}, None, False, ["no_contraindication"], "not_eligible"),
    ("missing trial but no PA needed", "spravato", {"history": {"antidepressant_trials": 1}}, {"spravato_pa_required": "no"}, True, ["two_antidepressant_trials"], "possible"),
    ("MDSI needs no trials", "spravato", {"indication": "mdd_si", "history": {"antidepressant_trials": 0, "different_classes": False}}, None, True, [], "likely"),
    ("IV ketamine, all met", "iv_ketamine", {}, None, True, [], "unlikely"),
    ("IV ketamine, no trials", "iv_ketamine", {"history": {"antidepressant_trials": 0}}, None, False, ["two_antidepressant_trials"], "unlikely"),
    ("uninsured: no checklist", "spravato", {"plan": {"payer_type": "uninsured"}}, None, False, [], "not_eligible"),
]


@pytest.mark.parametrize("case, option, over, call, ready, blocking, level", CASES, ids=[c[0] for c in CASES])
def test_readiness_cases(make_scenario, ds, case, option, over, call, ready, blocking, level):
    s = make_scenario(over)
    r = readiness(s, option, ds, call)
    assert r.ready is ready, r.summary
    assert sorted(i.id for i in r.blocking) == sorted(blocking)
    assert r.assessment.level == level
    # readiness reports assess's own result, never a second opinion
    cov = assess(s, ds, option)
    assert (r.assessment.level, r.assessment.likelihood) == (cov.level, cov.likelihood)
    assert [i.id for i in r.items] == [c.id for c in cov.checklist]
    assert r.summary.startswith(r.label)


def test_every_missing_item_says_who_supplies_it_and_what_shows_it(make_scenario, ds):
    s = make_scenario({"history": {"antidepressant_trials": 0, "augmentation_tried": False, "baseline_scale": "none", "baseline_score": None}})
    r = readiness(s, "spravato", ds)
    missing = [i for i in r.items if i.status == "missing"]
    assert {i.id for i in missing} >= {"two_antidepressant_trials", "augmentation", "baseline_score"}
    for i in missing:
        assert i.who and i.evidence
    frame = readiness_frame(r)
    assert list(frame["status"]).count("missing") == len(missing)


def test_if_documented_uses_assess_on_the_documented_history(make_scenario, ds):
    s = make_scenario({"history": {"antidepressant_trials": 1}})
    r = readiness(s, "spravato", ds)
    assert r.assessment.level == "possible"
    assert r.if_documented is not None and r.if_documented.level == "likely"
    assert r.if_documented.likelihood == assess(documented(s, ["two_antidepressant_trials"]), ds, "spravato").likelihood


def test_documenting_never_changes_facts_about_the_patient(make_scenario):
    s = make_scenario({"history": {"adult": False, "contraindication": True}})
    d = documented(s, ["adult", "no_contraindication", "diagnosis", "baseline_score"])
    assert d.history.adult is False and d.history.contraindication is True
    assert d.history.baseline_score == 20  # already above the PHQ-9 threshold: kept


def test_approval_length_note_for_spravato(make_scenario, ds):
    r = readiness(make_scenario(), "spravato", ds)
    assert any("workflow.csv:pa.approval_months.trd" in n for n in r.notes)
    r = readiness(make_scenario({"indication": "mdd_si"}), "spravato", ds)
    assert any("pa.approval_months.mdsi" in n for n in r.notes)
