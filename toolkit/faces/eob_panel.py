"""The dashboard's "After the first claims": an EOB pasted or uploaded, the re-fit shown, the choice made.

Why a panel of its own: it is a face. It hands the EOB text and the advisor's choices to
:mod:`toolkit.eob` and renders the :class:`~toolkit.eob.Refit` it gets back (estimate vs
actual per line, each difference with a "keep the scenario's" box, the forecast before and
after); it computes nothing itself. A bad file gets one inline message naming the row and
column, and the last good result stays. The re-fitted scenario goes into the form only when
the advisor presses the button, and is saved only from "Take it home".
"""

from __future__ import annotations

from html import escape
from typing import Any, Callable

import ipywidgets as W

from ..eob import COLUMNS, EOBError, Refit, read_eob_text, refit
from ..i18n import N_, gettext_for
from ..money import fmt, fmt_pct, fmt_round
from ..scenario import Scenario, ScenarioError
from . import fragments as report
from .widgets import Labels, message, safe, small_note

PLACEHOLDER = ",".join(COLUMNS) + "\n2026-12-07,J0013,1100.00,780.00,288.00,300.00,192.00,0.00,492.00,no,"


def _pair(est: int | None, actual: int) -> str:
    return f"{'&ndash;' if est is None else fmt(est)} &rarr; <b>{fmt(actual)}</b>"


def refit_html(r: Refit) -> str:
    """The re-fit as HTML: per line, the differences, the forecast before and after (all from ``r``)."""
    rows = []
    for c in r.lines:
        e, x = c.estimate, c.row
        status = ("denied" + (f" ({escape(x.denial_reason)})" if x.denial_reason else "")) if x.denied else "paid"
        rows.append(f"<tr><td>{x.day:%Y-%m-%d}</td><td>{escape(x.code)}</td><td>{escape(e.line.service) if e else 'not in the forecast'}</td>"
                    f"<td>{_pair(e.allowed if e else None, x.allowed)}</td><td>{_pair(e.plan_pays + e.reimbursement if e else None, x.plan_paid)}</td>"
                    f"<td>{_pair(e.patient_pays - e.reimbursement if e else None, x.patient_responsibility)}</td><td>{status}</td></tr>")
    diffs = "".join(
        f"<li><b>{escape(d.label)}</b>: the scenario said {escape(d.scenario)}, the EOB {'confirms' if d.pins else 'implies'} <b>{escape(d.eob)}</b> "
        f"({'keeping the scenario' if d.choice == 'keep-scenario' else 'using the EOB'})<br><span class='small muted'>{escape(d.why)}</span></li>"
        for d in r.differences) or "<li>None: the EOB agrees with the scenario.</li>"
    notes = "".join(f"<li class='small muted'>{escape(n)}</li>" for n in r.inference.notes)
    left = r.left_after()
    met = "" if left is None else (f"<p>Met so far, {left[0]}, after these lines: {fmt(left[1] or 0)} of the deductible left"
                                   + ("" if left[2] is None else f", {fmt(left[2])} left to the out-of-pocket maximum") + ".</p>")
    before, after = r.path_before(), r.path_after()
    pb, pa = r.plan_pays("before"), r.plan_pays("after")
    paying = "" if pa == pb else (f"<p>The plan is paying {'less' if pa < pb else 'more'} than we thought: {fmt_round(pa)} instead of "
                                  f"{fmt_round(pb)} over {r.months} months.</p>")
    rest = [p for p in r.after.options[r.option].paths if p is not after and p.likelihood[2] > 0]
    others = "" if not rest else ("<p class='small'>Other paths after the EOB: " + "; ".join(
        f"{escape(p.label.lower())} ({fmt_pct(p.likelihood[1])}): {fmt_round(p.total('typical', r.months))}" for p in rest) + ".</p>")
    sb, sa = r.savings("before"), r.savings("after")
    if sb != sa:
        paying += f"<p>The Spravato savings program pays {fmt_round(sa)} instead of {fmt_round(sb)}.</p>"
    if "accumulator" in after.variants:
        acc = after.variant("accumulator").total("typical", r.months) + (r.forecast_after() - after.total("typical", r.months))
        paying += (f"<p>If the plan has an accumulator (the savings program's payments do not count toward the deductible and cap): "
                   f"about {fmt_round(acc)}: ask the plan which.</p>")
    return (
        f"{report.CSS}<div class='kt mathjax_ignore tex2jax_ignore'>"
        f"<p><b>{escape(r.label)}</b>: {len(r.lines)} EOB line{'s' if len(r.lines) != 1 else ''}, estimate &rarr; actual</p>"
        "<table class='kt-t'><thead><tr><th>date</th><th>code</th><th>service</th><th>allowed</th><th>plan paid</th>"
        f"<th>patient owes</th><th>status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{met}"
        f"<p><b>Where the EOB and the scenario differ</b> (tick a box below to keep the scenario's value)</p><ul>{diffs}{notes}</ul>"
        f"<p><b>Forecast over {r.months} months</b> (typical prices, the most likely path): before the EOB "
        f"<b>{fmt_round(r.forecast_before())}</b> ({escape(before.label.lower())}); after <b>{fmt_round(r.forecast_after())}</b> "
        f"({escape(after.label.lower())}{'; the EOB&#39;s lines in place of the forecast&#39;s' if r.lines_in_place else ''}).</p>{others}{paying}</div>"
    )


class EOBPanel:
    """Handed the dashboard's last good comparison (``comparison()``) and how to load a scenario into the form (``use``)."""

    def __init__(self, comparison: Callable[[], Any], ds: Any, use: Callable[[Scenario], None]):
        self._comparison, self._ds, self._use = comparison, ds, use
        self.result: Refit | None = None
        self.lang = "en"
        self.words = words = Labels()
        self.text = words.text(W.Textarea(placeholder=PLACEHOLDER, layout=W.Layout(width="100%", height="90px"), style={"description_width": "120px"}),
                               "description", N_("EOB lines (CSV)"))
        self.upload = words.text(W.FileUpload(accept=".csv", multiple=False), "description", N_("Open EOB CSV"))
        self.run_button = words.text(W.Button(button_style="primary"), "description", N_("Re-fit the forecast"))
        self.use_button = words.text(W.Button(disabled=True), "description", N_("Use the re-fitted scenario in the form"))
        self.message, self.view = W.HTML(), W.HTML()
        self.english_note = W.HTML()  # in Spanish: the advisor's EOB comparison below is worded in English
        self.keeps = W.VBox()
        self.run_button.on_click(safe(self.message, self.run))
        self.use_button.on_click(safe(self.message, self.use))
        self.upload.observe(safe(self.message, self._uploaded), names="value")
        self.widget = W.VBox([
            words.text(W.HTML(), "value", N_("One row per claim line, copied from the plan's explanation of benefits. No member ID, claim number or "
                                             "name: a column or value that looks like one is refused. Nothing is saved."), small_note),
            self.english_note,
            self.text, W.HBox([self.run_button, self.upload]), self.message, self.view, self.keeps, self.use_button,
        ])

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        try:
            self.text.value = bytes(files[0]["content"]).decode("utf-8-sig")
        except UnicodeDecodeError:
            self.message.value = message(f"{files[0].get('name', 'EOB')}: is not a text (UTF-8) CSV file. Nothing was changed.")
            return
        self.run()

    def kept(self) -> list[str]:
        return [box.key for box in self.keeps.children if box.value]  # type: ignore[attr-defined]

    def run(self, _b: object = None, keep: list[str] | None = None) -> bool:
        """Re-fit to the EOB in the box; a problem is one inline message and the last result stays."""
        comp = self._comparison()
        if comp is None:
            self.message.value = message("Fix the form first: the re-fit starts from the last valid scenario.")
            return False
        try:
            rows = read_eob_text(self.text.value, "EOB")
            result = refit(comp.scenario, rows, self._ds, keep=self.kept() if keep is None else keep, before=comp)
        except (EOBError, ScenarioError) as exc:
            self.message.value = message(f"{exc}. " + ("The result below is from the last good EOB." if self.result else "Nothing was changed."))
            return False
        self.result = result
        self.message.value = ""
        self.view.value = refit_html(result)
        self._boxes(result)
        self.use_button.disabled = False
        return True

    def _boxes(self, r: Refit) -> None:
        """One "keep the scenario's" box per difference; the same differences keep their boxes (and their ticks)."""
        if [b.key for b in self.keeps.children] == [d.key for d in r.differences]:  # type: ignore[attr-defined]
            return
        boxes = []
        for d in r.differences:
            box = W.Checkbox(value=d.choice == "keep-scenario", description=f"Keep the scenario's: {d.label}", indent=False)
            box.key = d.key  # type: ignore[attr-defined]
            box.observe(safe(self.message, lambda _c: self.run()), names="value")
            boxes.append(box)
        self.keeps.children = boxes

    def use(self, _b: object = None) -> None:
        """Load the re-fitted scenario into the form (the advisor saves it from "Take it home" if they want)."""
        if self.result is None:
            return
        self._use(self.result.scenario)
        self.message.value = message("The form now holds the re-fitted scenario (not saved: save it under Take it home to keep it).", "ok")

    def set_lang(self, lang: str) -> None:
        """The panel's labels in ``lang``; the EOB comparison itself is the advisor's working view and stays in English (it says so)."""
        self.lang = lang
        self.words.relabel(lang)
        self.english_note.value = "" if lang == "en" else small_note(gettext_for(lang)(EOB_IN_ENGLISH))


EOB_IN_ENGLISH = N_("The comparison of the explanation of benefits with the estimate is shown in English for the advisor, "
                    "who can explain it; the figures on the rest of this page follow it once it is applied.")
