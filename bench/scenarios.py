"""Speed figures of the scenario analyses, printed (not asserted: a timed test would flake).

Targets (issue 4):
- Monte Carlo: 10,000 draws x 2 options x 12 months in at most 1 s;
- batch: a 10,000-row CSV in at most 10 s (the whole ``python -m toolkit batch`` run:
  reading, validating every row, pricing, writing);
and, for reference, the one-way, two-way and best/worst analyses the notebook runs.

Run: ``.venv/bin/python bench/scenarios.py``.
"""

from __future__ import annotations

import csv
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import dataset, default_scenario, example_names  # noqa: E402
from toolkit.analysis import cases, monte_carlo, owsa, twsa  # noqa: E402
from toolkit.analysis.batch import COLUMNS, parse_batch, run_batch, to_csv  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def caseload_csv(path: Path, rows: int = 10_000, seed: int = 7) -> None:
    """A made-up caseload: every example, varied plan figures, quotes, schedules and start dates."""
    r = random.Random(seed)
    names = example_names()
    header = ["example", "label", "deductible", "deductible_met", "coinsurance_pct", "oop_max", "iv_price", "spravato_device",
              "iv_maintenance_interval_weeks", "spravato_maintenance", "start_date", "horizon_months"]
    assert set(header) <= set(COLUMNS)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(rows):
            ded = r.choice([0, 500, 1500, 3000])
            w.writerow([
                r.choice(names), f"caseload row {i + 1}", ded, r.choice([0, ded // 2, ded]), r.choice([10, 20, 30]),
                r.choice([6000, 8000, 9200]), r.choice(["", "", 400, 450, 600, 750]), r.choice(["", "", 330, 380]),
                r.choice([3, 4, 5, 6, 8]), r.choice(["weekly", "every_2_weeks"]),
                (date(2026, 12, 1) + timedelta(days=r.randint(0, 364))).isoformat(), r.choice([6, 12, 12, 24]),
            ])


def main() -> None:
    ds = dataset()
    s = default_scenario()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores")

    mc = timed(lambda: monte_carlo(s, ds, n=10_000, seed=1), repeat=7)
    print(f"Monte Carlo, 10,000 draws x 2 options x 12 months:  {mc * 1000:7.0f} ms median   target <= 1,000 ms")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "caseload.csv"
        out = Path(tmp) / "results.csv"
        caseload_csv(path)
        text = path.read_text(encoding="utf-8")
        t = time.perf_counter()
        batch = parse_batch(text)
        t_parse = time.perf_counter() - t
        t = time.perf_counter()
        frame = run_batch(batch, ds)
        t_run = time.perf_counter() - t
        t = time.perf_counter()
        to_csv(frame)
        t_write = time.perf_counter() - t
        t = time.perf_counter()
        cmd = subprocess.run([sys.executable, "-m", "toolkit", "batch", str(path), "--out", str(out)], cwd=tmp, capture_output=True, text=True)
        t_cli = time.perf_counter() - t
        assert cmd.returncode == 0, cmd.stderr
        print(f"batch, 10,000 rows, whole CLI run (python -m toolkit batch): {t_cli:5.2f} s   target <= 10 s")
        print(f"  of which: read and validate {t_parse:.2f} s, price {t_run:.2f} s, write {t_write:.2f} s "
              f"({len(frame):,} rows out, {batch.skipped} skipped); the rest is starting Python and loading data")

    o = timed(lambda: owsa(s, ds), repeat=3)
    g = timed(lambda: twsa(s, ds=ds), repeat=3)
    c = timed(lambda: cases(s, ds), repeat=3)
    print(f"one-way sensitivity (tornado), every input:          {o * 1000:7.0f} ms median")
    print(f"two-way grid, IV price x booster spacing:            {g * 1000:7.0f} ms median")
    print(f"best / expected / worst (one-way included):           {c * 1000:7.0f} ms median")


if __name__ == "__main__":
    main()
