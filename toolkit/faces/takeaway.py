"""Taking it home: paying, saving, the handout and the calendar, as widget sections.

:class:`TakeawayPanel` is the dashboard's "take it home" area. It is handed three things and
nothing else: a function returning the last good comparison, one reading the form as a
scenario (or raising :class:`~toolkit.scenario.ScenarioError`), and one loading a scenario
into the form. Each section is a small class whose controls and outputs are named
attributes, with a ``refresh()`` the panel calls after every new comparison, so nothing it
shows goes stale. The same sections serve the topic notebooks (:mod:`toolkit.faces.explorers`).

Same rules as the dashboard: widgets collect values, the engine computes, one function
renders; every message appears inline and no callback ever shows a traceback. Files for
the patient are offered as download links (data URIs), so they work in JupyterLab and
Voila alike and nothing leaves the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import ipywidgets as W

from ..engine.compare import Comparison
from ..i18n import N_, gettext_for
from ..scenario import Scenario, ScenarioError
from . import fragments as report
from .widgets import STYLE, download_link, img_html, message, safe, small_note

WIDE = W.Layout(width="470px")
GetComparison = Callable[[], Comparison | None]
NO_COMPARISON = "No comparison yet: fill in the form first."
WHICH_COST = {
    "likely": "The more likely outcome for each option",
    "expected": "Expected (weighted by the chance of approval)",
    "approved": "If the plan approves",
    "denied": "If the plan says no (self-pay)",
}


def _text(value: str, label: str, placeholder: str = "") -> W.Text:
    return W.Text(value=value, placeholder=placeholder, description=label, style=STYLE, layout=WIDE, continuous_update=False)


class FinancingSection:
    """How the patient could pay: the terms (defaults from data/financing.csv), a table per option and the cash-out chart."""

    def __init__(self, get_comparison: GetComparison, stale_note: Callable[[], str] = lambda: ""):
        from ..paying.routes import COSTS_TO_PAY
        from ..paying.terms import FinancingTerms

        self.get, self.stale_note = get_comparison, stale_note
        self.lang = "en"
        d = FinancingTerms.defaults()
        self.outcome = W.Dropdown(description="Which cost to pay", options=[(WHICH_COST[k], k) for k in COSTS_TO_PAY], value="likely", style=STYLE, layout=W.Layout(width="600px"))
        self.terms: dict[str, W.ValueWidget] = {
            "inhouse_months": _text(str(d.inhouse_months), "Clinic plan: monthly payments"),
            "card_promo_months": _text(str(d.card_promo_months), "Credit card: promotional months"),
            "card_apr_pct": _text(f"{d.card_apr_pct:g}", "Credit card: standard APR (%)"),
            "card_min_payment": _text(f"{d.card_min_payment:g}", "Credit card: minimum payment ($)"),
            "loan_apr_pct": _text(f"{d.loan_apr_pct:g}", "Loan: APR (%)"),
            "loan_months": _text(str(d.loan_months), "Loan: monthly payments"),
            "hsa_coverage": W.Dropdown(options=[("Self-only", "self_only"), ("Family", "family")], value="self_only", description="HSA coverage", style=STYLE, layout=WIDE),
            "hsa_age_55": W.Checkbox(value=False, description="HSA holder is 55 or over (+$1,000)", indent=False),
            "fsa_election": _text("", "FSA amount for the plan year ($)", "empty = the first plan year's cost, up to the limit"),
            "fsa_carryover": W.Checkbox(value=True, description="Employer's FSA allows a carryover", indent=False),
        }
        self.button = W.Button(description="Work out the ways to pay", button_style="primary", icon="calculator", layout=W.Layout(width="230px"))
        self.message, self.table = W.HTML(), W.HTML()
        self.chart = W.HTML(layout=W.Layout(width="100%", max_width="900px"))  # <img> with alt text, for screen readers
        update = safe(self.message, self.update)
        self.button.on_click(update)
        for w in [self.outcome, *self.terms.values()]:
            w.observe(update, names="value")
        terms_box = W.Accordion(children=[W.VBox(list(self.terms.values()))], selected_index=None)
        terms_box.set_title(0, "Financing terms (defaults from data/financing.csv; type the real offer)")
        self.widget = W.VBox([
            W.HTML(small_note("Each route pays the same claim lines (the Spravato savings program is already in them). "
                              "Cash out per month = payments - reimbursements - tax saved.")),
            self.outcome, terms_box, self.button, self.message, self.table,
            W.HTML("<div class='kt mathjax_ignore tex2jax_ignore'><b>Cash out per month, each way to pay</b></div>"), self.chart,
        ])

    def update(self, _change: object = None) -> None:
        from ..paying.routes import plan_financing
        from ..paying.terms import FinancingError, FinancingTerms
        from .money_view import cash_out_png, financing_html

        comp = self.get()
        if comp is None:
            self.message.value = message(NO_COMPARISON)
            return
        try:
            terms = FinancingTerms.from_values({k: w.value for k, w in self.terms.items()})
        except FinancingError as exc:
            self.message.value = message(f"Please check {exc}")
            return
        plan = plan_financing(comp, terms, self.outcome.value)
        note = self.stale_note()
        self.message.value = small_note(gettext_for(self.lang)(note)) if note else ""
        _ = gettext_for(self.lang)
        self.table.value = report.CSS + financing_html(plan, self.lang)
        self.chart.value = img_html(cash_out_png(plan, self.lang), _("Chart of cash out per month for each way to pay; the same figures are in the table above."), 900)

    def refresh(self) -> None:
        """A new comparison: redo the figures if they were on screen, so they never go stale."""
        if self.table.value:
            safe(self.message, self.update)()


class _FileSection:
    """A section that makes a file from the comparison and offers it as a link; a new comparison withdraws the link."""

    message: W.HTML
    link: W.HTML

    def refresh(self) -> None:
        if self.link.value:
            self.link.value = ""
            self.message.value = small_note("The figures changed: make the file again.")


class HandoutSection(_FileSection):
    """Buttons that make the handout (HTML or PDF) and offer it as a download link."""

    def __init__(self, get_comparison: GetComparison, stale_note: Callable[[], str] = lambda: ""):
        self.get, self.stale_note = get_comparison, stale_note
        self.lang = "en"
        self.html_button = W.Button(description="Handout (HTML)", icon="file-text", layout=W.Layout(width="180px"))
        self.pdf_button = W.Button(description="Handout (PDF)", icon="file-pdf-o", button_style="primary", layout=W.Layout(width="180px"))
        self.message, self.link = W.HTML(), W.HTML()
        self.html_button.on_click(safe(self.message, lambda _b: self.make("html")))
        self.pdf_button.on_click(safe(self.message, lambda _b: self.make("pdf")))
        self.widget = W.VBox([W.HTML(small_note("One or two printed pages for the patient and family. No names or identifiers are on it.")),
                              W.HBox([self.pdf_button, self.html_button]), self.message, self.link])

    def make(self, kind: str) -> None:
        from .handout import HandoutError, handout_pdf, render_html

        comp = self.get()
        if comp is None:
            self.message.value = message(NO_COMPARISON)
            return
        _ = gettext_for(self.lang)
        lang = self.lang
        stem = f"handout-{comp.scenario.start_date.isoformat()}" + ("" if lang == "en" else f"-{lang}")
        if kind == "pdf":
            try:
                data = handout_pdf(comp, lang=lang)
            except HandoutError as exc:
                self.message.value = message(str(exc))
                self.link.value = download_link(render_html(comp, lang=lang), stem + ".html", "text/html", _("Download the handout (HTML) instead"))
                return
            self.link.value = download_link(data, stem + ".pdf", "application/pdf", _("Download the handout (PDF)"))
        else:
            self.link.value = download_link(render_html(comp, lang=lang), stem + ".html", "text/html", _("Download the handout (HTML)"))
        note = self.stale_note()
        self.message.value = message(_("Handout ready: both options, coverage and reasons, costs over time, the schedule, next steps, sources, "
                                       "the disclaimer and the 988 Lifeline.") + (f" {_(note)}" if note else ""), "ok")


class CalendarSection(_FileSection):
    """The planned sessions of one option as an .ics file with reminders."""

    def __init__(self, get_comparison: GetComparison):
        self.get = get_comparison
        self.lang = "en"
        self.option = W.Dropdown(description="Sessions of", options=[("Spravato (esketamine)", "spravato"), ("IV ketamine", "iv_ketamine")], style=STYLE, layout=WIDE)
        self.when = _text("09:00", "Session start time (HH:MM)")
        self.button = W.Button(description="Make the calendar file", icon="calendar", layout=W.Layout(width="230px"))
        self.message, self.link = W.HTML(), W.HTML()
        self.button.on_click(safe(self.message, self.make))
        self.widget = W.VBox([self.option, self.when, self.button, self.message, self.link])

    def make(self, _b: object = None) -> None:
        from .calendar_file import CalendarError, ics_filename, parse_time, sessions_ics

        comp = self.get()
        if comp is None:
            self.message.value = message(NO_COMPARISON)
            return
        try:
            start = parse_time(self.when.value)
        except CalendarError as exc:
            self.message.value = message(str(exc))
            self.link.value = ""
            return
        from .words import say

        _ = gettext_for(self.lang)
        key = self.option.value
        opt = comp.options[key]
        self.link.value = download_link(sessions_ics(comp, key, start, lang=self.lang), ics_filename(comp, key), "text/calendar",
                                        _("Download the calendar file (.ics)"))
        self.message.value = message(
            _("{n} sessions of {label}, each with a reminder the day before to arrange a ride home").format(n=opt.schedule.sessions, label=say(opt.label, self.lang))
            + (_("; for Spravato also no food 2 hours and no liquids 30 minutes before.") if key == "spravato" else ".")
            + " " + _("Import it into any calendar app; confirm each date with the clinic."), "ok")


class SaveOpenSection:
    """Save the form as a scenario file, and open a saved one into the form."""

    def __init__(self, read_form: Callable[[], Scenario], load: Callable[[Scenario], None]):
        from ..storage import DEFAULT_FOLDER

        self.read_form, self.load = read_form, load
        self.folder = _text(DEFAULT_FOLDER, "Folder for saved scenarios")
        self.name = W.Text(value="", placeholder="e.g. ppo-trd-option-b (describe the situation, no names)", description="File name", style=STYLE, layout=WIDE)
        self.save_button = W.Button(description="Save scenario", icon="save", button_style="primary", layout=W.Layout(width="180px"))
        self.save_message = W.HTML()
        self.files = W.Dropdown(description="Saved scenarios", options=[], style=STYLE, layout=WIDE)
        self.refresh_button = W.Button(description="Refresh list", icon="refresh", layout=W.Layout(width="140px"))
        self.open_button = W.Button(description="Open", icon="folder-open", layout=W.Layout(width="140px"))
        self.open_message = W.HTML()
        self._confirm: Path | None = None
        self.save_button.on_click(safe(self.save_message, self.save))
        self.refresh_button.on_click(safe(self.open_message, self.list_files))
        self.open_button.on_click(safe(self.open_message, self.open))
        self.folder.observe(safe(self.open_message, self.list_files), names="value")
        self.name.observe(lambda _c: setattr(self, "_confirm", None), names="value")
        self.save_widget = W.VBox([W.HTML(small_note("Saves every field of the form (no identifiers) as a JSON file on this machine. "
                                                     "The save is atomic: an interrupted save never damages an earlier file.")),
                                   self.folder, self.name, self.save_button, self.save_message])
        self.open_widget = W.VBox([W.HTML(small_note("Opening replaces the form's entries with the saved ones. A damaged or newer file is refused and nothing changes.")),
                                   self.files, W.HBox([self.open_button, self.refresh_button]), self.open_message])
        self.list_files()

    def save(self, _b: object = None) -> None:
        from ..storage import StorageError, safe_filename, save_scenario

        try:
            scenario = self.read_form()
        except ScenarioError as exc:
            self.save_message.value = message(f"Not saved: please fix the fields marked in the form first ({', '.join(f for f, _ in exc.problems)}).")
            return
        try:
            path = Path(self.folder.value.strip() or ".") / safe_filename(self.name.value)
        except StorageError as exc:
            self.save_message.value = message(str(exc))
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            self.save_message.value = message(f"A saved scenario called {path.name} already exists. Click Save again to replace it, or change the name.")
            return
        try:
            save_scenario(scenario, path)
        except StorageError as exc:
            self.save_message.value = message(str(exc))
            return
        self._confirm = None
        self.save_message.value = message(f"Saved: {path}", "ok")
        self.list_files()
        if str(path) in [v for _, v in self.files.options]:
            self.files.value = str(path)

    def list_files(self, _b: object = None) -> None:
        from ..storage import StorageError, list_saved

        try:
            files = list_saved(self.folder.value.strip() or ".")
        except StorageError as exc:
            self.open_message.value = message(str(exc))
            return
        self.files.options = [(f.name, str(f)) for f in files]
        if not files:
            self.open_message.value = small_note(f"No saved scenarios in {self.folder.value} yet.")
        elif "No saved scenarios" in self.open_message.value:
            self.open_message.value = ""

    def open(self, _b: object = None) -> None:
        from ..storage import load_saved

        if not self.files.value:
            self.open_message.value = message("Choose a saved scenario first (or click Refresh list).")
            return
        try:
            scenario = load_saved(self.files.value)
        except ScenarioError as exc:
            self.open_message.value = message(f"Not opened, nothing changed: {exc}")
            return
        self.load(scenario)
        self.open_message.value = message(f"Opened {Path(self.files.value).name}: {scenario.title or 'scenario'}.", "ok")


class TakeawayPanel:
    """The dashboard's "take it home" area: paying, saving and opening, the handout and the calendar."""

    def __init__(self, get_comparison: GetComparison, read_form: Callable[[], Scenario], load: Callable[[Scenario], None]):
        self.read_form = read_form
        self.financing = FinancingSection(get_comparison, self.stale_note)
        self.saving = SaveOpenSection(read_form, load)
        self.handout = HandoutSection(get_comparison, self.stale_note)
        self.calendar = CalendarSection(get_comparison)
        sections = [
            (N_("How the patient could pay"), self.financing.widget),
            (N_("Save scenario"), self.saving.save_widget),
            (N_("Open saved scenario"), self.saving.open_widget),
            (N_("Handout for the patient (HTML or PDF)"), self.handout.widget),
            (N_("Calendar file (.ics)"), self.calendar.widget),
        ]
        self._titles = [title for title, _w in sections]
        self.accordion = W.Accordion(children=[w for _t, w in sections], selected_index=None)
        for i, title in enumerate(self._titles):
            self.accordion.set_title(i, title)
        self.heading = W.HTML("<h2 style='margin:8px 0 4px 0'>Take it home</h2>")
        self.widget = W.VBox([self.heading, self.accordion])
        self.lang = "en"

    def set_lang(self, lang: str) -> None:
        """The files (handout, calendar) and the ways-to-pay table in ``lang``; headings and buttons too."""
        _ = gettext_for(lang)
        self.lang = lang
        for section in (self.financing, self.handout, self.calendar):
            section.lang = lang
        for i, title in enumerate(self._titles):
            self.accordion.set_title(i, _(title))
        title = _("Take it home")
        self.heading.value = f"<h2 style='margin:8px 0 4px 0'>{title}</h2>"
        self.handout.pdf_button.description = _("Handout (PDF)")
        self.handout.html_button.description = _("Handout (HTML)")
        self.calendar.button.description = _("Make the calendar file")
        self.financing.button.description = _("Work out the ways to pay")

    def stale_note(self) -> str:
        """Said beside figures made while the form has a problem: they use the last valid entries."""
        try:
            self.read_form()
        except ScenarioError:
            return N_("The form has a problem: these figures use the last valid entries.")
        return ""

    def refresh(self) -> None:
        """A new comparison: every section brings its figures up to date or withdraws its file."""
        for section in (self.financing, self.handout, self.calendar):
            section.refresh()
