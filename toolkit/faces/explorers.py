"""The take-home sections for the topic notebooks, each driven by an example picker.

Notebook 03 (ways to pay, clinic quotes, the expense tracker) and 04 (the calendar file).
Same sections as the dashboard's :mod:`toolkit.faces.takeaway`, handed a comparison of the
chosen example instead of the form's.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

import ipywidgets as W

from ..data import dataset
from ..engine.compare import Comparison, compare
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from . import fragments as report
from .takeaway import CalendarSection, FinancingSection
from .widgets import download_link, safe, small_note
from .widgets import message as notice


class Explorer:
    """An example picker and the section it drives; shows as its widget in a notebook."""

    def __init__(self, widget: W.Widget, pick: W.Dropdown, section: object):
        self.widget, self.pick, self.section = widget, pick, section

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _example_picker() -> W.Dropdown:
    return W.Dropdown(description="Example situation", options=example_titles(), value=DEFAULT_EXAMPLE, style={"description_width": "200px"}, layout=W.Layout(width="620px"))


def _example_getter(pick: W.Dropdown) -> Callable[[], Comparison]:
    cache: dict[str, Comparison] = {}

    def get() -> Comparison:
        if pick.value not in cache:
            cache[pick.value] = compare(load_example(pick.value), dataset())
        return cache[pick.value]

    return get


def financing_explorer() -> Explorer:
    """Ways to pay for an example situation (notebook 03)."""
    pick = _example_picker()
    section = FinancingSection(_example_getter(pick))
    pick.observe(lambda _c: section.button.click(), names="value")
    section.button.click()
    return Explorer(W.VBox([pick, section.widget]), pick, section)


def calendar_explorer() -> Explorer:
    """Calendar file for an example situation (notebook 04)."""
    pick = _example_picker()
    section = CalendarSection(_example_getter(pick))
    return Explorer(W.VBox([pick, section.widget]), pick, section)


class QuotesExplorer:
    """Two to five clinic quotes compared on an example's schedule (notebook 03)."""

    COLUMNS = (("label", "Clinic", "Clinic A"), ("price_per_session", "Per session ($)", "600"), ("package_price", "Package ($)", ""),
               ("booster_price", "Booster ($)", ""), ("consultation_fee", "Consultation ($)", ""), ("cancellation_fee", "Late cancel ($)", ""))
    STARTING_ROWS = ({"label": "Clinic A", "price_per_session": "550", "consultation_fee": "350", "cancellation_fee": "50"},
                     {"label": "Clinic B", "price_per_session": "600", "package_price": "3000", "cancellation_fee": "150"})

    def __init__(self, rows: int = 5):
        self.pick = _example_picker()
        self.grid: list[dict[str, W.ValueWidget]] = []
        lines = [W.HBox([W.HTML(f"<b>{t}</b>", layout=W.Layout(width="120px")) for _, t, _ in self.COLUMNS] + [W.HTML("<b>Superbill</b>")])]
        for i in range(rows):
            start = self.STARTING_ROWS[i] if i < len(self.STARTING_ROWS) else {}
            row: dict[str, W.ValueWidget] = {k: W.Text(value=start.get(k, ""), placeholder=ph if i == 0 else "", layout=W.Layout(width="120px"), continuous_update=False)
                                             for k, _, ph in self.COLUMNS}
            row["superbill_offered"] = W.Checkbox(value=True, indent=False, layout=W.Layout(width="80px"))
            self.grid.append(row)
            lines.append(W.HBox(list(row.values())))
        self.late = W.BoundedIntText(value=0, min=0, max=50, description="Late cancellations to allow for", style={"description_width": "200px"})
        self.button = W.Button(description="Compare the quotes", button_style="primary", layout=W.Layout(width="200px"))
        self.message, self.out = W.HTML(), W.HTML()
        run = safe(self.message, self.run)
        self.button.on_click(run)
        self.pick.observe(run, names="value")
        self.widget = W.VBox([self.pick, W.HTML(small_note("Empty fees mean none. The package price is for the whole first series. Leave unused rows empty.")),
                              *lines, self.late, self.button, self.message, self.out])
        run()

    def run(self, _b: object = None) -> None:
        from ..paying.quotes import QuoteError, compare_quotes
        from .money_view import quotes_html

        data = [{k: w.value for k, w in row.items()} for row in self.grid]
        try:
            qc = compare_quotes(load_example(self.pick.value), data, dataset(), late_cancellations=int(self.late.value))
        except QuoteError as exc:
            self.message.value = notice(str(exc))
            return
        self.message.value = ""
        self.out.value = report.CSS + quotes_html(qc)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def quotes_explorer(rows: int = 5) -> QuotesExplorer:
    return QuotesExplorer(rows)


class ExpenseTracker:
    """Record payments and reimbursements; totals by year; CSV export and import (notebook 03)."""

    def __init__(self) -> None:
        from ..paying.expenses import ACCOUNTS, KINDS, ExpenseLog

        label = {"description_width": "120px"}
        self.log = ExpenseLog()
        self.day = W.DatePicker(description="Date", value=date.today(), style=label)
        self.amount = W.Text(description="Amount ($)", placeholder="e.g. 600.00", style=label)
        self.what = W.Text(description="What for", placeholder="e.g. IV infusion 3 (no names)", style=label, layout=W.Layout(width="420px"))
        self.kind = W.Dropdown(description="Kind", options=[(v, k) for k, v in KINDS.items()], style=label)
        self.account = W.Dropdown(description="Paid from", options=[(v, k) for k, v in ACCOUNTS.items()], value="other", style=label)
        self.add_button = W.Button(description="Add", button_style="primary", icon="plus")
        self.upload = W.FileUpload(accept=".csv", multiple=False, description="Import CSV")
        self.message, self.table, self.link = W.HTML(), W.HTML(), W.HTML()
        self.add_button.on_click(safe(self.message, self.add))
        self.upload.observe(safe(self.message, self.import_csv), names="value")
        self.widget = W.VBox([
            W.HTML(small_note("Describe the service, never the person. A half-filled row is kept as a draft with a message, so nothing is lost.")),
            self.day, self.amount, self.what, self.kind, self.account, W.HBox([self.add_button, self.upload]), self.message, self.table, self.link,
        ])
        self.render()

    def render(self) -> None:
        log = self.log
        parts = [report.CSS, "<div class='kt mathjax_ignore tex2jax_ignore'>"]
        if log.entries:
            parts.append(log.frame().to_html(index=False, classes="kt-t", float_format=lambda x: f"{x:,.2f}"))
            parts.append("<p><b>Totals by year</b></p>" + log.totals_by_year().to_html(index=False, classes="kt-t", float_format=lambda x: f"{x:,.2f}"))
        else:
            parts.append("<p class='muted'>No complete rows yet.</p>")
        if log.drafts:
            parts.append("<p><b>Drafts to complete (kept, not exported)</b></p><ul>" + "".join(
                f"<li>{escape(str({k: v for k, v in r.items() if v not in (None, '')}))}: {escape(m)}</li>" for r, m in log.drafts) + "</ul>")
        parts.append("</div>")
        self.table.value = "".join(parts)
        self.link.value = (download_link(log.to_csv(), "expenses.csv", "text/csv", "Download expenses.csv (for taxes and reimbursement claims)")
                           + f" <span class='small muted'>{escape(log.export_note())}</span>")

    def add(self, _b: object = None) -> None:
        text = self.log.add({"date": self.day.value, "amount": self.amount.value, "what_for": self.what.value, "kind": self.kind.value, "paid_from": self.account.value})
        if text.startswith("Added"):
            self.message.value = notice(text, "ok")
            self.amount.value, self.what.value = "", ""
        else:
            self.message.value = notice(text)
        self.render()

    def import_csv(self, change: dict) -> None:
        from ..paying.expenses import ExpenseError, ExpenseLog

        files = change["new"]
        if not files:
            return
        f = files[0]
        try:
            imported = ExpenseLog.from_csv(bytes(f["content"]).decode("utf-8-sig"), f.get("name", "expenses.csv"))
        except (ExpenseError, UnicodeDecodeError) as exc:
            self.message.value = notice(f"Not imported: {exc}")
            return
        self.log.entries.extend(imported.entries)
        self.log.entries.sort(key=lambda e: e.day)
        self.log.drafts.extend(imported.drafts)
        drafts = f"; {len(imported.drafts)} incomplete rows kept as drafts" if imported.drafts else ""
        self.message.value = notice(f"Imported {len(imported.entries)} rows{drafts}.", "ok")
        self.render()

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def expense_tracker() -> ExpenseTracker:
    return ExpenseTracker()
