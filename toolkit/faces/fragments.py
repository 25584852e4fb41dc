"""HTML fragments of a comparison, shared by the dashboard, the notebooks and the handout.

Why HTML: it renders the same in JupyterLab, Voila and a printed page, is cheap to rebuild
on every input change, and tests can read it as text. Each fragment is a template in
``toolkit/templates/fragments/`` rendered by the one Jinja environment
(:mod:`toolkit.templating`), so everything shown is escaped by one rule. The functions here
only pick out what the engine returned; nothing computes money.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..dates import add_months
from ..engine.compare import CASES, Comparison, OptionResult
from ..money import fmt, fmt_pct, fmt_round
from ..notices import BINDER_NOTE, CRISIS_LINE, DISCLAIMER, PRIVACY
from ..templating import environment

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
.kt .paths {margin: 0 0 10px 0;}
.kt .paths p.lead {margin: 4px 0; font-size: 14px;}
.kt tr.likely th, .kt tr.likely td {background: #f2f7fb;}
.kt .paths table.kt-t th[scope=row] {font-weight: normal;}
.kt .paths {margin: 0 0 10px 0;}
.kt .paths p.lead {margin: 4px 0; font-size: 14px;}
.kt tr.likely th, .kt tr.likely td {background: #f2f7fb;}
.kt .paths table.kt-t th[scope=row] {font-weight: normal;}
</style>
"""




def _render(name: str, **ctx: Any) -> str:
    return environment().get_template(f"fragments/{name}.html.j2").render(**ctx)


def notices_html(binder_note: bool = True) -> str:
    """Disclaimer, privacy note and the 988 Lifeline: shown wherever a patient reads."""
    privacy = PRIVACY + (" " + BINDER_NOTE if binder_note else "")
    return _render("notices", disclaimer=DISCLAIMER, privacy=privacy, crisis_line=CRISIS_LINE)


ASK_FIRST = ("Ask the plan first: Does it have a copay-accumulator or maximizer program for specialty drugs? "
             "Until it says, Spravato is shown both ways.")


def ask_first(comp: Comparison) -> list[str]:
    """Questions to put at the top: plan rules the comparison had to show both ways because nobody has asked."""
    unknown = any("accumulator" in p.variants for o in comp.options.values() for p in o.paths)
    return [ASK_FIRST] if unknown else []


def ask_first_html(comp: Comparison) -> str:
    """The same questions as a notice above the results (empty when every plan rule is known)."""
    return "".join(f"<div class='kt'><div class='notice'><b>Ask the plan first:</b> {escape(q.removeprefix('Ask the plan first: '))}</div></div>" for q in ask_first(comp))


def plan_year_lines(comp: Comparison) -> list[str]:
    """The likely path's cost per plan year, one sentence per option, when the comparison crosses a reset."""
    out = []
    for key, o in comp.options.items():
        years = comp.plan_years(key)
        if len(years) > 1 and any(y.claims for y in years):  # self-pay only: no deductible or cap to reset
            cap = f" (out-of-pocket maximum {fmt_round(years[0].cap)} a plan year in network)" if years[0].cap is not None else ""
            parts = [f"{y.label} ({y.sessions} sessions): {fmt_round(y.net)}" for y in years]
            out.append(f"{o.label}, most likely path by plan year: {'; '.join(parts)}. Each plan year has its own deductible and cap{cap}.")
    return out


def plan_years_print(comp: Comparison) -> str:
    """The same in one short sentence for paper: ``By plan year (most likely path): Spravato Jan 2026-Dec 2026 $400, ...``."""
    parts, caps = [], set()
    for key, o in comp.options.items():
        years = comp.plan_years(key)
        if len(years) > 1 and any(y.claims for y in years):
            parts.append(f"{o.label.split(' (')[0]} " + ", ".join(f"{_short_year(y.label)} {fmt_round(y.net)}" for y in years))
            caps |= {y.cap for y in years if y.cap is not None}
    if not parts:
        return ""
    cap = f" {', '.join(fmt_round(c) for c in sorted(caps))}" if caps else ""
    return f"By plan year (most likely path): {'; '.join(parts)}; each year has its own deductible and{cap} cap."


def _short_year(label: str) -> str:
    """``Jan 2027-Dec 2027`` is ``2027``; a plan year from another month keeps its months."""
    a, _, b = label.partition("-")
    return a[4:] if a.startswith("Jan ") and b == f"Dec {a[4:]}" else label


def plan_years_html(comp: Comparison) -> str:
    """Per-plan-year totals (so a total above the cap is not read as a breach) and the note on the data's year."""
    lines = plan_year_lines(comp) + ([comp.limits_note] if comp.limits_note else [])
    return "".join(f"<p class='small'>{escape(x)}</p>" for x in lines)


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



PA_WORDS = {"yes": "required", "no": "not usually required", "varies": "varies by plan"}


def level_badge(cov: Any) -> tuple[str, str, str]:
    """(colour, words, mark) for a coverage level; an off-label use says so instead of "Not covered"."""
    color, badge, mark = LEVEL_BADGE[cov.level]
    return color, badge if cov.indicated else cov.level_label, mark


def _card(opt: OptionResult) -> dict[str, Any]:
    cov = opt.coverage
    color, badge, mark = level_badge(cov)
    sources: list[str] = []
    for r in cov.reasons:
        if r.source and r.source.cite() not in sources:
            sources.append(r.source.cite())
    checklist = [
        {"name": SHORT_CRITERIA.get(c.id, c.criterion), "criterion": c.criterion, "usual": c.how_common == "usual",
         "symbol": STATUS_MARK.get(c.status, ("", c.status))[0], "word": STATUS_MARK.get(c.status, ("", c.status))[1],
         "who": c.who_supplies, "source": c.source.cite() if c.source else ""}
        for c in cov.checklist
    ]
    lo, typ, hi = cov.likelihood
    return {"label": opt.label, "color": color, "badge": badge, "mark": mark, "lo": lo, "typ": typ, "hi": hi,
            "published": cov.rate_published, "pa": PA_WORDS[cov.pa_required], "reasons": [r.text for r in cov.reasons],
            "sources": sources, "checklist": checklist, "raise_odds": cov.raise_odds, "notes": opt.run("approved").notes}


def coverage_card(opt: OptionResult) -> str:
    """One option's coverage: level, chance, reasons, the prior-authorization checklist, what would help."""
    return _render("coverage_cards", cards=[_card(opt)])


def coverage_cards(comp: Comparison) -> str:
    return _render("coverage_cards", cards=[_card(o) for o in comp.options.values()])


def burden(o: OptionResult) -> str:
    """The schedule's demands beside the cost: sessions, hours in clinic, rides home."""
    sch = o.schedule
    each = o.sessions[0].minutes_in_clinic if o.sessions else 0
    return (f"{sch.sessions} sessions ({sch.first_month_sessions} in the first month, up to {sch.busiest_week_sessions} in a week), "
            f"about {sch.clinic_hours:g} hours in clinic ({each} minutes each), {sch.trips_needing_driver} rides home with someone else driving.")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _chance(p) -> str:
    if p.key == "not_applicable":
        return "certain"
    lo, typ, hi = p.likelihood
    return fmt_pct(typ) if lo == hi else f"{fmt_pct(typ)} ({fmt_pct(lo)} to {fmt_pct(hi)})"


VARIANT_WORDS = {
    "accumulator": ("The same, if the plan has an accumulator: the savings program's payments do not count "
                    "toward the deductible or cap", "ask the plan"),
    "part_d": ("The same, if the drug came from a specialty pharmacy under Part D (its own deductible, 25% and "
               "yearly cap; whether the Part D plan pays for it is plan-dependent and unverified)", "ask the plan"),
    "part_b": ("The same, billed by the clinic under Part B (G2082/G2083: drug, visit and observation together; "
               "20% with no yearly cap without a supplement)", "ask the clinic"),
}


def _path_rows(p, periods) -> list[dict]:
    """A path's row, and a row for each plan rule not known yet (the same path if the plan has an accumulator)."""
    rows = [{"means": _first_upper(p.means), "likely": p.likely, "variant": False, "chance": _chance(p), "costs": [p.range(m) for _, m in periods]}]
    for name in p.variants:
        words, chance = VARIANT_WORDS[name]
        v = p.variant(name)
        rows.append({"means": words, "likely": False, "variant": True, "chance": chance, "costs": [v.range(m) for _, m in periods]})
    return rows


def paths_table(comp: Comparison) -> str:
    """What is most likely to happen for each option and what it costs, then the other paths with their chances."""
    from ..engine.paths import in_words

    periods = comp.periods()
    options = []
    for o in comp.options.values():
        paths = sorted(o.paths, key=lambda x: not x.likely)
        options.append({
            "label": o.label, "words": _first_upper(in_words(o.label, o.paths, periods).removeprefix(f"{o.label}, ")),
            "burden": burden(o),
            "paths": [row for p in paths for row in _path_rows(p, periods)],
        })
    return _render("paths", options=options, periods=[name for name, _ in periods])


def cost_table(comp: Comparison) -> str:
    """For comparing the options: the likelihood-weighted average (no patient pays it), best / worst and approved / denied."""
    opts = list(comp.options.values())
    periods = [
        {"name": name, "sessions": " / ".join(str(sum(o.schedule.sessions_per_month[:m])) for o in opts),
         "cells": [{"expected": o.total("expected", m), "best": o.total("best", m), "worst": o.total("worst", m), "plan": o.plan_pays(m)} for o in opts]}
        for name, m in comp.periods()
    ]
    options = [
        {"label": o.label, "per_session": {c: o.per_session(c) for c in CASES},
         "approved": o.run("approved").totals()["net"], "denied": o.run("denied").totals()["net"]}
        for o in opts
    ]
    return _render("cost_table", options=options, periods=periods)


def schedule_view(comp: Comparison, *, per_row: int | None = None, summary: bool = True, first_months: int | None = None) -> str:
    """Sessions per month for both options side by side; ``per_row`` months per table (paper), ``summary`` the totals list,
    ``first_months`` only the first months shown (a crowded printed page; the calendar file has every date)."""
    opts = list(comp.options.values())
    months = min(comp.scenario.horizon_months, first_months or comp.scenario.horizon_months)
    per_row = per_row or months
    start = comp.scenario.start_date
    fmt_head = "%-d %b" if per_row >= months else "%-d %b %y"
    blocks = []
    for first in range(0, months, per_row):
        span = range(first, min(months, first + per_row))
        blocks.append({
            "aria": "sessions per month" if per_row >= months else f"sessions per month, months {first + 1} to {span[-1] + 1}",
            "heads": [f"{add_months(start, m):{fmt_head}}" for m in span],
            "rows": [{"label": o.label, "cells": [o.schedule.sessions_per_month[m] for m in span]} for o in opts]
            + [{"label": f"{o.label}: approval ends", "cells": [_reauth_cell(o, add_months(start, m), add_months(start, m + 1)) for m in span]}
               for o in opts if o.reauthorizations],
        })
    options = [{"label": o.label, "sessions": o.schedule.sessions, "hours": f"{o.schedule.clinic_hours:g}",
                "minutes": o.sessions[0].minutes_in_clinic if o.sessions else 0, "trips": o.schedule.trips_needing_driver,
                "busiest": o.schedule.busiest_week_sessions} for o in opts]
    reauth = [{"label": o.label, "short": o.label.split(" (")[0], "dates": [r.text for r in o.reauthorizations], "months": o.reauthorizations[0].months,
               "from_plan": o.reauthorizations[0].from_plan} for o in opts if o.reauthorizations]
    return _render("schedule", blocks=blocks, options=options, summary=summary, reauth=reauth)


def _reauth_cell(o: OptionResult, month_start, month_end) -> str:
    """The day in that treatment month when the prior authorization runs out, e.g. ``7 Jun`` (empty if none)."""
    return ", ".join(f"{r.day:%-d %b}" for r in o.reauthorizations if month_start <= r.day < month_end)


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
    ("allowed_by", "Allowed as"),
    ("note", "Note"),
    ("price_source", "Price from"),
]
MONEY_COLUMNS = {"billed", "allowed", "plan_pays", "deductible", "coinsurance", "copay", "balance_bill", "patient_pays", "savings", "reimbursement", "net_patient_cost", "deductible_left", "oop_left"}




def claims_html(opt: OptionResult, outcome: str) -> str:
    """Every claim line of one option and outcome (typical prices), with its totals."""
    adj = opt.run(outcome)
    rows = []
    for a in adj.lines:
        ln = a.line
        vals: dict[str, Any] = {
            "date": f"{ln.day:%d %b %Y}", "service": ln.service, "code": ln.code, "billed": ln.billed, "allowed": a.allowed,
            "plan_pays": a.plan_pays, "deductible": a.deductible, "coinsurance": a.coinsurance, "copay": a.copay,
            "balance_bill": a.balance_bill, "patient_pays": a.patient_pays, "savings": a.savings, "reimbursement": a.reimbursement,
            "net_patient_cost": a.net, "deductible_left": a.deductible_left, "oop_left": a.oop_left, "allowed_by": a.allowed_by,
            "note": a.note, "price_source": ln.ref,
        }
        rows.append({k: "" if v is None else (fmt(v) if k in MONEY_COLUMNS else str(v)) for k, v in vals.items()})
    t = adj.totals()
    totals = {"billed": t["billed"], "allowed": t["allowed"], "plan_pays": t["plan_pays"], "patient_pays": t["patient_pays"],
              "savings": t["savings"], "reimbursement": t["reimbursement"], "net_patient_cost": t["net"]}
    return _render("claims", label=opt.label, outcome=outcome, rows=rows, columns=CLAIM_COLUMNS, totals=totals)


def explanation_html(comp: Comparison) -> str:
    """How each expected figure is made: the weighting, then every claim line behind it."""
    parts = ['<div class="kt mathjax_ignore tex2jax_ignore">']
    for o in comp.options.values():
        from ..money import fmt_pct

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


def chart_numbers_html(comp: Comparison) -> str:
    """The chart's numbers: each path's running total at each month's end (typical prices; range in brackets)."""
    opts = list(comp.options.values())
    columns = [(o, p) for o in opts for p in sorted(o.paths, key=lambda x: not x.likely)]
    start = comp.scenario.start_date
    months = []
    for m in range(comp.scenario.horizon_months):
        cells = []
        for _o, p in columns:
            r = p.range(m + 1)
            cells.append({"typical": r["typical"], "low": r["low"], "high": r["high"]})
        months.append({"number": m + 1, "end": f"{add_months(start, m + 1):%d %b %Y}", "cells": cells})
    heads = [{"option": o.label, "path": p.short, "chance": "" if p.key == "not_applicable" else fmt_pct(p.likelihood[1]), "likely": p.likely} for o, p in columns]
    return _render("chart_numbers", heads=heads, months=months)


def chart_img_html(comp: Comparison, svg: str) -> str:
    """The chart as an <img> whose alt text states what it shows, in numbers."""
    from .charts import alt_text, svg_img

    return svg_img(svg, alt_text(comp), 840)
