"""Speed figures, printed (not asserted: a timed test would flake on a busy machine).

Targets (from the issues):
- one full comparison, both options, every decision path, 24-month horizon: at most 20 ms median;
- dashboard: input change to updated numbers and chart at most 60 ms median, and at most
  1.3x the time bare matplotlib takes to draw the same lines to PNG at the same size (a plain
  ``ax.plot`` of the same series and ``savefig``, not the toolkit's own chart function);
- re-fit to the first EOB (a two-line EOB read, matched, inferred, and the comparison run
  before and after): printed, no target set (it is two comparisons and a read);
- Voila: time to the first rendered result, from opening the page on a warm server, at most 3 s
  (``bench/voila_first_render.py``).

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
    print(f"full comparison, both options, every path, 24 months:       {engine:6.1f} ms median   target <= 20 ms")

    from toolkit.eob import read_eob, refit

    eob_file = Path(__file__).resolve().parent.parent / "data" / "examples" / "eob_commercial_ppo_trd.csv"
    base = default_scenario()
    eob_ms = median_ms(lambda: refit(base, read_eob(eob_file), ds), repeat=30)
    print(f"re-fit to a two-line EOB (read, infer, compare before and after): {eob_ms:6.1f} ms median")

    from toolkit.faces.dashboard import Dashboard

    dash = Dashboard(ds=ds)
    values = iter(["25", "20"] * 100)

    def change() -> None:
        dash.set("plan.in_network.coinsurance_pct", next(values))

    update = median_ms(change, repeat=30)
    comp = dash.comparison
    series = _series(comp)
    bare = median_ms(lambda: _bare_matplotlib(series), repeat=30)
    print(f"dashboard: input change -> numbers and chart updated: {update:6.1f} ms median   target <= 60 ms")
    print(f"bare matplotlib, the same lines to PNG, same size:     {bare:6.1f} ms median")
    print(f"ratio dashboard update / bare matplotlib:              {update / bare:6.2f}x        target <= 1.3x")
    print("last update split (ms): " + ", ".join(f"{k} {v * 1000:.1f}" for k, v in dash.timings.items()))


def _series(comp) -> list[tuple[list, list]]:
    """Every path's running total as (dates, dollars): what the chart draws."""
    from toolkit.faces.charts import _by_date

    out = []
    for opt in comp.options.values():
        for p in opt.paths:
            pts = _by_date(p)
            out.append(([comp.scenario.start_date] + [d for d, _ in pts], [0.0] + [v / 100 for _, v in pts]))
    return out


def _bare_matplotlib(series) -> bytes:
    """The baseline: a plain ax.plot of the same series and savefig to PNG at the dashboard chart's size (840 x 420 px)."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.4, 4.2), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    for xs, ys in series:
        ax.plot(xs, ys, drawstyle="steps-post")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


if __name__ == "__main__":
    main()
