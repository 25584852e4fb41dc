"""Command line: ``python -m toolkit compare [SCENARIO.json] [--format table|json|csv]``.

Why a CLI beside the notebooks: clinics script it, CI exercises the engine through it, and
it proves the engine stands without widgets. Any bad input ends with one plain message and
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import sys

from ..data import DataError, dataset
from ..engine.compare import Comparison, compare
from ..engine.coverage import describe_situation
from ..engine.paths import in_words
from ..eob import EOBError
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..money import fmt, fmt_pct, fmt_round
from ..notices import CRISIS_LINE, DISCLAIMER
from ..scenario import ScenarioError, load_scenario
from . import cli_batch, cli_eob, cli_handout
from . import fragments as report
from .cli_args import file_arg


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, as argparse does, plus a hint
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m toolkit", description="IV ketamine vs Spravato: coverage, cost and schedule estimates.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("compare", help="side-by-side comparison for a scenario (default: the built-in example)",
                       usage="python -m toolkit compare [SCENARIO.json | --example NAME] [--format {table,json,csv}] [--claims]\n"
                             "       [--eob EOB.csv [--keep FIELD] [--option OPTION] [--save-refit NEW.json]]")
    c.add_argument("scenario", nargs="?", type=file_arg, help="scenario JSON file (default: the built-in example)")
    c.add_argument("--example", type=file_arg, help="name of an example in data/examples/ instead of a file")
    c.add_argument("--format", choices=("table", "json", "csv"), default="table")
    c.add_argument("--claims", action="store_true", help="the claim lines behind the totals, with each price's data row (table: added below; csv: instead of the cost table; json: under 'claims')")
    cli_eob.add_arguments(c)
    sub.add_parser("examples", help="list the example situations")
    sub.add_parser("check-data", help="validate every table in data/ and list stale rows")
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return p


# subcommands in their own modules: each has COMMAND, add_parser(sub) and run(args) -> int
SUBCOMMANDS = (cli_batch, cli_handout)


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


VARIANT_ROWS = {"accumulator": "  with an accumulator", "part_d": "  via Part D pharmacy", "part_b": "  via Part B (clinic)"}


def render_table(comp: Comparison, *, claims: bool = False) -> str:
    out = io.StringIO()
    w = out.write
    s = comp.scenario
    w(f"{s.title or 'Scenario'}\n{describe_situation(s)}; first session {s.start_date:%d %b %Y}; {s.horizon_months} months\n\n")
    if comp.limits_note:
        w(_wrap(comp.limits_note) + "\n\n")
    opts = list(comp.options.values())
    # wide enough for the widest cell ("$15,161.60 ($4,230.00 - $22,481.60)" and the like)
    widest = max(len(f"{fmt(o.total('expected', m))} ({fmt(o.total('best', m))} - {fmt(o.total('worst', m))})") for o in opts for _, m in comp.periods())
    col = max(34, widest + 2)

    def row(name: str, values: list[str]) -> None:
        w(name.ljust(26) + "".join(v.ljust(col) for v in values) + "\n")

    # what is most likely to happen, and the other paths, first
    for o in opts:
        w(_wrap(in_words(o.label, o.paths, comp.periods())) + "\n")
        names = [name for name, _ in comp.periods()]
        w("  " + "What could happen".ljust(26) + "Chance".ljust(10) + "".join(n.rjust(14) for n in names) + "\n")
        for p in sorted(o.paths, key=lambda x: not x.likely):
            chance = "certain" if p.key == "not_applicable" else fmt_pct(p.likelihood[1])
            head = ("* " if p.likely else "  ") + p.short[:1].upper() + p.short[1:]
            cells = "".join(fmt_round(p.total("typical", m)).rjust(14) for _, m in comp.periods())
            w(f"  {head.ljust(26)}{chance.ljust(10)}{cells}\n")
            for name, words in VARIANT_ROWS.items():  # a plan rule not known yet, or Medicare's other route: both ways
                if name in p.variants:
                    v = p.variant(name)
                    cells = "".join(fmt_round(v.total("typical", m)).rjust(14) for _, m in comp.periods())
                    w(f"  {words.ljust(26)}{'ask'.ljust(10)}{cells}\n")
        w("  (* most likely; typical prices; " + "; ".join(f"{n}: {fmt_round(r['low'])} to {fmt_round(r['high'])}" for n, r in
                                                    [(names[-1], o.likely_path.range(comp.periods()[-1][1]))]) + " for the likely path across prices)\n")
        w(f"  What the schedule asks: {o.schedule.sessions} sessions, about {o.schedule.clinic_hours:g} hours in clinic, "
          f"{o.schedule.trips_needing_driver} rides home with someone else driving.\n")
        for line in report.plan_year_lines(comp):
            if line.startswith(o.label + ", "):
                rest = line.removeprefix(o.label + ", ")
                w("  " + rest[:1].upper() + rest[1:] + "\n")
        if o.reauthorizations:
            w("  Prior authorization ends (ask for re-approval before): " + "; ".join(r.text for r in o.reauthorizations) + "\n")
        w("\n")
    w(" " * 26 + "".join(o.label.ljust(col) for o in opts) + "\n")
    row("Coverage", [o.coverage.level_label for o in opts])
    row("Likelihood (range)", [f"{fmt_pct(o.coverage.likelihood[0])} - {fmt_pct(o.coverage.likelihood[2])} (typ. {fmt_pct(o.coverage.likelihood[1])})" for o in opts])
    w("\nFor comparing the options only: the likelihood-weighted average (no patient pays it; lowest - highest)\n")
    for name, m in comp.periods():
        row(f"  {name}", [f"{fmt(o.total('expected', m))} ({fmt(o.total('best', m))} - {fmt(o.total('worst', m))})" for o in opts])
    row("  If approved (typical)", [fmt(o.run("approved").totals()["net"]) for o in opts])
    row("  If denied, all cash (typ.)", [fmt(o.run("denied").totals()["net"]) for o in opts])
    for o in opts:
        w(f"\nWhy, for {o.label}:\n")
        for r in o.coverage.reasons:
            w(f"  - {r.text}" + (f" [{r.ref}]" if r.ref else "") + "\n")
        for c in o.coverage.missing:
            w(f"  - Missing for prior authorization: {c.criterion}\n")
        for note in o.run("approved").notes:
            w(f"  - {note}\n")
    if claims:
        for o in opts:
            for outcome in ("approved", "denied"):
                df = o.run(outcome).frame()
                w(f"\nClaim lines, {o.label}, {outcome}, typical prices:\n")
                w(df[CLAIM_COLUMNS].to_string(index=False) + "\n")
    w("\nAverage = typical prices weighted by the typical likelihood of approval; lowest and highest run over every price level and the low and high likelihood.\n")
    w(f"\n{DISCLAIMER}\n{CRISIS_LINE}\n")
    return out.getvalue()


CLAIM_COLUMNS = [
    "date", "service", "code", "billed", "allowed", "plan_pays", "deductible", "coinsurance", "copay", "balance_bill",
    "patient_pays", "savings", "reimbursement", "net_patient_cost", "deductible_left", "oop_left", "allowed_by", "price_source",
]


def claims_frame(comp: Comparison):
    """Every claim line behind the totals (both options, approved and denied, typical prices)."""
    import pandas as pd

    frames = []
    for opt in comp.options.values():
        for outcome in ("approved", "denied"):
            df = opt.run(outcome).frame()[CLAIM_COLUMNS]
            df.insert(0, "outcome", outcome)
            df.insert(0, "option", opt.label)
            frames.append(df)
    return pd.concat(frames, ignore_index=True)


def render_csv(comp: Comparison, *, claims: bool = False) -> str:
    """The cost table, or with ``--claims`` every claim line (with its price source) as CSV."""
    if claims:
        return claims_frame(comp).to_csv(index=False)
    return comp.cost_table().to_csv(index=False)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        for module in SUBCOMMANDS:
            if args.command == module.COMMAND:
                return module.run(args)
        if args.command == "examples":
            for title, name in example_titles():
                print(f"{name:40s} {title}")
            return 0
        if args.command == "check-data":
            ds = dataset()
            stale = ds.stale()
            print(f"data/ is valid: {len(ds.parameters)} figures, {len(ds.coverage)} coverage rows, {len(ds.codes)} codes, "
                  f"{len(ds.accumulator_bans)} state accumulator laws.")
            if stale:
                print(f"{len(stale)} rows have an as-of date more than 18 months old (re-check them):")
                for table, key, src in stale:
                    print(f"  {table} {key}: {src.as_of} ({src.title})")
            undated = [(t, k) for t, k, _, src in ds.all_sources() if src.undated]
            if undated:
                print(f"{len(undated)} rows come from undated pages: their as-of date is when the page was read, so their real age is unknown; re-check them too.")
            return 0
        if args.scenario and args.example:
            raise ScenarioError([("arguments", "give a scenario file or --example, not both")])
        if args.scenario:
            scenario = load_scenario(args.scenario)
        else:
            scenario = load_example(args.example or DEFAULT_EXAMPLE)
        if args.eob:
            if args.format == "csv":
                raise ScenarioError([("--format", "with --eob, use table or json")])
            return cli_eob.run(args, scenario)
        if args.keep or args.save_refit or args.option:
            raise ScenarioError([("arguments", "--keep, --option and --save-refit go with --eob")])
        comp = compare(scenario)
        if args.format == "json":
            summary = comp.summary()
            if args.claims:
                summary["claims"] = json.loads(claims_frame(comp).to_json(orient="records", date_format="iso"))
            print(json.dumps(summary, indent=2, default=str))
        elif args.format == "csv":
            sys.stdout.write(render_csv(comp, claims=args.claims))
        else:
            sys.stdout.write(render_table(comp, claims=args.claims))
        return 0
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EOBError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
