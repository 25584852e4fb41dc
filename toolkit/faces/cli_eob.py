"""``python -m toolkit compare SCENARIO.json --eob EOB.csv``: the forecast re-fitted to the first EOB.

Why a face of its own: it only prints what :func:`toolkit.eob.refit` worked out (estimate
vs actual per line, each difference with its choice, the forecast before and after) and
saves the re-fitted scenario to a new file only when asked (``--save-refit``), never over
an existing one.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from ..eob import Refit, read_eob, refit
from ..money import fmt, fmt_pct, fmt_round
from ..notices import CRISIS_LINE, DISCLAIMER
from ..scenario import Scenario, ScenarioError
from ..storage import StorageError, save_scenario


def add_arguments(c: Any) -> None:
    """The EOB options of ``compare``."""
    from .cli_args import file_arg

    c.add_argument("--eob", type=file_arg, help="an explanation of benefits as CSV (one row per claim line, no identifiers): re-fit the forecast to it")
    c.add_argument("--keep", action="append", default=[], metavar="FIELD",
                   help="with --eob: keep the scenario's value for this difference (its field, as listed), instead of the EOB's; repeat for more")
    c.add_argument("--option", choices=("iv_ketamine", "spravato"), help="with --eob: the option the EOB is for (default: the one its lines match)")
    c.add_argument("--save-refit", type=file_arg, metavar="NEW.json", help="with --eob: save the re-fitted scenario to this new file")


def _cells(est: int | None, actual: int) -> str:
    return f"{'-' if est is None else fmt(est)} -> {fmt(actual)}"


def render_refit(r: Refit) -> str:
    """The re-fit as text: per line, the differences with their choice, the forecast before and after."""
    out = io.StringIO()
    w = out.write
    w(f"After the first claims: {r.label}, {len(r.lines)} EOB line{'s' if len(r.lines) != 1 else ''}\n\n")
    w("Estimate -> actual, per line\n")
    w(f"  {'date':<11}{'code':<7}{'allowed':<24}{'plan paid':<24}{'patient owes':<24}status\n")
    for c in r.lines:
        e, row = c.estimate, c.row
        status = ("denied" + (f" {row.denial_reason}" if row.denial_reason else "")) if row.denied else "paid"
        w(f"  {row.day:%Y-%m-%d} {row.code:<7}{_cells(e.allowed if e else None, row.allowed):<24}"
          f"{_cells(e.plan_pays + e.reimbursement if e else None, row.plan_paid):<24}"
          f"{_cells(e.patient_pays - e.reimbursement if e else None, row.patient_responsibility):<24}{status}\n")
    w("\nWhere the EOB and the scenario differ (the re-fit uses the EOB's value unless you keep the scenario's):\n")
    if not r.differences:
        w("  none: the EOB agrees with the scenario\n")
    for i, d in enumerate(r.differences, 1):
        mark = "keeping the scenario's" if d.choice == "keep-scenario" else "using the EOB's"
        said = f"the EOB confirms {d.eob}: the estimate becomes this one figure" if d.pins else f"the EOB implies {d.eob}"
        w(f"  {i}. {d.label}: the scenario said {d.scenario}, {said} [{mark}]\n")
        w(f"     why: {d.why}\n     to keep the scenario's value: --keep {d.key}\n")
    for note in r.inference.notes:
        w(f"  - {note}\n")
    left = r.left_after()
    if left is not None:
        network, ded, oop = left
        w(f"\nMet so far, {network}, after these lines (the re-fitted plan): {fmt(ded or 0)} of the deductible left"
          + ("; no out-of-pocket maximum" if oop is None else f", {fmt(oop)} left to the out-of-pocket maximum") + "\n")
    before, after = r.path_before(), r.path_after()
    b, a = r.forecast_before(), r.forecast_after()
    w(f"\nForecast for {r.label} over {r.months_label()} (typical prices, the most likely path):\n")
    w(f"  before the EOB: {fmt_round(b)} ({before.label.lower()})\n")
    w(f"  after the EOB:  {fmt_round(a)} ({after.label.lower()}" + ("; the EOB's lines in place of the forecast's)\n" if r.lines_in_place else ")\n"))
    others = [p for p in r.after.options[r.option].paths if p is not after and p.likelihood[2] > 0]
    if others:
        w("  other paths after the EOB: " + "; ".join(f"{p.label.lower()} ({fmt_pct(p.likelihood[1])}): {fmt_round(p.total('typical', r.months))}"
                                                     for p in others) + "\n")
    pb, pa = r.plan_pays("before"), r.plan_pays("after")
    more = "less" if pa < pb else "more"
    if pa != pb:
        w(f"  The plan is paying {more} than we thought: {fmt_round(pa)} instead of {fmt_round(pb)} over {r.months_label()}; "
          f"the new {r.months}-month figure for the patient is {fmt_round(a)}.\n")
    sb, sa = r.savings("before"), r.savings("after")
    if sb != sa:
        w(f"  The Spravato savings program pays {fmt_round(sa)} instead of {fmt_round(sb)} (its payments count toward the deductible and cap unless the plan has an accumulator).\n")
    if "accumulator" in after.variants:
        acc = after.variant("accumulator").total("typical", r.months) + (a - after.total("typical", r.months))
        w(f"  If the plan has an accumulator (the savings program's payments do not count toward the deductible and cap): "
          f"about {fmt_round(acc)} instead: ask the plan which.\n")
    misses = [c for c in r.lines if c.refit is not None and not c.row.denied and not c.reproduced]
    if misses:
        w("  The re-fitted engine does not reproduce row " + ", ".join(str(c.row.row) for c in misses) +
          " exactly (a value kept from the scenario, or a rule the toolkit does not model); the after figure uses the EOB's amounts for those lines.\n")
    w(f"\n{DISCLAIMER}\n{CRISIS_LINE}\n")
    return out.getvalue()


def run(args: Any, scenario: Scenario) -> int:
    """Read the EOB, re-fit, print; save the re-fitted scenario only to a new file, when asked."""
    rows = read_eob(args.eob)
    result = refit(scenario, rows, option=args.option, keep=args.keep)
    saved = ""
    if args.save_refit:
        target = Path(args.save_refit)
        if target.exists():
            raise ScenarioError([("--save-refit", "that file already exists: give a new file name (a re-fit never overwrites a saved scenario)")], str(target))
        try:
            save_scenario(result.scenario, target)
        except StorageError as exc:
            raise ScenarioError([("--save-refit", str(exc))]) from None
        saved = str(target)
    if args.format == "json":
        summary = result.summary()
        summary["saved_to"] = saved or None
        print(json.dumps(summary, indent=2, default=str))
        return 0
    sys.stdout.write(render_refit(result))
    sys.stdout.write(f"\nRe-fitted scenario saved to {saved}\n" if saved else "\nThe re-fitted scenario is not saved (add --save-refit NEW.json to save it to a new file).\n")
    return 0
