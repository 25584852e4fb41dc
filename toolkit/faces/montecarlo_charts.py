"""Charts of the simulations and of the running total: "How sure are we?" and "When costs cross".

The Monte Carlo histograms, the month-by-month chance that each option has cost less, and the
expected running total of both options with the month they cross. Same rules and look as
:mod:`toolkit.faces.scenarios_charts` (whose colours, money labels and titles these share):
each chart is a small function of the tidy DataFrame an analysis returned, drawn with the
object-oriented API, and every line carries a line style and a label, not colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .scenarios_charts import (
    BY_LABEL,
    COLOR,
    LINE,
    SHORT,
    axes_of,
    clean_axes,
    dollars,
    titles,
)

# --------------------------------------------------------------------------- Monte Carlo


def distribution_chart(totals: pd.DataFrame, summary: pd.DataFrame, seed: int | None = None) -> Figure:
    """Each option's simulated cost: a histogram split into approved (solid) and denied (hatched) draws."""
    opts = list(dict.fromkeys(totals["option"]))
    fig = Figure(figsize=(9.2, 5.8), dpi=100)
    axes = np.atleast_1d(fig.subplots(len(opts), 1, sharex=True))
    hi = float(totals["cost"].max()) or 1.0
    bins = np.linspace(0, hi * 1.02, 51)
    n = int(totals["draw"].nunique())
    for ax, label in zip(axes, opts):
        key = BY_LABEL[label]
        sub = totals[totals["option"] == label]
        yes, no = sub[sub["approved"]]["cost"], sub[~sub["approved"]]["cost"]
        h_yes, _ = np.histogram(yes, bins)
        h_no, _ = np.histogram(no, bins)
        left, width = bins[:-1], np.diff(bins)
        ax.bar(left, h_yes * 100 / n, width=width, align="edge", color=COLOR[key], edgecolor=COLOR[key], linewidth=0.5, label=f"plan approved ({len(yes) * 100 / n:.0f} in 100)")
        ax.bar(left, h_no * 100 / n, width=width, bottom=h_yes * 100 / n, align="edge", color="white", edgecolor=COLOR[key], hatch="xxx", linewidth=0.5,
               label=f"plan said no ({len(no) * 100 / n:.0f} in 100)")
        s = summary[summary["option"] == label].iloc[0]
        for q, style in (("p5", ":"), ("median", "-"), ("p95", ":")):
            ax.axvline(s[q], color="#222222", linestyle=style, linewidth=1.2)
        top = float(((h_yes + h_no) * 100 / n).max()) or 1.0
        ax.set_ylim(0, top * 1.75)
        ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= min(100, top * 1.05)])
        for group, hist, word in ((yes, h_yes, "plan approved"), (no, h_no, "plan said no")):
            # a group spread thin over many bins is easy to miss: say where it is
            if len(group) and (hist * 100 / n).max() < top * 0.12:
                lo_g, hi_g = float(group.min()), float(group.max())
                ax.annotate(f"{word}: {len(group) * 100 / n:.0f} in 100,\n{dollars(lo_g)} to {dollars(hi_g)}", ((lo_g + hi_g) / 2, top * 0.04),
                            xytext=((lo_g + hi_g) / 2, top * 0.45), ha="center", va="bottom", fontsize=8.5,
                            arrowprops={"arrowstyle": "->", "color": "#333333", "lw": 0.8})
        ax.text(0.99, 0.96, f"middle: {dollars(s['median'])}\n90 in 100 between {dollars(s['p5'])} and {dollars(s['p95'])}",
                transform=ax.transAxes, ha="right", va="top", fontsize=9, bbox={"facecolor": "white", "edgecolor": "#bbbbbb", "pad": 3})
        ax.legend(loc="upper left", fontsize=8.5, frameon=False, ncol=2)
        ax.set_title(f"{label}: costs less in {s['chance_costs_less'] * 100:.0f} of 100 simulations", fontsize=10.5, loc="left", color=COLOR[key], fontweight="bold")
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylabel("share of\nsimulations", fontsize=8.5)
        ax.grid(axis="y", color="#eeeeee")
        ax.set_axisbelow(True)
        clean_axes(ax)
    axes[-1].xaxis.set_major_formatter(FuncFormatter(dollars))
    months = int(summary["months"].iloc[0]) if len(summary) else 12
    axes[-1].set_xlabel(f"Cost to the patient over {months} months", fontsize=9.5)
    seed_text = f" (seed {seed}: the same every run)" if seed is not None else ""
    titles(fig, f"What could the next {months} months cost?", f"{n:,} simulated outcomes{seed_text}: prices, booster spacing, maintenance, reimbursement and the plan's yes or no drawn from their ranges. Solid line: the middle outcome; dotted: 5 and 95 in 100.")
    fig.subplots_adjust(left=0.12, right=0.97, top=0.8, bottom=0.13, hspace=0.5)
    return fig


def probability_chart(by_month: pd.DataFrame, n: int | None = None) -> Figure:
    """The share of simulations in which each option has cost less so far, month by month."""
    fig, ax = axes_of(9.0, 4.4)
    m = by_month["month"]
    for key, col in (("spravato", "spravato_costs_less"), ("iv_ketamine", "iv_costs_less")):
        y = by_month[col] * 100
        ax.plot(m, y, color=COLOR[key], linewidth=2.2, markersize=6, **LINE[key])
        ax.annotate(f"{SHORT[key]} costs less: {y.iloc[-1]:.0f}%", (m.iloc[-1], y.iloc[-1]), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9,
                    color=COLOR[key], fontweight="bold", annotation_clip=False)
    if by_month["same"].max() > 0.005:
        ax.plot(m, by_month["same"] * 100, color="#555555", linewidth=1.2, linestyle=":", marker="^", markersize=4)
        ax.annotate(f"same cost: {by_month['same'].iloc[-1] * 100:.0f}%", (m.iloc[-1], by_month["same"].iloc[-1] * 100), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8.5, color="#333333", annotation_clip=False)
    ax.axhline(50, color="#888888", linestyle=(0, (2, 3)), linewidth=1)
    ax.text(m.iloc[0], 51.5, "even odds", fontsize=8, color="#555555")
    ax.set_ylim(0, 100)
    ax.set_xlim(m.iloc[0] - 0.3, m.iloc[-1] + 0.3)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xticks(list(m))
    ax.set_xlabel("Months of treatment", fontsize=9.5)
    ax.set_ylabel("chance it has cost less so far", fontsize=9)
    ax.grid(color="#eeeeee")
    clean_axes(ax)
    n_text = f"{n:,} " if n else ""
    titles(fig, "How sure are we that Spravato costs this patient less?", f"Share of {n_text}simulated outcomes in which each option has cost the patient less by the end of each month.")
    fig.subplots_adjust(left=0.1, right=0.72, top=0.8, bottom=0.16)
    return fig


# --------------------------------------------------------------------------- break-even


def breakeven_chart(frame: pd.DataFrame, sentence: str = "") -> Figure:
    """Running expected cost of both options by month, with the month they cross marked."""
    fig, ax = axes_of(9.0, 4.4)
    m = frame["month"]
    ends = []
    for key in ("iv_ketamine", "spravato"):
        y = frame[key]
        ax.plot(m, y, color=COLOR[key], linewidth=2.2, markersize=6, **LINE[key])
        ends.append((float(y.iloc[-1]), key))
    top = float(max(frame["iv_ketamine"].max(), frame["spravato"].max())) or 1.0
    placed: list[float] = []
    for v, key in sorted(ends):
        yy = v
        for p in placed:
            if abs(yy - p) < top * 0.08:
                yy = p + top * 0.08
        placed.append(yy)
        ax.annotate(f"{SHORT[key]}: {dollars(v)}", (m.iloc[-1], v), xytext=(m.iloc[-1] + 0.25, yy), textcoords="data", va="center", fontsize=9,
                    color=COLOR[key], fontweight="bold", annotation_clip=False)
    for month in frame[frame["costs_cross"]]["month"]:
        ax.axvline(month, color="#222222", linestyle=":", linewidth=1.2)
        ax.annotate(f"costs cross\nin month {month}", (month, top * 1.02), ha="center", va="bottom", fontsize=8.5, annotation_clip=False,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_ylim(0, top * 1.15)
    ax.set_xlim(m.iloc[0] - 0.3, m.iloc[-1] + 0.3)
    ax.set_xticks(list(m))
    ax.yaxis.set_major_formatter(FuncFormatter(dollars))
    ax.set_xlabel("Months of treatment", fontsize=9.5)
    ax.set_ylabel("running total, expected", fontsize=9)
    ax.grid(color="#eeeeee")
    clean_axes(ax)
    titles(fig, "When does one option become the cheaper one?", sentence or "Expected running cost to the patient (typical prices, weighted by the chance of approval).")
    fig.subplots_adjust(left=0.11, right=0.8, top=0.8, bottom=0.16)
    return fig
