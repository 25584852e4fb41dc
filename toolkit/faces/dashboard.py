"""The advisor dashboard: a thin widget shell around the engine.

Why this shape (ipywidgets' own guidance): widgets only collect values and show results.
The form (:mod:`toolkit.faces.form`) turns widget values into a validated scenario, the
engine computes, and the fragments (:mod:`toolkit.faces.fragments`) render. Bad input never
reaches the engine: the message appears next to the field, and the last good result stays
on screen.

Updates: text fields fire on Enter or leaving the field (``continuous_update=False``), the
chart is an ``<img>`` whose bytes are swapped in place, and HTML outputs are replaced whole,
so nothing flickers. The claim-line explanation is only rendered while it is open.

Language: the English / Español switch at the top (``lang``) words every label, heading,
fragment, the chart and the handout and calendar files through the catalogue
(:mod:`toolkit.i18n`); the figures do not change.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any

import ipywidgets as W

from ..data import Dataset, dataset
from ..engine.compare import Comparison, compare
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..i18n import LANGS, LANGUAGE_NAMES, N_, gettext_for
from ..scenario import Scenario, ScenarioError
from . import fragments as report
from .charts import paths_svg
from .eob_panel import EOBPanel
from .form import FIELD_WIDTH, LABEL_WIDTH, Field, Form
from .takeaway import TakeawayPanel
from .widgets import guarded, message
from .words import say

CHART_TITLE = N_("What you would pay over time")
CHART_NOTE = N_(
    "(running total; solid line = IV ketamine, dashed line = Spravato; bold = each option's most likely path, labelled at its end "
    "with its figure and chance; dotted = the other paths; the bar at the end is the likely path's price range; the strip below "
    "marks when the deductible is met and the cap reached on the likely path, and the dotted line where the plan year resets)")
HEADINGS = (N_("What is most likely to happen, and what you would pay"), N_("Will the plan pay? Why, and what would help"),
            N_("What the schedule asks"), N_("After the first claims"))
ACCORDIONS = (N_("Chart numbers as a table"), N_("Explanation of estimate: the claim lines behind every total"))


def chart_caption(lang: str = "en") -> str:
    _ = gettext_for(lang)
    return f"<div class='kt mathjax_ignore tex2jax_ignore'><b>{escape(_(CHART_TITLE))}</b> <span class='muted'>{escape(_(CHART_NOTE))}</span></div>"


CHART_CAPTION = chart_caption()


def _heading(text: str, top: int = 8) -> W.HTML:
    return W.HTML(f"<h2 style='margin:{top}px 0 4px 0'>{text}</h2>")


class Dashboard:
    """Build with ``Dashboard()``; show ``dashboard.widget``."""

    def __init__(self, scenario: Scenario | None = None, ds: Dataset | None = None):
        self.ds = ds or dataset()
        self._loading = False
        self.comparison: Comparison | None = None
        self.last_error: ScenarioError | None = None
        self.timings: dict[str, float] = {}
        self.lang = "en"
        self.status = W.HTML()
        guard = guarded(lambda html: setattr(self.status, "value", html), "The results below are from the last valid entries.")
        self._changed = guard(self._changed)
        self.refresh = guard(self._refresh)
        self.example_picker = W.Dropdown(description="Start from an example", options=example_titles(), value=DEFAULT_EXAMPLE,
                                         style={"description_width": LABEL_WIDTH}, layout=W.Layout(width=FIELD_WIDTH))
        self.example_picker.observe(guard(self._example_changed), names="value")
        self.form = Form(self.ds, self._changed, self.example_picker)
        self.fields: dict[str, Field] = self.form.fields
        self.steps = self.form.widget
        self.cards = W.HTML()
        self.ask_first = W.HTML()  # plan rules nobody has asked about yet (the accumulator question)
        self.paths = W.HTML()
        self.table = W.HTML()
        self.plan_years = W.HTML()  # totals per plan year when the comparison crosses a reset
        # an <img> in HTML rather than an Image widget: it carries alt text for screen readers
        self.chart = W.HTML(layout=W.Layout(width="100%", max_width="860px"))
        self.chart_svg = ""
        self.chart_numbers = W.HTML()
        self.chart_acc = W.Accordion(children=[self.chart_numbers], selected_index=None)
        self.chart_acc.set_title(0, ACCORDIONS[0])
        self.schedule_view = W.HTML()
        self.explain = W.HTML()
        self.explain_acc = W.Accordion(children=[self.explain], selected_index=None)
        self.explain_acc.set_title(0, ACCORDIONS[1])
        for acc in (self.chart_acc, self.explain_acc):
            acc.observe(guard(self._accordion_opened), names="selected_index")
        # how to pay, save/open, handout, calendar: handed the last good comparison, the form and load
        self.takeaway = TakeawayPanel(lambda: self.comparison, self.read, self.load)
        # after the first claims: an EOB re-fits the forecast (handed the last good comparison; loads a re-fit only when asked)
        self.eob = EOBPanel(lambda: self.comparison, self.ds, self.load)
        self.headings = [_heading(HEADINGS[0], 4), _heading(HEADINGS[1]), _heading(HEADINGS[2]), _heading(HEADINGS[3])]
        self.chart_caption = W.HTML(CHART_CAPTION)
        results = W.VBox(
            [self.status, self.ask_first, self.headings[0], self.paths,
             self.chart_caption, self.chart, self.chart_acc, self.plan_years, self.table, self.headings[1], self.cards,
             self.headings[2], self.schedule_view,
             self.explain_acc, self.headings[3], self.eob.widget, self.takeaway.widget],
            layout=W.Layout(flex="1 1 auto", min_width="560px", margin="0 0 0 16px"),
        )
        self.header = W.HTML(report.CSS + report.notices_html())
        # one switch for the language the patient reads: every label, result and file follows it
        self.language = W.ToggleButtons(options=[(LANGUAGE_NAMES[k], k) for k in LANGS], value="en", description="Language / Idioma",
                                        style={"description_width": "130px", "button_width": "90px"})
        self.language.observe(guard(lambda change: self.set_lang(change["new"])), names="value")
        self.widget = W.VBox([self.header, self.language, W.HBox([self.steps, results], layout=W.Layout(align_items="flex-start"))])
        self.load(scenario or load_example(DEFAULT_EXAMPLE))

    def set_lang(self, lang: str) -> None:
        """Word everything in ``lang`` ("en" or "es") and show the results again; the entries stay as they are."""
        _ = gettext_for(lang)
        self.lang = lang
        if self.language.value != lang:
            self.language.value = lang  # observed: comes back here once, with nothing left to change
            return
        self._loading = True
        try:
            self.form.relabel(lang)
            value = self.example_picker.value
            self.example_picker.options = [(say(title, lang), key) for title, key in example_titles()]
            self.example_picker.value = value
            self.example_picker.description = _("Start from an example")
        finally:
            self._loading = False
        self.header.value = report.CSS + report.notices_html(lang=lang)
        for h, msgid, top in zip(self.headings, HEADINGS, (4, 8, 8, 8)):
            h.value = f"<h2 style='margin:{top}px 0 4px 0'>{escape(_(msgid))}</h2>"
        self.chart_caption.value = chart_caption(lang)
        self.chart_acc.set_title(0, _(ACCORDIONS[0]))
        self.explain_acc.set_title(0, _(ACCORDIONS[1]))
        self.takeaway.set_lang(lang)
        self.eob.set_lang(lang)
        self.refresh()

    # ---------------------------------------------------------------- data in and out
    def load(self, scenario: Scenario) -> None:
        """Fill every field from a scenario and recompute once."""
        self._loading = True
        try:
            self.form.load(scenario)
        finally:
            self._loading = False
        self.refresh()

    def read(self) -> Scenario:
        """Widget values -> validated Scenario, or ScenarioError naming each bad field."""
        return self.form.read()

    def set(self, path: str, value: Any) -> None:
        """Set one field as a person would (used by tests and the notebooks)."""
        self.fields[path].widget.value = value

    def message(self, path: str) -> str:
        return self.fields[path].message.value

    # ---------------------------------------------------------------- events
    def _changed(self, change: dict) -> None:
        if not self._loading:
            self.refresh()

    def _example_changed(self, change: dict) -> None:
        if self._loading:  # the picker relabelled for a language, not a new example
            return
        try:
            scenario = load_example(change["new"])
        except ScenarioError as exc:
            self.status.value = message(f"Could not load the example: {exc}")
            return
        if self.lang != "en" and scenario.title:  # an example opened in Spanish is titled in Spanish
            scenario = scenario.model_copy(update={"title": say(scenario.title, self.lang)})
        self.load(scenario)

    def _accordion_opened(self, change: dict) -> None:
        if change["new"] is not None and self.comparison is not None:
            self._render_lazy(self.comparison)

    # ---------------------------------------------------------------- compute and show
    def _refresh(self) -> bool:
        """Validate, compute and render. Returns False (and keeps the last result) on bad input."""
        t0 = time.perf_counter()
        self.form.clear_messages()
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
        lang = self.lang
        self.cards.value = report.coverage_cards(comp, lang)
        self.ask_first.value = report.ask_first_html(comp, lang)
        self.paths.value = report.paths_table(comp, lang)
        self.table.value = report.cost_table(comp, lang)
        self.plan_years.value = report.plan_years_html(comp, lang)
        self.schedule_view.value = report.schedule_view(comp, lang=lang)
        t3 = time.perf_counter()
        self.chart_svg = paths_svg(comp, lang=lang)  # lines are labelled at their ends
        self.chart.value = report.chart_img_html(comp, self.chart_svg, lang)
        t4 = time.perf_counter()
        self._render_lazy(comp)
        self.takeaway.refresh()
        t5 = time.perf_counter()
        self.timings = {"read": t1 - t0, "engine": t2 - t1, "html": t3 - t2 + t5 - t4, "chart": t4 - t3, "total": t5 - t0}
        return True

    def _render_lazy(self, comp: Comparison) -> None:
        if self.chart_acc.selected_index is not None:
            self.chart_numbers.value = report.chart_numbers_html(comp, self.lang)
        if self.explain_acc.selected_index is not None:
            self.explain.value = report.explanation_html(comp, self.lang)

    def _show_problems(self, exc: ScenarioError) -> None:
        self.last_error = exc
        labels, unplaced = self.form.show_problems(exc)
        _ = gettext_for(self.lang)
        check = _("Please check: {fields}.").format(fields=", ".join(labels))
        body = f"<b>{escape(check)}</b> " + escape(_("The results below are from the last valid entries."))
        self.status.value = message(body + "".join(f"<br>{escape(u)}" for u in unplaced), markup=True)


def app() -> W.Widget:
    """The dashboard widget for a notebook cell: ``from toolkit.faces.dashboard import app; app()``."""
    return Dashboard().widget
