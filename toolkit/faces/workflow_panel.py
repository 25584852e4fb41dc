"""Widgets for the coverage-and-appeals notebook: one :class:`CoverageWorkflow` holds the
scenario, and each step is a panel that re-renders when the scenario changes.

Same rules as the dashboard: widgets collect values, the workflow modules compute, one
function renders into an ``Output`` with ``clear_output(wait=True)``, and bad input shows a
message naming the field above the last good result, never a traceback. Typed amounts are
read by :func:`toolkit.scenario.read_money`, as everywhere. Nothing is written to disk unless
the advisor presses a Save button with a folder typed in (:class:`~toolkit.faces.exporter.Exporter`);
"Download links" hand the file to the browser from memory. No identifiers are asked for anywhere.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any, Callable

import ipywidgets as W
from IPython.display import HTML, display

from ..data import Dataset, dataset
from ..engine.compare import Comparison, compare
from ..examples import DEFAULT_EXAMPLE, example_titles, load_example
from ..i18n import LANGS, LANGUAGE_NAMES
from ..money import fmt_pct, fmt_round
from ..scenario import OPTION_LABELS, Scenario
from ..templating import html_document
from ..workflow.appeals import DENIAL_REASONS, appeal_checklist
from ..workflow.benefits_check import (
    DIAGNOSIS_CODES,
    BenefitsCall,
    apply_answers,
    describe_changes,
    read_call,
    render_call_sheets,
)
from ..workflow.common import WorkflowError
from ..workflow.letters import LETTER_TITLES, PROMPTS, build_letter
from ..workflow.readiness import NOT_DOCUMENTABLE, documented, readiness
from ..workflow.superbill import superbill_estimate
from . import fragments as report
from .call_answers import CALL_GROUPS, CHOICES, YESNO, _answer
from .exporter import Exporter
from .widgets import message, unexpected

STYLE = {"description_width": "300px"}
WIDE = W.Layout(width="680px")
OPTIONS = [(v, k) for k, v in OPTION_LABELS.items()]
KEPT = "The results below are from the last valid entries."


def _show(out: W.Output, html: Callable[[], str]) -> str | None:
    """Show ``html()`` in ``out``; if it fails, a message naming the field above the last good result.

    Returns the message shown, or None when all went well (also kept as ``out.message``;
    ``out.error`` is the exception, so an export can refuse with the same words).
    """
    last = getattr(out, "html", "")
    text = box = out.error = None
    try:
        last = out.html = html()
    except WorkflowError as exc:
        out.error, text = exc, f"Please check '{exc.field}': {exc.message}"
        box = message(f"{text.rstrip('.')}. {KEPT}" if last else text)
    except Exception as exc:  # noqa: BLE001 - show a message, never a traceback
        out.error, text = exc, f"Something unexpected went wrong ({type(exc).__name__}: {exc})."
        box = unexpected(exc, KEPT if last else "Nothing was changed.")
    with out:
        out.clear_output(wait=True)
        display(HTML((box or "") + last))
    out.message = text
    return text


class CoverageWorkflow:
    """The scenario shared by every step. Build with ``CoverageWorkflow()``; show the panels.

    Named, never counted: ``outputs[step]`` (``.message`` is None when all is well), ``picker``,
    ``call_widgets``, ``call_message``, ``documented_widget``, ``appeal_widgets``, ``letter_widgets``, ``exporters[step]``.
    """

    def __init__(self, example: str = DEFAULT_EXAMPLE, ds: Dataset | None = None, today: date | None = None):
        self.ds = ds or dataset()
        self.today = today or date.today()
        self.base: Scenario = load_example(example)
        self.documented: list[str] = []
        self.call = BenefitsCall()
        self.scenario: Scenario = self.base
        self.notes: list[str] = []
        self.changes: list[str] = []
        self._listeners: list[Callable[[], None]] = []
        self._compared: tuple[Scenario, Scenario, Comparison, Comparison] | None = None
        self.outputs: dict[str, W.Output] = {}
        self.exporters: dict[str, Exporter] = {}
        self.checklist = self.letter = self.superbill = None  # what the appeal, letter and superbill steps show
        self.picker = W.Dropdown(description="Example situation", options=example_titles(), value=example, style=STYLE, layout=W.Layout(width="720px"))
        self.picker.observe(lambda ch: self.set_example(ch["new"]), names="value")

    # ------------------------------------------------------------------ state
    def on_change(self, fn: Callable[[], None]) -> None:
        self._listeners.append(fn)

    def _notify(self) -> None:
        for fn in self._listeners:
            fn()

    def _step(self, name: str, html: Callable[[], str], follow: bool = True) -> W.Output:
        """The output of step ``name``: shows ``html()`` now and (if ``follow``) whenever the scenario changes."""
        out = self.outputs[name] = W.Output()
        if follow:
            self.on_change(lambda: _show(out, html))
        _show(out, html)
        return out

    def _shown(self, name: str, thing: Any) -> Any:
        """What step ``name`` shows, for its export: the same object, never computed again."""
        if thing is None:  # the step shows a problem instead: the export names the same field
            err = self.outputs[name].error
            raise WorkflowError(err.field, err.message) if isinstance(err, WorkflowError) else WorkflowError(name, "fix the problem shown above first")
        return thing

    def set_example(self, name: str) -> None:
        self.base = load_example(name)
        self.documented = []
        self._rebuild()

    def set_call(self, call: BenefitsCall | dict) -> None:
        """Record benefits-call answers; raises WorkflowError (scenario unchanged) if they don't fit."""
        call = read_call(call)
        scenario = documented(self.base, self.documented) if self.documented else self.base
        applied = apply_answers(scenario, call, self.ds)
        self.call = call
        self.scenario, self.notes, self.changes = applied.scenario, applied.notes, describe_changes(applied)
        self._notify()

    def set_documented(self, criteria: list[str]) -> None:
        self.documented = list(criteria)
        self._rebuild()

    def _rebuild(self) -> None:
        scenario = documented(self.base, self.documented) if self.documented else self.base
        try:
            applied = apply_answers(scenario, self.call, self.ds)
            self.scenario, self.notes, self.changes = applied.scenario, applied.notes, describe_changes(applied)
        except WorkflowError as exc:
            self.scenario, self.notes, self.changes = scenario, [f"Benefits answers not applied: {exc}"], []
        self._notify()

    def comparisons(self) -> tuple[Comparison, Comparison]:
        """The comparison before and after the answers: run once per change, shown by every step."""
        c = self._compared
        if c is None or c[0] is not self.base or c[1] is not self.scenario:
            c = self._compared = (self.base, self.scenario, compare(self.base, self.ds), compare(self.scenario, self.ds))
        return c[2], c[3]

    # ------------------------------------------------------------------ views
    def summary_html(self) -> str:
        """Coverage level, chance and 12-month expected cost: before and after the answers."""
        before, after = self.comparisons()
        rows = []
        for key, label in OPTION_LABELS.items():
            b, a = before.options[key], after.options[key]
            lo, typ, hi = a.coverage.likelihood
            rows.append(
                f"<tr><th scope='row'>{escape(label)}</th><td>{escape(b.coverage.level_label)}, {fmt_pct(b.coverage.likelihood[1])}</td>"
                f"<td><b>{escape(a.coverage.level_label)}, {fmt_pct(typ)}</b> <span class='muted'>({fmt_pct(lo)}-{fmt_pct(hi)})</span></td>"
                f"<td>{fmt_round(b.total('expected'))}</td><td><b>{fmt_round(a.total('expected'))}</b></td></tr>"
            )
        changes = "".join(f"<li>{escape(c)}</li>" for c in self.changes) or "<li>No answers recorded yet: the example as entered.</li>"
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        months = self.scenario.horizon_months
        return (
            report.CSS + "<div class='kt mathjax_ignore tex2jax_ignore'><table class='kt-t' aria-label='coverage before and after the benefits answers'>"
            f"<caption>Coverage and expected patient cost over {months} months: before and after the answers</caption>"
            "<tr><th></th><th scope='col'>Coverage before</th><th scope='col'>Coverage now</th><th scope='col'>Expected cost before</th><th scope='col'>Expected cost now</th></tr>"
            + "".join(rows) + "</table>"
            f"<b>What the answers changed</b><ul>{changes}</ul>" + (f"<ul class='small'>{notes}</ul>" if notes else "") + "</div>"
        )

    def situation_panel(self) -> W.VBox:
        out = self._step("situation", lambda: report.notices_html() + self.summary_html())
        export = self.exporters["situation"] = Exporter("scenario_with_answers", {"json": lambda: self.scenario.to_json()})
        note = W.HTML("<span class='small'>The updated situation can be saved as a scenario file for the dashboard or <code>python -m toolkit compare FILE</code> (it holds no identifiers).</span>")
        return W.VBox([self.picker, out, note, export.widget])

    # ------------------------------------------------------------ benefits call
    def _call_widget(self, name: str) -> W.Widget:
        info = BenefitsCall.model_fields[name]
        label = info.title or name
        if name.endswith("_date"):
            return W.DatePicker(description=label, style=STYLE)
        if name.endswith("_documents"):
            opts = [(report.SHORT_CRITERIA[k], k) for k in report.SHORT_CRITERIA]
            return W.SelectMultiple(description=label, options=opts, rows=5, style=STYLE, layout=WIDE)
        if name in CHOICES:
            return W.Dropdown(description=label, options=CHOICES[name], style=STYLE, layout=WIDE)
        if info.annotation is not None and "Literal" in str(info.annotation) and "yes" in str(info.annotation):
            return W.Dropdown(description=label, options=YESNO, style=STYLE, layout=WIDE)
        placeholder = {"insurer_reference": "reference number only, no names", "oon_allowed_amounts": "e.g. 96365: 350, 96366: 120 (empty = not asked yet)"}.get(name, "empty = not asked yet")
        return W.Text(description=label, placeholder=placeholder, continuous_update=False, style=STYLE, layout=WIDE)

    def benefits_panel(self) -> W.VBox:
        """The call sheet to print, the answer fields, and what the answers changed."""
        self.call_widgets: dict[str, W.Widget] = {}
        sections: list[W.Widget] = []
        for heading, names in CALL_GROUPS:
            sections.append(W.HTML(f"<b>{escape(heading)}</b>"))
            for n in names:
                self.call_widgets[n] = self._call_widget(n)
                sections.append(self.call_widgets[n])
        self.call_message = W.HTML()
        apply_btn = W.Button(description="Apply answers to the comparison", button_style="primary", layout=W.Layout(width="300px"))

        def apply(_b: object = None) -> None:
            def render() -> str:
                self.set_call({n: _answer(n, w) for n, w in self.call_widgets.items()})
                return self.summary_html()
            problem = _show(answers_out, render)
            self.call_message.value = "" if problem else "<span class='small'>Answers applied; the steps below use them.</span>"

        apply_btn.on_click(apply)
        self.apply_call = apply  # for tests and scripted use
        sheet_out = self._step("call_sheet", lambda: render_call_sheets(self.scenario, self.ds, "html"))
        answers_out = self._step("benefits", self.summary_html)
        export = self.exporters["benefits"] = Exporter("benefits_call_sheet", {"md": lambda: render_call_sheets(self.scenario, self.ds, "md"), "html": lambda: html_document("Benefits call sheet", render_call_sheets(self.scenario, self.ds, "html"))})
        sheet = W.Accordion(children=[W.VBox([sheet_out, export.widget])], titles=("Call sheet to print (questions and codes)",))
        sheet.selected_index = None
        return W.VBox([sheet, W.HTML("<b>Record the answers</b> (dates and the reference number only; no names or member IDs)."), *sections, apply_btn, self.call_message, answers_out])

    # ---------------------------------------------------------------- readiness
    def readiness_html(self) -> str:
        parts = [report.CSS, "<div class='kt mathjax_ignore tex2jax_ignore'><div class='cards'>"]
        for option in OPTION_LABELS:
            r = readiness(self.scenario, option, self.ds, self.call)
            rows = "".join(
                f"<tr><td title='{escape(i.check.criterion)}'>{escape(report.SHORT_CRITERIA.get(i.id, i.id))}"
                + (" <span class='small muted'>(this plan asks)</span>" if i.required_by_plan else ("" if i.check.how_common == "usual" else " <span class='small muted'>(some plans)</span>"))
                + f"</td><td>{report.STATUS_MARK.get(i.status, ('', ''))[0]} {escape(i.status)}{' <b>(blocking)</b>' if i.blocking else ''}</td>"
                f"<td>{escape(i.who)}</td><td class='small'>{escape(i.evidence)}</td></tr>"
                for i in r.items
            )
            after = ""
            if r.if_documented and (r.if_documented.level, r.if_documented.likelihood) != (r.assessment.level, r.assessment.likelihood):
                after = f"<p class='small'>Once the missing items are documented: <b>{escape(r.if_documented.level_label)}</b>, chance {fmt_pct(r.if_documented.likelihood[1])} (now {fmt_pct(r.assessment.likelihood[1])}).</p>"
            notes = "".join(f"<li>{escape(n)}</li>" for n in r.notes)
            table = (
                "<table class='kt-t' aria-label='prior authorization readiness'><tr><th scope='col'>Criterion</th><th scope='col'>Status</th><th scope='col'>Who supplies it</th><th scope='col'>What shows it</th></tr>"
                + rows + "</table>"
            ) if r.items else ""
            parts.append(f"<div class='card'><h3>{escape(r.label)}</h3><p><b>{escape(r.summary)}</b></p>{table}{after}<ul class='small'>{notes}</ul></div>")
        parts.append("</div></div>")
        return "".join(parts)

    def readiness_panel(self) -> W.VBox:
        choices = [(report.SHORT_CRITERIA[k], k) for k in report.SHORT_CRITERIA if k not in NOT_DOCUMENTABLE and k != "rems"]
        box = self.documented_widget = W.SelectMultiple(description="Documented since (the clinic has added these)", options=choices, rows=6, style=STYLE, layout=WIDE)
        box.observe(lambda _ch: self.set_documented(list(box.value)), names="value")
        out = self._step("readiness", self.readiness_html)
        return W.VBox([W.HTML("Tick what the clinic has documented since the example was entered; the coverage assessment and the comparison update."), box, out])

    # ------------------------------------------------------------------ appeal
    def appeal_panel(self) -> W.VBox:
        w = self.appeal_widgets = {
            "option": W.Dropdown(description="Which option was denied", options=OPTIONS, value="spravato", style=STYLE),
            "denial_date": W.DatePicker(description="Date on the denial notice", style=STYLE),
            "reason": W.Dropdown(description="Reason given", options=[(r.label, r.id) for r in DENIAL_REASONS.values()], value="medical_necessity", style=STYLE, layout=WIDE),
            "service": W.Dropdown(description="The denied service is", options=[("not received yet (prior authorization)", "pre_service"), ("already received (a claim)", "post_service")], style=STYLE, layout=WIDE),
            "urgent": W.Checkbox(description="Urgent: waiting could seriously harm the patient", indent=False),
            "appeal_filed": W.DatePicker(description="Internal appeal filed on (if filed)", style=STYLE),
            "final_denial": W.DatePicker(description="Final internal denial dated (if any)", style=STYLE),
            "letter_internal_deadline": W.DatePicker(description="Appeal deadline printed on the letter", style=STYLE),
            "letter_external_deadline": W.DatePicker(description="External-review deadline on the letter", style=STYLE),
            # the language the patient reads the checklist, its printout and its calendar in (the letters stay in English)
            "lang": W.Dropdown(description="Checklist language", options=[(LANGUAGE_NAMES[k], k) for k in LANGS], value="en", style=STYLE),
        }

        def render() -> str:
            self.checklist = None
            if w["denial_date"].value is None:
                raise WorkflowError("Date on the denial notice", "pick the date printed on the denial notice to get the dated checklist")
            self.checklist = appeal_checklist(
                w["denial_date"].value, w["reason"].value, option=w["option"].value, service=w["service"].value, urgent=w["urgent"].value,
                appeal_filed=w["appeal_filed"].value, final_denial=w["final_denial"].value,
                letter_internal_deadline=w["letter_internal_deadline"].value, letter_external_deadline=w["letter_external_deadline"].value,
                today=self.today, ds=self.ds, lang=w["lang"].value,
            )
            return self.checklist.to_html()

        out = self._step("appeal", render, follow=False)
        for x in w.values():
            x.observe(lambda _ch: _show(out, render), names="value")
        shown = lambda: self._shown("appeal", self.checklist)  # noqa: E731
        export = self.exporters["appeal"] = Exporter("appeal_checklist", {"md": lambda: shown().to_markdown(), "html": lambda: shown().to_html(standalone=True), "ics": lambda: shown().to_ics()})
        reasons = W.HTML(report.CSS + "<div class='kt mathjax_ignore tex2jax_ignore'><details><summary><b>Common denial reasons and what to do</b></summary><ul>" + "".join(
            f"<li><b>{escape(r.label)}</b>: {escape(r.means)} <i>What to do:</i> {escape(' '.join(r.todo))}</li>" for r in DENIAL_REASONS.values()) + "</ul></details></div>")
        return W.VBox([reasons, *w.values(), out, W.HTML("<b>Hand the patient the checklist</b> (printable HTML or Markdown) and the calendar reminders (.ics):"), export.widget])

    # ------------------------------------------------------------------ letters
    def letter_panel(self) -> W.VBox:
        area = lambda label, rows=3: W.Textarea(description=label, placeholder="clinical facts only: no names, dates of birth or IDs", rows=rows, continuous_update=False, style=STYLE, layout=W.Layout(width="760px"))  # noqa: E731
        kind = W.Dropdown(description="Letter", options=[(v, k) for k, v in LETTER_TITLES.items()], value="appeal", style=STYLE)
        option = W.Dropdown(description="For", options=OPTIONS, value="spravato", style=STYLE)
        dx = W.Dropdown(description="Diagnosis code", options=[("(prescriber fills in)", "")], style=STYLE)
        parity = W.Dropdown(description="Mental-health parity paragraph", options=[("by plan type", None), ("include", True), ("leave out", False)], style=STYLE)
        texts = {
            "policy_reference": W.Text(description="Plan policy (number and title)", continuous_update=False, style=STYLE, layout=W.Layout(width="760px")),
            "clinical_summary": area("Clinical summary", 4),
            "treatment_plan": area("Treatment plan"),
            "alternatives": area("Other treatments tried or considered"),
            "evidence_cited": area("Published evidence (IV ketamine)"),
            "denial_quote": area("Denial reason as the letter words it", 2),
        }
        evidence = {cid: area(f"Criterion: {report.SHORT_CRITERIA[cid]}", 2) for cid in PROMPTS}
        for cid, a in evidence.items():
            a.placeholder = PROMPTS[cid]
        denial_date = W.DatePicker(description="Date of the denial", style=STYLE)
        reason = W.Dropdown(description="Denial reason", options=[("(prescriber fills in)", None)] + [(r.label, r.id) for r in DENIAL_REASONS.values()], style=STYLE, layout=WIDE)
        urgent = W.Checkbox(description="Urgent (expedited review)", indent=False)
        if hasattr(self, "appeal_widgets"):
            W.link((self.appeal_widgets["denial_date"], "value"), (denial_date, "value"))
            W.link((self.appeal_widgets["urgent"], "value"), (urgent, "value"))
            W.link((self.appeal_widgets["option"], "value"), (option, "value"))
        self.letter_widgets = {"kind": kind, "option": option, "diagnosis_code": dx, "parity": parity, "denial_date": denial_date, "denial_reason": reason, "urgent": urgent, **texts, **{f"evidence.{k}": v for k, v in evidence.items()}}

        def fields() -> dict[str, Any]:
            f: dict[str, Any] = {k: (w.value.strip() or None) for k, w in texts.items()}
            f["evidence"] = {k: w.value.strip() for k, w in evidence.items() if w.value.strip()}
            f["diagnosis_code"] = dx.value or None
            f["parity"] = parity.value
            f["denial_date"] = denial_date.value
            f["denial_reason"] = reason.value
            f["urgent"] = urgent.value
            return f

        def refresh_visibility() -> None:
            shown = {i.id for i in readiness(self.scenario, option.value, self.ds, self.call).items if i.status != "not needed"}
            for cid, a in evidence.items():
                a.layout.display = None if cid in shown else "none"
            texts["evidence_cited"].layout.display = None if option.value == "iv_ketamine" else "none"
            appeal_only = None if kind.value == "appeal" else "none"
            for x in (denial_date, reason, texts["denial_quote"]):
                x.layout.display = appeal_only
            codes = [c for c in DIAGNOSIS_CODES[self.scenario.indication.value] if c in self.ds.codes]
            opts = [("(prescriber fills in)", "")] + [(f"{c}: {self.ds.codes[c].description}", c) for c in codes]
            if list(dx.options) != opts:
                dx.options = opts

        def render() -> str:
            self.letter = None
            refresh_visibility()
            self.letter = letter = build_letter(kind.value, self.scenario, option.value, fields(), self.ds, self.call, today=self.today)
            status = "All fields given: no [TO COMPLETE] left." if letter.complete else f"{len(letter.missing)} item(s) still marked [TO COMPLETE] for the prescriber."
            return f"<div class='kt mathjax_ignore tex2jax_ignore'><p><b>{escape(status)}</b></p></div>" + letter.html

        out = self._step("letter", render)
        for x in self.letter_widgets.values():
            x.observe(lambda _ch: _show(out, render), names="value")
        export = self.exporters["letter"] = Exporter("letter_draft", {"md": lambda: self._shown("letter", self.letter).markdown, "html": lambda: self._shown("letter", self.letter).standalone_html()})
        form = W.VBox([kind, option, dx, parity, denial_date, reason, urgent, *texts.values(), *evidence.values()])
        return W.VBox([W.HTML("Fill in what the advisor knows; the prescriber completes the rest in their own system. Identity details are never asked for."), form, out, export.widget])

    # ---------------------------------------------------------------- superbill
    def superbill_panel(self) -> W.VBox:
        def render() -> str:
            self.superbill = None
            self.superbill = superbill_estimate(self.scenario, self.ds, self.call, today=self.today)
            return self.superbill.to_html()

        out = self._step("superbill", render)
        shown = lambda: self._shown("superbill", self.superbill)  # noqa: E731
        export = self.exporters["superbill"] = Exporter("superbill_checklist", {"md": lambda: shown().to_markdown(), "html": lambda: shown().to_html(standalone=True)})
        return W.VBox([out, export.widget])

    def app(self) -> W.Tab:
        """Every step in one tabbed widget (for Voila)."""
        panels = [self.situation_panel(), self.benefits_panel(), self.readiness_panel(), self.appeal_panel(), self.letter_panel(), self.superbill_panel()]
        tab = W.Tab(children=panels)
        for i, t in enumerate(["1 Situation", "2 Benefits call", "3 PA readiness", "4 Denial & appeal", "5 Letter draft", "6 Superbill"]):
            tab.set_title(i, t)
        return tab
