"""The dashboard's "After the first claims": the re-fit shown from a pasted EOB, bad input inline, nothing changed unasked."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from toolkit.faces.dashboard import Dashboard  # noqa: E402

EOB = (Path(__file__).resolve().parent.parent / "data" / "examples" / "eob_commercial_ppo_trd.csv").read_text(encoding="utf-8")


@pytest.fixture
def dash(ds):
    return Dashboard(ds=ds)


def test_a_pasted_eob_shows_the_refit_and_changes_nothing_unasked(dash):
    before = dash.comparison.scenario
    dash.eob.text.value = EOB
    assert dash.eob.run()
    html = dash.eob.view.value
    assert "$750.00 &rarr; <b>$780.00</b>" in html  # estimate -> actual
    assert "the scenario said 20%, the EOB implies <b>40%</b>" in html
    assert "before the EOB <b>$1,310</b>" in html
    assert dash.comparison.scenario == before  # the form and its result are untouched
    keys = [box.key for box in dash.eob.keeps.children]
    assert "plan.in_network.coinsurance_pct" in keys


def test_keep_box_and_use(dash):
    dash.eob.text.value = EOB
    dash.eob.run()
    box = next(b for b in dash.eob.keeps.children if b.key == "plan.in_network.coinsurance_pct")
    box.value = True  # re-fits keeping the scenario's 20 %
    assert dash.eob.result.scenario.plan.in_network.coinsurance_pct == Decimal(20)
    assert "keeping the scenario" in dash.eob.view.value
    box.value = False
    dash.eob.use()
    s = dash.comparison.scenario
    assert s.plan.in_network.coinsurance_pct == Decimal(40)
    assert s.plan.in_network_allowed_amounts == {"99214": Decimal("190.00")}  # carried through the form
    assert "not saved" in dash.eob.message.value


def test_a_bad_eob_is_an_inline_message_and_the_last_result_stays(dash):
    dash.eob.text.value = EOB
    dash.eob.run()
    good = dash.eob.view.value
    dash.eob.text.value = EOB.replace("99214,250.00", "99214,abc")
    assert not dash.eob.run()
    assert "row 6, column billed" in dash.eob.message.value
    assert dash.eob.view.value == good
    dash.eob.text.value = "member_id," + EOB.splitlines()[3]
    assert not dash.eob.run()
    assert "member_id" in dash.eob.message.value and "identifier" in dash.eob.message.value


def test_upload(dash):
    dash.eob.upload.value = ({"name": "eob.csv", "type": "text/csv", "size": len(EOB), "content": memoryview(EOB.encode()), "last_modified": datetime.now(timezone.utc)},)
    assert dash.eob.result is not None and dash.eob.result.option == "spravato"
