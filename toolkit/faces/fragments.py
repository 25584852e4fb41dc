"""HTML fragments of a comparison, shared by the dashboard, the notebooks and the handout.

Why HTML: it renders the same in JupyterLab, Voila and a printed page, is cheap to rebuild
on every input change, and tests can read it as text. Each fragment is a template in
``toolkit/templates/fragments/`` rendered by the one Jinja environment
(:mod:`toolkit.templating`), so everything shown is escaped by one rule. The functions here
only pick out what the engine returned; nothing computes money. Each takes ``lang`` ("en" or
"es"): the template's words come from the catalogue, the engine's through
:func:`toolkit.faces.words.say`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..dates import add_months
from ..engine.compare import CASES, Comparison, OptionResult
from ..i18n import N_, day, dollars, gettext_for, money
from ..money import fmt_pct
from ..notices import BINDER_NOTE, CRISIS_LINE, DISCLAIMER, PRIVACY
from ..templating import environment
from .words import first_upper, in_words, period, reauthorization, say

LEVEL_BADGE = {
    "likely": ("#1b7837", N_("Likely covered"), "✔"),
    "possible": ("#8c6d00", N_("Possibly covered"), "?"),
    "unlikely": ("#b35806", N_("Unlikely to be covered"), "!"),
    "not_eligible": ("#5e3c99", N_("Not covered"), "✖"),
}
STATUS_MARK = {"met": ("✔", N_("met")), "missing": ("✖", N_("missing")), "to confirm": ("…", N_("to confirm")), "not needed": ("–", N_("not needed"))}

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




def _render(name: str, lang: str = "en", **ctx: Any) -> str:
    return environment(lang).get_template(f"fragments/{name}.html.j2").render(**ctx)


def notices_html(binder_note: bool = True, lang: str = "en") -> str:
    """Disclaimer, privacy note and the 988 Lifeline: shown wherever a patient reads."""
    _ = gettext_for(lang)
    privacy = _(PRIVACY) + (" " + _(BINDER_NOTE) if binder_note else "")
    return _render("notices", lang, disclaimer=_(DISCLAIMER), privacy=privacy, crisis_line=_(CRISIS_LINE))


ASK_FIRST = N_("Does it have a copay-accumulator or maximizer program for specialty drugs? "
               "Until it says, Spravato is shown both ways.")


def ask_first(comp: Comparison, lang: str = "en") -> list[str]:
    """Questions to put at the top: plan rules the comparison had to show both ways because nobody has asked."""
    unknown = any("accumulator" in p.variants for o in comp.options.values() for p in o.paths)
    return [gettext_for(lang)(ASK_FIRST)] if unknown else []


def ask_first_html(comp: Comparison, lang: str = "en") -> str:
    """The same questions as a notice above the results (empty when every plan rule is known)."""
    head = escape(gettext_for(lang)("Ask the plan first:"))
    return "".join(f"<div class='kt'><div class='notice'><b>{head}</b> {escape(q)}</div></div>" for q in ask_first(comp, lang))


def _year_label(label: str, lang: str) -> str:
    """``Jan 2026-Dec 2026`` (the engine's plan-year label) with Spanish month names in Spanish."""
    if lang == "en":
        return label
    from datetime import datetime

    try:
        return "-".join(day(datetime.strptime(part, "%b %Y").date(), lang, "month_year") for part in label.split("-"))
    except ValueError:
        return label


def plan_year_lines(comp: Comparison, lang: str = "en") -> list[str]:
    """The likely path's cost per plan year, one sentence per option, when the comparison crosses a reset."""
    _ = gettext_for(lang)
    out = []
    for key, o in comp.options.items():
        years = comp.plan_years(key)
        if len(years) > 1 and any(y.claims for y in years):  # self-pay only: no deductible or cap to reset
            parts = [_("{year} ({sessions} sessions): {amount}").format(year=_year_label(y.label, lang), sessions=y.sessions, amount=dollars(y.net, lang))
                     for y in years]
            line = _("{label}, most likely path by plan year: {parts}. Each plan year has its own deductible and cap").format(
                label=say(o.label, lang), parts="; ".join(parts))
            if years[0].cap is not None:
                line += " " + _("(out-of-pocket maximum {amount} a plan year in network)").format(amount=dollars(years[0].cap, lang))
            out.append(line + ".")
    return out


def plan_years_print(comp: Comparison, lang: str = "en") -> str:
    """The same in one short sentence for paper: ``By plan year (most likely path): Spravato Jan 2026-Dec 2026 $400, ...``."""
    _ = gettext_for(lang)
    parts, caps = [], set()
    for key, o in comp.options.items():
        years = comp.plan_years(key)
        if len(years) > 1 and any(y.claims for y in years):
            parts.append(f"{say(o.label.split(' (')[0], lang)} " + ", ".join(f"{_year_label(_short_year(y.label), lang)} {dollars(y.net, lang)}" for y in years))
            caps |= {y.cap for y in years if y.cap is not None}
    if not parts:
        return ""
    if caps:
        return _("By plan year (most likely path): {parts}; each year has its own deductible and {caps} cap.").format(
            parts="; ".join(parts), caps=", ".join(dollars(c, lang) for c in sorted(caps)))
    return _("By plan year (most likely path): {parts}; each year has its own deductible and cap.").format(parts="; ".join(parts))


def _short_year(label: str) -> str:
    """``Jan 2027-Dec 2027`` is ``2027``; a plan year from another month keeps its months."""
    a, _, b = label.partition("-")
    return a[4:] if a.startswith("Jan ") and b == f"Dec {a[4:]}" else label


def plan_years_html(comp: Comparison, lang: str = "en") -> str:
    """Per-plan-year totals (so a total above the cap is not read as a breach) and the note on the data's year."""
    lines = plan_year_lines(comp, lang) + ([say(comp.limits_note, lang)] if comp.limits_note else [])
    return "".join(f"<p class='small'>{escape(x)}</p>" for x in lines)


SHORT_CRITERIA = {
    "adult": N_("Adult (18 or older)"),
    "diagnosis": N_("Qualifying diagnosis"),
    "two_antidepressant_trials": N_("2+ antidepressant trials, 6+ weeks each"),
    "different_classes": N_("Trials from different drug classes"),
    "augmentation": N_("Augmentation trial"),
    "oral_antidepressant": N_("Current oral antidepressant"),
    "psychiatrist": N_("Psychiatrist prescribes or consults"),
    "baseline_score": N_("Baseline score (e.g. PHQ-9 15+)"),
    "rems": N_("REMS enrolment (the clinic does it)"),
    "no_contraindication": N_("No contraindication"),
}



PA_WORDS = {"yes": N_("required"), "no": N_("not usually required"), "varies": N_("varies by plan")}


def level_badge(cov: Any, lang: str = "en") -> tuple[str, str, str]:
    """(colour, words, mark) for a coverage level; an off-label use says so instead of "Not covered"."""
    color, badge, mark = LEVEL_BADGE[cov.level]
    return color, gettext_for(lang)(badge) if cov.indicated else say(cov.level_label, lang), mark


def _card(opt: OptionResult, lang: str = "en") -> dict[str, Any]:
    _ = gettext_for(lang)
    cov = opt.coverage
    color, badge, mark = level_badge(cov, lang)
    sources: list[str] = []
    for r in cov.reasons:
        if r.source and r.source.cite() not in sources:
            sources.append(r.source.cite())
    checklist = [
        {"name": _(SHORT_CRITERIA[c.id]) if c.id in SHORT_CRITERIA else say(c.criterion, lang), "criterion": say(c.criterion, lang),
         "usual": c.how_common == "usual",
         "symbol": STATUS_MARK.get(c.status, ("", c.status))[0], "word": _(STATUS_MARK.get(c.status, ("", c.status))[1]),
         "who": say(c.who_supplies, lang), "source": c.source.cite() if c.source else ""}
        for c in cov.checklist
    ]
    lo, typ, hi = cov.likelihood
    return {"label": say(opt.label, lang), "color": color, "badge": badge, "mark": mark, "lo": lo, "typ": typ, "hi": hi,
            "published": cov.rate_published, "pa": _(PA_WORDS[cov.pa_required]), "reasons": [say(r.text, lang) for r in cov.reasons],
            "sources": sources, "checklist": checklist, "raise_odds": [say(t, lang) for t in cov.raise_odds],
            "notes": [say(n, lang) for n in opt.run("approved").notes]}


def coverage_card(opt: OptionResult, lang: str = "en") -> str:
    """One option's coverage: level, chance, reasons, the prior-authorization checklist, what would help."""
    return _render("coverage_cards", lang, cards=[_card(opt, lang)])


def coverage_cards(comp: Comparison, lang: str = "en") -> str:
    return _render("coverage_cards", lang, cards=[_card(o, lang) for o in comp.options.values()])


def burden(o: OptionResult, lang: str = "en") -> str:
    """The schedule's demands beside the cost: sessions, hours in clinic, rides home."""
    _ = gettext_for(lang)
    sch = o.schedule
    each = o.sessions[0].minutes_in_clinic if o.sessions else 0
    return _("{sessions} sessions ({first} in the first month, up to {busiest} in a week), "
             "about {hours} hours in clinic ({each} minutes each), {trips} rides home with someone else driving.").format(
        sessions=sch.sessions, first=sch.first_month_sessions, busiest=sch.busiest_week_sessions, hours=f"{sch.clinic_hours:g}",
        each=each, trips=sch.trips_needing_driver)


_first_upper = first_upper


def _chance(p, lang: str = "en") -> str:
    if p.key == "not_applicable":
        return gettext_for(lang)("certain")
    lo, typ, hi = p.likelihood
    if lo == hi:
        return fmt_pct(typ)
    return f"{fmt_pct(typ)} (" + gettext_for(lang)("{low} to {high}").format(low=fmt_pct(lo), high=fmt_pct(hi)) + ")"


VARIANT_WORDS = {
    "accumulator": (N_("The same, if the plan has an accumulator: the savings program's payments do not count "
                       "toward the deductible or cap"), N_("ask the plan")),
    "part_d": (N_("The same, if the drug came from a specialty pharmacy under Part D (its own deductible, 25% and "
                  "yearly cap; whether the Part D plan pays for it is plan-dependent and unverified)"), N_("ask the plan")),
    "part_b": (N_("The same, billed by the clinic under Part B (G2082/G2083: drug, visit and observation together; "
                  "20% with no yearly cap without a supplement)"), N_("ask the clinic")),
}


def _path_rows(p, periods, lang: str = "en") -> list[dict]:
    """A path's row, and a row for each plan rule not known yet (the same path if the plan has an accumulator)."""
    _ = gettext_for(lang)
    rows = [{"means": first_upper(say(p.means, lang)), "likely": p.likely, "variant": False, "chance": _chance(p, lang),
             "costs": [p.range(m) for _, m in periods]}]
    for name in p.variants:
        words, chance = VARIANT_WORDS[name]
        v = p.variant(name)
        rows.append({"means": _(words), "likely": False, "variant": True, "chance": _(chance), "costs": [v.range(m) for _, m in periods]})
    return rows


def paths_table(comp: Comparison, lang: str = "en") -> str:
    """What is most likely to happen for each option and what it costs, then the other paths with their chances."""
    periods = comp.periods()
    options = []
    for o in comp.options.values():
        paths = sorted(o.paths, key=lambda x: not x.likely)
        label = say(o.label, lang)
        options.append({
            "label": label, "words": first_upper(in_words(label, o.paths, periods, lang).removeprefix(f"{label}, ")),
            "burden": burden(o, lang),
            "paths": [row for p in paths for row in _path_rows(p, periods, lang)],
        })
    return _render("paths", lang, options=options, periods=[period(name, lang) for name, _ in periods])


def cost_table(comp: Comparison, lang: str = "en") -> str:
    """For comparing the options: the likelihood-weighted average (no patient pays it), best / worst and approved / denied."""
    opts = list(comp.options.values())
    periods = [
        {"name": period(name, lang), "sessions": " / ".join(str(sum(o.schedule.sessions_per_month[:m])) for o in opts),
         "cells": [{"expected": o.total("expected", m), "best": o.total("best", m), "worst": o.total("worst", m), "plan": o.plan_pays(m)} for o in opts]}
        for name, m in comp.periods()
    ]
    options = [
        {"label": say(o.label, lang), "per_session": {c: o.per_session(c) for c in CASES},
         "approved": o.run("approved").totals()["net"], "denied": o.run("denied").totals()["net"]}
        for o in opts
    ]
    return _render("cost_table", lang, options=options, periods=periods)


def schedule_view(comp: Comparison, *, per_row: int | None = None, summary: bool = True, first_months: int | None = None, lang: str = "en") -> str:
    """Sessions per month for both options side by side; ``per_row`` months per table (paper), ``summary`` the totals list,
    ``first_months`` only the first months shown (a crowded printed page; the calendar file has every date)."""
    opts = list(comp.options.values())
    months = min(comp.scenario.horizon_months, first_months or comp.scenario.horizon_months)
    per_row = per_row or months
    start = comp.scenario.start_date
    head_kind = "day_month" if per_row >= months else "day_month_yy"
    _ = gettext_for(lang)
    blocks = []
    for first in range(0, months, per_row):
        span = range(first, min(months, first + per_row))
        blocks.append({
            "aria": _("sessions per month") if per_row >= months else _("sessions per month, months {first} to {last}").format(first=first + 1, last=span[-1] + 1),
            "heads": [day(add_months(start, m), lang, head_kind) for m in span],
            "rows": [{"label": say(o.label, lang), "cells": [o.schedule.sessions_per_month[m] for m in span]} for o in opts]
            + [{"label": _("{label}: approval ends").format(label=say(o.label, lang)),
                "cells": [_reauth_cell(o, add_months(start, m), add_months(start, m + 1), lang) for m in span]}
               for o in opts if o.reauthorizations],
        })
    options = [{"label": say(o.label, lang), "sessions": o.schedule.sessions, "hours": f"{o.schedule.clinic_hours:g}",
                "minutes": o.sessions[0].minutes_in_clinic if o.sessions else 0, "trips": o.schedule.trips_needing_driver,
                "busiest": o.schedule.busiest_week_sessions} for o in opts]
    reauth = [{"label": say(o.label, lang), "short": say(o.label.split(" (")[0], lang), "dates": [reauthorization(r, lang) for r in o.reauthorizations],
               "months": o.reauthorizations[0].months, "from_plan": o.reauthorizations[0].from_plan} for o in opts if o.reauthorizations]
    return _render("schedule", lang, blocks=blocks, options=options, summary=summary, reauth=reauth)


def _reauth_cell(o: OptionResult, month_start, month_end, lang: str = "en") -> str:
    """The day in that treatment month when the prior authorization runs out, e.g. ``7 Jun`` (empty if none)."""
    return ", ".join(day(r.day, lang, "day_month") for r in o.reauthorizations if month_start <= r.day < month_end)


CLAIM_COLUMNS = [
    ("date", N_("Date")),
    ("service", N_("Service")),
    ("code", N_("Code")),
    ("billed", N_("Billed")),
    ("allowed", N_("Allowed")),
    ("plan_pays", N_("Plan pays")),
    ("deductible", N_("To deductible")),
    ("coinsurance", N_("Coinsurance")),
    ("copay", N_("Copay")),
    ("balance_bill", N_("Balance bill")),
    ("patient_pays", N_("Patient pays")),
    ("savings", N_("Savings program")),
    ("reimbursement", N_("Reimbursed")),
    ("net_patient_cost", N_("Net cost")),
    ("deductible_left", N_("Deductible left")),
    ("oop_left", N_("Cap left")),
    ("allowed_by", N_("Allowed as")),
    ("note", N_("Note")),
    ("price_source", N_("Price from")),
]
MONEY_COLUMNS = {"billed", "allowed", "plan_pays", "deductible", "coinsurance", "copay", "balance_bill", "patient_pays", "savings", "reimbursement", "net_patient_cost", "deductible_left", "oop_left"}




def claims_html(opt: OptionResult, outcome: str, lang: str = "en") -> str:
    """Every claim line of one option and outcome (typical prices), with its totals."""
    _ = gettext_for(lang)
    adj = opt.run(outcome)
    rows = []
    for a in adj.lines:
        ln = a.line
        vals: dict[str, Any] = {
            "date": day(ln.day, lang, "short"), "service": say(ln.service, lang), "code": ln.code, "billed": ln.billed, "allowed": a.allowed,
            "plan_pays": a.plan_pays, "deductible": a.deductible, "coinsurance": a.coinsurance, "copay": a.copay,
            "balance_bill": a.balance_bill, "patient_pays": a.patient_pays, "savings": a.savings, "reimbursement": a.reimbursement,
            "net_patient_cost": a.net, "deductible_left": a.deductible_left, "oop_left": a.oop_left, "allowed_by": say(a.allowed_by, lang) if a.allowed_by else a.allowed_by,
            "note": say(a.note, lang) if a.note else a.note, "price_source": ln.ref,
        }
        rows.append({k: "" if v is None else (money(v, lang) if k in MONEY_COLUMNS else str(v)) for k, v in vals.items()})
    t = adj.totals()
    totals = {"billed": t["billed"], "allowed": t["allowed"], "plan_pays": t["plan_pays"], "patient_pays": t["patient_pays"],
              "savings": t["savings"], "reimbursement": t["reimbursement"], "net_patient_cost": t["net"]}
    columns = [(k, _(title)) for k, title in CLAIM_COLUMNS]
    return _render("claims", lang, label=say(opt.label, lang), outcome=outcome, rows=rows, columns=columns, totals=totals)


def explanation_html(comp: Comparison, lang: str = "en") -> str:
    """How each expected figure is made: the weighting, then every claim line behind it."""
    _ = gettext_for(lang)
    parts = ['<div class="kt mathjax_ignore tex2jax_ignore">']
    for o in comp.options.values():
        p = o.coverage.likelihood[1]
        a = o.run("approved").totals()["net"]
        d = o.run("denied").totals()["net"]
        parts.append(f"<p><b>{escape(say(o.label, lang))}</b>: " + escape(_(
            "expected {expected} = {p} x {approved} (if approved) + {q} x {denied} (if denied), "
            "each the sum of the claim lines below (net cost column).").format(
            expected=money(o.total("expected"), lang), p=fmt_pct(p), approved=money(a, lang), q=fmt_pct(1 - p), denied=money(d, lang))) + "</p>")
        parts.append(claims_html(o, "approved", lang))
        parts.append(claims_html(o, "denied", lang))
    parts.append("<p class='small muted'>" + escape(_("Net cost = patient pays - savings program - reimbursement. Reimbursements of superbills arrive weeks later; "
                                                   "they are counted with the session they pay back.")) + "</p></div>")
    return "".join(parts)


def chart_numbers_html(comp: Comparison, lang: str = "en") -> str:
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
        months.append({"number": m + 1, "end": day(add_months(start, m + 1), lang, "short"), "cells": cells})
    heads = [{"option": say(o.label, lang), "path": say(p.short, lang), "chance": "" if p.key == "not_applicable" else fmt_pct(p.likelihood[1]), "likely": p.likely} for o, p in columns]
    return _render("chart_numbers", lang, heads=heads, months=months)


def chart_img_html(comp: Comparison, svg: str, lang: str = "en") -> str:
    """The chart as an <img> whose alt text states what it shows, in numbers."""
    from .charts import alt_text, svg_img

    return svg_img(svg, alt_text(comp, lang), 840)
