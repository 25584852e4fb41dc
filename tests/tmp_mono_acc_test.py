import sys; sys.path.insert(0, "/work/main/tests")
from test_properties import *
@settings(max_examples=500, deadline=None, database=None)
@given(scenarios(savings=True, payers=["commercial","hdhp"]), st.sampled_from(PRICE_FIELDS), dollars(1, 1_000_00))
def test_mono_acc(scenario, field, raise_by):
    scenario = scenario.model_copy(update={"plan": scenario.plan.model_copy(update={"accumulator_adjustment": True})})
    test_raising_a_clinic_quote_never_lowers_the_patient_cost.hypothesis.inner_test(scenario, field, raise_by)
