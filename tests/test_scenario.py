"""Scenario input: JSON round trips, and one clear message naming the field for bad input."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BASE_SCENARIO, merge
from toolkit import Scenario, ScenarioError, example_names, load_example, load_scenario, validate_scenario
from toolkit.examples import DEFAULT_EXAMPLE, default_scenario, example_titles, examples_dir


@pytest.mark.parametrize("name", example_names())
def test_every_example_survives_a_json_round_trip(name, tmp_path):
    scenario = load_example(name)
    again = validate_scenario(json.loads(scenario.model_dump_json()))
    assert again == scenario
    assert Scenario.model_validate_json(scenario.to_json()) == scenario
    path = tmp_path / f"{name}.json"
    path.write_text(scenario.to_json(), encoding="utf-8")
    assert load_scenario(path) == scenario


def test_examples_list_starts_with_the_default():
    names = example_names()
    assert names[0] == DEFAULT_EXAMPLE
    assert len(names) == len(list(examples_dir().glob("*.json"))) == 10
    assert default_scenario() == load_example(DEFAULT_EXAMPLE)
    assert all(title and title != name for title, name in example_titles())


def test_examples_hold_no_identifiers():
    # extra="forbid" refuses unknown keys; the examples use only known fields
    for name in example_names():
        data = json.loads((examples_dir() / f"{name}.json").read_text(encoding="utf-8"))
        assert not {"name", "dob", "date_of_birth", "member_id", "address"} & set(data)


NEGATIVE = r"negative|greater than or equal to 0"

BAD_INPUT = [
    # overrides, the field the message must name, a pattern the message must contain
    ({"prices": {"iv_infusion": "-5"}}, "prices.iv_infusion", NEGATIVE),
    ({"prices": {"spravato_device": "-0.01"}}, "prices.spravato_device", NEGATIVE),
    # found by fuzzing the batch CSV: a year-9999 start made the horizon arithmetic overflow
    ({"start_date": "9999-01-01"}, "start_date", "between 2000 and 2099"),
    ({"plan": {"in_network": {"coinsurance_pct": "101"}}}, "plan.in_network.coinsurance_pct", r"100 or less|less than or equal to 100"),
    ({"plan": {"in_network": {"deductible": "7000", "oop_max": "6000"}}}, "plan.in_network.deductible", "above the out-of-pocket maximum"),
    ({"plan": {"in_network": {"deductible": "1000", "deductible_met": "1000.01"}}}, "plan.in_network.deductible_met", "more than the deductible"),
    ({"plan": {"in_network": {"oop_max": "1000", "oop_met": "2000"}}}, "plan.in_network.oop_met", "more than the out-of-pocket maximum"),
    ({"plan": {"out_of_network": {"deductible": "500", "deductible_met": "600"}}}, "plan.out_of_network.deductible_met", "more than the deductible"),
    ({"start_date": "2026-02-30"}, "start_date", r"(?i)date"),
    ({"name": "Jane Doe"}, "name", "not a field the toolkit knows"),
    ({"plan": {"member_id": "X123"}}, "plan.member_id", "not a field the toolkit knows"),
    ({"horizon_months": 0}, "horizon_months", r"1 or more|greater than or equal to 1"),
    ({"plan": {"state": "Minnesota"}}, "plan.state", ""),
    ({"history": {"baseline_scale": "PHQ-9", "baseline_score": 40}}, "history.baseline_score", "runs from 0 to 27"),
    ({"plan": {"payer_type": "medigap"}}, "plan.payer_type", ""),
]


@pytest.mark.parametrize("over,field,words", BAD_INPUT)
def test_bad_input_names_the_field(over, field, words):
    with pytest.raises(ScenarioError) as err:
        validate_scenario(merge(BASE_SCENARIO, over))
    assert field in err.value.by_field, err.value.problems
    assert re.search(words, err.value.by_field[field]), err.value.by_field[field]
    assert str(err.value).startswith(field) or f"; {field}: " in str(err.value)


@pytest.mark.parametrize("version", [2, 99, "2"])
def test_newer_schema_version_says_so(version):
    with pytest.raises(ScenarioError) as err:
        validate_scenario(merge(BASE_SCENARIO, {"schema_version": version}))
    message = err.value.by_field["schema_version"]
    assert "newer version of the toolkit" in message
    assert "schema 2" in message or "schema 99" in message
    assert "reads schema 1" in message


def test_every_problem_is_reported_at_once():
    with pytest.raises(ScenarioError) as err:
        validate_scenario(merge(BASE_SCENARIO, {"prices": {"iv_infusion": "-5"}, "horizon_months": 99}))
    assert set(err.value.by_field) == {"prices.iv_infusion", "horizon_months"}


def test_non_object_json():
    for data in ([1, 2], "scenario", 3, None):
        with pytest.raises(ScenarioError, match="must be a JSON object"):
            validate_scenario(data)


# --------------------------------------------------------------------------- files


def test_truncated_json_file(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(load_example(DEFAULT_EXAMPLE).to_json()[:200], encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value)
    assert "is not valid JSON" in err.value.by_field["file"]
    assert "truncated" in err.value.by_field["file"]


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_file(tmp_path, text):
    path = tmp_path / "empty.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.by_field == {"file": "is empty"}


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "nowhere.json")
    assert err.value.by_field == {"file": "not found"}
    assert "nowhere.json" in str(err.value)


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def test_binary_file(tmp_path):
    path = tmp_path / "photo.json"
    path.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(ScenarioError, match="not a text"):
        load_scenario(path)


def test_non_object_json_file(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "must be a JSON object" in err.value.by_field["scenario"]
    assert str(path) in str(err.value)


def test_invalid_field_in_a_file_names_file_and_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(merge(BASE_SCENARIO, {"plan": {"in_network": {"coinsurance_pct": "150"}}})), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: plan.in_network.coinsurance_pct:")


def test_defaults_make_a_valid_scenario():
    s = validate_scenario({})
    assert s.schema_version == 1
    assert s.plan.payer_type == "commercial"
