"""Charts of the scenario analyses: each one a small function of a tidy table.

Every function takes the DataFrame an analysis returned (never the model) and returns a
:class:`matplotlib.figure.Figure` drawn with the object-oriented API (no pyplot state), so the
same numbers can be shown as a table beside the chart and tests can check the data without
pixels.

For patients: titles are questions in plain words, money is in whole dollars, and colour is
never the only carrier of meaning. Okabe-Ito blue (#0072B2) is IV ketamine and vermillion
(#D55E00) is Spravato, but every bar, line and cell also carries a text label, a line style or
a hatch.
"""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

from ..money import fmt_pct
from ..scenario import OPTION_LABELS  # noqa: E402
from .charts import to_png  # noqa: E402

COLOR = {"iv_ketamine": "#0072B2", "spravato": "#D55E00"}
BY_LABEL = {OPTION_LABELS[k]: k for k in COLOR}
LINE = {"iv_ketamine": {"linestyle": "-", "marker": "o"}, "spravato": {"linestyle": "--", "marker": "s"}}
SHORT = {"iv_ketamine": "IV ketamine", "spravato": "Spravato"}
GREY_LOW, GREY_HIGH = "#B8B8B8", "#4D4D4D"
DIVERGING = LinearSegmentedColormap.from_list("iv_white_spravato", ["#0072B2", "#FFFFFF", "#D55E00"])
FOOT = "Estimates, not advice: confirm prices and coverage with the clinic and the plan."


def dollars(x: float, _pos: object = None) -> str:
    """Whole dollars for axes: ``$1,235``, ``-$500``.

    >>> dollars(1234.5), dollars(-500)
    ('$1,235', '-$500')
    """
    v = int(np.floor(abs(x) + 0.5))
    return f"{'-' if x < 0 and v else ''}${v:,}"


def short_dollars(x: float) -> str:
    """Compact dollars for crowded labels: ``$950``, ``$9.4k``, ``$12k``.

    >>> short_dollars(950), short_dollars(9420), short_dollars(12400)
    ('$950', '$9.4k', '$12k')
    """
    a = abs(x)
    if a < 1000:
        return f"${a:,.0f}"
    if a < 10_000:
        return f"${a / 1000:.1f}k"
    return f"${a / 1000:,.0f}k"


def _frame(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot(1, 1, 1)


def _titles(fig: Figure, title: str, subtitle: str = "", foot: str = FOOT) -> None:
    h = fig.get_figheight()
    fig.text(0.015, 1 - 0.1 / h, title, fontsize=14, fontweight="bold", va="top", ha="left")
    if subtitle:
        fig.text(0.015, 1 - 0.42 / h, "\n".join(textwrap.wrap(subtitle, 120)), fontsize=9.5, va="top", ha="left", color="#333333")
    if foot:
        fig.text(0.015, 0.012, foot, fontsize=8, va="bottom", ha="left", color="#555555")


def _clean(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)


# --------------------------------------------------------------------------- approval vs denial


def approval_chart(table: pd.DataFrame) -> Figure:
    """Cost if approved, if denied and expected (with its range), one group per option."""
    fig, ax = _frame(9.2, 5.0)
    rows = table.to_dict("records")
    y, labels, top = 0.0, [], 0.0
    for r in rows:
        top = max(top, r["if_approved"], r["if_denied"], r["expected_high"])
    for r in rows:
        key = BY_LABEL[r["option"]]
        c = COLOR[key]
        if r["chance_approved_low"] == r["chance_approved_high"]:
            chance = f"chance the plan pays: {fmt_pct(r['chance_approved'])}" + (" (self-pay either way)" if r["if_approved"] == r["if_denied"] and not r["chance_approved"] else "")
        else:
            chance = f"chance the plan pays: {fmt_pct(r['chance_approved_low'])} to {fmt_pct(r['chance_approved_high'])} (typical {fmt_pct(r['chance_approved'])})"
        ax.text(top * 0.01, y - 0.15, f"{r['option']}  ·  {chance}",
                fontsize=10, fontweight="bold", color=c, va="bottom", ha="left", transform=ax.transData)
        bars = [
            ("If the plan approves", r["if_approved"], {"color": c}),
            ("Expected (weighted by the chance)", r["expected"], {"color": c, "alpha": 0.45}),
            ("If the plan says no", r["if_denied"], {"facecolor": "white", "edgecolor": c, "hatch": "xx", "linewidth": 1.2}),
        ]
        for i, (name, value, style) in enumerate(bars):
            yy = y + 0.55 + i * 0.62
            ax.barh(yy, value, height=0.5, **style)
            labels.append((yy, name))
            text = dollars(value)
            if i == 1 and r["expected_high"] - r["expected_low"] >= 1:
                ax.errorbar(value, yy, xerr=[[value - r["expected_low"]], [r["expected_high"] - value]], fmt="none", ecolor="#222222", capsize=4, linewidth=1.2)
                text += f"  (range {dollars(r['expected_low'])} to {dollars(r['expected_high'])})"
            end = max(value, r["expected_high"] if i == 1 else value)
            ax.text(end + top * 0.01, yy, text, va="center", fontsize=9)
        y += 0.55 + 3 * 0.62 + 0.35
    ax.set_yticks([p for p, _ in labels], [n for _, n in labels], fontsize=9)
    ax.set_ylim(y - 0.2, -0.45)
    ax.set_xlim(0, top * 1.3 + 1)
    ax.xaxis.set_major_formatter(FuncFormatter(dollars))
    ax.grid(axis="x", color="#e3e3e3")
    ax.set_axisbelow(True)
    _clean(ax)
    months = int(rows[0]["months"]) if rows else 12
    _titles(fig, "What if the plan says no?", f"What each option costs the patient over {months} months if the plan approves it, if it says no, and expected given the chance of approval (typical prices; the whisker spans the low to high chance).")
    fig.subplots_adjust(left=0.27, right=0.97, top=0.82, bottom=0.1)
    return fig


# --------------------------------------------------------------------------- best / expected / worst


def cases_chart(table: pd.DataFrame) -> Figure:
    """Best, expected and worst case per option: a range line with labelled markers."""
    fig, ax = _frame(9.2, 3.6)
    opts = list(dict.fromkeys(table["option"]))
    top = float(table["cost"].max()) or 1.0
    marks = {"best": ("v", "best"), "expected": ("o", "expected"), "worst": ("^", "worst")}
    for i, label in enumerate(opts):
        key = BY_LABEL[label]
        sub = table[table["option"] == label].set_index("case")["cost"]
        ax.plot([sub["best"], sub["worst"]], [i, i], color=COLOR[key], linewidth=3, alpha=0.5, solid_capstyle="butt")
        for case, (marker, word) in marks.items():
            v = float(sub[case])
            ax.plot([v], [i], marker=marker, markersize=11 if case == "expected" else 9, color=COLOR[key], markeredgecolor="black", linestyle="none")
            above = case != "expected"
            ax.annotate(f"{word}\n{dollars(v)}", (v, i), xytext=(0, 14 if above else -16), textcoords="offset points", ha="center",
                        va="bottom" if above else "top", fontsize=9, fontweight="bold" if case == "expected" else "normal")
    ax.set_yticks(range(len(opts)), opts, fontsize=10)
    ax.set_ylim(len(opts) - 0.4, -0.6)
    ax.set_xlim(0, top * 1.1)
    ax.xaxis.set_major_formatter(FuncFormatter(dollars))
    ax.grid(axis="x", color="#e3e3e3")
    ax.set_axisbelow(True)
    _clean(ax)
    months = int(table["months"].iloc[0]) if len(table) else 12
    _titles(fig, "Best case, expected and worst case", f"Cost to the patient over {months} months. Best and worst put every uncertain input (prices, booster spacing, maintenance, reimbursement, chance of approval) at its kindest or harshest end for that option.")
    fig.subplots_adjust(left=0.2, right=0.96, top=0.74, bottom=0.14)
    return fig


# --------------------------------------------------------------------------- tornado


def tornado_chart(table: pd.DataFrame, top: int = 10) -> Figure:
    """One-way sensitivity: one bar per input, widest on top, ends labelled with the input values."""
    moving = table[table["swing"] > 0].head(top)
    still = table[table["swing"] <= 0]
    n = max(1, len(moving))
    fig, ax = _frame(9.6, 1.9 + 0.52 * n)
    base = float(table["diff_base"].iloc[0]) if len(table) else 0.0
    lo_all = min([0.0, base, *moving["diff_at_low"], *moving["diff_at_high"]])
    hi_all = max([0.0, base, *moving["diff_at_low"], *moving["diff_at_high"]])
    span = (hi_all - lo_all) or 1.0
    pad = span * 0.16
    ax.axvspan(lo_all - pad, 0, color=COLOR["iv_ketamine"], alpha=0.06, linewidth=0)
    ax.axvspan(0, hi_all + pad, color=COLOR["spravato"], alpha=0.06, linewidth=0)
    for i, r in enumerate(moving.to_dict("records")):
        ends = ((r["diff_at_low"], r["low_text"], {"color": GREY_LOW, "edgecolor": "#777777"}, r["diff_at_high"], r["low"]),
                (r["diff_at_high"], r["high_text"], {"color": GREY_HIGH, "hatch": "///", "edgecolor": "white"}, r["diff_at_low"], r["high"]))
        for end, text, style, other, value in ends:
            left, width = min(base, end), abs(end - base)
            ax.barh(i, width, left=left, height=0.6, **style)
            if width == 0:
                # no bar on this side: the patient's own value, or a value that changes nothing
                same = abs(value - r["base"]) < 1e-9
                right, text = other < base, f"{text} ({'as now' if same else 'no change'})"
            else:
                right = end >= base
            ax.text(end + (span * 0.01 if right else -span * 0.01), i, text, va="center", ha="left" if right else "right", fontsize=9)
    ax.axvline(0, color="black", linewidth=1)
    ax.axvline(base, color="#222222", linewidth=1, linestyle="--")
    ax.set_yticks(range(len(moving)), ["\n".join(textwrap.wrap(x, 34)) for x in moving["short_label"]], fontsize=9)
    ax.set_ylim(n - 0.5, -1.3)
    ax.set_xlim(lo_all - pad, hi_all + pad)
    ax.text(lo_all - pad * 0.9, -1.0, "◀ IV ketamine costs less", color=COLOR["iv_ketamine"], fontsize=9.5, fontweight="bold", va="center", ha="left")
    ax.text(hi_all + pad * 0.9, -1.0, "Spravato costs less ▶", color=COLOR["spravato"], fontsize=9.5, fontweight="bold", va="center", ha="right")
    who = "Spravato" if base > 0 else "IV ketamine" if base < 0 else "neither"
    ax.text(base, -0.55, f"as estimated now: {who} {dollars(abs(base))} less" if base else "as estimated now: the same", fontsize=8, ha="center", va="center", color="#222222",
            bbox={"facecolor": "white", "edgecolor": "#999999", "pad": 2})
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: dollars(x) if x <= 0 else "+" + dollars(x)))
    months = int(table["months"].iloc[0]) if len(table) else 12
    ax.set_xlabel(f"IV ketamine's cost minus Spravato's over {months} months (above 0: Spravato costs the patient less)", fontsize=9)
    ax.legend(handles=[Patch(facecolor=GREY_LOW, edgecolor="#777777", label="input at the low end"), Patch(facecolor=GREY_HIGH, hatch="///", edgecolor="white", label="input at the high end")],
              loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    _clean(ax)
    foot = FOOT
    if len(still):
        foot = "No effect for this patient: " + "; ".join(still["short_label"]) + ".  " + FOOT
    _titles(fig, "What could change the answer for this patient?", "Each bar moves one input across its published range, everything else held at this patient's estimate. The widest bars matter most.",
            "\n".join(textwrap.wrap(foot, 150)))
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - 1.15 / (1.9 + 0.52 * n), bottom=(0.95 if len(still) else 0.8) / (1.9 + 0.52 * n))
    return fig


# --------------------------------------------------------------------------- two-way grid


def heatmap_chart(table: pd.DataFrame, x_label: str = "", y_label: str = "") -> Figure:
    """Two-way grid: each cell says which option costs less and by how much."""
    xs = sorted(table["x_value"].unique())
    ys = sorted(table["y_value"].unique())
    grid = np.full((len(ys), len(xs)), np.nan)
    for r in table.to_dict("records"):
        grid[ys.index(r["y_value"]), xs.index(r["x_value"])] = r["iv_minus_spravato"]
    fig, ax = _frame(max(7.5, 1.05 * len(xs) + 2.8), max(4.2, 0.62 * len(ys) + 2.2))
    vmax = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
    vmax = vmax or 1.0
    im = ax.imshow(grid, cmap=DIVERGING, norm=TwoSlopeNorm(vcenter=0, vmin=-vmax, vmax=vmax), aspect="auto")
    for (i, j), v in np.ndenumerate(grid):
        if np.isnan(v):
            ax.text(j, i, "n/a", ha="center", va="center", fontsize=8, color="#555555")
            continue
        who = "Spravato" if v > 0 else "IV" if v < 0 else ""
        text = f"{who}\n{short_dollars(v)} less" if who else "same"
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if abs(v) > 0.55 * vmax else "black")
    for r in table[table["is_patient"]].to_dict("records"):
        ax.add_patch(Rectangle((xs.index(r["x_value"]) - 0.5, ys.index(r["y_value"]) - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2.5))
    x_text = dict(zip(table["x_value"], table["x_text"]))
    y_text = dict(zip(table["y_value"], table["y_text"]))
    ax.set_xticks(range(len(xs)), [x_text[v] for v in xs], fontsize=9)
    ax.set_yticks(range(len(ys)), [y_text[v] for v in ys], fontsize=9)
    ax.set_xlabel(x_label or str(table["x"].iloc[0]), fontsize=10)
    ax.set_ylabel(y_label or str(table["y"].iloc[0]), fontsize=10)
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: short_dollars(v)))
    cb.ax.tick_params(labelsize=8)
    cb.ax.text(0.5, 1.02, "Spravato\ncosts less", transform=cb.ax.transAxes, ha="center", va="bottom", fontsize=8, color=COLOR["spravato"], fontweight="bold")
    cb.ax.text(0.5, -0.02, "IV ketamine\ncosts less", transform=cb.ax.transAxes, ha="center", va="top", fontsize=8, color=COLOR["iv_ketamine"], fontweight="bold")
    months = int(table["months"].iloc[0]) if len(table) else 12
    _titles(fig, "Which option costs this patient less?", f"Each cell: which option costs less over {months} months, and by how much, for that pair of values. Outlined: this patient's own values.")
    fig.subplots_adjust(left=0.17, right=0.95, top=0.8, bottom=0.17)
    return fig


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
        _clean(ax)
    axes[-1].xaxis.set_major_formatter(FuncFormatter(dollars))
    months = int(summary["months"].iloc[0]) if len(summary) else 12
    axes[-1].set_xlabel(f"Cost to the patient over {months} months", fontsize=9.5)
    seed_text = f" (seed {seed}: the same every run)" if seed is not None else ""
    _titles(fig, f"What could the next {months} months cost?", f"{n:,} simulated outcomes{seed_text}: prices, booster spacing, maintenance, reimbursement and the plan's yes or no drawn from their ranges. Solid line: the middle outcome; dotted: 5 and 95 in 100.")
    fig.subplots_adjust(left=0.12, right=0.97, top=0.8, bottom=0.13, hspace=0.5)
    return fig


def probability_chart(by_month: pd.DataFrame, n: int | None = None) -> Figure:
    """The share of simulations in which each option has cost less so far, month by month."""
    fig, ax = _frame(9.0, 4.4)
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
    _clean(ax)
    n_text = f"{n:,} " if n else ""
    _titles(fig, "How sure are we that Spravato costs this patient less?", f"Share of {n_text}simulated outcomes in which each option has cost the patient less by the end of each month.")
    fig.subplots_adjust(left=0.1, right=0.72, top=0.8, bottom=0.16)
    return fig


# --------------------------------------------------------------------------- break-even


def breakeven_chart(frame: pd.DataFrame, sentence: str = "") -> Figure:
    """Running expected cost of both options by month, with the month they cross marked."""
    fig, ax = _frame(9.0, 4.4)
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
    _clean(ax)
    _titles(fig, "When does one option become the cheaper one?", sentence or "Expected running cost to the patient (typical prices, weighted by the chance of approval).")
    fig.subplots_adjust(left=0.11, right=0.8, top=0.8, bottom=0.16)
    return fig


# --------------------------------------------------------------------------- one "what if"


def what_if_chart(table: pd.DataFrame) -> Figure:
    """Both options' costs for a few values of one input, bars labelled with the amounts."""
    fig, ax = _frame(8.4, 4.2)
    k = len(table)
    x = np.arange(k)
    w = 0.38
    top = float(max(table["iv_ketamine"].max(), table["spravato"].max())) or 1.0
    for off, key, hatch in ((-w / 2, "iv_ketamine", None), (w / 2, "spravato", "//")):
        vals = table[key].to_numpy()
        ax.bar(x + off, vals, width=w, color=COLOR[key], hatch=hatch, edgecolor="white", label=SHORT[key])
        for xi, v in zip(x + off, vals):
            ax.text(xi, v + top * 0.015, f"{SHORT[key]}\n{dollars(v)}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, list(table["value_text"]), fontsize=10)
    ax.set_ylim(0, top * 1.3)
    ax.yaxis.set_major_formatter(FuncFormatter(dollars))
    ax.legend(fontsize=9, frameon=False, loc="upper right", ncol=2)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    _clean(ax)
    name = str(table["input"].iloc[0]) if k else ""
    months = int(table["months"].iloc[0]) if k else 12
    _titles(fig, f"What if? {name}", f"Expected cost to the patient over {months} months for each value, everything else as estimated.")
    fig.subplots_adjust(left=0.11, right=0.97, top=0.8, bottom=0.14)
    return fig


def plain_text(fig: Figure) -> Figure:
    """Turn off mathtext in every text of the figure: a "$" is money, never a formula."""
    for t in fig.findobj(lambda a: hasattr(a, "set_parse_math")):
        t.set_parse_math(False)
    return fig


def png(fig: Figure) -> bytes:
    """PNG bytes of a chart (for an <img> with alt text, or a file)."""
    return to_png(plain_text(fig))
