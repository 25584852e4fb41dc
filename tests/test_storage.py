"""Saved scenarios: round trip, clear refusals, and saves that never leave a broken file.

The crash test runs a real child process that is killed with SIGKILL in the middle of a
save (after the new bytes are written, before the rename): the old file must still be
there, whole and readable.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolkit import default_scenario, load_example
from toolkit.scenario import Scenario, ScenarioError
from toolkit.storage import StorageError, atomic_write, list_saved, load_saved, safe_filename, save_scenario, save_to_folder

ROOT = Path(__file__).resolve().parent.parent


def test_round_trip_keeps_every_field(tmp_path):
    for name in ("commercial_ppo_trd", "hdhp_hsa_trd", "medicare_original_trd"):
        s = load_example(name)
        p = save_scenario(s, tmp_path / f"{name}.json")
        back = load_saved(p)
        assert back.model_dump() == s.model_dump()


def test_saved_file_has_a_schema_version_and_no_identifier_fields(tmp_path):
    p = save_to_folder(default_scenario(), "ppo-trd", tmp_path)
    data = json.loads(p.read_text())
    assert data["schema_version"] == 1
    assert set(data) <= set(Scenario.model_fields)
    text = p.read_text().lower()
    for word in ("member_id", "birth", "address", "phone", "email", "patient_name"):
        assert word not in text


def test_truncated_file_is_refused_and_left_alone(tmp_path):
    p = save_scenario(default_scenario(), tmp_path / "s.json")
    whole = p.read_text()
    p.write_text(whole[: len(whole) // 2])
    before = p.read_bytes()
    with pytest.raises(ScenarioError) as err:
        load_saved(p)
    assert "not valid JSON" in str(err.value) and "truncated" in str(err.value)
    assert str(p) in str(err.value)
    assert p.read_bytes() == before  # loading never writes


def test_newer_schema_version_is_refused_with_a_plain_message(tmp_path):
    data = json.loads(default_scenario().to_json())
    data["schema_version"] = 2
    data["some_new_field"] = True
    p = tmp_path / "newer.json"
    p.write_text(json.dumps(data))
    with pytest.raises(ScenarioError) as err:
        load_saved(p)
    assert "newer version of the toolkit" in str(err.value)


@pytest.mark.parametrize("content, words", [
    ("", "empty"),
    ("[1, 2]", "JSON object"),
    ('{"schema_version": 1, "member_id": "X"}', "not a field the toolkit knows"),
    ('{"schema_version": 1, "horizon_months": 99}', "horizon_months"),
])
def test_malformed_files_get_one_clear_message(tmp_path, content, words):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(ScenarioError) as err:
        load_saved(p)
    assert words in str(err.value)


def test_failed_replace_leaves_the_old_file_and_no_temp_files(tmp_path, monkeypatch):
    p = save_scenario(default_scenario(), tmp_path / "s.json")
    before = p.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    changed = default_scenario().model_copy(update={"title": "changed"})
    with pytest.raises(StorageError) as err:
        save_scenario(changed, p)
    assert "previous version" in str(err.value)
    assert p.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == ["s.json"]


def test_kill_during_save_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "s.json"
    save_scenario(default_scenario(), target)
    before = target.read_bytes()
    # The child writes a new version, then blocks just before the rename; we kill it there.
    child = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from toolkit import default_scenario
        from toolkit import storage
        def stall(src, dst):
            print("ready", flush=True)
            time.sleep(60)
        os.replace = stall
        s = default_scenario().model_copy(update={{"title": "new version " + "x" * 100}})
        storage.save_scenario(s, {str(target)!r})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert load_saved(target).title == default_scenario().title
    # the half-done temporary file is never offered as a saved scenario
    assert list_saved(tmp_path) == [target]


def test_atomic_write_replaces_completely(tmp_path):
    p = atomic_write(tmp_path / "sub" / "a.txt", "one")
    atomic_write(p, "two")
    assert p.read_text() == "two"
    with pytest.raises(StorageError):
        atomic_write(tmp_path / "sub", "x")  # a folder


@pytest.mark.parametrize("name", ["", "  ", "../escape", "a/b", "x" * 81, "name?", ".hidden"])
def test_unsafe_file_names_are_refused(name):
    with pytest.raises(StorageError, match="File name"):
        safe_filename(name)


def test_list_saved_newest_first(tmp_path):
    a = save_to_folder(default_scenario(), "a", tmp_path)
    b = save_to_folder(default_scenario(), "b.json", tmp_path)
    os.utime(a, (1, 1))
    (tmp_path / "notes.txt").write_text("x")
    assert list_saved(tmp_path) == [b, a]
    assert list_saved(tmp_path / "missing") == []


# --------------------------------------------------------------------------- the dashboard panel


@pytest.fixture
def panel(tmp_path, monkeypatch):
    from toolkit.faces.dashboard import Dashboard

    monkeypatch.chdir(tmp_path)
    dash = Dashboard()
    return dash, dash.takeaway.saving, tmp_path


def test_panel_saves_and_opens_a_scenario(panel):
    dash, so, tmp = panel
    name, save, msg = so.name, so.save_button, so.save_message
    name.value = "ppo-trd"
    save.click()
    assert "Saved" in msg.value
    path = tmp / "saved-scenarios" / "ppo-trd.json"
    assert load_saved(path).title == default_scenario().title
    # saving again asks before replacing
    save.click()
    assert "already exists" in msg.value
    save.click()
    assert "Saved" in msg.value
    # change the form, then open the saved one: the form comes back
    dash.set("plan.in_network.coinsurance_pct", "35")
    files, open_msg = so.files, so.open_message
    assert Path(files.value).resolve() == path.resolve()
    so.open_button.click()
    assert "Opened" in open_msg.value
    assert dash.fields["plan.in_network.coinsurance_pct"].widget.value == "20"


def test_panel_refuses_bad_form_and_broken_files(panel):
    dash, so, tmp = panel
    name, save, msg = so.name, so.save_button, so.save_message
    dash.set("plan.in_network.coinsurance_pct", "abc")
    name.value = "broken-form"
    save.click()
    # the panel's own refusal naming the field, not the callback guard's catch-all
    field = "plan.in_network.coinsurance_pct"
    assert "Something unexpected went wrong" not in msg.value, msg.value
    assert "role='alert'" in msg.value and "fix the fields" in msg.value, msg.value
    assert field in msg.value or dash.fields[field].widget.description in msg.value, msg.value
    assert not (tmp / "saved-scenarios" / "broken-form.json").exists()
    (tmp / "saved-scenarios").mkdir(exist_ok=True)
    (tmp / "saved-scenarios" / "cut.json").write_text('{"schema_version": 1, "title": ')
    files, open_msg = so.files, so.open_message
    so.refresh_button.click()
    files.value = str(Path("saved-scenarios") / "cut.json")
    before = dash.fields["title"].widget.value
    so.open_button.click()
    assert "Not opened, nothing changed" in open_msg.value
    assert dash.fields["title"].widget.value == before
