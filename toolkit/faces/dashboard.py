"""The advisor dashboard: a thin widget shell around the engine.

Why this shape (ipywidgets' own guidance): widgets only collect values and show results.
One function turns widget values into plain data, the pydantic scenario validates it, the
engine computes, and one function renders. Bad input never reaches the engine: the message
appears next to the field, and the last good result stays on screen.

Updates: text fields fire on Enter or leaving the field (``continuous_update=False``), the
chart is an ``Image`` widget whose bytes are swapped in place, and HTML outputs are replaced
whole, so nothing flickers. The claim-line explanation is only rendered while it is open.
"""

from __future__ import annotations

import time
from html import escape
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import ipywidgets as W

from . import fragments as report
from .charts import cumulative_png
from ..engine.compare import CASES, Comparison, compare
from ..data import Dataset, dataset
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..money import fmt_round
from ..scenario import INDICATION_LABELS, PAYER_LABELS, Scenario, ScenarioError, set_path, validate_scenario

LABEL_WIDTH = "270px"
FIELD_WIDTH = "470px"
MONTHS = [(date(2000, m, 1).strftime("%B"), m) for m in range(1, 13)]


@dataclass
class Field:
    """One form field: where it lives in the scenario, its widget and its message line."""

    path: str
    widget: W.ValueWidget
    kind: str  # money, money_opt, percent, percent_opt, int, bool, choice, date, text
    message: W.HTML
    box: W.Box

    def read(self) -> Any:
        v = self.widget.value
        if self.kind in ("money", "money_opt", "percent", "percent_opt"):
            text = str(v).strip().replace("$", "").replace(",", "").replace("%", "")
            if text == "":
                if self.kind.endswith("_opt"):
                    return None
                raise ValueError("enter a number (0 if none)")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValueError(f"'{v}' is not a number") from None
            if not number.is_finite():
                raise ValueError(f"'{v}' is not a number")
            return number
        if self.kind == "int_opt":
            text = str(v).strip()
            if text == "":
                return None
            if not text.lstrip("-").isdigit():
                raise ValueError(f"'{v}' is not a whole number")
            return int(text)
        if self.kind == "date":
            if v is None:
                raise ValueError("enter a valid date (for example 2027-01-04)")
            return v
        if self.kind == "text":
            return str(v).strip().upper() if self.path.endswith("state") else str(v)
        return v

    def write(self, value: Any) -> None:
        if self.kind in ("money", "money_opt", "percent", "percent_opt"):
            self.widget.value = "" if value is None else _plain_number(value)
        elif self.kind == "int_opt":
            self.widget.value = "" if value is None else str(value)
        else:
            self.widget.value = value


def _safe(method):
    """Widget callbacks never show a traceback: an unexpected error becomes a message."""

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - last line of defence in a UI callback
            self.status.value = (
                "<div class='kt mathjax_ignore tex2jax_ignore' role='alert' style='border-left:4px solid #a50026;background:#fbeaea;padding:6px 10px'>"
                f"<b>Something unexpected went wrong ({escape(type(exc).__name__)}: {escape(str(exc))}).</b> "
                "The results below are from the last valid entries. Please report this.</div>"
            )
            return False

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _plain_number(value: Any) -> str:
    d = Decimal(str(value))
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _get_path(obj: Any, path: str) -> Any:
    for k in path.split("."):
        obj = getattr(obj, k) if obj is not None else None
    return obj


class Dashboard:
    """Build with ``Dashboard()``; show ``dashboard.widget``."""

    def __init__(self, scenario: Scenario | None = None, ds: Dataset | None = None):
        self.ds = ds or dataset()
        self.fields: dict[str, Field] = {}
        self._loading = False
        self._hidden: dict = {}
        self._hidden_plan: dict = {}
        self._hidden_schedule: dict = {}
        self.comparison: Comparison | None = None
        self.last_error: ScenarioError | None = None
        self.timings: dict[str, float] = {}
        self._build()
        self.load(scenario or load_example(DEFAULT_EXAMPLE))

    # ---------------------------------------------------------------- widgets
    def _field(self, path: str, kind: str, label: str, *, options: list | None = None, placeholder: str = "", tooltip: str = "") -> W.Box:
        style = {"description_width": LABEL_WIDTH}
        layout = W.Layout(width=FIELD_WIDTH)
        if kind in ("money", "money_opt", "percent", "percent_opt", "text", "int_opt"):
            w: W.ValueWidget = W.Text(description=label, placeholder=placeholder, continuous_update=False, style=style, layout=layout)
        elif kind == "int":
            w = W.IntText(description=label, continuous_update=False, style=style, layout=layout)
        elif kind == "bool":
            w = W.Checkbox(description=label, indent=False, layout=W.Layout(width=FIELD_WIDTH))
        elif kind == "choice":
            w = W.Dropdown(description=label, options=options or [], style=style, layout=layout)
        elif kind == "date":
            w = W.DatePicker(description=label, style=style, layout=layout)
        else:  # pragma: no cover
            raise ValueError(kind)
        if tooltip:
            w.tooltip = tooltip
        msg = W.HTML(value="", layout=W.Layout(margin="0 0 0 8px"))
        box = W.VBox([w, msg], layout=W.Layout(margin="0 0 2px 0"))
        self.fields[path] = Field(path, w, kind, msg, box)
        w.observe(self._changed, names="value")
        return box

    def _price_field(self, path: str, key: str, label: str, unit: str = "$") -> W.Box:
        v = self.ds.value(key)
        if unit == "%":
            hint = f"published {v.low * 100:g}-{v.high * 100:g}%, typical {v.typical * 100:g}%"
            kind = "percent_opt"
        else:
            hint = f"published ${v.low:,.0f}-${v.high:,.0f}, typical ${v.typical:,.0f}"
            kind = "money_opt"
        return self._field(path, kind, label, placeholder=hint, tooltip=f"Empty = published range ({v.source.cite()})")

    def _build(self) -> None:
        f = self._field
        titles = example_titles()
        self.example_picker = W.Dropdown(
            description="Start from an example", options=titles, value=DEFAULT_EXAMPLE,
            style={"description_width": LABEL_WIDTH}, layout=W.Layout(width=FIELD_WIDTH),
        )
        self.example_picker.observe(self._example_changed, names="value")
        situation = W.VBox([
            W.HTML("<b>Step 1. The patient's situation.</b> No names or identifiers."),
            self.example_picker,
            f("title", "text", "Situation (description, no names)"),
            f("indication", "choice", "What is being treated", options=[(v, k) for k, v in INDICATION_LABELS.items()]),
            f("history.adult", "bool", "Patient is 18 or older"),
            f("history.antidepressant_trials", "int", "Antidepressants tried (6+ weeks each)"),
            f("history.different_classes", "bool", "Trials were from two or more drug classes"),
            f("history.augmentation_tried", "bool", "An augmentation medicine was tried"),
            f("history.on_oral_antidepressant", "bool", "Currently taking an oral antidepressant"),
            f("history.psychiatrist_involved", "bool", "A psychiatrist prescribes or consults"),
            f("history.baseline_scale", "choice", "Baseline depression scale", options=["PHQ-9", "MADRS", "HAM-D", "QIDS-SR", "none"]),
            f("history.baseline_score", "int_opt", "Baseline score", placeholder="empty = not measured"),
            f("history.contraindication", "bool", "Spravato contraindication (aneurysm, AVM, brain bleed)"),
        ])
        insurance = W.VBox([
            W.HTML("<b>Step 2. Insurance.</b> Figures from the plan's summary of benefits; leave out member IDs."),
            f("plan.payer_type", "choice", "Type of coverage", options=[(v, k) for k, v in PAYER_LABELS.items()]),
            f("plan.plan_year_start_month", "choice", "Plan year starts in", options=MONTHS),
            W.HTML("<i>In network</i>"),
            f("plan.in_network.deductible", "money", "Deductible ($)"),
            f("plan.in_network.deductible_met", "money", "Deductible met so far ($)"),
            f("plan.in_network.coinsurance_pct", "percent", "Coinsurance (%)"),
            f("plan.in_network.copay", "money", "Copay per visit ($, 0 if none)"),
            f("plan.in_network.oop_max", "money_opt", "Out-of-pocket maximum ($)", placeholder="empty = no cap"),
            f("plan.in_network.oop_met", "money", "Out-of-pocket met so far ($)"),
            f("has_oon", "bool", "Plan has out-of-network benefits"),
            f("plan.out_of_network.deductible", "money", "Out-of-network deductible ($)"),
            f("plan.out_of_network.coinsurance_pct", "percent", "Out-of-network coinsurance (%)"),
            f("plan.out_of_network.oop_max", "money_opt", "Out-of-network out-of-pocket max ($)", placeholder="empty = no cap"),
            self._price_field("plan.oon_allowed_pct", "oon.allowed_share", "Out-of-network allowed (% of charge)", "%"),
            W.HTML("<i>How each option is billed</i>"),
            f("plan.spravato_drug_benefit", "choice", "Spravato drug paid under", options=[("Medical benefit", "medical"), ("Pharmacy benefit", "pharmacy")]),
            f("plan.pharmacy_coinsurance_pct", "percent", "Specialty pharmacy coinsurance (%)"),
            f("plan.spravato_clinic_in_network", "bool", "The Spravato clinic is in network"),
            f("plan.iv_claim_route", "choice", "IV ketamine is paid", options=[("Self-pay, no claim", "self_pay"), ("Self-pay, then superbill out of network", "superbill"), ("Billed in network (plan policy covers it)", "in_network")]),
            f("plan.medicare_supplement", "bool", "Has Medigap paying the Part B 20%"),
            f("plan.manufacturer_savings", "bool", "Use the Spravato savings program if eligible"),
            f("plan.accumulator_adjustment", "bool", "Plan has an accumulator program"),
            f("plan.state", "text", "State (2 letters, program rules only)", placeholder="e.g. MN"),
        ])
        prices = W.VBox([
            W.HTML("<b>Step 3. Clinic prices.</b> Leave a field empty to use the published range; type the clinic's quote to replace it."),
            self._price_field("prices.iv_infusion", f"iv.infusion.depression", "IV infusion, per infusion ($)"),
            self._price_field("prices.iv_booster", "iv.booster.depression", "IV booster, per infusion ($)"),
            self._price_field("prices.iv_consultation", "iv.consultation", "IV consultation ($)"),
            self._price_field("prices.iv_package_discount_pct", "iv.package_discount", "Package discount, first series (%)", "%"),
            self._price_field("prices.spravato_device", "spravato.device_28mg", "Spravato, per 28 mg device ($)"),
            self._price_field("prices.spravato_observation", "spravato.observation_visit", "Spravato observation visit ($)"),
            self._price_field("prices.spravato_cash_session", "spravato.cash_per_session", "Spravato self-pay, per session ($)"),
        ])
        schedule = W.VBox([
            W.HTML("<b>Step 4. Schedule.</b>"),
            f("start_date", "date", "First session"),
            f("horizon_months", "choice", "Months to compare", options=[3, 6, 12, 18, 24, 36]),
            f("schedule.iv_protocol", "choice", "IV protocol", options=[("Depression (40-minute infusion)", "depression"), ("Pain (longer infusion)", "pain")]),
            f("schedule.iv_induction_infusions", "int", "IV infusions in the first series"),
            f("schedule.iv_induction_per_week", "int", "IV infusions per week (first series)"),
            f("schedule.iv_maintenance_interval_weeks", "int", "Weeks between IV boosters (0 = none)"),
            f("schedule.spravato_dose_mg", "choice", "Spravato dose after day 1", options=[("28 mg", 28), ("56 mg", 56), ("84 mg", 84)]),
            f("schedule.spravato_maintenance", "choice", "Spravato from week 9", options=[("Every 2 weeks", "every_2_weeks"), ("Weekly", "weekly")]),
        ])
        self.steps = W.Tab(children=[situation, insurance, prices, schedule])
        for i, t in enumerate(["1 Situation", "2 Insurance", "3 Clinic prices", "4 Schedule"]):
            self.steps.set_title(i, t)
        self.steps.layout = W.Layout(width="510px", flex="0 0 510px")
        self.fields["has_oon"].widget.observe(self._toggle_oon, names="value")

        self.status = W.HTML()
        self.cards = W.HTML()
        self.table = W.HTML()
        # an <img> in HTML rather than an Image widget: it carries alt text for screen readers
        self.chart = W.HTML(layout=W.Layout(width="100%", max_width="860px"))
        self.chart_png = b""
        self.chart_numbers = W.HTML()
        self.chart_acc = W.Accordion(children=[self.chart_numbers], selected_index=None)
        self.chart_acc.set_title(0, "Chart numbers as a table")
        self.schedule_view = W.HTML()
        self.explain = W.HTML()
        self.explain_acc = W.Accordion(children=[self.explain], selected_index=None)
        self.explain_acc.set_title(0, "Explanation of estimate: the claim lines behind every total")
        for acc in (self.chart_acc, self.explain_acc):
            acc.observe(self._accordion_opened, names="selected_index")
        from .takeaway import takeaway_panel

        self.takeaway = takeaway_panel(self)  # how to pay, save/open, handout, calendar
        results = W.VBox(
            [
                self.status,
                W.HTML("<h2 style='margin:4px 0'>Will the plan pay?</h2>"),
                self.cards,
                W.HTML("<h2 style='margin:8px 0 4px 0'>What would the patient pay?</h2>"),
                self.table,
                W.HTML("<div class='kt mathjax_ignore tex2jax_ignore'><b>What the patient pays over time</b> <span class='muted'>(running total; "
                       "solid line = IV ketamine, dashed line = Spravato, each labelled at its end with the expected total; "
                       "shaded = best to worst; markers along the bottom show when the deductible would be met and the out-of-pocket "
                       "cap reached if the plan approves; the dotted line is where the plan year resets)</span></div>"),
                self.chart,
                self.chart_acc,
                W.HTML("<h2 style='margin:8px 0 4px 0'>What the schedule asks</h2>"),
                self.schedule_view,
                self.explain_acc,
                self.takeaway,
            ],
            layout=W.Layout(flex="1 1 auto", min_width="560px", margin="0 0 0 16px"),
        )
        header = W.HTML(
            report.CSS + report.notices_html()
        )
        self.widget = W.VBox([header, W.HBox([self.steps, results], layout=W.Layout(align_items="flex-start"))])

    # ---------------------------------------------------------------- data in and out
    def load(self, scenario: Scenario) -> None:
        """Fill every field from a scenario and recompute once."""
        self._loading = True
        # parts of a scenario the form does not show are carried through unchanged
        self._hidden = {
            "description": scenario.description,
            "iv_likelihood_pct": scenario.iv_likelihood_pct.model_dump() if scenario.iv_likelihood_pct else None,
            "spravato_likelihood_pct": scenario.spravato_likelihood_pct.model_dump() if scenario.spravato_likelihood_pct else None,
            "marginal_tax_rate_pct": scenario.marginal_tax_rate_pct,
        }
        self._hidden_plan = {
            "copay_before_deductible": scenario.plan.copay_before_deductible,
            "copays_count_toward_deductible": scenario.plan.copays_count_toward_deductible,
            "pharmacy_copay": scenario.plan.pharmacy_copay,
        }
        self._hidden_schedule = {
            k: [p.model_dump() for p in v] if v else None
            for k, v in (("iv_custom_phases", scenario.schedule.iv_custom_phases), ("spravato_custom_phases", scenario.schedule.spravato_custom_phases))
        }
        try:
            for path, fld in self.fields.items():
                if path == "has_oon":
                    fld.write(scenario.plan.out_of_network is not None)
                    continue
                if path.startswith("plan.out_of_network.") and scenario.plan.out_of_network is None:
                    fld.write(None if path.endswith("oop_max") else ("40" if path.endswith("coinsurance_pct") else "0"))
                    continue
                value = _get_path(scenario, path)
                if hasattr(value, "value") and not isinstance(value, (int, Decimal)):
                    value = value.value  # enums
                fld.write(value)
            self._toggle_oon()
        finally:
            self._loading = False
        self.refresh()

    def read(self) -> Scenario:
        """Widget values -> validated Scenario, or ScenarioError naming each bad field."""
        data: dict = {"schema_version": 1}
        problems: list[tuple[str, str]] = []
        has_oon = self.fields["has_oon"].widget.value
        for path, fld in self.fields.items():
            if path == "has_oon" or (path.startswith("plan.out_of_network.") and not has_oon):
                continue
            try:
                set_path(data, path, fld.read())
            except ValueError as exc:
                problems.append((path, str(exc)))
        if has_oon:
            oon = data["plan"].setdefault("out_of_network", {})
            oon.setdefault("copay", Decimal(0))
        else:
            data["plan"]["out_of_network"] = None
        data.update(self._hidden)
        data["plan"].update(self._hidden_plan)
        data.setdefault("schedule", {}).update(self._hidden_schedule)
        if problems:
            raise ScenarioError(problems)
        return validate_scenario(data)

    def set(self, path: str, value: Any) -> None:
        """Set one field as a person would (used by tests and the notebooks)."""
        self.fields[path].widget.value = value

    def message(self, path: str) -> str:
        return self.fields[path].message.value

    # ---------------------------------------------------------------- events
    @_safe
    def _changed(self, change: dict) -> None:
        if not self._loading:
            self.refresh()

    def _toggle_oon(self, change: dict | None = None) -> None:
        on = self.fields["has_oon"].widget.value
        for path, fld in self.fields.items():
            if path.startswith("plan.out_of_network."):
                fld.widget.disabled = not on

    @_safe
    def _example_changed(self, change: dict) -> None:
        try:
            scenario = load_example(change["new"])
        except ScenarioError as exc:
            self.status.value = f"<div class='kt mathjax_ignore tex2jax_ignore err' role='alert'>Could not load the example: {exc}</div>"
            return
        self.load(scenario)

    @_safe
    def _accordion_opened(self, change: dict) -> None:
        if change["new"] is not None and self.comparison is not None:
            self._render_lazy(self.comparison)

    # ---------------------------------------------------------------- compute and show
    @_safe
    def refresh(self) -> bool:
        """Validate, compute and render. Returns False (and keeps the last result) on bad input."""
        t0 = time.perf_counter()
        for fld in self.fields.values():
            fld.message.value = ""
        try:
            scenario = self.read()
        except ScenarioError as exc:
            self._show_problems(exc)
            return False
        t1 = time.perf_counter()
        comp = compare(scenario, self.ds)
        t2 = time.perf_counter()
        self.status.value = ""
        self.last_error = None
        self.comparison = comp
        self.cards.value = report.coverage_cards(comp)
        self.table.value = report.cost_table(comp)
        self.schedule_view.value = report.schedule_view(comp)
        t3 = time.perf_counter()
        self.chart_png = cumulative_png(comp, title=False, legend=False)  # lines are labelled at their ends
        self.chart.value = chart_img_html(comp, self.chart_png)
        t4 = time.perf_counter()
        self._render_lazy(comp)
        self.takeaway.on_new_comparison()
        t5 = time.perf_counter()
        self.timings = {"read": t1 - t0, "engine": t2 - t1, "html": t3 - t2 + t5 - t4, "chart": t4 - t3, "total": t5 - t0}
        return True

    def _render_lazy(self, comp: Comparison) -> None:
        if self.chart_acc.selected_index is not None:
            self.chart_numbers.value = chart_numbers_html(comp)
        if self.explain_acc.selected_index is not None:
            self.explain.value = report.explanation_html(comp)

    def _show_problems(self, exc: ScenarioError) -> None:
        self.last_error = exc
        unplaced = []
        for path, msg in exc.problems:
            fld = self._field_for(path)
            if fld is not None:
                fld.message.value = f"<span class='kt mathjax_ignore tex2jax_ignore err' role='alert' style='color:#a50026;font-weight:600'>⚠ {escape(msg)}</span>"
            else:
                unplaced.append(f"{path}: {msg}")
        names = ", ".join(self._label(p) for p, _ in exc.problems)
        extra = ("<br>" + "<br>".join(escape(u) for u in unplaced)) if unplaced else ""
        self.status.value = (
            "<div class='kt mathjax_ignore tex2jax_ignore' role='alert' style='border-left:4px solid #a50026;background:#fbeaea;padding:6px 10px'>"
            f"<b>Please check: {escape(names)}.</b> The results below are from the last valid entries.{extra}</div>"
        )

    def _field_for(self, path: str) -> Field | None:
        while path:
            if path in self.fields:
                return self.fields[path]
            path = path.rpartition(".")[0]
        return None

    def _label(self, path: str) -> str:
        fld = self._field_for(path)
        return fld.widget.description if fld is not None else path


def chart_numbers_html(comp: Comparison) -> str:
    """The chart's numbers: cumulative patient cost at each month's end, best / expected / worst."""
    from ..engine.schedule import add_months

    opts = list(comp.options.values())
    head = "".join(f"<th colspan='3' scope='colgroup'>{escape(o.label)}</th>" for o in opts)
    sub = "".join("<th scope='col'>best</th><th scope='col'>expected</th><th scope='col'>worst</th>" for _ in opts)
    series = {o.option: {c: o.cumulative(c) for c in CASES} for o in opts}
    rows = []
    for m in range(comp.scenario.horizon_months):
        end = add_months(comp.scenario.start_date, m + 1)
        cells = "".join(f"<td>{fmt_round(series[o.option][c][m])}</td>" for o in opts for c in ("best", "expected", "worst"))
        rows.append(f"<tr><th scope='row'>Month {m + 1} (to {end:%d %b %Y})</th>{cells}</tr>")
    return f"<div class='kt mathjax_ignore tex2jax_ignore'><table class='kt-t' aria-label='chart numbers'><tr><th></th>{head}</tr><tr><th></th>{sub}</tr>{''.join(rows)}</table></div>"


def chart_img_html(comp: Comparison, png: bytes) -> str:
    """The chart as an <img> whose alt text states what it shows, in numbers."""
    import base64

    parts = [f"{o.label}: expected {fmt_round(o.total('expected'))} after {comp.scenario.horizon_months} months (best {fmt_round(o.total('best'))}, worst {fmt_round(o.total('worst'))})" for o in comp.options.values()]
    alt = "Chart of the running total the patient pays. " + "; ".join(parts) + ". The same numbers are in the table below the chart."
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}" style="width:100%;max-width:840px">'


def app() -> W.Widget:
    """The dashboard widget for a notebook cell: ``from toolkit.dashboard import app; app()``."""
    return Dashboard().widget
