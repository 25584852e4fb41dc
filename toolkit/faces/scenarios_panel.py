"""The widgets of 05_scenarios: one patient's situation, and every scenario analysis of it.

Same rules as the dashboard: widgets only collect values; the analyses compute; one function
per section (:mod:`toolkit.faces.scenarios_html`) is handed the result and turns it into HTML
(a chart as an <img> with alt text, a sentence answering the question, the numbers as a
table), shown in an
``Output`` with ``clear_output(wait=True)`` so nothing flickers. A bad entry shows a message,
never a traceback, and the last good results stay on screen. Text and number boxes update on
Enter or leaving the box (no ``continuous_update``). Only the open tab is computed; the others
catch up when opened.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

import ipywidgets as W
from IPython.display import HTML, display

from ..analysis.approval import approval_vs_denial
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
from ..scenario import Scenario, ScenarioError, read_money, validate_scenario
from . import fragments as report
from . import scenarios_html as sections
from .widgets import STYLE, guarded, message

WIDE = W.Layout(width="560px")
INTERVALS = [("no boosters", 0), ("every 2 weeks", 2), ("every 3 weeks", 3), ("every 4 weeks", 4), ("every 5 weeks", 5), ("every 6 weeks", 6),
             ("every 8 weeks", 8), ("every 10 weeks", 10), ("every 12 weeks", 12)]
GRID_CHOICES = [(LEVERS[k].label, k) for k in ("iv_price", "iv_maintenance_interval_weeks", "spravato_device", "spravato_cash_session", "oon_allowed_share",
                                              "spravato_approval", "iv_approval", "deductible_remaining", "coinsurance_pct", "oop_max")]
WHAT_IF_CHOICES = [(LEVERS[k].label, k) for k in ("iv_maintenance_interval_weeks", "iv_price", "spravato_maintenance_per_week", "spravato_cash_session",
                                                  "spravato_approval", "iv_approval", "deductible_remaining", "coinsurance_pct")]
KEPT = "The results below are from the last valid entries."
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


# --------------------------------------------------------------------------- the panel


def _amount(text: str, what: str) -> Decimal | None:
    """A typed amount, read the one way (:func:`~toolkit.scenario.read_money`); empty is None."""
    if not text.strip():
        return None
    try:
        v = read_money(text)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None
    if v < 0:
        raise ValueError(f"{what}: enter an amount of 0 or more")
    return v


def _values(text: str, what: str) -> list[float]:
    out = [float(_amount(part, what)) for part in text.replace(";", ",").split(",") if part.strip()]
    if not out:
        raise ValueError(f"{what}: enter one or more values separated by commas")
    if len(out) > 8:
        raise ValueError(f"{what}: at most 8 values")
    return out


class ScenariosPanel:
    """The scenario explorer: shared inputs on top, one tab per question.

    Every control, output and message is a named attribute (``example``, ``months``,
    ``iv_price``, ``interval``, ``maintenance``, ``grid_x``, ``grid_y``, ``what_if``,
    ``what_if_values``, ``draws``, ``seed``, ``approval``, ``notices``, ``status``, ``tabs``,
    ``outputs[key]``), so scripts and tests never count children.
    """

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
        self.notices = W.HTML(report.notices_html())
        self.status = W.HTML()
        self.outputs = {key: W.Output() for key, _ in SECTIONS}
        self.html: dict[str, str] = {}
        self.stale = {key: True for key, _ in SECTIONS}
        self.last_error: str | None = None  # the problem on screen, None when there is none
        self.input_error: str | None = None  # a problem with the shared inputs (stays until fixed)
        self.scenario: Scenario | None = None
        self.computed: dict[str, object] = {}  # what several tabs show, computed once per scenario
        # an error nobody foresaw becomes a message; the last good results stay on screen
        for name in ("render", "_rebuild", "_on_example"):
            setattr(self, name, guarded(self._unexpected, KEPT)(getattr(self, name)))
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
            self.notices,
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
        data["prices"]["iv_infusion"] = _amount(self.iv_price.value, "IV price per infusion")
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
            scenario = self.build_scenario()
        except (ValueError, ScenarioError) as exc:
            self.input_error = str(exc)
            self._message(self.input_error)
            return
        self.scenario, self.computed = scenario, {}
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
        self.html[key] = html
        self.stale[key] = False
        self._message(self.input_error)
        with out:
            out.clear_output(wait=True)
            display(HTML(html))

    def _shared(self, name: str):
        """The model outcome, the parameter table and the one-way table: several tabs show them, each is computed once."""
        if name not in self.computed:
            s, ds = self.scenario, self.ds
            make = {"outcome": lambda: model(s, ds), "table": lambda: parameter_table(s, ds),
                    "sens": lambda: owsa(s, ds, table=self._shared("table"), months=s.horizon_months)}
            self.computed[name] = make[name]()
        return self.computed[name]

    def _section(self, key: str) -> str:
        s, ds, m, shared = self.scenario, self.ds, self.scenario.horizon_months, self._shared
        x, y = self.grid_x.value, self.grid_y.value
        renderers: dict[str, Callable[[], str]] = {
            "denied": lambda: sections.denied_html(approval_vs_denial(s, ds, months=m, outcome=shared("outcome"))),
            "tornado": lambda: sections.tornado_html(shared("sens"), m),
            "grid": lambda: sections.grid_html(twsa(s, x, y, ds, months=m, table=shared("table")), x, y, m) if x != y else sections.wrap(message("Choose two different inputs for Across and Down.")),
            "montecarlo": lambda: sections.montecarlo_html(monte_carlo(s, ds, n=self.draws.value, seed=int(self.seed.value), approval=self.approval.value), self.approval.value),
            "cases": lambda: sections.cases_html(cases(s, ds, months=m, table=shared("table"), sens=shared("sens"))),
            "breakeven": lambda: sections.breakeven_html(breakeven_frame(shared("outcome")), describe_breakeven(shared("outcome"))),
            "what_if": lambda: sections.what_if_html(one_way(s, self.what_if.value, _values(self.what_if_values.value, "Values"), ds, months=m), self.what_if.value, m),
            "inputs": lambda: sections.inputs_html(sources_view(shared("table"))),
        }
        return renderers[key]()

    def _message(self, text: str | None) -> None:
        self.last_error = text
        self.status.value = "" if text is None else message(f"Please check: {text.rstrip('.')}. {KEPT}")

    def _unexpected(self, html: str) -> None:
        self.last_error = html
        self.status.value = html


def scenarios_panel(ds: Dataset | None = None, example: str = DEFAULT_EXAMPLE) -> W.VBox:
    """The scenario explorer for the notebook: starts from the same example as the dashboard."""
    return ScenariosPanel(ds, example).widget
