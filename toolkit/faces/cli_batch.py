"""``python -m toolkit batch SCENARIOS.csv [--out RESULTS.csv]``: many scenarios at once.

For clinics planning a caseload: one situation per row (columns in
:mod:`toolkit.analysis.batch`, example in ``data/examples/batch_example.csv``), one output
row per valid input row with each option's 12-month (or horizon) cost and the break-even
month. A malformed row is reported on stderr as ``row N, column X: message`` and skipped;
the run still succeeds (exit 0) and says how many rows were skipped. A missing or unreadable
file, or a header with an unknown column, ends with one message and exit 2. Never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_args import file_arg

COMMAND = "batch"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(COMMAND, help="evaluate many scenarios from a CSV file (one patient situation per row)",
                       description="Evaluate many scenarios from a CSV file, one situation per row. Columns: see data/examples/batch_example.csv.")
    p.add_argument("scenarios", type=file_arg, help="CSV file, one scenario per row")
    p.add_argument("--out", type=file_arg, help="write the results to this CSV file (default: print them)")


def run(args: argparse.Namespace) -> int:
    from ..analysis.batch import BatchFileError, read_batch, run_batch, to_csv
    from ..data import DataError, dataset

    try:
        batch = read_batch(args.scenarios)
        for line in batch.problems:
            print(line, file=sys.stderr)
        frame = run_batch(batch, dataset())
        text = to_csv(frame)
        if args.out:
            try:
                Path(args.out).write_text(text, encoding="utf-8")
            except OSError as exc:
                print(f"error: {args.out}: cannot write the results ({exc.strerror})", file=sys.stderr)
                return 2
        else:
            sys.stdout.write(text)
        where = f" to {args.out}" if args.out else ""
        print(f"{len(frame)} rows evaluated{where}; {batch.skipped} rows skipped" + (" (see the messages above)." if batch.skipped else "."), file=sys.stderr)
        return 0
    except BatchFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a clinic's script gets a message, never a traceback
        print(f"error: the batch could not be evaluated ({type(exc).__name__}: {exc}); please report this", file=sys.stderr)
        return 2
