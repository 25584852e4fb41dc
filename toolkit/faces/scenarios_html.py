"""The HTML of each 05_scenarios tab: handed an analysis' tables, it returns what a person reads.

Each function takes the tidy table (or simulation) an analysis returned, never a scenario, and
returns one piece of HTML: a sentence answering the tab's question, the chart as an ``<img>``
whose alt text says the same, and the numbers behind it as a table. Nothing here computes
money; :class:`toolkit.faces.scenarios_panel.ScenariosPanel` runs the analyses and hands them
over. Everything shown is escaped.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..analysis.approval import denial_sentence
from ..analysis.levers import LEVERS
from ..analysis.montecarlo import MonteCarlo
from . import fragments as report
from . import montecarlo_charts as mc_charts
from . import scenarios_charts as charts
from .widgets import img_html

# --------------------------------------------------------------------------- HTML pieces


def chart(fig, alt: str) -> str:
    """A chart as an <img> whose alt text says what it shows (the numbers are in the table below)."""
    return img_html(charts.png(fig), alt, max_width=900)


def table_html(df: pd.DataFrame, caption: str, money: tuple[str, ...] = (), pct: tuple[str, ...] = ()) -> str:
    """A small table for people: dollars rounded to the dollar, chances in percent."""
    out = df.copy()
    for c in money:
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else charts.dollars(v))
    for c in pct:
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{v * 100:.0f}%")
    out.columns = [str(c).replace("_", " ") for c in out.columns]
    body = out.to_html(index=False, classes="kt-t", border=0, escape=True)
    start = body.index(">", body.index("<table")) + 1
    return f'<table class="kt-t"><caption>{escape(caption)}</caption>' + body[start:]


def details(summary: str, inner: str, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{escape(summary)}</summary>{inner}</details>"


def lead(text: str) -> str:
    return f"<p class='kt-lead' style='font-size:15px;margin:6px 0'>{escape(text)}</p>"


def wrap(*parts: str) -> str:
    return report.CSS + "<div class='kt mathjax_ignore tex2jax_ignore'>" + "".join(parts) + "</div>"


# --------------------------------------------------------------------------- sections (handed an analysis' tables, return HTML)


def denied_html(t: pd.DataFrame) -> str:
    """If the plan says no: handed :func:`~toolkit.analysis.approval.approval_vs_denial`'s table."""
    alt = "Bar chart: " + denial_sentence(t)
    cols = ["option", "if_approved", "if_denied", "chance_approved", "expected", "expected_low", "expected_high", "if_approved_means", "if_denied_means"]
    return wrap(
        lead(denial_sentence(t)),
        chart(charts.approval_chart(t), alt),
        details("The numbers behind this chart", table_html(t[cols], "Cost to the patient if approved, if denied, and expected", ("if_approved", "if_denied", "expected", "expected_low", "expected_high"), ("chance_approved",))),
        "<p class='muted small'>If the plan says no, the patient can appeal (see 02_coverage_and_appeals) or pay the clinic's price. Expected = cost if approved x chance + cost if denied x (1 - chance).</p>",
    )


def tornado_html(sens: pd.DataFrame, months: int) -> str:
    """What could change it: handed the one-way sensitivity table (:func:`~toolkit.analysis.owsa.owsa`)."""
    top = sens.iloc[0]
    base = float(top["diff_base"])
    who = "Spravato" if base > 0 else "IV ketamine"
    text = (f"As estimated, {who} costs this patient {charts.dollars(abs(base))} less over {months} months. "
            f"What moves that most: {top['short_label']} ({top['low_text']} to {top['high_text']}), which alone swings the difference by {charts.dollars(top['swing'])}.")
    flips = sens[(sens["diff_at_low"] * base < 0) | (sens["diff_at_high"] * base < 0)]
    if base and len(flips):
        text += " Each of these could flip the answer on its own: " + "; ".join(flips["short_label"]) + "."
    elif base:
        text += " No single input flips the answer on its own."
    cols = ["short_label", "low_text", "high_text", "base_text", "iv_at_low", "iv_at_high", "spravato_at_low", "spravato_at_high", "swing", "source", "as_of"]
    return wrap(
        lead(text),
        chart(charts.tornado_chart(sens), "Tornado chart. " + text),
        details("The numbers behind this chart", table_html(
            sens[cols].rename(columns={"short_label": "input", "low_text": "low", "high_text": "high", "base_text": "this patient", "iv_at_low": "IV ketamine at low",
                                       "iv_at_high": "IV ketamine at high", "spravato_at_low": "Spravato at low", "spravato_at_high": "Spravato at high"}),
            f"Cost over {months} months with each input at the low and high end of its range",
            ("IV ketamine at low", "IV ketamine at high", "Spravato at low", "Spravato at high", "swing"))),
    )


def grid_html(g: pd.DataFrame, x: str, y: str, months: int) -> str:
    """Two things at once: handed the two-way grid (:func:`~toolkit.analysis.twsa.twsa`) of inputs ``x`` and ``y``."""
    mine = g[g["is_patient"]]
    counts = g["cheaper"].value_counts()
    text = f"Across these {len(g)} combinations, " + "; ".join(f"{k} costs less in {v}" for k, v in counts.items()) + "."
    if len(mine):
        m = mine.iloc[0]
        text += f" With this patient's values ({m['x_text']}, {m['y_text']}): {m['cheaper']} " + (f"by {charts.dollars(abs(m['iv_minus_spravato']))}." if m["cheaper"] != "same" else "(same cost).")
    table = g.pivot(index="y_text", columns="x_text", values="iv_minus_spravato")
    table = table.reindex(index=list(dict.fromkeys(g.sort_values("y_value")["y_text"])), columns=list(dict.fromkeys(g.sort_values("x_value")["x_text"])))
    table = table.map(lambda v: "" if pd.isna(v) else ("Spravato " if v > 0 else "IV " if v < 0 else "") + (charts.dollars(abs(v)) + " less" if v else "same"))
    table.index.name = LEVERS[y].label
    return wrap(
        lead(text),
        chart(charts.heatmap_chart(g, LEVERS[x].label, LEVERS[y].label), "Grid chart. " + text),
        details("The numbers behind this chart", table_html(table.reset_index(), f"IV ketamine minus Spravato: who costs less, by how much, over {months} months")),
    )


def montecarlo_html(mc: MonteCarlo, approval: str) -> str:
    """How sure are we: handed the simulation (:func:`~toolkit.analysis.montecarlo.monte_carlo`) and how it treated approval."""
    summ = mc.summary()
    by_month = mc.probability_by_month()
    p = mc.chance_spravato_cheaper()
    per100 = round(p * 100)
    text = f"In {per100} of 100 simulated outcomes, Spravato costs this patient less over {mc.months} months; IV ketamine costs less in {round((1 - p - by_month['same'].iloc[-1]) * 100)} of 100."
    if approval != "draw":
        text += {"weighted": " (Approval is not drawn: each option's cost is weighted by its chance of approval.)",
                 "approved": " (Assuming the plan approves both.)", "denied": " (Assuming the plan says no to both.)"}[approval]
    word = "very likely" if p >= 0.9 else "likely" if p >= 0.7 else "about as likely as not" if p > 0.3 else "unlikely" if p > 0.1 else "very unlikely"
    text += f" That is, Spravato costing less is {word}."
    means = summ.set_index("option")["mean"]
    text += " On average over the simulations: " + "; ".join(f"{k} {charts.dollars(v)}" for k, v in means.items()) + "."
    cols = ["option", "mean", "p5", "median", "p95", "chance_costs_less", "chance_approved"]
    names = {"mean": "average", "p5": "5 in 100 below", "median": "middle", "p95": "95 in 100 below", "chance_costs_less": "chance it costs less", "chance_approved": "approved in"}
    shown = by_month.rename(columns={"spravato_costs_less": "Spravato costs less", "iv_costs_less": "IV ketamine costs less", "same": "same cost"})
    notes = "".join(f"<li>{escape(x)}</li>" for x in mc.notes)
    return wrap(
        lead(text),
        chart(mc_charts.probability_chart(by_month, mc.n), "Line chart. " + text),
        chart(mc_charts.distribution_chart(mc.totals(), summ, mc.seed), "Histograms of each option's simulated cost. " + "; ".join(
            f"{r['option']}: middle {charts.dollars(r['median'])}, 90 in 100 between {charts.dollars(r['p5'])} and {charts.dollars(r['p95'])}" for r in summ.to_dict("records"))),
        details("The numbers behind these charts", table_html(summ[cols].rename(columns=names), f"{mc.n:,} simulations, seed {mc.seed}", ("average", "5 in 100 below", "middle", "95 in 100 below"), ("chance it costs less", "approved in"))
                + table_html(shown, "Chance each option has cost less by the end of each month", (), ("Spravato costs less", "IV ketamine costs less", "same cost"))),
        f"<ul class='small muted'>{notes}</ul>" if notes else "",
        "<p class='muted small'>Every input is drawn from its range and distribution in data/uncertainty.csv (see Inputs and sources); the same seed gives the same results.</p>",
    )


def cases_html(c: pd.DataFrame) -> str:
    """Best and worst: handed the best / expected / worst table (:func:`~toolkit.analysis.cases.cases`)."""
    parts = []
    for opt in dict.fromkeys(c["option"]):
        sub = c[c["option"] == opt].set_index("case")["cost"]
        parts.append(f"{opt}: expected {charts.dollars(sub['expected'])}, from {charts.dollars(sub['best'])} at best to {charts.dollars(sub['worst'])} at worst.")
    text = " ".join(parts)
    return wrap(
        lead(text),
        chart(charts.cases_chart(c), "Range chart. " + text),
        details("The numbers behind this chart, and the inputs that make each case", table_html(c, "Best, expected and worst case", ("cost",))),
    )


def breakeven_html(f: pd.DataFrame, text: str) -> str:
    """When costs cross: handed the running totals (:func:`~toolkit.analysis.breakeven.breakeven_frame`) and the sentence describing them."""
    return wrap(
        lead(text),
        chart(mc_charts.breakeven_chart(f, text), "Line chart of the running expected cost of both options. " + text),
        details("The numbers behind this chart", table_html(f, "Expected running total at the end of each month", ("iv_ketamine", "spravato", "iv_minus_spravato"))),
    )


def what_if_html(t: pd.DataFrame, lever: str, months: int) -> str:
    """What if…?: handed the costs at a few values of one input (:func:`~toolkit.analysis.owsa.one_way`)."""
    parts = [f"{r['value_text']}: IV ketamine {charts.dollars(r['iv_ketamine'])}, Spravato {charts.dollars(r['spravato'])}" for r in t.to_dict("records")]
    text = f"{LEVERS[lever].label}, over {months} months (expected cost): " + "; ".join(parts) + "."
    return wrap(
        lead(text),
        chart(charts.what_if_chart(t), "Bar chart. " + text),
        details("The numbers behind this chart", table_html(t[["value_text", "iv_ketamine", "spravato", "iv_minus_spravato", "cheaper"]], "Expected cost for each value", ("iv_ketamine", "spravato", "iv_minus_spravato"))),
    )


def inputs_html(t: pd.DataFrame) -> str:
    """Inputs and sources: handed the parameter table as people read it (:func:`~toolkit.analysis.params.sources_view`)."""
    return wrap(
        lead("Every uncertain input, this patient's value, its range, how the simulation draws it, and where the figure comes from."),
        table_html(t, "Uncertain inputs (data/uncertainty.csv and the rows it points to)"),
        "<p class='muted small'>A clinic quote or plan figure typed for the patient becomes the input's base value. Ranges come from data/; to change one, edit that row and run python -m toolkit check-data.</p>",
    )
