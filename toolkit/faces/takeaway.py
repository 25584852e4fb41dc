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

from html import escape
from pathlib import Path
from typing import Callable

import ipywidgets as W

from ..engine.compare import Comparison
from ..i18n import N_, gettext_for
from ..scenario import Scenario, ScenarioError
from . import fragments as report
from .widgets import STYLE, Labels, download_link, img_html, message, safe, small_note
from .words import say

WIDE = W.Layout(width="470px")
GetComparison = Callable[[], Comparison | None]
NO_COMPARISON = N_("No comparison yet: fill in the form first.")
WHICH_COST = {
    "likely": N_("The more likely outcome for each option"),
    "expected": N_("Expected (weighted by the chance of approval)"),
    "approved": N_("If the plan approves"),
    "denied": N_("If the plan says no (self-pay)"),
}


def _text(value: str, label: str, placeholder: str = "", words: Labels | None = None) -> W.Text:
    w = W.Text(value=value, placeholder=placeholder, description=label, style=STYLE, layout=WIDE, continuous_update=False)
    if words is not None:
        words.text(w, "description", label)
        if placeholder:
            words.text(w, "placeholder", placeholder)
    return w


def _note(words: Labels, msgid: str) -> W.HTML:
    """A small grey note whose words follow the language switch."""
    return words.text(W.HTML(), "value", msgid, small_note)


class FinancingSection:
    """How the patient could pay: the terms (defaults from data/financing.csv), a table per option and the cash-out chart."""

    def __init__(self, get_comparison: GetComparison, stale_note: Callable[[], str] = lambda: ""):
        from ..paying.routes import COSTS_TO_PAY
        from ..paying.terms import FinancingTerms

        self.get, self.stale_note = get_comparison, stale_note
        self.lang = "en"
        self.words = words = Labels()
        d = FinancingTerms.defaults()
        self.outcome = W.Dropdown(description="Which cost to pay", options=[(WHICH_COST[k], k) for k in COSTS_TO_PAY], value="likely", style=STYLE, layout=W.Layout(width="600px"))
        words.text(self.outcome, "description", N_("Which cost to pay"))
        words.choices(self.outcome, [(WHICH_COST[k], k) for k in COSTS_TO_PAY])
        self.outcome.value = "likely"
        hsa_coverage = W.Dropdown(options=[("Self-only", "self_only"), ("Family", "family")], value="self_only", description="HSA coverage", style=STYLE, layout=WIDE)
        words.text(hsa_coverage, "description", N_("HSA coverage"))
        words.choices(hsa_coverage, [(N_("Self-only"), "self_only"), (N_("Family"), "family")])
        hsa_coverage.value = "self_only"
        self.terms: dict[str, W.ValueWidget] = {
            "inhouse_months": _text(str(d.inhouse_months), N_("Clinic plan: monthly payments"), words=words),
            "card_promo_months": _text(str(d.card_promo_months), N_("Credit card: promotional months"), words=words),
            "card_apr_pct": _text(f"{d.card_apr_pct:g}", N_("Credit card: standard APR (%)"), words=words),
            "card_min_payment": _text(f"{d.card_min_payment:g}", N_("Credit card: minimum payment ($)"), words=words),
            "loan_apr_pct": _text(f"{d.loan_apr_pct:g}", N_("Loan: APR (%)"), words=words),
            "loan_months": _text(str(d.loan_months), N_("Loan: monthly payments"), words=words),
            "hsa_coverage": hsa_coverage,
            "hsa_age_55": words.text(W.Checkbox(value=False, indent=False), "description", N_("HSA holder is 55 or over (+$1,000)")),
            "fsa_election": _text("", N_("FSA amount for the plan year ($)"), N_("empty = the first plan year's cost, up to the limit"), words=words),
            "fsa_carryover": words.text(W.Checkbox(value=True, indent=False), "description", N_("Employer's FSA allows a carryover")),
        }
        self.button = W.Button(description="Work out the ways to pay", button_style="primary", icon="calculator", layout=W.Layout(width="230px"))
        words.text(self.button, "description", N_("Work out the ways to pay"))
        self.message, self.table = W.HTML(), W.HTML()
        self.chart = W.HTML(layout=W.Layout(width="100%", max_width="900px"))  # <img> with alt text, for screen readers
        update = safe(self.message, self.update)
        self.button.on_click(update)
        for w in [self.outcome, *self.terms.values()]:
            w.observe(update, names="value")
        terms_box = W.Accordion(children=[W.VBox(list(self.terms.values()))], selected_index=None)
        words.title(terms_box, 0, N_("Financing terms (defaults from data/financing.csv; type the real offer)"))
        self.widget = W.VBox([
            _note(words, N_("Each route pays the same claim lines (the Spravato savings program is already in them). "
                            "Cash out per month = payments - reimbursements - tax saved.")),
            self.outcome, terms_box, self.button, self.message, self.table,
            words.text(W.HTML(), "value", N_("Cash out per month, each way to pay"),
                       lambda t: f"<div class='kt mathjax_ignore tex2jax_ignore'><b>{escape(t)}</b></div>"), self.chart,
        ])

    def update(self, _change: object = None) -> None:
        from ..paying.routes import plan_financing
        from ..paying.terms import FinancingError, FinancingTerms
        from .money_view import cash_out_png, financing_html

        if self.words.busy:  # the language switch re-words a dropdown: not a new choice
            return
        _ = gettext_for(self.lang)
        comp = self.get()
        if comp is None:
            self.message.value = message(_(NO_COMPARISON))
            return
        try:
            terms = FinancingTerms.from_values({k: w.value for k, w in self.terms.items()})
        except FinancingError as exc:
            widget = self.terms.get(exc.field)
            where = widget.description if widget is not None else exc.field
            self.message.value = message(_("Please check {problem}").format(problem=f"{where}: {say(str(exc).partition(': ')[2], self.lang)}"))
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
            self.message.value = small_note(gettext_for(getattr(self, "lang", "en"))("The figures changed: make the file again."))


class HandoutSection(_FileSection):
    """Buttons that make the handout (HTML or PDF) and offer it as a download link."""

    def __init__(self, get_comparison: GetComparison, stale_note: Callable[[], str] = lambda: ""):
        self.get, self.stale_note = get_comparison, stale_note
        self.lang = "en"
        self.words = words = Labels()
        self.html_button = words.text(W.Button(icon="file-text", layout=W.Layout(width="180px")), "description", N_("Handout (HTML)"))
        self.pdf_button = words.text(W.Button(icon="file-pdf-o", button_style="primary", layout=W.Layout(width="180px")), "description", N_("Handout (PDF)"))
        self.message, self.link = W.HTML(), W.HTML()
        self.html_button.on_click(safe(self.message, lambda _b: self.make("html")))
        self.pdf_button.on_click(safe(self.message, lambda _b: self.make("pdf")))
        self.widget = W.VBox([_note(words, N_("One or two printed pages for the patient and family. No names or identifiers are on it.")),
                              W.HBox([self.pdf_button, self.html_button]), self.message, self.link])

    def make(self, kind: str) -> None:
        from .handout import HandoutError, handout_pdf, render_html

        _ = gettext_for(self.lang)
        comp = self.get()
        if comp is None:
            self.message.value = message(_(NO_COMPARISON))
            return
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
        self.words = words = Labels()
        self.option = words.text(W.Dropdown(style=STYLE, layout=WIDE), "description", N_("Sessions of"))
        words.choices(self.option, [(N_("Spravato (esketamine)"), "spravato"), (N_("IV ketamine"), "iv_ketamine")])
        self.when = _text("09:00", N_("Session start time (HH:MM)"), words=words)
        self.button = words.text(W.Button(icon="calendar", layout=W.Layout(width="230px")), "description", N_("Make the calendar file"))
        self.message, self.link = W.HTML(), W.HTML()
        self.button.on_click(safe(self.message, self.make))
        self.widget = W.VBox([self.option, self.when, self.button, self.message, self.link])

    def make(self, _b: object = None) -> None:
        from .calendar_file import CalendarError, ics_filename, parse_time, sessions_ics

        comp = self.get()
        if comp is None:
            self.message.value = message(gettext_for(self.lang)(NO_COMPARISON))
            return
        try:
            start = parse_time(self.when.value)
        except CalendarError as exc:
            self.message.value = message(say(str(exc), self.lang))
            self.link.value = ""
            return
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
        self.lang = "en"
        self.words = words = Labels()
        self.folder = _text(DEFAULT_FOLDER, N_("Folder for saved scenarios"), words=words)
        self.name = _text("", N_("File name"), N_("e.g. ppo-trd-option-b (describe the situation, no names)"), words=words)
        self.save_button = words.text(W.Button(icon="save", button_style="primary", layout=W.Layout(width="180px")), "description", N_("Save scenario"))
        self.save_message = W.HTML()
        self.files = words.text(W.Dropdown(options=[], style=STYLE, layout=WIDE), "description", N_("Saved scenarios"))
        self.refresh_button = words.text(W.Button(icon="refresh", layout=W.Layout(width="140px")), "description", N_("Refresh list"))
        self.open_button = words.text(W.Button(icon="folder-open", layout=W.Layout(width="140px")), "description", N_("Open"))
        self.open_message = W.HTML()
        self._confirm: Path | None = None
        self.save_button.on_click(safe(self.save_message, self.save))
        self.refresh_button.on_click(safe(self.open_message, self.list_files))
        self.open_button.on_click(safe(self.open_message, self.open))
        self.folder.observe(safe(self.open_message, self.list_files), names="value")
        self.name.observe(lambda _c: setattr(self, "_confirm", None), names="value")
        self.save_widget = W.VBox([_note(words, N_("Saves every field of the form (no identifiers) as a JSON file on this machine. "
                                                   "The save is atomic: an interrupted save never damages an earlier file.")),
                                   self.folder, self.name, self.save_button, self.save_message])
        self.open_widget = W.VBox([_note(words, N_("Opening replaces the form's entries with the saved ones. A damaged or newer file is refused and nothing changes.")),
                                   self.files, W.HBox([self.open_button, self.refresh_button]), self.open_message])
        self.list_files()

    def save(self, _b: object = None) -> None:
        from ..storage import StorageError, safe_filename, save_scenario

        _ = gettext_for(self.lang)
        try:
            scenario = self.read_form()
        except ScenarioError as exc:
            self.save_message.value = message(_("Not saved: please fix the fields marked in the form first ({fields}).").format(
                fields=", ".join(f for f, _m in exc.problems)))
            return
        try:
            path = Path(self.folder.value.strip() or ".") / safe_filename(self.name.value)
        except StorageError as exc:
            self.save_message.value = message(str(exc))
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            self.save_message.value = message(_("A saved scenario called {name} already exists. Click Save again to replace it, or change the name.").format(name=path.name))
            return
        try:
            save_scenario(scenario, path)
        except StorageError as exc:
            self.save_message.value = message(str(exc))
            return
        self._confirm = None
        self.save_message.value = message(_("Saved: {path}").format(path=path), "ok")
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
        empty = gettext_for(self.lang)("No saved scenarios in {folder} yet.")
        if not files:
            self.open_message.value = small_note(empty.format(folder=self.folder.value))
        elif empty.split("{")[0] in self.open_message.value:
            self.open_message.value = ""

    def open(self, _b: object = None) -> None:
        from ..storage import load_saved

        _ = gettext_for(self.lang)
        if not self.files.value:
            self.open_message.value = message(_("Choose a saved scenario first (or click Refresh list)."))
            return
        try:
            scenario = load_saved(self.files.value)
        except ScenarioError as exc:
            self.open_message.value = message(_("Not opened, nothing changed: {problem}").format(problem=exc))
            return
        self.load(scenario)
        self.open_message.value = message(_("Opened {name}: {title}.").format(name=Path(self.files.value).name, title=scenario.title or _("scenario")), "ok")


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
        for section in (self.financing, self.saving, self.handout, self.calendar):
            section.lang = lang
            section.words.relabel(lang)
        for i, title in enumerate(self._titles):
            self.accordion.set_title(i, _(title))
        title = _("Take it home")
        self.heading.value = f"<h2 style='margin:8px 0 4px 0'>{escape(title)}</h2>"
        if self.financing.table.value:  # the table on screen follows the language
            safe(self.financing.message, self.financing.update)()

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
