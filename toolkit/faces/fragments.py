"""HTML fragments of a comparison, shared by the dashboard (and later the handout).

Why plain HTML strings: they render the same in JupyterLab, Voila and a printed page,
are cheap to rebuild on every input change, and tests can read them as text. Everything
shown is escaped; nothing here computes money: it only formats what the engine returned.
"""

from __future__ import annotations

from html import escape

from ..notices import CRISIS_LINE, DISCLAIMER
from ..engine.compare import Comparison, OptionResult
from ..engine.coverage import CoverageAssessment
from ..money import fmt, fmt_pct, fmt_round

LEVEL_BADGE = {
    "likely": ("#1b7837", "Likely covered", "✔"),
    "possible": ("#8c6d00", "Possibly covered", "?"),
    "unlikely": ("#b35806", "Unlikely to be covered", "!"),
    "not_eligible": ("#5e3c99", "Not covered", "✖"),
}
STATUS_MARK = {"met": ("✔", "met"), "missing": ("✖", "missing"), "to confirm": ("…", "to confirm"), "not needed": ("–", "not needed")}

CSS = """
<style>
.kt {font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 14px; color: #1a1a1a; line-height: 1.4;}
.kt h3 {font-size: 16px; margin: 4px 0 6px 0;}
.kt .cards {display: flex; gap: 12px; flex-wrap: wrap;}
.kt .card {flex: 1 1 320px; border: 1px solid #c8c8c8; border-radius: 6px; padding: 10px 12px; background: #fff;}
.kt .badge {display: inline-block; padding: 2px 8px; border-radius: 4px; color: #fff; font-weight: 600;}
.kt table.kt-t {border-collapse: collapse; width: 100%; font-size: 13px;}
.kt table.kt-t th, .kt table.kt-t td {border-bottom: 1px solid #e0e0e0; padding: 3px 6px; text-align: right;}
.kt table.kt-t th:first-child, .kt table.kt-t td:first-child {text-align: left;}
.kt table.kt-t caption {text-align: left; font-weight: 600; padding: 4px 0;}
.kt .muted {color: #555;}
.kt table.claims th, .kt table.claims td {white-space: nowrap;}
.kt .small {font-size: 12px;}
.kt ul {margin: 4px 0 4px 18px; padding: 0;}
.kt .notice {border-left: 4px solid #0072B2; background: #f2f7fb; padding: 6px 10px; margin: 4px 0;}
.kt .crisis {border-left: 4px solid #D55E00; background: #fdf3ec; padding: 6px 10px; margin: 4px 0;}
.kt .err {color: #a50026; font-weight: 600;}
</style>
"""


def notices_html(binder_note: bool = True) -> str:
    """Disclaimer, privacy note and the 988 Lifeline: shown wherever a patient reads."""
    privacy = (
        "Privacy: enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine."
        + (" On Binder the session is public and temporary: anything entered is lost when it closes." if binder_note else "")
    )
    return (
        f'<div class="kt mathjax_ignore tex2jax_ignore"><div class="notice"><b>Estimates, not advice.</b> {escape(DISCLAIMER)}<br>{escape(privacy)}</div>'
        f'<div class="crisis"><b>988 Suicide &amp; Crisis Lifeline.</b> {escape(CRISIS_LINE)}</div></div>'
    )


SHORT_CRITERIA = {
    "adult": "Adult (18 or older)",
    "diagnosis": "Qualifying diagnosis",
    "two_antidepressant_trials": "2+ antidepressant trials, 6+ weeks each",
    "different_classes": "Trials from different drug classes",
    "augmentation": "Augmentation trial",
    "oral_antidepressant": "Current oral antidepressant",
    "psychiatrist": "Psychiatrist prescribes or consults",
    "baseline_score": "Baseline score (e.g. PHQ-9 15+)",
    "rems": "REMS enrolment (the clinic does it)",
    "no_contraindication": "No contraindication",
}


def coverage_card(opt: OptionResult) -> str:
    cov: CoverageAssessment = opt.coverage
    color, label, mark = LEVEL_BADGE[cov.level]
    lo, typ, hi = cov.likelihood
    parts = [
        '<div class="card">',
        f"<h3>{escape(opt.label)}</h3>",
        f'<span class="badge" style="background:{color}">{mark} {escape(label)}</span> ',
        f'<span class="muted">chance the plan pays: {fmt_pct(lo)} to {fmt_pct(hi)} (typical {fmt_pct(typ)})'
        + ("" if cov.rate_published else "; an assumption you can change")
        + "</span>",
        f'<p class="small muted">Prior authorization: {escape({"yes": "required", "no": "not usually required", "varies": "varies by plan"}[cov.pa_required])}.</p>',
        "<b>Why</b><ul>",
    ]
    sources = []
    for r in cov.reasons:
        parts.append(f"<li>{escape(r.text)}</li>")
        if r.source and r.source.cite() not in sources:
            sources.append(r.source.cite())
    parts.append("</ul>")
    if sources:
        parts.append("<details class='small'><summary>Sources</summary><ul>" + "".join(f"<li>{escape(x)}</li>" for x in sources) + "</ul></details>")
    if cov.checklist:
        parts.append(f'<b>Prior-authorization checklist</b><table class="kt-t" aria-label="prior authorization checklist, {escape(opt.label)}"><tr><th scope="col">Criterion</th><th scope="col">Status</th><th scope="col">Who supplies it</th></tr>')
        for c in cov.checklist:
            sym, word = STATUS_MARK.get(c.status, ("", c.status))
            common = "" if c.how_common == "usual" else " <span class='small muted'>(some plans)</span>"
            name = SHORT_CRITERIA.get(c.id, c.criterion)
            parts.append(f"<tr><td title='{escape(c.criterion)}'>{escape(name)}{common}</td><td>{sym} {escape(word)}</td><td>{escape(c.who_supplies)}</td></tr>")
        parts.append("</table>")
        parts.append(
            "<details class='small'><summary>What the criteria say</summary><ul>"
            + "".join(f"<li><b>{escape(SHORT_CRITERIA.get(c.id, c.id))}</b>: {escape(c.criterion)} <span class='muted'>[{escape(c.source.cite()) if c.source else ''}]</span></li>" for c in cov.checklist)
            + "</ul></details>"
        )
    if cov.raise_odds:
        parts.append("<b>What would help</b><ul>" + "".join(f"<li>{escape(t)}</li>" for t in cov.raise_odds) + "</ul>")
    for note in opt.run("approved").notes:
        parts.append(f'<p class="small muted">{escape(note)}</p>')
    parts.append("</div>")
    return "".join(parts)


def coverage_cards(comp: Comparison) -> str:
    return '<div class="kt mathjax_ignore tex2jax_ignore"><div class="cards">' + "".join(coverage_card(o) for o in comp.options.values()) + "</div></div>"


def cost_table(comp: Comparison) -> str:
    """Patient cost per period, both options side by side, with best / worst and approved / denied."""
    opts = list(comp.options.values())
    head = "".join(f'<th colspan="2" scope="colgroup">{escape(o.label)}</th>' for o in opts)
    sub = "".join('<th scope="col">Patient pays: expected (best to worst)</th><th scope="col">Plan pays (expected)</th>' for _ in opts)
    rows = []
    for name, m in comp.periods():
        cells = "".join(
            f"<td><b>{fmt_round(o.total('expected', m))}</b> <span class='muted'>({fmt_round(o.total('best', m))} to {fmt_round(o.total('worst', m))})</span></td>"
            f"<td>{fmt_round(o.plan_pays(m))}</td>"
            for o in opts
        )
        sessions = " / ".join(str(sum(o.schedule.sessions_per_month[:m])) for o in opts)
        rows.append(f"<tr><th scope='row'>{escape(name)} <span class='small muted'>({sessions} sessions)</span></th>{cells}</tr>")
    cells = "".join(
        f"<td>{fmt(o.per_session('expected'))} <span class='muted'>({fmt(o.per_session('best'))} to {fmt(o.per_session('worst'))})</span></td><td></td>"
        for o in opts
    )
    rows.append(f"<tr><th scope='row'>Per session, on average</th>{cells}</tr>")
    appr = "".join(f"<td>{fmt(o.run('approved').totals()['net'])}</td><td></td>" for o in opts)
    deny = "".join(f"<td>{fmt(o.run('denied').totals()['net'])}</td><td></td>" for o in opts)
    rows.append(f"<tr><th scope='row'>Whole period if approved (typical prices)</th>{appr}</tr>")
    rows.append(f"<tr><th scope='row'>Whole period if denied (typical prices)</th>{deny}</tr>")
    return (
        '<div class="kt mathjax_ignore tex2jax_ignore"><table class="kt-t" aria-label="cost table">'
        "<caption>What the patient would pay</caption>"
        f"<tr><th></th>{head}</tr><tr><th></th>{sub}</tr>" + "".join(rows) + "</table>"
        "<p class='small muted'>Expected = typical prices, weighted by the typical chance of approval. "
        "Best = low published prices and the high chance; worst = high prices and the low chance. "
        "A clinic quote replaces the published range. Open <i>Explanation of estimate</i> for the claim lines.</p></div>"
    )


def schedule_view(comp: Comparison) -> str:
    """Sessions per month, hours in clinic and trips, both options side by side."""
    opts = list(comp.options.values())
    months = comp.scenario.horizon_months
    from ..engine.schedule import add_months

    head = "".join(f"<th scope='col'>{add_months(comp.scenario.start_date, m):%-d %b}</th>" for m in range(months))
    rows = []
    for o in opts:
        cells = "".join(f"<td>{n or '·'}</td>" for n in o.schedule.sessions_per_month)
        rows.append(f"<tr><th scope='row'>{escape(o.label)}</th>{cells}</tr>")
    summary = "".join(
        f"<li><b>{escape(o.label)}</b>: {o.schedule.sessions} sessions, about {o.schedule.clinic_hours:g} hours in clinic "
        f"({o.sessions[0].minutes_in_clinic if o.sessions else 0} minutes each), {o.schedule.trips_needing_driver} trips needing someone to drive "
        f"the patient home; busiest week {o.schedule.busiest_week_sessions} sessions.</li>"
        for o in opts
    )
    return (
        '<div class="kt mathjax_ignore tex2jax_ignore"><table class="kt-t" aria-label="sessions per month">'
        f"<caption>Sessions per month of treatment (each month starts on the date shown)</caption><tr><th></th>{head}</tr>" + "".join(rows) + "</table>"
        f"<ul>{summary}</ul>"
        "<p class='small muted'>Spravato: at least 2 hours of observation every session and no driving until the next day. "
        "IV ketamine: infusion plus recovery; clinics require a ride home. Times in clinic include check-in; see data/protocols.csv.</p></div>"
    )


CLAIM_COLUMNS = [
    ("date", "Date"),
    ("service", "Service"),
    ("code", "Code"),
    ("billed", "Billed"),
    ("allowed", "Allowed"),
    ("plan_pays", "Plan pays"),
    ("deductible", "To deductible"),
    ("coinsurance", "Coinsurance"),
    ("copay", "Copay"),
    ("balance_bill", "Balance bill"),
    ("patient_pays", "Patient pays"),
    ("savings", "Savings program"),
    ("reimbursement", "Reimbursed"),
    ("net_patient_cost", "Net cost"),
    ("deductible_left", "Deductible left"),
    ("oop_left", "Cap left"),
    ("price_source", "Price from"),
]
MONEY_COLUMNS = {"billed", "allowed", "plan_pays", "deductible", "coinsurance", "copay", "balance_bill", "patient_pays", "savings", "reimbursement", "net_patient_cost", "deductible_left", "oop_left"}


def claims_html(opt: OptionResult, outcome: str) -> str:
    adj = opt.run(outcome)
    totals = adj.totals()
    rows = []
    for a in adj.lines:
        ln = a.line
        vals = {
            "date": f"{ln.day:%d %b %Y}",
            "service": ln.service,
            "code": ln.code,
            "billed": ln.billed,
            "allowed": a.allowed,
            "plan_pays": a.plan_pays,
            "deductible": a.deductible,
            "coinsurance": a.coinsurance,
            "copay": a.copay,
            "balance_bill": a.balance_bill,
            "patient_pays": a.patient_pays,
            "savings": a.savings,
            "reimbursement": a.reimbursement,
            "net_patient_cost": a.net,
            "deductible_left": a.deductible_left,
            "oop_left": a.oop_left,
            "price_source": ln.ref,
        }
        cells = "".join(
            f"<td>{'' if vals[k] is None else (fmt(vals[k]) if k in MONEY_COLUMNS else escape(str(vals[k])))}</td>" for k, _ in CLAIM_COLUMNS
        )
        rows.append(f"<tr>{cells}</tr>")
    head = "".join(f"<th scope='col'>{t}</th>" for _, t in CLAIM_COLUMNS)
    total_cells = {"billed": totals["billed"], "allowed": totals["allowed"], "plan_pays": totals["plan_pays"], "patient_pays": totals["patient_pays"], "savings": totals["savings"], "reimbursement": totals["reimbursement"], "net_patient_cost": totals["net"]}
    foot = "".join(f"<td><b>{fmt(total_cells[k])}</b></td>" if k in total_cells else ("<td><b>Total</b></td>" if k == "date" else "<td></td>") for k, _ in CLAIM_COLUMNS)
    return (
        f'<div class="kt mathjax_ignore tex2jax_ignore" style="overflow-x:auto"><table class="kt-t small claims" aria-label="claim lines {escape(opt.label)} {outcome}">'
        f"<caption>{escape(opt.label)}: {'if approved' if outcome == 'approved' else 'if denied (self-pay)'}, typical prices, {len(adj.lines)} claim lines</caption>"
        f"<tr>{head}</tr>{''.join(rows)}<tr>{foot}</tr></table></div>"
    )


def explanation_html(comp: Comparison) -> str:
    parts = ['<div class="kt mathjax_ignore tex2jax_ignore">']
    for o in comp.options.values():
        p = o.coverage.likelihood[1]
        a = o.run("approved").totals()["net"]
        d = o.run("denied").totals()["net"]
        parts.append(
            f"<p><b>{escape(o.label)}</b>: expected {fmt(o.total('expected'))} = {fmt_pct(p)} x {fmt(a)} (if approved) + {fmt_pct(1 - p)} x {fmt(d)} (if denied), "
            "each the sum of the claim lines below (net cost column).</p>"
        )
        parts.append(claims_html(o, "approved"))
        parts.append(claims_html(o, "denied"))
    parts.append("<p class='small muted'>Net cost = patient pays - savings program - reimbursement. Reimbursements of superbills arrive weeks later; they are counted with the session they pay back.</p></div>")
    return "".join(parts)
