"""Charts of the scenario analyses, and the look every scenario chart shares.

Here: if the plan says no, best and worst case, the tornado, the two-way grid and one "what
if". The Monte Carlo and break-even charts are in :mod:`toolkit.faces.montecarlo_charts`,
drawn with the colours, money labels and titles defined here.

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
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ..money import fmt_pct  # noqa: E402
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


def axes_of(width: float, height: float) -> tuple[Figure, object]:
    """A figure of that size (inches) with one set of axes, no pyplot state."""
    fig = Figure(figsize=(width, height), dpi=100)
    return fig, fig.add_subplot(1, 1, 1)


def titles(fig: Figure, title: str, subtitle: str = "", foot: str = FOOT) -> None:
    """The question the chart answers, what it shows, and the reminder that these are estimates."""
    h = fig.get_figheight()
    fig.text(0.015, 1 - 0.1 / h, title, fontsize=14, fontweight="bold", va="top", ha="left")
    if subtitle:
        fig.text(0.015, 1 - 0.42 / h, "\n".join(textwrap.wrap(subtitle, 120)), fontsize=9.5, va="top", ha="left", color="#333333")
    if foot:
        fig.text(0.015, 0.012, foot, fontsize=8, va="bottom", ha="left", color="#555555")


def clean_axes(ax) -> None:
    """No frame on top and right: less ink that is not data."""
    ax.spines[["top", "right"]].set_visible(False)


# --------------------------------------------------------------------------- approval vs denial


def approval_chart(table: pd.DataFrame) -> Figure:
    """Cost if approved, if denied and expected (with its range), one group per option."""
    fig, ax = axes_of(9.2, 5.0)
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
    clean_axes(ax)
    months = int(rows[0]["months"]) if rows else 12
    titles(fig, "What if the plan says no?", f"What each option costs the patient over {months} months if the plan approves it, if it says no, and expected given the chance of approval (typical prices; the whisker spans the low to high chance).")
    fig.subplots_adjust(left=0.27, right=0.97, top=0.82, bottom=0.1)
    return fig


# --------------------------------------------------------------------------- best / expected / worst


def cases_chart(table: pd.DataFrame) -> Figure:
    """Best, expected and worst case per option: a range line with labelled markers."""
    fig, ax = axes_of(9.2, 3.6)
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
    clean_axes(ax)
    months = int(table["months"].iloc[0]) if len(table) else 12
    titles(fig, "Best case, expected and worst case", f"Cost to the patient over {months} months. Best and worst put every uncertain input (prices, booster spacing, maintenance, reimbursement, chance of approval) at its kindest or harshest end for that option.")
    fig.subplots_adjust(left=0.2, right=0.96, top=0.74, bottom=0.14)
    return fig


# --------------------------------------------------------------------------- tornado


def tornado_chart(table: pd.DataFrame, top: int = 10) -> Figure:
    """One-way sensitivity: one bar per input, widest on top, ends labelled with the input values."""
    moving = table[table["swing"] > 0].head(top)
    still = table[table["swing"] <= 0]
    n = max(1, len(moving))
    fig, ax = axes_of(9.6, 1.9 + 0.52 * n)
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
    clean_axes(ax)
    foot = FOOT
    if len(still):
        foot = "No effect for this patient: " + "; ".join(still["short_label"]) + ".  " + FOOT
    titles(fig, "What could change the answer for this patient?", "Each bar moves one input across its published range, everything else held at this patient's estimate. The widest bars matter most.",
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
    fig, ax = axes_of(max(7.5, 1.05 * len(xs) + 2.8), max(4.2, 0.62 * len(ys) + 2.2))
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
    titles(fig, "Which option costs this patient less?", f"Each cell: which option costs less over {months} months, and by how much, for that pair of values. Outlined: this patient's own values.")
    fig.subplots_adjust(left=0.17, right=0.95, top=0.8, bottom=0.17)
    return fig


# --------------------------------------------------------------------------- one "what if"


def what_if_chart(table: pd.DataFrame) -> Figure:
    """Both options' costs for a few values of one input, bars labelled with the amounts."""
    fig, ax = axes_of(8.4, 4.2)
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
    clean_axes(ax)
    name = str(table["input"].iloc[0]) if k else ""
    months = int(table["months"].iloc[0]) if k else 12
    titles(fig, f"What if? {name}", f"Expected cost to the patient over {months} months for each value, everything else as estimated.")
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
