"""Speed figures, printed (not asserted: a timed test would flake on a busy machine).

Targets (from the issues):
- one full comparison, both options, 24-month horizon: at most 20 ms median;
- dashboard: input change to updated numbers and chart at most 100 ms median, and at most
  1.5x the time matplotlib alone takes to draw the same chart from ready data.

Run: ``make bench`` (or ``.venv/bin/python bench/run.py``).
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolkit import compare, dataset, default_scenario  # noqa: E402
from toolkit.faces.charts import cumulative_png  # noqa: E402


def median_ms(fn, repeat: int = 40, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ds = dataset()
    scenario = default_scenario().model_copy(update={"horizon_months": 24})
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {__import__('os').cpu_count()} cores")

    engine = median_ms(lambda: compare(scenario, ds), repeat=60)
    print(f"full comparison, both options, 24 months (6 adjudications each): {engine:6.1f} ms median   target <= 20 ms")

    from toolkit.faces.dashboard import Dashboard

    dash = Dashboard(ds=ds)
    values = iter(["25", "20"] * 100)

    def change() -> None:
        dash.set("plan.in_network.coinsurance_pct", next(values))

    update = median_ms(change, repeat=30)
    comp = dash.comparison
    chart_alone = median_ms(lambda: cumulative_png(comp, title=False, legend=False), repeat=30)
    print(f"dashboard: input change -> numbers and chart updated: {update:6.1f} ms median   target <= 100 ms")
    print(f"matplotlib alone, same chart from ready data:          {chart_alone:6.1f} ms median")
    print(f"ratio dashboard / matplotlib alone:                    {update / chart_alone:6.2f}x        target <= 1.5x")
    print(f"last update split (ms): " + ", ".join(f"{k} {v * 1000:.1f}" for k, v in dash.timings.items()))


if __name__ == "__main__":
    main()
