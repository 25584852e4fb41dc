"""Data integrity: every number a face shows traces back to claim lines and sourced data rows.

For every example: each claim table's totals equal the sum of its lines; every price on a
line names a data row that exists (with a source and a date) or says it is a clinic quote;
the CLI's JSON, the dashboard's cost table and the handout show the engine's figures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import toolkit
from toolkit.engine.compare import CASES
from toolkit.money import fmt_round

EXAMPLES = toolkit.example_names()


@pytest.fixture(scope="module")
def ds():
    return toolkit.dataset()


def _refs(ref: str) -> list[str]:
    """'prices.csv:iv.infusion.depression; discount prices.csv:iv.package_discount' -> the row refs."""
    return re.findall(r"([a-z_]+\.csv):([A-Za-z0-9_.]+)", ref)


@pytest.mark.parametrize("name", EXAMPLES)
def test_totals_are_sums_of_claim_lines_and_prices_name_their_rows(ds, name):
    comp = toolkit.compare(toolkit.load_example(name), ds)
    for opt in comp.options.values():
        for (outcome, level), adj in opt.runs.items():
            t = adj.totals()
            assert t["net"] == sum(a.patient_pays - a.savings - a.reimbursement for a in adj.lines)
            assert t["billed"] == sum(a.line.billed for a in adj.lines)
            assert t["plan_pays"] == sum(a.plan_pays for a in adj.lines)
            for a in adj.lines:
                ref = a.line.ref
                if ref == "clinic quote":
                    continue
                rows = _refs(ref)
                assert rows, f"{name} {opt.option} {outcome}: line '{a.line.service}' names no data row ({ref!r})"
                for table, key in rows:
                    v = ds.value(key)
                    assert v.source.table == table and v.source.title and v.source.as_of
        # the expected total is the likelihood-weighted sum of the two claim tables
        p = opt.coverage.likelihood[1]
        approved = opt.run("approved").totals()["net"]
        denied = opt.run("denied").totals()["net"]
        assert abs(opt.total("expected") - (p * approved + (1 - p) * denied)) <= 1


@pytest.mark.parametrize("name", EXAMPLES)
def test_cli_json_shows_the_engine_figures(ds, name):
    out = subprocess.run([sys.executable, "-m", "toolkit", "compare", "--example", name, "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    comp = toolkit.compare(toolkit.load_example(name), ds)
    for key, opt in comp.options.items():
        s = shown["options"][key]
        assert s["if_approved_total"] == opt.run("approved").totals()["net"] / 100
        assert s["if_denied_total"] == opt.run("denied").totals()["net"] / 100
        for period, months in comp.periods():
            for case in CASES:
                assert s["average_for_comparison"][period][case] == opt.total(case, months) / 100


def test_dashboard_and_handout_show_the_engine_figures(ds):
    from toolkit.faces import fragments as report
    from toolkit.faces.handout import render_html

    comp = toolkit.compare(toolkit.default_scenario(), ds)
    table = report.cost_table(comp)
    handout = render_html(comp)
    for opt in comp.options.values():
        for _, months in comp.periods():
            assert fmt_round(opt.total("expected", months)) in table
        assert fmt_round(opt.total("expected")) in handout
