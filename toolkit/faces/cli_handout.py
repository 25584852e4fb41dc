"""``python -m toolkit handout [SCENARIO.json] --out FILE``: the patient handout, and a calendar file.

The output type follows the extension: ``.pdf`` (WeasyPrint; if its system libraries are
missing, the HTML is written instead and the message says so) or ``.html``. With
``--calendar FILE.ics`` the planned sessions of one option are also written as a calendar
file with reminders. ``--lang es`` words the handout (and the calendar's reminders) in Spanish:
the same figures, the disclaimer and the 988 line as the Lifeline serves Spanish speakers. Bad
input ends with one plain message and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_args import file_arg

COMMAND = "handout"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(COMMAND, help="printable patient handout (.pdf or .html) and, optionally, a calendar file (.ics)")
    p.add_argument("scenario", nargs="?", type=file_arg, help="scenario JSON file (default: the built-in example)")
    p.add_argument("--example", type=file_arg, help="name of an example in data/examples/ instead of a file")
    p.add_argument("--out", type=file_arg, default="handout.pdf", help="output file, .pdf or .html (default: handout.pdf)")
    p.add_argument("--calendar", type=file_arg, metavar="FILE.ics", help="also write the planned sessions of one option as a calendar file")
    p.add_argument("--option", choices=("spravato", "iv_ketamine"), default="spravato", help="which option's sessions go in the calendar file (default: spravato)")
    p.add_argument("--time", default="09:00", help="session start time for the calendar, HH:MM (default: 09:00)")
    p.add_argument("--lang", choices=("en", "es"), default="en", help="language of the handout and the calendar's reminders: en (English) or es (Spanish)")
    return p


def run(args: argparse.Namespace) -> int:
    from ..data import DataError
    from ..engine.compare import compare
    from ..examples import DEFAULT_EXAMPLE, example_names, load_example
    from ..scenario import ScenarioError, load_scenario
    from ..storage import StorageError
    from .calendar_file import CalendarError, parse_time, write_ics
    from .handout import HandoutError, write_handout

    try:
        out = Path(args.out)
        if out.suffix.lower() not in (".pdf", ".html", ".htm"):
            raise HandoutError(f"--out {args.out}: the handout file must end in .pdf or .html")
        if args.calendar and Path(args.calendar).suffix.lower() != ".ics":
            raise HandoutError(f"--calendar {args.calendar}: the calendar file must end in .ics")
        for flag, value in (("--out", out), ("--calendar", Path(args.calendar) if args.calendar else None)):
            if value is not None and not value.parent.is_dir():
                raise HandoutError(f"{flag} {value}: the folder {value.parent} does not exist")
        start_time = parse_time(args.time) if args.calendar else None
        if args.example and args.example not in example_names():
            raise ScenarioError([("--example", f"'{args.example}' is not an example; see python -m toolkit examples")])
        if args.scenario and args.example:
            raise ScenarioError([("arguments", "give a scenario file or --example, not both")])
        scenario = load_scenario(args.scenario) if args.scenario else load_example(args.example or DEFAULT_EXAMPLE)
        comp = compare(scenario)
        _path, message = write_handout(comp, out, lang=args.lang)
        print(message)
        if args.calendar:
            cal = write_ics(comp, args.option, args.calendar, start_time, lang=args.lang)  # type: ignore[arg-type]
            n = comp.options[args.option].schedule.sessions
            print(f"Calendar written: {cal} ({n} sessions, {comp.options[args.option].label}; import it into any calendar app)")
        return 0
    except (ScenarioError, DataError, HandoutError, CalendarError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
