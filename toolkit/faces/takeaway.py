"""Taking it home: paying, saving, the handout and the calendar, as widget panels.

``takeaway_panel(dashboard)`` is the dashboard's "take it home" area. It uses only the
dashboard's public face: ``.comparison`` (the last good comparison), ``.read()`` (the form
as a scenario, or :class:`~toolkit.scenario.ScenarioError`) and ``.load(scenario)``.
The other functions are the same sections for the topic notebooks, driven by an example
picker (``financing_explorer``, ``quotes_explorer``, ``expense_tracker``,
``calendar_explorer``).

Same rules as the dashboard: widgets collect values, the engine computes, one function
renders; every message appears inline and no callback ever shows a traceback. Files for
the patient are offered as download links (data URIs), so they work in JupyterLab and
Voila alike and nothing leaves the machine.
"""

from __future__ import annotations

import base64
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W

from . import fragments as report
from ..engine.compare import Comparison, compare
from ..data import dataset
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..scenario import Scenario, ScenarioError

STYLE = {"description_width": "230px"}
WIDE = W.Layout(width="470px")


def _ok(text: str) -> str:
    return f"<div class='kt mathjax_ignore tex2jax_ignore' role='status' style='border-left:4px solid #1b7837;background:#eef7ee;padding:4px 8px'>{text}</div>"


def _bad(text: str) -> str:
    return f"<div class='kt mathjax_ignore tex2jax_ignore' role='alert' style='border-left:4px solid #a50026;background:#fbeaea;padding:4px 8px'><b>{text}</b></div>"


def _note(text: str) -> str:
    return f"<div class='kt mathjax_ignore tex2jax_ignore small muted'>{text}</div>"


def _safe(message: W.HTML, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A widget callback that turns any unexpected error into a message, never a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - last line of defence in a UI callback
            message.value = _bad(f"Something unexpected went wrong ({escape(type(exc).__name__)}: {escape(str(exc))}). Nothing was changed.")
            return None

    return wrapper


def download_link(data: bytes, filename: str, mime: str, text: str) -> str:
    """An HTML link that downloads ``data`` as ``filename`` (a data URI: no server, no network).

    >>> download_link(b"hi", "a.txt", "text/plain", "Download")
    '<a download="a.txt" href="data:text/plain;base64,aGk=" target="_blank">Download</a> <span class=\\'small muted\\'>(a.txt, 1 KB)</span>'
    """
    b64 = base64.b64encode(data).decode("ascii")
    kb = max(1, round(len(data) / 1024))
    return f'<a download="{escape(filename)}" href="data:{mime};base64,{b64}" target="_blank">{escape(text)}</a> <span class=\'small muted\'>({escape(filename)}, {kb} KB)</span>'


# ----------------------------------------------------------------------------- sections


def financing_section(get_comparison: Callable[[], Comparison | None], stale_note: Callable[[], str] = lambda: "") -> W.VBox:
    """How the patient could pay: the terms (defaults from data/financing.csv), a table per option and the cash-out chart."""
    from ..paying.routes import OUTCOMES, plan_financing
    from ..paying.terms import FinancingError, FinancingTerms
    from .money_view import cash_out_png, financing_html

    d = FinancingTerms.defaults()
    short = {"likely": "The more likely outcome for each option", "expected": "Expected (weighted by the chance of approval)", "approved": "If the plan approves", "denied": "If the plan says no (self-pay)"}
    outcome = W.Dropdown(description="Which cost to pay", options=[(short[k], k) for k in OUTCOMES], value="likely", style=STYLE, layout=W.Layout(width="600px"))
    fields: dict[str, W.ValueWidget] = {
        "inhouse_months": W.Text(value=str(d.inhouse_months), description="Clinic plan: monthly payments", style=STYLE, layout=WIDE, continuous_update=False),
        "card_promo_months": W.Text(value=str(d.card_promo_months), description="Credit card: promotional months", style=STYLE, layout=WIDE, continuous_update=False),
        "card_apr_pct": W.Text(value=f"{d.card_apr_pct:g}", description="Credit card: standard APR (%)", style=STYLE, layout=WIDE, continuous_update=False),
        "card_min_payment": W.Text(value=f"{d.card_min_payment:g}", description="Credit card: minimum payment ($)", style=STYLE, layout=WIDE, continuous_update=False),
        "loan_apr_pct": W.Text(value=f"{d.loan_apr_pct:g}", description="Loan: APR (%)", style=STYLE, layout=WIDE, continuous_update=False),
        "loan_months": W.Text(value=str(d.loan_months), description="Loan: monthly payments", style=STYLE, layout=WIDE, continuous_update=False),
        "hsa_coverage": W.Dropdown(options=[("Self-only", "self_only"), ("Family", "family")], value="self_only", description="HSA coverage", style=STYLE, layout=WIDE),
        "hsa_age_55": W.Checkbox(value=False, description="HSA holder is 55 or over (+$1,000)", indent=False),
        "fsa_election": W.Text(value="", placeholder="empty = the first plan year's cost, up to the limit", description="FSA amount for the plan year ($)", style=STYLE, layout=WIDE, continuous_update=False),
        "fsa_carryover": W.Checkbox(value=True, description="Employer's FSA allows a carryover", indent=False),
    }
    button = W.Button(description="Work out the ways to pay", button_style="primary", icon="calculator", layout=W.Layout(width="230px"))
    message = W.HTML()
    table = W.HTML()
    chart = W.HTML(layout=W.Layout(width="100%", max_width="900px"))  # <img> with alt text, for screen readers

    def update(_change: object = None) -> None:
        comp = get_comparison()
        if comp is None:
            message.value = _bad("No comparison yet: fill in the form first.")
            return
        try:
            terms = FinancingTerms.from_values({k: w.value for k, w in fields.items()})
        except FinancingError as exc:
            message.value = _bad(f"Please check {escape(str(exc))}")
            return
        plan = plan_financing(comp, terms, outcome.value)
        message.value = _note(stale_note())
        table.value = report.CSS + financing_html(plan)
        png = base64.b64encode(cash_out_png(plan)).decode("ascii")
        alt = "Chart of cash out per month for each way to pay; the same figures are in the table above."
        chart.value = f'<img src="data:image/png;base64,{png}" alt="{alt}" style="width:100%;max-width:900px">'

    safe = _safe(message, update)
    button.on_click(safe)
    for w in [outcome, *fields.values()]:
        w.observe(safe, names="value")
    terms_box = W.Accordion(children=[W.VBox(list(fields.values()))], selected_index=None)
    terms_box.set_title(0, "Financing terms (defaults from data/financing.csv; type the real offer)")
    box = W.VBox([
        W.HTML(_note("Each route pays the same claim lines (the Spravato savings program is already in them). "
                     "Cash out per month = payments - reimbursements - tax saved.")),
        outcome, terms_box, button, message, table,
        W.HTML("<div class='kt mathjax_ignore tex2jax_ignore'><b>Cash out per month, each way to pay</b></div>"), chart,
    ])

    def refresh_if_shown() -> None:
        """A new comparison: redo the figures if they were on screen, so they never go stale."""
        if table.value:
            safe()

    box.refresh_if_shown = refresh_if_shown  # type: ignore[attr-defined]
    return box


def handout_section(get_comparison: Callable[[], Comparison | None], stale_note: Callable[[], str] = lambda: "") -> W.VBox:
    """Buttons that make the handout (HTML or PDF) and offer it as a download link."""
    from .handout import HandoutError, handout_pdf, render_html

    html_button = W.Button(description="Handout (HTML)", icon="file-text", layout=W.Layout(width="180px"))
    pdf_button = W.Button(description="Handout (PDF)", icon="file-pdf-o", button_style="primary", layout=W.Layout(width="180px"))
    message = W.HTML()
    link = W.HTML()

    def make(kind: str) -> None:
        comp = get_comparison()
        if comp is None:
            message.value = _bad("No comparison yet: fill in the form first.")
            return
        stem = f"handout-{comp.scenario.start_date.isoformat()}"
        if kind == "pdf":
            try:
                data = handout_pdf(comp)
            except HandoutError as exc:
                message.value = _bad(escape(str(exc)))
                link.value = download_link(render_html(comp).encode("utf-8"), stem + ".html", "text/html", "Download the handout (HTML) instead")
                return
            link.value = download_link(data, stem + ".pdf", "application/pdf", "Download the handout (PDF)")
        else:
            link.value = download_link(render_html(comp).encode("utf-8"), stem + ".html", "text/html", "Download the handout (HTML)")
        message.value = _ok("Handout ready: both options, coverage and reasons, costs over time, the schedule, next steps, sources, the disclaimer and the 988 Lifeline." + (" " + escape(stale_note()) if stale_note() else ""))

    html_button.on_click(_safe(message, lambda _b: make("html")))
    pdf_button.on_click(_safe(message, lambda _b: make("pdf")))
    box = W.VBox([W.HTML(_note("One or two printed pages for the patient and family. No names or identifiers are on it.")), W.HBox([pdf_button, html_button]), message, link])
    box.refresh_if_shown = lambda: _clear(message, link)  # type: ignore[attr-defined]
    return box


def _clear(message: W.HTML, link: W.HTML) -> None:
    """The inputs changed: a file made from the old figures is withdrawn rather than left to mislead."""
    if link.value:
        link.value = ""
        message.value = _note("The figures changed: make the file again.")


def calendar_section(get_comparison: Callable[[], Comparison | None]) -> W.VBox:
    """The planned sessions of one option as an .ics file with reminders."""
    from .calendar_file import CalendarError, ics_filename, parse_time, sessions_ics

    option = W.Dropdown(description="Sessions of", options=[("Spravato (esketamine)", "spravato"), ("IV ketamine", "iv_ketamine")], style=STYLE, layout=WIDE)
    when = W.Text(value="09:00", description="Session start time (HH:MM)", style=STYLE, layout=WIDE, continuous_update=False)
    button = W.Button(description="Make the calendar file", icon="calendar", layout=W.Layout(width="230px"))
    message = W.HTML()
    link = W.HTML()

    def make(_b: object = None) -> None:
        comp = get_comparison()
        if comp is None:
            message.value = _bad("No comparison yet: fill in the form first.")
            return
        try:
            start = parse_time(when.value)
        except CalendarError as exc:
            message.value = _bad(escape(str(exc)))
            link.value = ""
            return
        data = sessions_ics(comp, option.value, start)
        opt = comp.options[option.value]
        link.value = download_link(data, ics_filename(comp, option.value), "text/calendar", "Download the calendar file (.ics)")
        message.value = _ok(f"{opt.schedule.sessions} sessions of {escape(opt.label)}, each with a reminder the day before to arrange a ride home"
                            + ("; for Spravato also no food 2 hours and no liquids 30 minutes before." if option.value == "spravato" else ".")
                            + " Import it into any calendar app; confirm each date with the clinic.")

    button.on_click(_safe(message, make))
    box = W.VBox([option, when, button, message, link])
    box.refresh_if_shown = lambda: _clear(message, link)  # type: ignore[attr-defined]
    return box


class _SaveOpen:
    """Save the form as a scenario file, and open a saved one into the dashboard."""

    def __init__(self, dashboard: Any):
        from ..storage import DEFAULT_FOLDER

        self.d = dashboard
        self.folder = W.Text(value=DEFAULT_FOLDER, description="Folder for saved scenarios", style=STYLE, layout=WIDE, continuous_update=False)
        self.name = W.Text(value="", placeholder="e.g. ppo-trd-option-b (describe the situation, no names)", description="File name", style=STYLE, layout=WIDE)
        self.save_button = W.Button(description="Save scenario", icon="save", button_style="primary", layout=W.Layout(width="180px"))
        self.save_message = W.HTML()
        self.files = W.Dropdown(description="Saved scenarios", options=[], style=STYLE, layout=WIDE)
        self.refresh_button = W.Button(description="Refresh list", icon="refresh", layout=W.Layout(width="140px"))
        self.open_button = W.Button(description="Open", icon="folder-open", layout=W.Layout(width="140px"))
        self.open_message = W.HTML()
        self._confirm: Path | None = None
        self.save_button.on_click(_safe(self.save_message, self.save))
        self.refresh_button.on_click(_safe(self.open_message, self.refresh))
        self.open_button.on_click(_safe(self.open_message, self.open))
        self.folder.observe(_safe(self.open_message, self.refresh), names="value")
        self.name.observe(lambda _c: setattr(self, "_confirm", None), names="value")
        self.refresh()

    def save_box(self) -> W.VBox:
        return W.VBox([W.HTML(_note("Saves every field of the form (no identifiers) as a JSON file on this machine. "
                                    "The save is atomic: an interrupted save never damages an earlier file.")),
                       self.folder, self.name, self.save_button, self.save_message])

    def open_box(self) -> W.VBox:
        return W.VBox([W.HTML(_note("Opening replaces the form's entries with the saved ones. A damaged or newer file is refused and nothing changes.")),
                       self.files, W.HBox([self.open_button, self.refresh_button]), self.open_message])

    def save(self, _b: object = None) -> None:
        from ..storage import StorageError, safe_filename, save_scenario

        try:
            scenario: Scenario = self.d.read()
        except ScenarioError as exc:
            fields = ", ".join(escape(f) for f, _ in exc.problems)
            self.save_message.value = _bad(f"Not saved: please fix the fields marked in the form first ({fields}).")
            return
        try:
            path = Path(self.folder.value.strip() or ".") / safe_filename(self.name.value)
        except StorageError as exc:
            self.save_message.value = _bad(escape(str(exc)))
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            self.save_message.value = _bad(f"A saved scenario called {escape(path.name)} already exists. Click Save again to replace it, or change the name.")
            return
        try:
            save_scenario(scenario, path)
        except StorageError as exc:
            self.save_message.value = _bad(escape(str(exc)))
            return
        self._confirm = None
        self.save_message.value = _ok(f"Saved: {escape(str(path))}")
        self.refresh()
        if str(path) in [v for _, v in self.files.options]:
            self.files.value = str(path)

    def refresh(self, _b: object = None) -> None:
        from ..storage import StorageError, list_saved

        try:
            files = list_saved(self.folder.value.strip() or ".")
        except StorageError as exc:
            self.open_message.value = _bad(escape(str(exc)))
            return
        self.files.options = [(f.name, str(f)) for f in files]
        if not files:
            self.open_message.value = _note(f"No saved scenarios in {escape(self.folder.value)} yet.")
        elif self.open_message.value.startswith("<div class='kt mathjax_ignore tex2jax_ignore small muted'>No saved"):
            self.open_message.value = ""

    def open(self, _b: object = None) -> None:
        from ..storage import load_saved

        if not self.files.value:
            self.open_message.value = _bad("Choose a saved scenario first (or click Refresh list).")
            return
        try:
            scenario = load_saved(self.files.value)
        except ScenarioError as exc:
            self.open_message.value = _bad(f"Not opened, nothing changed: {escape(str(exc))}")
            return
        self.d.load(scenario)
        self.open_message.value = _ok(f"Opened {escape(Path(self.files.value).name)}: {escape(scenario.title or 'scenario')}.")


def takeaway_panel(dashboard: Any) -> W.Widget:
    """The dashboard's "take it home" area: paying, saving and opening, the handout and the calendar.

    Uses only ``dashboard.comparison``, ``dashboard.read()`` and ``dashboard.load()``.
    """

    def get() -> Comparison | None:
        return dashboard.comparison

    def stale() -> str:
        try:
            dashboard.read()
        except ScenarioError:
            return "The form has a problem: these figures use the last valid entries."
        except Exception:  # noqa: BLE001
            return ""
        return ""

    so = _SaveOpen(dashboard)
    sections = [
        ("How the patient could pay", financing_section(get, stale)),
        ("Save scenario", so.save_box()),
        ("Open saved scenario", so.open_box()),
        ("Handout for the patient (HTML or PDF)", handout_section(get, stale)),
        ("Calendar file (.ics)", calendar_section(get)),
    ]
    acc = W.Accordion(children=[w for _, w in sections], selected_index=None)
    for i, (title, _) in enumerate(sections):
        acc.set_title(i, title)
    panel = W.VBox([W.HTML("<h2 style='margin:8px 0 4px 0'>Take it home</h2>"), acc])

    def on_new_comparison() -> None:
        for _, w in sections:
            hook = getattr(w, "refresh_if_shown", None)
            if hook is not None:
                hook()

    panel.on_new_comparison = on_new_comparison  # type: ignore[attr-defined]
    return panel


# ----------------------------------------------------------------------------- notebook panels


def _example_picker() -> W.Dropdown:
    return W.Dropdown(description="Example situation", options=example_titles(), value=DEFAULT_EXAMPLE, style={"description_width": "200px"}, layout=W.Layout(width="620px"))


def _example_getter(pick: W.Dropdown) -> Callable[[], Comparison]:
    cache: dict[str, Comparison] = {}

    def get() -> Comparison:
        if pick.value not in cache:
            cache[pick.value] = compare(load_example(pick.value), dataset())
        return cache[pick.value]

    return get


def financing_explorer() -> W.VBox:
    """Ways to pay for an example situation (notebook 03)."""
    pick = _example_picker()
    section = financing_section(_example_getter(pick))
    button = section.children[3]
    pick.observe(lambda _c: button.click(), names="value")
    button.click()
    return W.VBox([pick, section])


def calendar_explorer() -> W.VBox:
    """Calendar file for an example situation (notebook 04)."""
    pick = _example_picker()
    return W.VBox([pick, calendar_section(_example_getter(pick))])


def quotes_explorer(rows: int = 5) -> W.VBox:
    """Two to five clinic quotes compared on an example's schedule (notebook 03)."""
    from ..paying.quotes import QuoteError, compare_quotes
    from .money_view import quotes_html

    pick = _example_picker()
    cols = [("label", "Clinic", "Clinic A"), ("price_per_session", "Per session ($)", "600"), ("package_price", "Package ($)", ""),
            ("booster_price", "Booster ($)", ""), ("consultation_fee", "Consultation ($)", ""), ("cancellation_fee", "Late cancel ($)", "")]
    examples = [{"label": "Clinic A", "price_per_session": "550", "consultation_fee": "350", "cancellation_fee": "50"},
                {"label": "Clinic B", "price_per_session": "600", "package_price": "3000", "cancellation_fee": "150"}]
    grid: list[dict[str, W.ValueWidget]] = []
    lines = [W.HBox([W.HTML(f"<b>{t}</b>", layout=W.Layout(width="120px")) for _, t, _ in cols] + [W.HTML("<b>Superbill</b>")])]
    for i in range(rows):
        start = examples[i] if i < len(examples) else {}
        row: dict[str, W.ValueWidget] = {k: W.Text(value=start.get(k, ""), placeholder=ph if i == 0 else "", layout=W.Layout(width="120px"), continuous_update=False) for k, _, ph in cols}
        row["superbill_offered"] = W.Checkbox(value=True, indent=False, layout=W.Layout(width="80px"))
        grid.append(row)
        lines.append(W.HBox(list(row.values())))
    late = W.BoundedIntText(value=0, min=0, max=50, description="Late cancellations to allow for", style={"description_width": "200px"})
    button = W.Button(description="Compare the quotes", button_style="primary", layout=W.Layout(width="200px"))
    message = W.HTML()
    out = W.HTML()

    def run(_b: object = None) -> None:
        data = [{k: w.value for k, w in row.items()} for row in grid]
        try:
            qc = compare_quotes(load_example(pick.value), data, dataset(), late_cancellations=int(late.value))
        except QuoteError as exc:
            message.value = _bad(escape(str(exc)))
            return
        message.value = ""
        out.value = report.CSS + quotes_html(qc)

    safe = _safe(message, run)
    button.on_click(safe)
    pick.observe(safe, names="value")
    run()
    return W.VBox([pick, W.HTML(_note("Empty fees mean none. The package price is for the whole first series. Leave unused rows empty.")), *lines, late, button, message, out])


def expense_tracker() -> W.VBox:
    """Record payments and reimbursements; totals by year; CSV export and import (notebook 03)."""
    from ..paying.expenses import ACCOUNTS, KINDS, ExpenseError, ExpenseLog

    log = ExpenseLog()
    day = W.DatePicker(description="Date", value=date.today(), style={"description_width": "120px"})
    amount = W.Text(description="Amount ($)", placeholder="e.g. 600.00", style={"description_width": "120px"})
    what = W.Text(description="What for", placeholder="e.g. IV infusion 3 (no names)", style={"description_width": "120px"}, layout=W.Layout(width="420px"))
    kind = W.Dropdown(description="Kind", options=[(v, k) for k, v in KINDS.items()], style={"description_width": "120px"})
    account = W.Dropdown(description="Paid from", options=[(v, k) for k, v in ACCOUNTS.items()], value="other", style={"description_width": "120px"})
    add = W.Button(description="Add", button_style="primary", icon="plus")
    message = W.HTML()
    table = W.HTML()
    upload = W.FileUpload(accept=".csv", multiple=False, description="Import CSV")
    link = W.HTML()

    def render() -> None:
        parts = [report.CSS, "<div class='kt mathjax_ignore tex2jax_ignore'>"]
        if log.entries:
            parts.append(log.frame().to_html(index=False, classes="kt-t", float_format=lambda x: f"{x:,.2f}"))
            parts.append("<p><b>Totals by year</b></p>" + log.totals_by_year().to_html(index=False, classes="kt-t", float_format=lambda x: f"{x:,.2f}"))
        else:
            parts.append("<p class='muted'>No complete rows yet.</p>")
        if log.drafts:
            parts.append("<p><b>Drafts to complete (kept, not exported)</b></p><ul>" + "".join(f"<li>{escape(str({k: v for k, v in r.items() if v not in (None, '')}))}: {escape(m)}</li>" for r, m in log.drafts) + "</ul>")
        parts.append("</div>")
        table.value = "".join(parts)
        link.value = download_link(log.to_csv().encode("utf-8"), "expenses.csv", "text/csv", "Download expenses.csv (for taxes and reimbursement claims)") + f" <span class='small muted'>{escape(log.export_note())}</span>"

    def on_add(_b: object = None) -> None:
        text = log.add({"date": day.value, "amount": amount.value, "what_for": what.value, "kind": kind.value, "paid_from": account.value})
        if text.startswith("Added"):
            message.value = _ok(escape(text))
            amount.value, what.value = "", ""
        else:
            message.value = _bad(escape(text))
        render()

    def on_upload(change: dict) -> None:
        files = change["new"]
        if not files:
            return
        f = files[0]
        try:
            text = bytes(f["content"]).decode("utf-8-sig")
            imported = ExpenseLog.from_csv(text, f.get("name", "expenses.csv"))
        except (ExpenseError, UnicodeDecodeError) as exc:
            message.value = _bad(f"Not imported: {escape(str(exc))}")
            return
        log.entries.extend(imported.entries)
        log.entries.sort(key=lambda e: e.day)
        log.drafts.extend(imported.drafts)
        message.value = _ok(f"Imported {len(imported.entries)} rows" + (f"; {len(imported.drafts)} incomplete rows kept as drafts" if imported.drafts else "") + ".")
        render()

    add.on_click(_safe(message, on_add))
    upload.observe(_safe(message, on_upload), names="value")
    render()
    return W.VBox([
        W.HTML(_note("Describe the service, never the person. A half-filled row is kept as a draft with a message, so nothing is lost.")),
        day, amount, what, kind, account, W.HBox([add, upload]), message, table, link,
    ])
