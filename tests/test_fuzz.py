"""Property-based fuzzing of every entry point that takes outside input.

The result must always be either a correct answer or a clear message naming the field,
file, row or column: never a traceback, never a partly written file.

Cases per entry point: 200 by default (what ``make test`` and CI run);
``TOOLKIT_FUZZ_CASES`` raises it, e.g. ``TOOLKIT_FUZZ_CASES=20000`` for a nightly-style run
(see tests/fuzzing.py). Every test here is marked ``fuzz``.
"""

from __future__ import annotations

import copy
import re
import csv
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit
from toolkit.data import DataError, default_data_dir, load_dataset
from toolkit.scenario import ScenarioError, load_scenario, validate_scenario

from fuzzing import fuzz_settings

pytestmark = pytest.mark.fuzz
FUZZ = fuzz_settings(derandomize=True)

BASE = json.loads(toolkit.default_scenario().to_json())

# every leaf path of the scenario, e.g. ("plan", "in_network", "coinsurance_pct")
def _paths(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    else:
        yield prefix


PATHS = sorted(set(_paths(BASE)) | {("plan", "out_of_network"), ("prices", "iv_infusion"), ("schedule", "iv_custom_phases"), ("iv_likelihood_pct",), ("nonsense",)})

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
    | st.sampled_from(["", "-1", "1e400", "NaN", "2026-02-30", "101", "0.001", "99999999999", "MN", "weekly", "pharmacy", "superbill", "84"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for k in path[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[path[-1]] = value


def _check_result(scenario) -> None:
    comp = toolkit.compare(scenario)
    for opt in comp.options.values():
        for adj in opt.runs.values():
            for a in adj.lines:
                assert a.net >= 0 and a.patient_pays >= 0 and a.plan_pays >= 0
                assert a.savings <= a.patient_pays and a.reimbursement <= a.patient_pays
            assert adj.totals()["net"] == sum(a.net for a in adj.lines)


@FUZZ
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), junk), min_size=1, max_size=4))
def test_fuzz_scenario_model(edits):
    data = copy.deepcopy(BASE)
    for path, value in edits:
        _set(data, path, value)
    try:
        scenario = validate_scenario(data)
    except ScenarioError as exc:
        assert exc.problems and all(field and msg for field, msg in exc.problems)
        return
    _check_result(scenario)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode), st.integers(0, 2000).map(lambda n: json.dumps(BASE).encode()[:n])))
def test_fuzz_scenario_files(tmp_path_factory, raw):
    path = tmp_path_factory.getbasetemp() / "fuzz-scenario.json"
    path.write_bytes(raw)
    try:
        load_scenario(path)
    except ScenarioError as exc:
        assert str(path) in str(exc)


CLI_ERROR = re.compile(r"(usage: [^\n]*\n(?: [^\n]*\n)*)?error: .+\n", re.S)
ARG_WORDS = ["compare", "examples", "check-data", "--format", "json", "csv", "table", "xml", "--example", "medicaid_trd", "nope", "--claims", "-h", "missing.json", "", "--out"]


@FUZZ
@given(argv=st.lists(st.sampled_from(ARG_WORDS) | st.text(max_size=8), max_size=5))
def test_fuzz_cli_arguments(argv):
    from toolkit.faces.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
            code = exc.code
        except Exception as exc:  # in process an unforeseen error raises here, it prints nothing
            pytest.fail(f"main({argv!r}) raised {type(exc).__name__}: {exc}")
    assert code in (0, 2), (argv, code, err.getvalue())
    text = err.getvalue()
    if code == 2:
        # the toolkit's own one message, "error: ...", after argparse's usage lines if any
        # (the message may quote a typed argument, which may hold any character)
        assert CLI_ERROR.fullmatch(text), (argv, text)
    else:
        assert text == "", (argv, text)  # a run that succeeds says nothing on stderr


@pytest.fixture(scope="module")
def fast_dashboard():
    """The dashboard with a stub chart: the fuzz is about input handling, not pixels."""
    import toolkit.faces.dashboard as dashboard_module

    real = dashboard_module.paths_svg
    dashboard_module.paths_svg = lambda comp, **kw: "<svg>stub</svg>"
    try:
        yield dashboard_module.Dashboard()
    finally:
        dashboard_module.paths_svg = real


TEXT_VALUES = st.one_of(st.text(max_size=10), st.sampled_from(["", "-5", "150", "1e9", "abc", "$1,200.50", "0", "12.345", "NaN", "inf", "3000", " 7 "]))


@FUZZ
@given(data=st.data())
def test_fuzz_dashboard_inputs(fast_dashboard, data):
    dash = fast_dashboard
    path = data.draw(st.sampled_from(sorted(dash.fields)))
    fld = dash.fields[path]
    w = fld.widget
    if fld.kind == "codes":
        value = data.draw(TEXT_VALUES | st.sampled_from(["96365: 350", "j0013: 5, 99214: $180", "96365", "abc: 1", "96365: -4", ":", "99415: 1e9"]))
    elif fld.kind in ("money", "money_opt", "percent", "percent_opt", "text", "int_opt"):
        value = data.draw(TEXT_VALUES)
    elif fld.kind == "int":
        value = data.draw(st.integers(-1000, 1000))
    elif fld.kind == "bool":
        value = data.draw(st.booleans())
    elif fld.kind == "choice":
        value = data.draw(st.sampled_from([v if not isinstance(v, tuple) else v[1] for v in w.options]))
    else:  # date
        value = data.draw(st.none() | st.dates())
    before = dash.comparison
    w.value = value
    assert "Something unexpected" not in dash.status.value, (path, value, dash.status.value)
    if dash.last_error is not None:
        assert dash.comparison is before  # the last good result stays
        assert any(f.message.value for f in dash.fields.values()) or dash.status.value
    # put the good example back now and then so the fuzz explores from valid states
    if data.draw(st.integers(0, 9)) == 0:
        dash.load(toolkit.default_scenario())


TABLES = ["prices.csv", "protocols.csv", "programs.csv", "rules.csv", "coverage.csv", "pa_criteria.csv", "codes.csv"]


@pytest.fixture(scope="module")
def table_rows():
    out = {}
    for name in TABLES:
        with open(default_data_dir() / name, newline="", encoding="utf-8") as fh:
            out[name] = list(csv.reader(fh))
    return out


CELL_VALUES = st.one_of(st.text(max_size=15), st.sampled_from(["", "-1", "abc", "2026-13-01", "9999-01-01", "1e999", "likely", "maybe", "ZZ999", "official", "http://x", "0.5", "1.5"]))


@FUZZ
@given(data=st.data())
def test_fuzz_data_tables(tmp_path_factory, table_rows, data):
    """Corrupt one or two cells of one table: the loader either loads or names file, row and column."""
    folder = tmp_path_factory.getbasetemp() / "fuzz-data"
    if not folder.exists():
        shutil.copytree(default_data_dir(), folder)
    name = data.draw(st.sampled_from(TABLES))
    rows = copy.deepcopy(table_rows[name])
    for _ in range(data.draw(st.integers(1, 2))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(CELL_VALUES)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")
    try:
        load_dataset(folder)
    except DataError as exc:
        for p in exc.problems:
            assert p.file.startswith("data/") and p.message
        assert f"data/{name}" in str(exc) or "required row" in str(exc) or "data/codes.csv" in str(exc) or "data/" in str(exc)
    finally:
        (folder / name).write_bytes((default_data_dir() / name).read_bytes())


with open(default_data_dir() / "examples" / "batch_example.csv", newline="", encoding="utf-8") as _fh:
    BATCH_ROWS = list(csv.reader(_fh))


@FUZZ
@given(data=st.data())
def test_fuzz_batch_csv(data):
    """Corrupt cells of the example batch: each bad row is reported by number and skipped, never silently."""
    from toolkit.analysis.batch import BatchFileError, parse_batch, run_batch

    rows = copy.deepcopy(BATCH_ROWS[:4])
    for _ in range(data.draw(st.integers(0, 3))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(CELL_VALUES)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    text = buf.getvalue()
    try:
        batch = parse_batch(text, "fuzz.csv")
    except BatchFileError as exc:
        assert "fuzz.csv" in str(exc)
        return
    for line in batch.problems:
        assert re.search(r"row \d+", line), line
    frame = run_batch(batch, toolkit.dataset())
    assert len(frame) + batch.skipped == len(rows) - 1 - sum(1 for r in rows[1:] if not any(c.strip() for c in r))


@FUZZ
@given(cut=st.integers(0, 4000), garbage=st.binary(max_size=40), newer=st.booleans())
def test_fuzz_saved_scenarios(tmp_path_factory, cut, garbage, newer):
    """A truncated, corrupted or newer-version file gets a clear message and never overwrites the old one."""
    from toolkit.storage import load_saved, save_scenario

    folder = tmp_path_factory.getbasetemp() / "fuzz-saves"
    folder.mkdir(exist_ok=True)
    good = folder / "good.json"
    save_scenario(toolkit.default_scenario(), good)
    before = good.read_bytes()
    text = json.loads(before)
    if newer:
        text["schema_version"] = 2
    broken = folder / "broken.json"
    broken.write_bytes(json.dumps(text).encode()[:cut] + garbage)
    try:
        load_saved(broken)
    except ScenarioError as exc:
        assert "broken.json" in str(exc)
    assert good.read_bytes() == before
    assert load_saved(good) == toolkit.default_scenario()


@FUZZ
@given(row=st.fixed_dictionaries({}, optional={"date": CELL_VALUES | st.dates().map(str), "amount": CELL_VALUES | st.decimals(-10**6, 10**7, places=3).map(str), "what_for": st.text(max_size=30), "kind": CELL_VALUES, "paid_from": CELL_VALUES}))
def test_fuzz_expense_tracker(row):
    """Any row, however half-filled: added, or kept as a draft with a message naming the field; nothing lost."""
    from toolkit.paying.expenses import ExpenseLog

    log = ExpenseLog()
    message = log.add(row)
    assert len(log.entries) + len(log.drafts) == 1
    if log.drafts:
        assert "draft" in message.lower()
    else:
        assert log.entries[0].amount >= 0
    csv_text = log.to_csv()
    again = ExpenseLog.from_csv(csv_text)
    assert [e.amount for e in again.entries] == [e.amount for e in log.entries]
