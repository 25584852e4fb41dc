"""The EOB re-fit: a table of EOB cases with the inference written out, and the re-fitted later lines.

Every case starts from the built-in example (commercial PPO, TRD: in network deductible
$1,500 with $1,200 met, 20 % coinsurance, $40 visit copay, cap $6,000 with $1,850 met; out of
network deductible $3,000, 40 %; Spravato 56 mg at the first session, 84 mg after; IV
ketamine paid at the clinic and filed as a superbill). The forecast's first session is on
2026-12-07.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit import compare, load_example
from toolkit.eob import read_eob_text, refit
from toolkit.eob.reader import COLUMNS
from toolkit.scenario import ScenarioError
from toolkit.storage import load_saved, save_scenario

HEAD = ",".join(COLUMNS)


def eob(*lines: str) -> str:
    return HEAD + "\n" + "\n".join(lines) + "\n"


def example(**plan_over):
    s = load_example("commercial_ppo_trd")
    if plan_over:
        data = s.model_dump(mode="json")
        for key, value in plan_over.items():
            node = data["plan"]
            *path, last = key.split("__")
            for p in path:
                node = node[p]
            node[last] = value
        from toolkit.scenario import validate_scenario

        s = validate_scenario(data)
    return s


# Spravato, first session (56 mg = 2 devices), the plan applied 40 %:
#   J0013: allowed 780.00 = 2 x 390.00 (the forecast: 2 x 375.00 published)
#          deductible 300.00 (the 1,500 - 1,200 left: the deductible runs out on this line)
#          coinsurance 192.00 = 40 % of (780.00 - 300.00) = 40 % of 480.00  (scenario: 20 %)
#          plan paid 288.00 = 780.00 - 300.00 - 192.00
#   99214: allowed 190.00 (the forecast: 193.92 = Medicare's fee x the plan's multiple); copay 40.00; plan 150.00
SPRAVATO = ("2026-12-07,J0013,1100.00,780.00,288.00,300.00,192.00,0.00,492.00,no,",
            "2026-12-07,99214,250.00,190.00,150.00,0.00,0.00,40.00,40.00,no,")

CASES = [
    # (id, scenario plan changes, EOB lines, option, {difference key: new value})
    ("allowed, coinsurance inferred; deductible as the scenario said", {}, SPRAVATO, "spravato", {
        "prices.spravato_device": "390.00",                      # 780.00 / 2 devices
        "plan.in_network_allowed_amounts.99214": "190.00",        # allowed on the EOB
        "plan.in_network.coinsurance_pct": "40",                 # 192.00 / 480.00
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},  # paid: approved
    }),
    # the scenario said nothing was met; the EOB took 300.00 and the deductible ran out mid-claim
    # (480.00 of the J0013 line went past it), so 1,500 - 300 = 1,200 was met at the start, and the
    # out-of-pocket met then was at least that (the scenario's 1,850 already is)
    ("deductible met mid-claim", {"in_network__deductible_met": "0"}, SPRAVATO, "spravato", {
        "plan.in_network.deductible_met": "1200.00",
        "plan.in_network.coinsurance_pct": "40",
    }),
    # IV ketamine, superbill out of network: the plan allowed 60 % of each charge (published: 50 %);
    #   96365: 342.00 of 570.00; 90791: 210.00 of 350.00; all of it to the 3,000 deductible
    #   (nothing met, so at least 552.00 was left: the scenario's 0 met stands), plan paid 0
    ("allowed inferred from allowed / billed", {}, (
        "2026-12-07,90791,350.00,210.00,0.00,210.00,0.00,0.00,350.00,no,",
        "2026-12-07,96365,570.00,342.00,0.00,342.00,0.00,0.00,570.00,no,"), "iv_ketamine", {
        "plan.oon_allowed_pct": "60",                            # 342 / 570 = 210 / 350 = 60 %
        "iv_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }),
    # a denied drug line (CO-197: no prior authorization on file): the chance of approval is 0,
    # so the paths run on appeal or denied; the paid visit line still settles its own figures
    ("a denied line switches the path", {}, (
        "2026-12-07,J0013,1100.00,0.00,0.00,0.00,0.00,0.00,0.00,yes,CO-197",
        "2026-12-07,99214,250.00,190.00,150.00,0.00,0.00,40.00,40.00,no,"), "spravato", {
        "plan.in_network_allowed_amounts.99214": "190.00",
        "spravato_likelihood_pct": {"low": "0", "typical": "0", "high": "0"},
    }),
]


@pytest.mark.parametrize("name, plan, lines, option, expected", CASES, ids=[c[0] for c in CASES])
def test_inference_table(name, plan, lines, option, expected, ds):
    s = example(**plan)
    before = s.model_dump()
    r = refit(s, read_eob_text(eob(*lines)), ds)
    assert r.option == option
    got = {d.key: d.value for d in r.differences}
    for key, value in expected.items():
        assert key in got, (key, got)
        v = got[key]
        assert (Decimal(v) == Decimal(value)) if isinstance(value, str) else v == value, (key, v)
    assert s.model_dump() == before  # the original scenario is never changed


def test_the_refit_reproduces_the_eob_and_reprices_later_lines(ds):
    s = example()
    r = refit(s, read_eob_text(eob(*SPRAVATO)), ds)
    assert all(c.reproduced for c in r.lines)  # the engine on the inferred values gives the EOB's own numbers
    later = [a for a in r.after.options["spravato"].run("approved").lines if str(a.line.day) > "2026-12-07"]
    visits = [a for a in later if a.line.code == "99214"]
    drugs = [a for a in later if a.line.code == "J0013"]
    assert visits and all(a.allowed == 19000 for a in visits)  # the EOB's 190.00, not 193.92
    assert drugs[0].line.mult == 3 and drugs[0].allowed == 3 * 39000  # 84 mg: 3 devices at 390.00
    # 40 % coinsurance on the later drug lines (the deductible is met): 40 % of 1,170.00 = 468.00
    assert drugs[0].deductible == 0 and drugs[0].coinsurance == 46800
    assert r.after.scenario.plan.in_network.coinsurance_pct == Decimal(40)
    assert r.path_before().key == r.path_after().key == "approved"
    # met so far: the deductible is used up; the cap has 6,000 - 1,850 - 492 - 40 = 3,618.00 left
    assert r.left_after() == ("in network", 0, 361800)


def test_the_after_figure_is_the_claim_lines(ds):
    """After = the re-fitted likely path's lines, the EOB's lines in place of the engine's for the same lines."""
    r = refit(example(), read_eob_text(eob(*SPRAVATO)), ds)
    path = r.path_after()
    total = sum(a.net for a in path.runs["typical"].lines)
    swap = sum(c.actual_net - c.refit.net for c in r.lines)
    assert r.forecast_after() == total + swap
    assert swap == 0  # reproduced: the EOB's lines and the engine's agree to the cent


def test_keep_the_scenario_value(ds):
    s = example()
    r = refit(s, read_eob_text(eob(*SPRAVATO)), ds, keep=["plan.in_network.coinsurance_pct"])
    choice = {d.key: d.choice for d in r.differences}
    assert choice["plan.in_network.coinsurance_pct"] == "keep-scenario"
    assert choice["prices.spravato_device"] == "use-eob"
    assert r.scenario.plan.in_network.coinsurance_pct == Decimal(20)
    assert not r.lines[0].reproduced  # 20 % kept: the engine's J0013 line is not the EOB's


def test_unknown_keep_is_a_clear_error(ds):
    with pytest.raises(ScenarioError, match="--keep.*not one of the differences"):
        refit(example(), read_eob_text(eob(*SPRAVATO)), ds, keep=["plan.nothing"])


def test_denied_path_after(ds):
    r = refit(example(), read_eob_text(eob("2026-12-07,J0013,1100.00,0.00,0.00,0.00,0.00,0.00,0.00,yes,CO-197")), ds)
    assert r.inference.path == "denied" and r.inference.denial_reasons == ["CO-197"]
    assert r.path_before().key == "approved"
    assert r.path_after().key in ("approved_on_appeal", "denied")
    assert r.after.options["spravato"].path("approved").likelihood == (0, 0, 0)


def test_an_eob_for_nothing_in_the_forecast_is_refused(ds):
    from toolkit.eob import EOBError

    with pytest.raises(EOBError, match="row 2, column date_of_service: no forecast line"):
        refit(example(), read_eob_text(eob("2026-01-05,J0013,1100.00,780.00,288.00,300.00,192.00,0.00,492.00,no,")), ds)


def test_round_trip_with_saved_scenarios(tmp_path, ds):
    """The re-fitted scenario saves and opens like any other, and prices the same."""
    s = example()
    r = refit(s, read_eob_text(eob(*SPRAVATO)), ds)
    path = save_scenario(r.scenario, tmp_path / "ppo-trd-after-eob.json")
    back = load_saved(path)
    assert back == r.scenario
    assert back.plan.in_network_allowed_amounts == {"99214": Decimal("190.00")}
    again = compare(back, ds)
    assert again.options["spravato"].likely_path.total("typical", 12) == r.path_after().total("typical", 12)
    # a saved original re-fits the same after a save and a load
    orig = save_scenario(s, tmp_path / "ppo-trd.json")
    r2 = refit(load_saved(orig), read_eob_text(eob(*SPRAVATO)), ds)
    assert r2.scenario == r.scenario and r2.forecast_after() == r.forecast_after()


def test_the_expense_tracker_takes_reimbursements_from_the_eob(ds):
    """A superbill's EOB: what the plan paid back becomes the tracker's reimbursement rows (in-network lines do not)."""
    from toolkit.paying.expenses import ExpenseLog

    s = example(out_of_network__deductible_met="3000", out_of_network__oop_met="3000")
    # deductible met: 40 % coinsurance of the 60 % allowed; the plan pays the patient back 60 % of the allowed
    #   96365: allowed 342.00; coinsurance 136.80; plan paid 205.20; patient: 570.00 - 205.20 = 364.80
    r = refit(s, read_eob_text(eob("2026-12-07,96365,570.00,342.00,205.20,0.00,136.80,0.00,364.80,no,")), ds)
    assert [x.plan_paid for x in r.reimbursement_rows()] == [20520]
    log = ExpenseLog()
    assert log.add_reimbursements(r.reimbursement_rows()) == ["Added: 2026-12-07, $205.20, Plan reimbursement for 96365 (EOB)."]
    assert log.entries[0].kind == "reimbursement" and log.entries[0].signed == -20520
    spravato = refit(example(), read_eob_text(eob(*SPRAVATO)), ds)
    assert spravato.reimbursement_rows() == []  # the plan paid the clinic, not the patient


def _eob_from_forecast(comp, option: str, n: int = 2) -> str:
    """The forecast's own first claimed lines written as an EOB (what the plan would print if the forecast were right).

    Paid as the engine adjudicated them; when the forecast prices no approval at all (Spravato
    off-label, for chronic pain), the clinic's claim comes back denied as a non-covered charge
    (PR-96), the patient owing the charge, which is the forecast's "you pay the clinic".
    """
    approval = comp.options[option].path("approved") is not None
    out = []
    for a in comp.options[option].run("approved").lines:
        if a.line.route == "self_pay" or not a.line.code or a.note.startswith("no out-of-network"):
            continue
        plan_paid = a.plan_pays + a.reimbursement
        share = a.deductible + a.coinsurance + a.copay
        cells = [a.line.day.isoformat(), a.line.code, a.line.billed, a.allowed, plan_paid, a.deductible, a.coinsurance, a.copay,
                 share + a.balance_bill]
        if not approval:
            cells = cells[:3] + [0, 0, 0, 0, 0, a.line.billed]
        out.append(",".join(str(c) if i < 2 else f"{c / 100:.2f}" for i, c in enumerate(cells)) + (",no," if approval else ",yes,PR-96"))
        if len(out) == n:
            break
    return eob(*out) if out else ""


@pytest.mark.parametrize("name", ["commercial_ppo_trd", "hdhp_hsa_trd", "medicare_original_trd", "medicare_advantage_trd",
                                  "medicaid_trd", "tricare_trd", "commercial_ppo_chronic_pain"])
@pytest.mark.parametrize("option", ["spravato", "iv_ketamine"])
def test_an_eob_that_agrees_with_the_forecast_changes_no_money_figure(name, option, ds):
    """Round trip: the engine's own lines as an EOB re-fit to the same scenario (only the approval becomes certain).

    TRICARE (a group: copays and cap from data/tricare.csv) and Spravato off-label (chronic
    pain: no approved path, the EOB a denial) included.
    """
    s = load_example(name)
    comp = compare(s, ds)
    text = _eob_from_forecast(comp, option)
    if not text:
        pytest.skip(f"{name}: {option} has no claim to the plan")
    r = refit(s, read_eob_text(text), ds, option=option, before=comp)
    # only figures that were a range or an estimate are pinned to the EOB's (equal to their typical value)
    assert [d.key for d in r.differences if not d.key.endswith("likelihood_pct") and not d.pins] == []
    approval = comp.options[option].path("approved") is not None
    assert r.inference.path == ("approved" if approval else "denied")
    assert all(c.reproduced for c in r.lines if not c.row.denied)
    def money(path):
        return [(a.line.day, a.line.code, a.allowed, a.plan_pays, a.patient_pays, a.savings, a.reimbursement, a.net) for a in path.runs["typical"].lines]

    # every path, and so every later line, priced the same
    assert {p.key: money(p) for p in r.after.options[option].paths} == {p.key: money(p) for p in comp.options[option].paths}
    # same totals: the likely path after is approved (the EOB settled the approval; a superbill whose
    # likely path was "nothing paid back" moves to it) or, with no approval priced, the one it was, and
    # its figure is the forecast's own for that path, the EOB's lines in place of the same lines
    after = r.path_after().key
    assert after == ("approved" if approval else r.path_before().key)
    assert r.lines_in_place == approval
    assert r.forecast_after() == comp.options[option].path(after).total("typical", r.months)


def test_a_denied_line_says_what_the_clinic_may_bill(ds):
    r = refit(example(), read_eob_text(eob("2026-12-07,J0013,1100.00,0.00,0.00,0.00,0.00,0.00,0.00,yes,CO-197")), ds)
    assert any("1 line denied" in n and "$0.00 for the denied lines" in n for n in r.inference.notes)


# The payer truths (data/tricare.csv, off-label Spravato): the EOB is read against the tier the
# engine uses and the paths it prices, not the plan as typed.
#
# tricare_trd: active-duty family member, TRICARE Select, Group A, sponsor E-5+: deductible $150
# (tricare.adfm_select.a.deductible.e5_up), network copay $39 per visit after the deductible
# (tricare.adfm_select.a.copay: $30 to $39), no coinsurance, cap $1,000; the typed tier says
# deductible 0, copay 0, 20 %, none of which the engine reads. Spravato 56 mg on 2027-01-04 is one
# bundled G2082 line, allowed 952.59 (84 mg on 2027-01-07: G2083).
#
# commercial_ppo_chronic_pain: Spravato is not indicated for chronic pain: no approved path is
# priced, the one path is the clinic's cash price for every session (coverage 0 %, and an advisor's
# likelihood is not read). The clinic's claim would be J0013 (2 devices, 750.00) and 99214 (193.92).
PAYER_CASES = [
    # (id, saved scenario, plan changes, EOB lines, {every difference: value}, likely path after, EOB lines on it)
    # the copay on the EOB is the published one and the deductible ran out on the line (952.59 - 150 - 39 > 0):
    #   met at the start = 150 - 150 = 0, as the scenario says; no coinsurance on a copay tier: nothing to re-fit
    ("TRICARE Select: the group's copay and deductible, as published", "tricare_trd", {}, (
        "2027-01-04,G2082,952.59,952.59,763.59,150.00,0.00,39.00,189.00,no,",), {
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }, "approved", True),
    # the plan applied $30 (the low end of the published range): the copay is the group's figure, so the
    # EOB's goes where the engine reads a TRICARE figure, plan.tricare_from_eob, not the typed tier's
    # copay (which the group overrides); plan paid 952.59 - 150.00 - 30.00 = 772.59
    ("TRICARE Select: a copay on the EOB is the group's copay", "tricare_trd", {}, (
        "2027-01-04,G2082,952.59,952.59,772.59,150.00,0.00,30.00,180.00,no,",), {
        "plan.tricare_from_eob.in_network_copay": "30.00",                 # copay column
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }, "approved", True),
    # 100.00 to the deductible and the rest past it: 150 - 100 = 50 met at the start; the amount met is the
    # tier's own (the engine keeps it within the group's deductible), so it is the typed tier's field, and
    # its typed deductible (0) becomes the group's 150 with it so the saved tier adds up (met <= deductible)
    ("TRICARE Select: the deductible met comes from the group's deductible", "tricare_trd", {}, (
        "2027-01-04,G2082,952.59,952.59,813.59,100.00,0.00,39.00,139.00,no,",), {
        "plan.in_network.deductible_met": "50.00",
        "plan.in_network.oop_met": "50.00",                                # the deductible counts toward the cap
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }, "approved", True),
    # the plan charged 20 % after the deductible and no copay, where the group's tier is a $39 copay: the
    # plan has no copay for the line (the engine: a copay above $0 replaces the coinsurance), and its rate is
    #   160.52 of 952.59 - 150.00 = 802.59: 20 %; plan paid 952.59 - 150.00 - 160.52 = 642.07
    ("TRICARE Select: a coinsurance where the group has a copay", "tricare_trd", {}, (
        "2027-01-04,G2082,952.59,952.59,642.07,150.00,160.52,0.00,310.52,no,",), {
        "plan.tricare_from_eob.in_network_copay": "0",
        "plan.tricare_from_eob.in_network_coinsurance_pct": "20",
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }, "approved", True),
    # a Group A retiree on Select pays 20 % in network (tricare.retiree_select.a.coinsurance), no copay:
    #   coinsurance 200.65 of 952.59 - 150.00 = 802.59 is 25 % (the published 20 % would be 160.52)
    ("TRICARE Select retiree: a coinsurance tier's rate", "tricare_trd", {"tricare_group": "retiree_select"}, (
        "2027-01-04,G2082,952.59,952.59,601.94,150.00,200.65,0.00,350.65,no,",), {
        "plan.tricare_from_eob.in_network_coinsurance_pct": "25",
        "spravato_likelihood_pct": {"low": "100", "typical": "100", "high": "100"},
    }, "approved", True),
    # off-label and denied (PR-96, non-covered: the patient owes the charge): what the forecast expects, so
    # nothing to re-fit (coverage already 0 %, and there is no approved path to switch off); the figure
    # after follows the cash path, not the EOB's denied claim lines, which are on no path
    ("Spravato off-label, denied: the cash path", "commercial_ppo_chronic_pain", {}, (
        "2027-01-04,J0013,750.00,0.00,0.00,0.00,0.00,0.00,750.00,yes,PR-96",
        "2027-01-04,99214,193.92,0.00,0.00,0.00,0.00,0.00,193.92,yes,PR-96"), {}, "not_applicable", False),
    # off-label and paid: the engine prices no approval off-label, so a chance of approval of 100 % would
    # change nothing (no difference); a note asks to check the claim; the lines' own figures still settle
    # what the scenario left open (the device price, the visit's allowed amount: equal to their typical)
    ("Spravato off-label, paid: no approval to infer", "commercial_ppo_chronic_pain", {}, (
        "2027-01-04,J0013,750.00,750.00,0.00,750.00,0.00,0.00,750.00,no,",), {
        "prices.spravato_device": "375.00",
    }, "not_applicable", False),
]


def _saved(name: str, **plan):
    s = load_example(name)
    if not plan:
        return s
    from toolkit.scenario import validate_scenario

    data = s.model_dump(mode="json")
    data["plan"].update(plan)
    return validate_scenario(data)


@pytest.mark.parametrize("name, saved, plan, lines, expected, path_after, in_place", PAYER_CASES, ids=[c[0] for c in PAYER_CASES])
def test_payer_truths_table(name, saved, plan, lines, expected, path_after, in_place, ds):
    s = _saved(saved, **plan)
    before = compare(s, ds)
    r = refit(s, read_eob_text(eob(*lines)), ds, option="spravato", before=before)
    got = {d.key: d.value for d in r.differences}
    assert set(got) == set(expected), got
    for key, value in expected.items():
        assert (Decimal(got[key]) == Decimal(value)) if isinstance(value, str) else got[key] == value, (key, got[key])
    assert r.path_after().key == path_after and r.lines_in_place is in_place
    if in_place:  # the engine on the re-fitted scenario gives the EOB's own numbers
        assert all(c.reproduced for c in r.lines)
    else:  # the figure after is the path's own (the EOB's lines are not on it)
        assert r.forecast_after() == r.path_after().total("typical", r.months)
        assert r.path_after().total("typical", 12) == before.options["spravato"].likely_path.total("typical", 12)


def test_a_tricare_copay_from_the_eob_prices_the_later_visits(ds):
    """The EOB's $30 replaces the published $39 on every later visit; the typed tier is not touched."""
    s = load_example("tricare_trd")
    r = refit(s, read_eob_text(eob("2027-01-04,G2082,952.59,952.59,772.59,150.00,0.00,30.00,180.00,no,")), ds, option="spravato")
    assert r.scenario.plan.tricare_from_eob == {"in_network_copay": Decimal("30.00")}
    assert r.scenario.plan.in_network == s.plan.in_network
    later = r.after.options["spravato"].run("approved").lines[1:]
    copays = [a.copay for a in later if a.copay]
    assert copays[0] == 3000 and set(copays) <= {3000, 1000}  # $30 a visit; once, the $10 left under the $1,000 cap
    assert sum(a.patient_pays for a in r.after.options["spravato"].run("approved").lines if a.line.day.year == 2027) == 100000
    assert "in place of the published figures: in-network copay $30.00." in " ".join(x.text for x in r.after.options["spravato"].coverage.reasons)
    # kept as the scenario says: the group's published copay stands
    kept = refit(s, read_eob_text(eob("2027-01-04,G2082,952.59,952.59,772.59,150.00,0.00,30.00,180.00,no,")), ds, option="spravato",
                 keep=["plan.tricare_from_eob.in_network_copay"])
    assert kept.scenario.plan.tricare_from_eob == {} and not kept.lines[0].reproduced


def test_a_tricare_deductible_met_keeps_the_saved_tier_valid(ds):
    r = refit(load_example("tricare_trd"), read_eob_text(eob("2027-01-04,G2082,952.59,952.59,813.59,100.00,0.00,39.00,139.00,no,")), ds,
              option="spravato")
    d = next(x for x in r.differences if x.key == "plan.in_network.deductible_met")
    assert d.also == {"plan.in_network.deductible": "150.00"}
    t = r.scenario.plan.in_network
    assert (t.deductible, t.deductible_met, t.oop_met) == (Decimal("150.00"), Decimal("50.00"), Decimal("50.00"))
    assert r.left_after() == ("in network", 0, 100000 - 5000 - 13900)  # cap 1,000 - 50 met - 139 on the EOB


def test_an_off_label_eob_says_so(ds):
    r = refit(load_example("commercial_ppo_chronic_pain"), read_eob_text(eob(
        "2027-01-04,J0013,750.00,0.00,0.00,0.00,0.00,0.00,750.00,yes,PR-96")), ds, option="spravato")
    assert r.inference.path == "denied" and r.inference.denial_reasons == ["PR-96"]
    assert any("as the forecast expects (not indicated (off-label) for chronic pain or CRPS)" in n for n in r.inference.notes)
    paid = refit(load_example("commercial_ppo_chronic_pain"), read_eob_text(eob(
        "2027-01-04,J0013,750.00,750.00,0.00,750.00,0.00,0.00,750.00,no,")), ds, option="spravato")
    assert any("although the forecast prices no approval" in n for n in paid.inference.notes)
