"""The widgets of 05_scenarios: one patient's situation, and every scenario analysis of it.

Same rules as :mod:`toolkit.pages` and the dashboard: widgets only collect values; the
analyses compute; one function per section turns the result into HTML (a chart as an <img>
with alt text, a sentence answering the question, the numbers as a table), shown in an
``Output`` with ``clear_output(wait=True)`` so nothing flickers. A bad entry shows a message,
never a traceback, and the last good results stay on screen. Text and number boxes update on
Enter or leaving the box (no ``continuous_update``). Only the open tab is computed; the others
catch up when opened.
"""

from __future__ import annotations

import base64
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Callable

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display

from ..analysis.approval import approval_vs_denial, denial_sentence
from ..analysis.breakeven import breakeven_frame, describe_breakeven
from ..analysis.cases import cases
from ..analysis.levers import LEVERS
from ..analysis.model import model
from ..analysis.montecarlo import DEFAULT_SEED, monte_carlo
from ..analysis.owsa import one_way, owsa
from ..analysis.params import parameter_table, sources_view
from ..analysis.twsa import twsa
from ..data import Dataset, dataset
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..scenario import Scenario, ScenarioError, validate_scenario
from . import fragments as report
from . import scenarios_charts as charts

STYLE = {"description_width": "230px"}
WIDE = W.Layout(width="560px")
INTERVALS = [("no boosters", 0), ("every 2 weeks", 2), ("every 3 weeks", 3), ("every 4 weeks", 4), ("every 5 weeks", 5), ("every 6 weeks", 6),
             ("every 8 weeks", 8), ("every 10 weeks", 10), ("every 12 weeks", 12)]
GRID_CHOICES = [(LEVERS[k].label, k) for k in ("iv_price", "iv_maintenance_interval_weeks", "spravato_device", "spravato_cash_session", "oon_allowed_share",
                                              "spravato_approval", "iv_approval", "deductible_remaining", "coinsurance_pct", "oop_max")]
WHAT_IF_CHOICES = [(LEVERS[k].label, k) for k in ("iv_maintenance_interval_weeks", "iv_price", "spravato_maintenance_per_week", "spravato_cash_session",
                                                  "spravato_approval", "iv_approval", "deductible_remaining", "coinsurance_pct")]
SECTIONS = [
    ("denied", "If the plan says no"),
    ("what_if", "What if…?"),
    ("tornado", "What could change it"),
    ("grid", "Two things at once"),
    ("montecarlo", "How sure are we?"),
    ("cases", "Best and worst"),
    ("breakeven", "When costs cross"),
    ("inputs", "Inputs and sources"),
]


# --------------------------------------------------------------------------- HTML pieces


def img_html(fig, alt: str) -> str:
    """A chart as an <img> whose alt text says what it shows (the numbers are in the table below)."""
    data = base64.b64encode(charts.png(fig)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}" style="width:100%;max-width:900px">'


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


# --------------------------------------------------------------------------- sections (pure: scenario in, HTML out)


def denied_html(s: Scenario, ds: Dataset) -> str:
    t = approval_vs_denial(s, ds, months=s.horizon_months)
    alt = "Bar chart: " + denial_sentence(t)
    cols = ["option", "if_approved", "if_denied", "chance_approved", "expected", "expected_low", "expected_high", "if_approved_means", "if_denied_means"]
    return wrap(
        lead(denial_sentence(t)),
        img_html(charts.approval_chart(t), alt),
        details("The numbers behind this chart", table_html(t[cols], "Cost to the patient if approved, if denied, and expected", ("if_approved", "if_denied", "expected", "expected_low", "expected_high"), ("chance_approved",))),
        "<p class='muted small'>If the plan says no, the patient can appeal (see 02_coverage_and_appeals) or pay the clinic's price. Expected = cost if approved x chance + cost if denied x (1 - chance).</p>",
    )


def tornado_html(s: Scenario, ds: Dataset, sens: pd.DataFrame | None = None) -> str:
    sens = owsa(s, ds, months=s.horizon_months) if sens is None else sens
    top = sens.iloc[0]
    base = float(top["diff_base"])
    who = "Spravato" if base > 0 else "IV ketamine"
    text = (f"As estimated, {who} costs this patient {charts.dollars(abs(base))} less over {s.horizon_months} months. "
            f"What moves that most: {top['short_label']} ({top['low_text']} to {top['high_text']}), which alone swings the difference by {charts.dollars(top['swing'])}.")
    flips = sens[(sens["diff_at_low"] * base < 0) | (sens["diff_at_high"] * base < 0)]
    if base and len(flips):
        text += " Each of these could flip the answer on its own: " + "; ".join(flips["short_label"]) + "."
    elif base:
        text += " No single input flips the answer on its own."
    cols = ["short_label", "low_text", "high_text", "base_text", "iv_at_low", "iv_at_high", "spravato_at_low", "spravato_at_high", "swing", "source", "as_of"]
    return wrap(
        lead(text),
        img_html(charts.tornado_chart(sens), "Tornado chart. " + text),
        details("The numbers behind this chart", table_html(
            sens[cols].rename(columns={"short_label": "input", "low_text": "low", "high_text": "high", "base_text": "this patient", "iv_at_low": "IV ketamine at low",
                                       "iv_at_high": "IV ketamine at high", "spravato_at_low": "Spravato at low", "spravato_at_high": "Spravato at high"}),
            f"Cost over {s.horizon_months} months with each input at the low and high end of its range",
            ("IV ketamine at low", "IV ketamine at high", "Spravato at low", "Spravato at high", "swing"))),
    )


def grid_html(s: Scenario, ds: Dataset, x: str, y: str) -> str:
    if x == y:
        return wrap("<div class='err' role='alert'>Choose two different inputs.</div>")
    g = twsa(s, x, y, ds, months=s.horizon_months)
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
        img_html(charts.heatmap_chart(g, LEVERS[x].label, LEVERS[y].label), "Grid chart. " + text),
        details("The numbers behind this chart", table_html(table.reset_index(), f"IV ketamine minus Spravato: who costs less, by how much, over {s.horizon_months} months")),
    )


def montecarlo_html(s: Scenario, ds: Dataset, n: int, seed: int, approval: str) -> str:
    mc = monte_carlo(s, ds, n=n, seed=seed, approval=approval)
    summ = mc.summary()
    p = mc.chance_spravato_cheaper()
    per100 = round(p * 100)
    text = f"In {per100} of 100 simulated outcomes, Spravato costs this patient less over {mc.months} months; IV ketamine costs less in {round((1 - p - mc.probability_by_month()['same'].iloc[-1]) * 100)} of 100."
    if approval != "draw":
        text += {"weighted": " (Approval is not drawn: each option's cost is weighted by its chance of approval.)",
                 "approved": " (Assuming the plan approves both.)", "denied": " (Assuming the plan says no to both.)"}[approval]
    word = "very likely" if p >= 0.9 else "likely" if p >= 0.7 else "about as likely as not" if p > 0.3 else "unlikely" if p > 0.1 else "very unlikely"
    text += f" That is, Spravato costing less is {word}."
    means = summ.set_index("option")["mean"]
    text += " On average over the simulations: " + "; ".join(f"{k} {charts.dollars(v)}" for k, v in means.items()) + "."
    cols = ["option", "mean", "p5", "median", "p95", "chance_costs_less", "chance_approved"]
    names = {"mean": "average", "p5": "5 in 100 below", "median": "middle", "p95": "95 in 100 below", "chance_costs_less": "chance it costs less", "chance_approved": "approved in"}
    by_month = mc.probability_by_month().rename(columns={"spravato_costs_less": "Spravato costs less", "iv_costs_less": "IV ketamine costs less", "same": "same cost"})
    notes = "".join(f"<li>{escape(x)}</li>" for x in mc.notes)
    return wrap(
        lead(text),
        img_html(charts.probability_chart(mc.probability_by_month(), mc.n), "Line chart. " + text),
        img_html(charts.distribution_chart(mc.totals(), summ, mc.seed), "Histograms of each option's simulated cost. " + "; ".join(
            f"{r['option']}: middle {charts.dollars(r['median'])}, 90 in 100 between {charts.dollars(r['p5'])} and {charts.dollars(r['p95'])}" for r in summ.to_dict("records"))),
        details("The numbers behind these charts", table_html(summ[cols].rename(columns=names), f"{mc.n:,} simulations, seed {mc.seed}", ("average", "5 in 100 below", "middle", "95 in 100 below"), ("chance it costs less", "approved in"))
                + table_html(by_month, "Chance each option has cost less by the end of each month", (), ("Spravato costs less", "IV ketamine costs less", "same cost"))),
        f"<ul class='small muted'>{notes}</ul>" if notes else "",
        "<p class='muted small'>Every input is drawn from its range and distribution in data/uncertainty.csv (see Inputs and sources); the same seed gives the same results.</p>",
    )


def cases_html(s: Scenario, ds: Dataset) -> str:
    c = cases(s, ds, months=s.horizon_months)
    parts = []
    for opt in dict.fromkeys(c["option"]):
        sub = c[c["option"] == opt].set_index("case")["cost"]
        parts.append(f"{opt}: expected {charts.dollars(sub['expected'])}, from {charts.dollars(sub['best'])} at best to {charts.dollars(sub['worst'])} at worst.")
    text = " ".join(parts)
    return wrap(
        lead(text),
        img_html(charts.cases_chart(c), "Range chart. " + text),
        details("The numbers behind this chart, and the inputs that make each case", table_html(c, "Best, expected and worst case", ("cost",))),
    )


def breakeven_html(s: Scenario, ds: Dataset) -> str:
    o = model(s, ds)
    f = breakeven_frame(o)
    text = describe_breakeven(o)
    return wrap(
        lead(text),
        img_html(charts.breakeven_chart(f, text), "Line chart of the running expected cost of both options. " + text),
        details("The numbers behind this chart", table_html(f, "Expected running total at the end of each month", ("iv_ketamine", "spravato", "iv_minus_spravato"))),
    )


def what_if_html(s: Scenario, ds: Dataset, lever: str, values: list[float]) -> str:
    t = one_way(s, lever, values, ds, months=s.horizon_months)
    parts = [f"{r['value_text']}: IV ketamine {charts.dollars(r['iv_ketamine'])}, Spravato {charts.dollars(r['spravato'])}" for r in t.to_dict("records")]
    text = f"{LEVERS[lever].label}, over {s.horizon_months} months (expected cost): " + "; ".join(parts) + "."
    return wrap(
        lead(text),
        img_html(charts.what_if_chart(t), "Bar chart. " + text),
        details("The numbers behind this chart", table_html(t[["value_text", "iv_ketamine", "spravato", "iv_minus_spravato", "cheaper"]], "Expected cost for each value", ("iv_ketamine", "spravato", "iv_minus_spravato"))),
    )


def inputs_html(s: Scenario, ds: Dataset) -> str:
    t = sources_view(parameter_table(s, ds))
    return wrap(
        lead("Every uncertain input, this patient's value, its range, how the simulation draws it, and where the figure comes from."),
        table_html(t, "Uncertain inputs (data/uncertainty.csv and the rows it points to)"),
        "<p class='muted small'>A clinic quote or plan figure typed for the patient becomes the input's base value. Ranges come from data/; to change one, edit that row and run python -m toolkit check-data.</p>",
    )


# --------------------------------------------------------------------------- the panel


def _number(text: str, what: str) -> Decimal | None:
    t = text.strip().replace("$", "").replace(",", "")
    if not t:
        return None
    try:
        v = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"{what}: '{text}' is not a number") from None
    if not v.is_finite() or v < 0:
        raise ValueError(f"{what}: enter an amount of 0 or more")
    return v


def _values(text: str, what: str) -> list[float]:
    out = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            v = _number(part, what)
            out.append(float(v))
    if not out:
        raise ValueError(f"{what}: enter one or more values separated by commas")
    if len(out) > 8:
        raise ValueError(f"{what}: at most 8 values")
    return out


class ScenariosPanel:
    """The scenario explorer: shared inputs on top, one tab per question."""

    def __init__(self, ds: Dataset | None = None, example: str = DEFAULT_EXAMPLE):
        self.ds = ds or dataset()
        self.example = W.Dropdown(description="Example situation", options=example_titles(), value=example, style=STYLE, layout=W.Layout(width="640px"))
        self.months = W.Dropdown(description="Months to compare", options=[3, 6, 12, 18, 24, 36], value=12, style=STYLE)
        self.iv_price = W.Text(description="IV price per infusion ($)", placeholder="empty = published range", continuous_update=False, style=STYLE, layout=WIDE)
        self.interval = W.Dropdown(description="Weeks between IV boosters", options=INTERVALS, value=5, style=STYLE, layout=W.Layout(width="420px"))
        self.maintenance = W.Dropdown(description="Spravato from week 9", options=[("every 2 weeks", "every_2_weeks"), ("weekly", "weekly")], style=STYLE, layout=W.Layout(width="420px"))
        self.grid_x = W.Dropdown(description="Across", options=GRID_CHOICES, value="iv_price", style=STYLE)
        self.grid_y = W.Dropdown(description="Down", options=GRID_CHOICES, value="iv_maintenance_interval_weeks", style=STYLE)
        self.what_if = W.Dropdown(description="What if this input is…", options=WHAT_IF_CHOICES, value="iv_maintenance_interval_weeks", style=STYLE, layout=WIDE)
        self.what_if_values = W.Text(description="…one of these values", value="3, 6", continuous_update=False, style=STYLE, layout=WIDE)
        self.draws = W.Dropdown(description="Simulated outcomes", options=[("1,000", 1000), ("10,000", 10_000)], value=10_000, style=STYLE)
        self.seed = W.IntText(description="Seed (same seed, same result)", value=DEFAULT_SEED, continuous_update=False, style=STYLE)
        self.approval = W.Dropdown(description="The plan's answer", options=[("drawn from the chance of approval", "draw"), ("assume it approves both", "approved"),
                                                                          ("assume it says no to both", "denied"), ("weighted by the chance (no draw)", "weighted")], style=STYLE, layout=WIDE)
        self.status = W.HTML()
        self.outputs = {key: W.Output() for key, _ in SECTIONS}
        self.html: dict[str, str] = {}
        self.stale = {key: True for key, _ in SECTIONS}
        self.last_error: str | None = None
        self.input_error: str | None = None  # a problem with the shared inputs (stays until fixed)
        self.scenario: Scenario | None = None
        extra = {
            "grid": [W.HBox([self.grid_x, self.grid_y])],
            "what_if": [self.what_if, self.what_if_values],
            "montecarlo": [W.HBox([self.draws, self.seed]), self.approval],
        }
        self.tabs = W.Tab(children=[W.VBox([*extra.get(key, []), self.outputs[key]]) for key, _ in SECTIONS])
        for i, (_key, title) in enumerate(SECTIONS):
            self.tabs.set_title(i, title)
        self._loading = False
        self._load_example()
        self.example.observe(self._on_example, names="value")
        for wdg in (self.months, self.iv_price, self.interval, self.maintenance):
            wdg.observe(self._on_shared, names="value")
        for wdg, key in ((self.grid_x, "grid"), (self.grid_y, "grid"), (self.what_if, "what_if"), (self.what_if_values, "what_if"),
                         (self.draws, "montecarlo"), (self.seed, "montecarlo"), (self.approval, "montecarlo")):
            wdg.observe(lambda _c, k=key: self._refresh(k), names="value")
        self.what_if.observe(self._on_what_if_input, names="value")
        self.tabs.observe(lambda _c: self._show_current(), names="selected_index")
        self.widget = W.VBox([
            W.HTML(report.notices_html()),
            W.HTML("<div class='kt mathjax_ignore tex2jax_ignore'><b>The patient's situation</b> (start from the example closest to the patient; the dashboard in 01 sets every detail)</div>"),
            self.example, W.HBox([self.months]), self.iv_price, W.HBox([self.interval, self.maintenance]),
            self.status, self.tabs,
        ])
        self._rebuild()

    # ---------------------------------------------------------------- reading inputs
    def _load_example(self) -> None:
        s = load_example(self.example.value)
        self._loading = True
        try:
            self.months.value = s.horizon_months if s.horizon_months in self.months.options else 12
            self.iv_price.value = "" if s.prices.iv_infusion is None else f"{s.prices.iv_infusion}"
            if s.schedule.iv_maintenance_interval_weeks not in [v for _, v in self.interval.options]:
                self.interval.options = sorted([*INTERVALS, (f"every {s.schedule.iv_maintenance_interval_weeks} weeks", s.schedule.iv_maintenance_interval_weeks)], key=lambda x: x[1])
            self.interval.value = s.schedule.iv_maintenance_interval_weeks
            self.maintenance.value = s.schedule.spravato_maintenance
        finally:
            self._loading = False

    def build_scenario(self) -> Scenario:
        """The example with the shared inputs applied; raises ValueError / ScenarioError with a plain message."""
        base = load_example(self.example.value)
        data = base.model_dump()
        data["horizon_months"] = self.months.value
        data["prices"]["iv_infusion"] = _number(self.iv_price.value, "IV price per infusion")
        data["schedule"]["iv_maintenance_interval_weeks"] = self.interval.value
        data["schedule"]["spravato_maintenance"] = self.maintenance.value
        return validate_scenario(data)

    # ---------------------------------------------------------------- events
    def _on_example(self, _change: object = None) -> None:
        self._load_example()
        self._rebuild()

    def _on_shared(self, _change: object = None) -> None:
        if not self._loading:
            self._rebuild()

    def _on_what_if_input(self, _change: object = None) -> None:
        defaults = {"iv_maintenance_interval_weeks": "3, 6", "iv_price": "400, 600, 900", "spravato_maintenance_per_week": "0.5, 1",
                    "spravato_cash_session": "900, 1050, 1600", "spravato_approval": "0.5, 0.8, 0.95", "iv_approval": "0, 0.15, 0.5",
                    "deductible_remaining": "0, 1500, 3000", "coinsurance_pct": "10, 20, 40"}
        self.what_if_values.value = defaults.get(self.what_if.value, self.what_if_values.value)

    def _rebuild(self) -> None:
        try:
            self.scenario = self.build_scenario()
        except (ValueError, ScenarioError) as exc:
            self.input_error = str(exc)
            self._message(self.input_error)
            return
        self.input_error = None
        self._message(None)
        self.stale = {key: True for key in self.stale}
        self._show_current()

    def _refresh(self, key: str) -> None:
        self.stale[key] = True
        if self.current == key:
            self._show_current()

    @property
    def current(self) -> str:
        return SECTIONS[self.tabs.selected_index or 0][0]

    def select(self, key: str) -> None:
        """Open a tab (as a click on it would)."""
        self.tabs.selected_index = [k for k, _ in SECTIONS].index(key)
        self._show_current()

    def _show_current(self) -> None:
        key = self.current
        if self.scenario is None or not self.stale.get(key, True):
            return
        self.render(key)

    def render(self, key: str) -> None:
        out = self.outputs[key]
        try:
            html = self._section(key)
        except (ValueError, ScenarioError, KeyError) as exc:
            self._message(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a message, never a traceback
            self._message(f"Something unexpected went wrong ({type(exc).__name__}: {exc}). The results shown are from the last valid entries.")
            return
        self.html[key] = html
        self.stale[key] = False
        self._message(self.input_error)
        with out:
            out.clear_output(wait=True)
            display(HTML(html))

    def _section(self, key: str) -> str:
        s, ds = self.scenario, self.ds
        renderers: dict[str, Callable[[], str]] = {
            "denied": lambda: denied_html(s, ds),
            "tornado": lambda: tornado_html(s, ds),
            "grid": lambda: grid_html(s, ds, self.grid_x.value, self.grid_y.value),
            "montecarlo": lambda: montecarlo_html(s, ds, self.draws.value, int(self.seed.value), self.approval.value),
            "cases": lambda: cases_html(s, ds),
            "breakeven": lambda: breakeven_html(s, ds),
            "what_if": lambda: what_if_html(s, ds, self.what_if.value, _values(self.what_if_values.value, "Values")),
            "inputs": lambda: inputs_html(s, ds),
        }
        return renderers[key]()

    def _message(self, text: str | None) -> None:
        self.last_error = text
        if text is None:
            self.status.value = ""
        else:
            self.status.value = (
                "<div class='kt mathjax_ignore tex2jax_ignore' role='alert' style='border-left:4px solid #a50026;background:#fbeaea;padding:6px 10px'>"
                f"<b>Please check:</b> {escape(text)} The results below are from the last valid entries.</div>"
            )


def scenarios_panel(ds: Dataset | None = None, example: str = DEFAULT_EXAMPLE) -> W.VBox:
    """The scenario explorer for the notebook: starts from the same example as the dashboard."""
    return ScenariosPanel(ds, example).widget
