"""Benefits check: the call sheet, typed answers, and answers flowing back into the scenario."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from toolkit import compare
from toolkit.workflow.benefits_check import BenefitsCall, apply_answers, call_sheet, read_call, render_call_sheets
from toolkit.workflow.common import WorkflowError, figure

SUPERBILL_PLAN = {
    "plan": {
        "iv_claim_route": "superbill",
        "out_of_network": {"deductible": "0", "coinsurance_pct": "40", "copay": "0", "oop_max": None},
        "oon_allowed_pct": "60",
    }
}


def test_call_sheet_questions_and_codes(make_scenario, ds):
    s = make_scenario()
    iv = call_sheet(s, "iv_ketamine", ds)
    codes = {c.code for c in iv.codes}
    assert {"96365", "96366", "J3490", "99214", "F33.2"} <= codes
    fields = {q.field for q, _ in iv.questions}
    assert {"iv_covered", "iv_pa_required", "oon_benefits", "oon_allowed_pct", "oon_deductible_met", "timely_filing_days", "iv_clinic_billing", "in_network_deductible_met"} <= fields
    sp = call_sheet(s, "spravato", ds)
    assert {"J0013", "G2082", "F33.2"} <= {c.code for c in sp.codes}
    assert {"spravato_drug_benefit", "spravato_visit_benefit", "spravato_rems_site_nearby", "spravato_clinic_in_network"} <= {q.field for q, _ in sp.questions}
    # every question records into a real answer field
    assert all(q.field in BenefitsCall.model_fields for q, _ in iv.questions + sp.questions)


def test_call_sheet_codes_follow_the_payer(make_scenario, ds):
    medicare = call_sheet(make_scenario({"plan": {"payer_type": "medicare"}}), "spravato", ds)
    assert {"G2082", "G2083"} <= {c.code for c in medicare.codes}
    assert "J0013" not in {c.code for c in medicare.codes}
    ptsd = call_sheet(make_scenario({"indication": "ptsd"}), "iv_ketamine", ds)
    assert "F43.12" in {c.code for c in ptsd.codes} and "F33.2" not in {c.code for c in ptsd.codes}
    with pytest.raises(WorkflowError, match="option"):
        call_sheet(make_scenario(), "ect", ds)


def test_printable_call_sheet_has_notices_and_no_identifier_fields(make_scenario, ds):
    for fmt in ("md", "html"):
        text = render_call_sheets(make_scenario(), ds, fmt)
        assert "988" in text and "not medical, financial or legal advice" in text
        assert "Reference number" in text and "96365" in text
        assert "member ID" in text  # only in the warning not to write it


def test_no_answers_change_nothing(make_scenario, ds):
    s = make_scenario()
    applied = apply_answers(s, {}, ds)
    assert applied.changes == [] and applied.scenario == s


def test_out_of_network_answers_flow_into_the_plan_and_the_comparison(make_scenario, ds):
    s = make_scenario(SUPERBILL_PLAN)
    low = apply_answers(s, {"oon_coinsurance_pct": "20", "oon_allowed_pct": "70"}, ds).scenario
    high = apply_answers(s, {"oon_coinsurance_pct": "60"}, ds).scenario
    assert low.plan.out_of_network.coinsurance_pct == Decimal("20") and low.plan.oon_allowed_pct == Decimal("70")
    reimb = lambda sc: compare(sc, ds).options["iv_ketamine"].run("approved").totals()["reimbursement"]  # noqa: E731
    # six $500 infusions in the first month, no out-of-network deductible:
    # 70% allowed = $350, 20% coinsurance $70 -> $280 back each; 60% allowed = $300:
    # 40% coinsurance -> $180 back (as entered), 60% coinsurance -> $120 back
    assert (reimb(low), reimb(s), reimb(high)) == (6 * 28000, 6 * 18000, 6 * 12000)


def test_oon_benefits_created_and_removed(make_scenario, ds):
    s = make_scenario()  # no out-of-network tier
    added = apply_answers(s, {"oon_benefits": "yes", "oon_deductible": "1000", "oon_coinsurance_pct": "50"}, ds)
    tier = added.scenario.plan.out_of_network
    assert tier is not None and tier.deductible == Decimal("1000") and tier.coinsurance_pct == Decimal("50")
    assert any("placeholder" in n for n in added.notes)
    removed = apply_answers(make_scenario(SUPERBILL_PLAN), {"oon_benefits": "no"}, ds)
    assert removed.scenario.plan.out_of_network is None
    assert [c.path for c in removed.changes] == ["plan.out_of_network"]


def test_benefit_and_network_answers(make_scenario, ds):
    a = apply_answers(make_scenario(), {"spravato_drug_benefit": "pharmacy", "spravato_clinic_in_network": "no", "iv_clinic_billing": "cash_only", "spravato_visit_benefit": "behavioral_health"}, ds)
    p = a.scenario.plan
    assert p.spravato_drug_benefit == "pharmacy" and p.spravato_clinic_in_network is False and p.iv_claim_route == "self_pay"
    assert any("behavioral-health" in n for n in a.notes)
    assert apply_answers(make_scenario(), {"iv_clinic_billing": "superbill"}, ds).scenario.plan.iv_claim_route == "superbill"


def _pct(key, ds):
    v = figure(key, ds)
    return tuple(v.pick(k) * 100 for k in ("low", "typical", "high"))


@pytest.mark.parametrize(
    "history, answers, key",
    [
        ({}, {"spravato_covered": "no"}, "benefits.not_covered.likelihood"),
        ({}, {"spravato_covered": "yes", "spravato_pa_required": "no"}, "benefits.covered_no_pa.likelihood"),
        ({}, {"spravato_covered": "yes", "spravato_pa_required": "yes"}, "benefits.covered_with_pa.ready"),
        ({"antidepressant_trials": 1}, {"spravato_covered": "yes", "spravato_pa_required": "yes"}, "benefits.covered_with_pa.not_ready"),
        ({"augmentation_tried": False}, {"spravato_covered": "yes", "spravato_pa_required": "yes", "spravato_pa_documents": ["augmentation"]}, "benefits.covered_with_pa.not_ready"),
        ({"antidepressant_trials": 1}, {"spravato_covered": "yes", "spravato_pa_required": "unknown"}, "benefits.covered_with_pa.not_ready"),
    ],
)
def test_coverage_answers_set_the_likelihood(make_scenario, ds, history, answers, key):
    s = make_scenario({"history": history})
    new = apply_answers(s, answers, ds).scenario
    got = new.spravato_likelihood_pct
    assert (got.low, got.typical, got.high) == _pct(key, ds)
    assert new.iv_likelihood_pct is None  # the other option is untouched
    # the comparison uses it
    assert compare(new, ds).options["spravato"].coverage.likelihood[1] == got.typical / 100


def test_prior_authorization_required_moves_the_expected_cost(make_scenario, ds):
    s = make_scenario({"history": {"antidepressant_trials": 1}})
    not_ready = apply_answers(s, {"spravato_covered": "yes", "spravato_pa_required": "yes"}, ds).scenario
    ready = apply_answers(make_scenario(), {"spravato_covered": "yes", "spravato_pa_required": "yes"}, ds).scenario
    cost = lambda sc: compare(sc, ds).options["spravato"].total("expected")  # noqa: E731
    assert cost(ready) < cost(not_ready)  # approval likelier -> less self-pay expected


def test_covered_but_not_for_this_patient(make_scenario, ds):
    s = make_scenario({"history": {"contraindication": True}})
    got = apply_answers(s, {"spravato_covered": "yes"}, ds).scenario.spravato_likelihood_pct
    assert (got.low, got.typical, got.high) == (0, 0, 0)


def test_contradictory_answers_name_the_answer(make_scenario, ds):
    s = make_scenario(SUPERBILL_PLAN)
    with pytest.raises(WorkflowError) as err:
        apply_answers(s, {"oon_deductible": "500", "oon_deductible_met": "800"}, ds)
    assert "deductible" in err.value.field.lower() and "cannot be more than the deductible" in str(err.value)


@pytest.mark.parametrize(
    "answers, field, words",
    [
        ({"insurer_call_date": str(date.today() + timedelta(days=3))}, "Date of the call to the insurer", "after today"),
        ({"insurer_call_date": "2027-02-30"}, "Date of the call to the insurer", "real date"),
        ({"insurer_reference": "Jane Doe"}, "Call reference number the insurer gave", "no names"),
        ({"member_id": "ABC123456"}, "member_id", "member IDs"),
        ({"patient_name": "x"}, "patient_name", "no names"),
        ({"oon_coinsurance_pct": "forty"}, "Out-of-network coinsurance (%)", "number"),
        ({"oon_coinsurance_pct": "140"}, "Out-of-network coinsurance (%)", "100 or less"),
        ({"timely_filing_days": "0"}, "Timely-filing limit for superbills (days)", "1 or more"),
        ({"spravato_covered": "maybe"}, "Spravato covered for this diagnosis", "one of"),
        ({"iv_pa_documents": ["birth_certificate"]}, "Documents the plan asks for (IV ketamine)", "one of"),
    ],
)
def test_bad_answers_give_a_message_naming_the_field(answers, field, words):
    with pytest.raises(WorkflowError) as err:
        read_call(answers)
    assert err.value.field == field
    assert words in err.value.message


def test_reference_numbers_are_kept(ds):
    assert read_call({"insurer_reference": "  CALL-2027-00417 "}).insurer_reference == "CALL-2027-00417"


# ------------------------------------------------------------ plan mechanics on the call sheet


def test_accumulator_question_comes_first_and_only_where_it_applies(make_scenario, ds):
    savings = {"plan": {"manufacturer_savings": True}}
    sp = call_sheet(make_scenario(savings), "spravato", ds)
    first, text = sp.questions[0]
    assert first.field == "copay_assistance" and first.feeds == "plan.copay_assistance_counts"
    assert text.startswith("Does the plan have a copay-accumulator or maximizer program for specialty drugs?")
    # the printed sheet puts it at the top while the plan's answer is unknown
    for fmt in ("md", "html"):
        sheet = render_call_sheets(make_scenario(savings), ds, fmt)
        assert sheet.index("Ask first") < sheet.index("IV ketamine")
    known = make_scenario({"plan": {"manufacturer_savings": True, "copay_assistance_counts": "counts"}})
    assert "Ask first" not in render_call_sheets(known, ds)
    assert "Ask first" not in render_call_sheets(make_scenario(), ds)  # not enrolling in the savings program
    # government plans: the savings program does not apply, so neither does the question
    medicare = call_sheet(make_scenario({"plan": {"payer_type": "medicare"}}), "spravato", ds)
    assert "copay_assistance" not in {q.field for q, _ in medicare.questions}
    assert "Ask first" not in render_call_sheets(make_scenario({"plan": {"payer_type": "medicare", "manufacturer_savings": True}}), ds)


def test_payer_specific_questions(make_scenario, ds):
    fields = lambda payer, option: {q.field for q, _ in call_sheet(make_scenario({"plan": {"payer_type": payer}}), option, ds).questions}  # noqa: E731
    assert {"medigap", "medicare_spravato_route"} <= fields("medicare", "spravato")
    assert "medicare_spravato_route" in fields("medicare_advantage", "spravato") and "medigap" not in fields("medicare_advantage", "spravato")
    assert "tricare_group" in fields("tricare", "spravato") and "tricare_group" in fields("tricare", "iv_ketamine")
    assert not {"medigap", "medicare_spravato_route", "tricare_group"} & fields("commercial", "spravato")
    assert {"oon_allowed_method", "oon_allowed_pct", "oon_medicare_pct", "oon_allowed_amounts"} <= fields("commercial", "iv_ketamine")
    assert {"pa_approval_months", "spravato_clinic_in_network", "spravato_drug_in_network"} <= fields("commercial", "spravato")


@pytest.mark.parametrize(
    "answers, path, value",
    [
        ({"copay_assistance": "accumulator"}, "copay_assistance_counts", "accumulator"),
        ({"copay_assistance": "maximizer"}, "copay_assistance_counts", "maximizer"),
        ({"copay_assistance": "counts"}, "copay_assistance_counts", "counts"),
        ({"oon_allowed_method": "per_code"}, "oon_allowed_method", "per_code"),
        ({"oon_medicare_pct": "140"}, "oon_medicare_pct", Decimal("140")),
        ({"medigap": "plan_n"}, "medigap", "plan_n"),
        ({"medicare_spravato_route": "part_d"}, "medicare_spravato_route", "part_d"),
        ({"tricare_group": "retiree_select"}, "tricare_group", "retiree_select"),
        ({"pa_approval_months": 12}, "pa_approval_months", 12),
        ({"spravato_drug_in_network": "no"}, "spravato_drug_in_network", False),
        ({"spravato_drug_in_network": "yes"}, "spravato_drug_in_network", True),
    ],
)
def test_mechanics_answers_land_in_the_plan(make_scenario, ds, answers, path, value):
    applied = apply_answers(make_scenario(), answers, ds)
    assert getattr(applied.scenario.plan, path) == value
    assert f"plan.{path}" in [c.path for c in applied.changes]
    assert apply_answers(make_scenario(), {k: "unknown" for k, v in answers.items() if isinstance(v, str) and not v[0].isdigit()}, ds).changes == []


def test_one_allowed_amount_detail_implies_its_method(make_scenario, ds):
    s = make_scenario(SUPERBILL_PLAN)
    by_medicare = apply_answers(s, {"oon_medicare_pct": "150"}, ds)
    assert by_medicare.scenario.plan.oon_allowed_method == "percent_of_medicare" and by_medicare.scenario.plan.oon_medicare_pct == Decimal("150")
    assert any("multiple of medicare" in n for n in by_medicare.notes)
    by_code = apply_answers(s, {"oon_allowed_amounts": {" 96365": "350", "96366": "100"}}, ds).scenario.plan
    assert by_code.oon_allowed_method == "per_code" and by_code.oon_allowed_amounts == {"96365": Decimal("350"), "96366": Decimal("100")}
    # two details and no method: nothing is guessed; the stated method wins
    both = apply_answers(s, {"oon_medicare_pct": "150", "oon_allowed_pct": "70"}, ds).scenario.plan
    assert both.oon_allowed_method == "percent_of_charge"
    stated = apply_answers(s, {"oon_allowed_method": "percent_of_medicare", "oon_medicare_pct": "150", "oon_allowed_pct": "70"}, ds).scenario.plan
    assert stated.oon_allowed_method == "percent_of_medicare"
    method_only = apply_answers(make_scenario(), {"oon_allowed_method": "percent_of_medicare"}, ds)
    assert any("published range" in n for n in method_only.notes)


def test_allowed_amount_answers_change_the_reimbursement(make_scenario, ds):
    s = make_scenario(SUPERBILL_PLAN)
    reimb = lambda sc: compare(sc, ds).options["iv_ketamine"].run("approved").totals()["reimbursement"]  # noqa: E731
    quoted = apply_answers(s, {"oon_allowed_amounts": {"96365": "350"}}, ds).scenario
    assert reimb(quoted) != reimb(s)


def test_accumulator_answer_moves_spravato_cost(make_scenario, ds):
    s = make_scenario({"plan": {"manufacturer_savings": True, "in_network": {"deductible": "3000", "oop_max": "6000"}}})
    counts = apply_answers(s, {"copay_assistance": "counts"}, ds).scenario
    acc = apply_answers(s, {"copay_assistance": "accumulator"}, ds)
    cost = lambda sc: compare(sc, ds).options["spravato"].run("approved").totals()["net"]  # noqa: E731
    assert cost(acc.scenario) > cost(counts)
    assert any("accumulator" in n for n in acc.notes)


def test_network_status_per_benefit(make_scenario, ds):
    a = apply_answers(make_scenario(), {"spravato_clinic_in_network": "yes", "spravato_drug_in_network": "no"}, ds)
    p = a.scenario.plan
    assert p.spravato_clinic_in_network is True and p.spravato_drug_in_network is False
    assert any("one benefit" in n for n in a.notes)


@pytest.mark.parametrize(
    "answers, field, words",
    [
        ({"oon_allowed_amounts": {"963": "350"}}, "Out-of-network allowed amount by code ($)", "not a billing code"),
        ({"oon_allowed_amounts": {"96365": "-5"}}, "Out-of-network allowed amount by code ($)", "cannot be negative"),
        ({"pa_approval_months": "0"}, "Prior authorization approved for (months)", "1 or more"),
        ({"copay_assistance": "sometimes"}, "Copay-accumulator or maximizer program for specialty drugs", "one of"),
        ({"tricare_group": "veteran"}, "TRICARE beneficiary group", "one of"),
    ],
)
def test_bad_mechanics_answers_name_the_field(answers, field, words):
    with pytest.raises(WorkflowError) as err:
        read_call(answers)
    assert err.value.field == field
    assert words in err.value.message
