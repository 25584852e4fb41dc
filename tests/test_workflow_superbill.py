"""Superbill: the engine's own claim lines, the filing deadline, and the clinic checklist.

Hand-checked case: six $500 infusions in the first month, out-of-network plan that allows
60% of the charge, $400 out-of-network deductible, 40% coinsurance, no cap.
  session 1: allowed $300, all $300 to the deductible -> $0 back, balance bill $200
  session 2: allowed $300, $100 deductible left, 40% x $200 = $80 -> $120 back
  sessions 3-6: 40% x $300 = $120 -> $180 back each
  total back: $120 + 4 x $180 = $840.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from toolkit import compare
from toolkit.workflow.superbill import superbill_estimate

OON = {
    "plan": {
        "iv_claim_route": "superbill",
        "out_of_network": {"deductible": "400", "coinsurance_pct": "40", "copay": "0", "oop_max": None},
        "oon_allowed_pct": "60",
    }
}


def test_reimbursement_per_session_by_hand(make_scenario, ds):
    e = superbill_estimate(make_scenario(OON), ds, today=date(2027, 1, 4))
    assert [ln.reimbursement for ln in e.lines] == [0, 12000, 18000, 18000, 18000, 18000]
    assert [ln.balance_bill for ln in e.lines] == [20000] * 6
    assert e.lines[0].deductible == 30000 and e.lines[1].deductible == 10000 and e.lines[1].coinsurance == 8000
    assert e.totals["reimbursement"] == 84000
    assert e.totals["net"] == 6 * 50000 - 84000


def test_same_lines_as_the_comparison(make_scenario, ds):
    s = make_scenario(OON)
    e = superbill_estimate(s, ds)
    run = compare(s, ds).options["iv_ketamine"].run("approved")
    assert [ln.reimbursement for ln in e.lines] == [a.reimbursement for a in run.lines]
    assert e.totals["reimbursement"] == run.totals()["reimbursement"]


def test_superbill_route_is_forced_without_touching_the_scenario(make_scenario, ds):
    s = make_scenario({**OON, "plan": {**OON["plan"], "iv_claim_route": "self_pay"}})
    e = superbill_estimate(s, ds)
    assert e.totals["reimbursement"] == 84000
    assert s.plan.iv_claim_route == "self_pay"
    assert any("self pay" in n for n in e.notes)


def test_filing_deadline_from_rules_or_the_insurer(make_scenario, ds):
    s = make_scenario(OON)
    e = superbill_estimate(s, ds, today=date(2027, 1, 4))
    assert e.filing_days == 60  # rules.csv superbill.timely_filing_days, typical = shortest
    assert all(ln.file_by == ln.day + timedelta(days=60) for ln in e.lines)
    assert "rules.csv:superbill.timely_filing_days" in e.filing_source
    assert e.next_deadline is e.lines[0]
    e = superbill_estimate(s, ds, call={"timely_filing_days": 90, "insurer_call_date": "2026-11-20"}, today=date(2027, 1, 4))
    assert e.filing_days == 90 and e.lines[0].file_by == date(2027, 4, 4)
    assert "benefits call" in e.filing_source


def test_no_out_of_network_benefits(make_scenario, ds):
    e = superbill_estimate(make_scenario({"plan": {"iv_claim_route": "superbill"}}), ds)
    assert e.totals["reimbursement"] == 0
    assert any("brings nothing back" in n for n in e.notes)
    e = superbill_estimate(make_scenario({"plan": {"payer_type": "uninsured"}}), ds)
    assert e.totals["reimbursement"] == 0 and any("No insurance" in n for n in e.notes)


def test_clinic_checklist_and_worked_example(make_scenario, ds):
    e = superbill_estimate(make_scenario(OON), ds, today=date(2027, 1, 4))
    joined = " ".join(e.required_items).lower()
    for must in ("npi", "tax id", "place of service", "cpt or hcpcs", "units", "icd-10", "charge", "signature", "date of each service"):
        assert must in joined
    assert "F33.2" in e.diagnosis_codes
    assert "$500.00" in e.worked_example and "$300.00" in e.worked_example and "$200.00" in e.worked_example
    for text in (e.to_markdown(), e.to_html(), e.to_html(standalone=True)):
        assert "988" in text and "not medical, financial or legal advice" in text
        assert "$840.00" in text
        assert "Fri 5 Mar 2027" in text  # first filing deadline: 4 Jan + 60 days
        assert "member ID" in text  # only to say the patient adds it, never a field


@pytest.mark.parametrize("example", ["commercial_ppo_trd", "hdhp_hsa_trd", "medicaid_trd", "uninsured_trd"])
def test_examples_render(ds, example):
    from toolkit import load_example

    e = superbill_estimate(load_example(example), ds)
    assert e.lines and e.to_markdown()


# ------------------------------------------------------------ notices owed before paying the clinic


def test_self_pay_is_owed_a_good_faith_estimate(make_scenario, ds):
    from toolkit.workflow.self_pay import self_pay_notices

    uninsured = self_pay_notices(make_scenario({"plan": {"payer_type": "uninsured"}}), ds)
    assert [n.key for n in uninsured] == ["good_faith_estimate"]
    text = " ".join(uninsured[0].steps)
    assert "$400 or more" in text and "120 days" in text and "good-faith estimate" in text
    assert "149.620" in uninsured[0].cite and "workflow.csv:self_pay.gfe_dispute_threshold" in uninsured[0].cite
    # insured but paying the clinic (self-pay route): the same notice; filing a superbill adds a caveat
    assert [n.key for n in self_pay_notices(make_scenario({"plan": {"iv_claim_route": "self_pay"}}), ds)] == ["good_faith_estimate"]
    superbill = self_pay_notices(make_scenario({"plan": {"iv_claim_route": "superbill"}}), ds)
    assert any("superbill" in step for step in superbill[0].steps)
    # an in-network claim: no self-pay notice; Spravato: none
    assert self_pay_notices(make_scenario({"plan": {"iv_claim_route": "in_network"}}), ds) == []
    assert self_pay_notices(make_scenario({"plan": {"payer_type": "uninsured"}}), ds, "spravato") == []


def test_original_medicare_names_the_abn(make_scenario, ds):
    from toolkit.workflow.self_pay import self_pay_notices

    (abn,) = self_pay_notices(make_scenario({"plan": {"payer_type": "medicare"}}), ds)
    assert abn.key == "abn" and "Advance Beneficiary Notice" in abn.title and "CMS-R-131" in " ".join(abn.steps)
    assert "workflow.csv:abn.original_medicare" in abn.cite


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_superbill_checklist_carries_the_notice(make_scenario, ds, fmt):
    from toolkit.workflow.superbill import render_superbill, superbill_estimate

    text = render_superbill(superbill_estimate(make_scenario({"plan": {"payer_type": "uninsured"}}), ds), fmt)
    assert "Before the first infusion" in text and "good-faith estimate" in text
    text = render_superbill(superbill_estimate(make_scenario({"plan": {"payer_type": "medicare"}}), ds), fmt)
    assert "Advance Beneficiary Notice" in text


def test_handout_next_steps_name_the_notices(make_scenario, ds):
    from toolkit import compare
    from toolkit.faces.next_steps import next_steps

    calls = next_steps(compare(make_scenario({"plan": {"payer_type": "uninsured"}}), ds), ds)["calls"]
    assert any("good-faith estimate" in c and "$400" in c for c in calls)
    calls = next_steps(compare(make_scenario({"plan": {"payer_type": "medicare"}}), ds), ds)["calls"]
    assert any("Advance Beneficiary Notice" in c for c in calls)
