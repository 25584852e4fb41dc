"""Charts of a comparison: each one a small function of tidy data.

Why separate data from drawing: every chart's numbers are offered as a table beside it
(``cumulative_frame``), tests check the data without pixels, and the drawing can be timed
alone (the dashboard must stay within 1.5x of matplotlib's own drawing time).

Accessibility: Okabe-Ito colours (safe for the common colour-vision deficiencies), and
colour is never the only carrier of meaning: each option also has its own line style and
marker, lines are labelled directly, and event markers carry text.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ..engine.compare import Comparison  # noqa: E402
from ..engine.schedule import horizon_end  # noqa: E402

STYLE = {
    "iv_ketamine": {"color": "#0072B2", "linestyle": "-", "marker": "o"},
    "spravato": {"color": "#D55E00", "linestyle": "--", "marker": "s"},
}
EVENT_STYLE = {
    "deductible met": ("D", "deductible met"),
    "out-of-pocket maximum reached": ("^", "out-of-pocket cap reached"),
    "plan year resets": ("|", "plan year resets"),
}


def cumulative_frame(comp: Comparison) -> pd.DataFrame:
    """Cumulative patient cost after each session date: best, expected, worst per option."""
    rows = []
    for key, opt in comp.options.items():
        cases = {case: dict(opt.by_date(case)) for case in ("best", "expected", "worst")}
        for day in sorted(cases["expected"]):
            rows.append(
                {
                    "option": opt.label,
                    "date": day,
                    "best": cases["best"].get(day, 0) / 100,
                    "expected": cases["expected"][day] / 100,
                    "worst": cases["worst"].get(day, 0) / 100,
                }
            )
    return pd.DataFrame(rows)


def events_frame(comp: Comparison) -> pd.DataFrame:
    """Dates where the deductible is met, the cap is reached or the plan year resets (if approved)."""
    rows = []
    for opt in comp.options.values():
        for e in opt.run("approved").events:
            if e.network in ("", "in_network") or e.kind == "plan year resets":
                rows.append({"option": opt.label, "date": e.day, "event": EVENT_STYLE.get(e.kind, (None, e.kind))[1]})
    return pd.DataFrame(rows, columns=["option", "date", "event"]).drop_duplicates()


def _money(x: float, _pos: object = None) -> str:
    return f"${x:,.0f}"


def _step(points: list[tuple[date, float]], start: date, end: date) -> tuple[list[date], list[float]]:
    xs, ys = [start], [0.0]
    for d, v in points:
        xs.append(d)
        ys.append(v)
    xs.append(end)
    ys.append(ys[-1])
    return xs, ys


def draw_cumulative(comp: Comparison, fig: Figure | None = None, *, title: bool = True, legend: bool = True) -> Figure:
    """Cumulative patient cost for both options: expected line, best-worst band, plan events."""
    fig = fig or Figure(figsize=(8.4, 4.2), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    start, end = comp.scenario.start_date, horizon_end(comp.scenario) - timedelta(days=1)
    ymax = 0.0
    ends: list[tuple[float, date, str, str]] = []
    for key, opt in comp.options.items():
        st = STYLE[key]
        best = [(d, v / 100) for d, v in opt.by_date("best")]
        worst = [(d, v / 100) for d, v in opt.by_date("worst")]
        exp = [(d, v / 100) for d, v in opt.by_date("expected")]
        bx, by = _step(best, start, end)
        wx, wy = _step(worst, start, end)
        ex, ey = _step(exp, start, end)
        # step edges are axis-aligned, so antialiasing adds nothing but ~10 ms of rasterising per band
        ax.fill_between(wx, by, wy, step="post", color=st["color"], alpha=0.10, linewidth=0, antialiased=False)
        ax.step(bx, by, where="post", color=st["color"], linestyle=st["linestyle"], linewidth=0.8, alpha=0.7)
        ax.step(wx, wy, where="post", color=st["color"], linestyle=st["linestyle"], linewidth=0.8, alpha=0.7)
        ax.step(ex, ey, where="post", color=st["color"], linestyle=st["linestyle"], linewidth=2.2, label=f"{opt.label} (expected)")
        ymax = max(ymax, max(wy), max(ey))
        ends.append((ey[-1], ex[-1], f"{opt.label}\nexpected ${ey[-1]:,.0f}", st["color"]))
        # these events happen on the approved claims, not on the weighted line: mark them on a
        # strip at the top (running totals rise to the right), one row per option, one label per
        # kind of event after its last marker, with the dates
        row = 0.96 if key == "iv_ketamine" else 0.90
        short = "IV" if key == "iv_ketamine" else "Spravato"
        groups: dict[str, list[date]] = {}
        for e in opt.run("approved").events:
            if e.kind != "plan year resets" and e.network != "out_of_network":
                groups.setdefault(e.kind, []).append(e.day)
        for kind, days in groups.items():
            marker, text = EVENT_STYLE.get(kind, ("o", kind))
            xs = [mdates.date2num(d) for d in days]
            ax.plot(xs, [row] * len(xs), marker=marker, color=st["color"], markersize=7, markeredgecolor="black",
                    linestyle="none", transform=ax.get_xaxis_transform(), clip_on=False)
            when = ", ".join(f"{d:%-d %b}" for d in days)
            ax.annotate(f"{short}: {text} ({when})", xy=(xs[-1], row), xycoords=ax.get_xaxis_transform(), xytext=(7, 0),
                        textcoords="offset points", va="center", fontsize=8, color="#222222")
    _label_ends(ax, ends, ymax)
    resets = sorted({e.day for opt in comp.options.values() for e in opt.run("approved").events if e.kind == "plan year resets"})
    for d in resets:
        ax.axvline(d, color="#555555", linestyle=":", linewidth=1.2)
        ax.annotate("plan year resets", xy=(d, 0.0), xycoords=("data", "axes fraction"), xytext=(3, 4), textcoords="offset points", fontsize=8, color="#333333", rotation=90, va="bottom")
    ax.set_xlim(start, end + timedelta(days=2))
    ax.set_ylim(0, ymax * 1.2 + 1)  # headroom for the event strip
    ax.yaxis.set_major_formatter(FuncFormatter(_money))
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, comp.scenario.horizon_months // 6)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    if title:
        ax.set_title("What the patient pays over time (running total; line: expected, shaded: best to worst)", fontsize=10, loc="left")
    ax.grid(axis="y", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(loc="upper left", fontsize=9, frameon=False)
    # fixed margins: tight_layout would lay the text out twice and double the drawing time
    fig.subplots_adjust(left=0.09, right=0.78, top=0.91 if title else 0.97, bottom=0.09)
    return fig


def _label_ends(ax, ends: list[tuple[float, date, str, str]], ymax: float) -> None:
    """Label each line at its end, pushed apart so two close totals never overlap."""
    gap = ymax * 0.13 + 1
    placed: list[float] = []
    for y, x, text, color in sorted(ends):
        yy = y
        for p in placed:
            if abs(yy - p) < gap:
                yy = p + gap
        placed.append(yy)
        ax.annotate(text, xy=(x, y), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9, color=color,
                    fontweight="bold", annotation_clip=False) if yy == y else ax.annotate(
            text, xy=(x, y), xytext=(x, yy), textcoords="data", va="center", fontsize=9, color=color, fontweight="bold",
            annotation_clip=False, arrowprops={"arrowstyle": "-", "color": color, "lw": 0.8})


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # unhinted glyphs look the same at this size and render ~15 % faster (text dominates the time)
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def cumulative_png(comp: Comparison, *, title: bool = True, legend: bool = True) -> bytes:
    return to_png(draw_cumulative(comp, title=title, legend=legend))
