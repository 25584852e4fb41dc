"""The running-total chart, drawn around the decision paths: what a patient reads in five seconds.

One bold line per option for its most likely path, labelled at its end with its figure and
chance; the other paths thin and dotted in the same colour, labelled small; each likely
path's price range as a bar at the end, side by side so the two never hide each other; the
plan's events (deductible met, cap reached, plan year resets) on their own strip below.
Every number is also in :func:`paths_frame` (the table beside the chart).

Why SVG written here rather than matplotlib: the chart is redrawn on every input change,
and a vector drawing of a dozen polylines and labels takes about a millisecond where
matplotlib's figure and PNG take tens; the same drawing serves the dashboard and the
printed handout (WeasyPrint draws SVG), sharp at any size. The other charts, drawn once
on request, stay in matplotlib (:func:`to_png`).

Accessibility: Okabe-Ito colours, and colour is never the only carrier of meaning: each
option has its own line style, lines are labelled directly, and event markers differ in
shape, so the chart reads in greyscale. The SVG carries a title and a description with the
numbers, and is embedded as an ``<img>`` with the same alt text.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from math import floor, log10

import pandas as pd

from ..dates import add_months
from ..engine.compare import Comparison
from ..engine.paths import DecisionPath
from ..engine.schedule import horizon_end
from ..i18n import day, dollars, gettext_for
from ..money import fmt_pct
from .words import say

STYLE = {
    "iv_ketamine": {"color": "#0072B2", "dash": "", "short": "IV ketamine"},
    "spravato": {"color": "#D55E00", "dash": "7 4", "short": "Spravato"},
}
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def _by_date(path: DecisionPath, level: str = "typical") -> list[tuple[date, int]]:
    days: dict[date, int] = {}
    for a in path.runs[level].lines:
        days[a.line.day] = days.get(a.line.day, 0) + a.net
    out, total = [], 0
    for d in sorted(days):
        total += days[d]
        out.append((d, total))
    return out


def paths_frame(comp: Comparison) -> pd.DataFrame:
    """The chart's numbers: each option's paths, running total at each month's end (dollars), typical and range."""
    rows = []
    for opt in comp.options.values():
        for p in opt.paths:
            for m in range(comp.scenario.horizon_months):
                r = p.range(m + 1)
                rows.append({
                    "option": opt.label, "path": p.key, "short": p.short, "likely": p.likely, "chance": float(p.likelihood[1]),
                    "month": m + 1, "month_ends": add_months(comp.scenario.start_date, m + 1) - timedelta(days=1),
                    "typical": r["typical"] / 100, "low": r["low"] / 100, "high": r["high"] / 100,
                })
    return pd.DataFrame(rows)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round y-axis ticks from 0 to at least ``top``: steps of 1, 2 or 5 times a power of ten.

    >>> nice_ticks(9170), nice_ticks(0)
    ([0, 2000, 4000, 6000, 8000, 10000], [0, 1])
    """
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** floor(log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    n = int(-(-top // step))
    return [round(i * step) if step >= 1 else i * step for i in range(n + 1)]


def _spread(wanted: list[tuple[float, int]], gap: float) -> dict[int, float]:
    """Label positions (screen y, downwards) pushed apart so no two overlap: wanted y and label index -> placed y."""
    placed: dict[int, float] = {}
    for y, i in sorted(wanted):
        yy = y
        for p in sorted(placed.values()):
            if abs(yy - p) < gap:
                yy = p + gap
        placed[i] = yy
    return placed


@dataclass
class Box:
    width: int
    height: int
    left: int = 84
    label_width: int = 250
    top: int = 14
    strip: int = 44
    bottom: int = 44

    @property
    def right(self) -> int:
        return self.width - self.label_width

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom - self.strip


def paths_svg(comp: Comparison, width: int = 840, height: int = 420, *, font: float = 12.0, lang: str = "en") -> str:
    """The chart as an SVG document (``width`` x ``height`` user units; it scales to any size), worded in ``lang``."""
    _ = gettext_for(lang)
    fmt_round = lambda c: dollars(c, lang)
    b = Box(width, height, label_width=250 if lang == "en" else 320)  # Spanish labels run longer
    start, end = comp.scenario.start_date, horizon_end(comp.scenario) - timedelta(days=1)
    span = max(1, (end - start).days)
    x_room = span * 0.06  # space after the last day for the range bars
    opts = list(comp.options.items())
    series = {key: [(p, _by_date(p)) for p in sorted(opt.paths, key=lambda x: x.likely)] for key, opt in opts}
    top_cents = 100
    for key, opt in opts:
        for p, pts in series[key]:
            top_cents = max(top_cents, pts[-1][1] if pts else 0)
            if p.likely:
                top_cents = max(top_cents, p.range()["high"])
    ticks = nice_ticks(top_cents / 100)
    y_top = ticks[-1]

    def x(d: date | float) -> float:
        days = d if isinstance(d, (int, float)) else (d - start).days
        return b.left + (b.right - b.left) * days / (span + x_room)

    def y(dollars: float) -> float:
        return b.plot_bottom - (b.plot_bottom - b.top) * dollars / y_top

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="{FONT}" font-size="{font}" role="img" aria-labelledby="t d">',
           f"<title id='t'>{escape(_('What you would pay over time, running total'))}</title><desc id='d'>{escape(alt_text(comp, lang))}</desc>",
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for t in ticks:  # y grid and labels
        out.append(f'<line x1="{b.left}" x2="{b.right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{b.left - 6}" y="{y(t) + font * 0.35:.1f}" text-anchor="end" fill="#333">{fmt_round(round(t * 100))}</text>')
    months = comp.scenario.horizon_months
    every = max(1, months // 6)
    for m in range(0, months + 1, every):  # x ticks at the months of treatment
        d = add_months(start, m)
        if d > end + timedelta(days=1):
            break
        out.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{b.plot_bottom + b.strip}" y2="{b.plot_bottom + b.strip + 4}" stroke="#555"/>')
        out.append(f'<text x="{x(d):.1f}" y="{b.plot_bottom + b.strip + 5 + font:.1f}" text-anchor="middle" fill="#333" font-size="{font * 0.85:.1f}">{day(d, lang, "month_year")}</text>')
    out.append(f'<line x1="{b.left}" x2="{b.right}" y1="{b.plot_bottom}" y2="{b.plot_bottom}" stroke="#555"/>')
    out.append(f'<line x1="{b.left}" x2="{b.left}" y1="{b.top}" y2="{b.plot_bottom}" stroke="#555"/>')
    # plan year resets: one dotted line across chart and strip
    resets = sorted({e.day for _, opt in opts for p in opt.paths if p.likely for e in p.runs["typical"].events if e.kind == "plan year resets"})
    for d in resets:
        out.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{b.top}" y2="{b.plot_bottom + b.strip}" stroke="#555" stroke-dasharray="2 3"/>')
    wanted: list[tuple[float, int]] = []
    labels: list[tuple[str, str, bool]] = []
    for k, (key, opt) in enumerate(opts):
        st = dict(STYLE[key], short=_(STYLE[key]["short"]))
        for p, pts in series[key]:
            xs = [(start, 0)] + pts + [(end, pts[-1][1] if pts else 0)]
            coords = []
            prev = 0.0
            for d, v in xs:
                coords.append(f"{x(d):.1f},{y(prev / 100):.1f}")
                coords.append(f"{x(d):.1f},{y(v / 100):.1f}")
                prev = v
            if p.likely:
                dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
                out.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{st["color"]}" stroke-width="3"{dash}/>')
                r = p.range()
                if r["low"] != r["high"]:
                    bx = x(span + x_room * (0.25 + 0.35 * k))
                    out.append(f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{y(r["low"] / 100):.1f}" y2="{y(r["high"] / 100):.1f}" stroke="{st["color"]}" '
                               f'stroke-width="7" stroke-opacity="0.35"/>')
                chance = "" if p.key == "not_applicable" else ", " + _("{chance} likely").format(chance=fmt_pct(p.likelihood[1]))
                labels.append((f"{st['short']}: {fmt_round(xs[-1][1])}|{say(p.short, lang)}{chance}", st["color"], True))
            else:
                out.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="{st["color"]}" stroke-width="1.3" stroke-dasharray="1.5 3" stroke-opacity="0.8"/>')
                labels.append((f"{st['short']} {say(p.short, lang)}: {fmt_round(xs[-1][1])} ({fmt_pct(p.likelihood[1])})", st["color"], False))
            wanted.append((y(xs[-1][1] / 100), len(labels) - 1))
        # the likely path's events, on the strip
        row_y = b.plot_bottom + 12 + 20 * k
        out.append(f'<text x="{b.left - 6}" y="{row_y + font * 0.35:.1f}" text-anchor="end" fill="#333" font-size="{font * 0.8:.1f}">{st["short"]}</text>')
        likely = opt.likely_path
        for e in (likely.runs["typical"].events if likely else []):
            if e.network == "out_of_network":
                continue
            ex = x(e.day)
            if e.kind == "deductible met":
                out.append(f'<path d="M{ex:.1f},{row_y - 6} l6,6 l-6,6 l-6,-6 z" fill="{st["color"]}" stroke="black" stroke-width="0.8"/>')
            elif e.kind == "out-of-pocket maximum reached":
                out.append(f'<path d="M{ex:.1f},{row_y - 6} l6,11 l-12,0 z" fill="{st["color"]}" stroke="black" stroke-width="0.8"/>')
    gap = font * 2.5
    placed = _spread(wanted, gap)
    tx = b.right + 10
    for (wy, i) in wanted:
        text, color, bold = labels[i]
        py = placed[i]
        out.append(f'<line x1="{x(span):.1f}" x2="{tx - 3}" y1="{wy:.1f}" y2="{py:.1f}" stroke="{color}" stroke-opacity="0.5" stroke-width="0.8"/>')
        first, _sep, second = text.partition("|")
        weight = ' font-weight="bold"' if bold else ""
        size = font if bold else font * 0.8
        if second:
            out.append(f'<text x="{tx}" y="{py - size * 0.15:.1f}" fill="{color}" font-size="{size:.1f}"{weight}>{escape(first)}</text>')
            out.append(f'<text x="{tx}" y="{py + size * 1.0:.1f}" fill="{color}" font-size="{size * 0.85:.1f}">{escape(second)}</text>')
        else:
            out.append(f'<text x="{tx}" y="{py + size * 0.35:.1f}" fill="{color}" font-size="{size:.1f}"{weight}>{escape(first)}</text>')
    legend = _("Bold: the most likely path. Dotted: the other paths. Bars at the end: the likely path's price range. "
               "\u25c6 deductible met  \u25b2 cap reached  \u2506 plan year resets")
    out.append(f'<text x="{b.left}" y="{height - 8}" fill="#333" font-size="{font * 0.75:.1f}">{escape(legend)}</text>')
    out.append("</svg>")
    return "".join(out)


def alt_text(comp: Comparison, lang: str = "en") -> str:
    """What the chart shows, in words and numbers, for a screen reader."""
    _ = gettext_for(lang)
    parts = []
    for opt in comp.options.values():
        p = opt.likely_path
        if p is None:
            continue
        chance = "" if p.key == "not_applicable" else " (" + _("{chance} likely").format(chance=fmt_pct(p.likelihood[1])) + ")"
        parts.append(f"{say(opt.label, lang)}, {say(p.short, lang)}{chance}: "
                     + _("{amount} after {months} months").format(amount=dollars(p.total(), lang), months=comp.scenario.horizon_months))
    return (_("Chart of the running total you would pay.") + " " + "; ".join(parts) + ". "
            + _("Every path's figures are in the table beside the chart."))


def svg_img(svg: str, alt: str, max_width: int = 860) -> str:
    """An SVG as an ``<img>`` (a data URI) with alt text."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt, quote=True)}" style="width:100%;max-width:{max_width}px">'


def to_png(fig, dpi: int | None = None) -> bytes:
    """A matplotlib figure as PNG bytes (the charts drawn once on request: ways to pay, scenarios)."""
    import matplotlib

    buf = io.BytesIO()
    # unhinted glyphs look the same at this size and render faster (text dominates the time)
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()
