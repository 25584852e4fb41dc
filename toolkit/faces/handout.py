"""The patient handout: the comparison on paper, for the kitchen table.

Why a handout: patients decide at home, with family, over days. One or two printed pages
carry what was discussed: both options side by side, whether the plan is likely to pay
and why, what it would cost over time (with the chart), what the schedule asks, the calls
to make and documents to gather, where the figures come from and how old they are, the
disclaimer and the 988 Lifeline.

How: a Jinja2 template (``toolkit/templates/handout.html.j2``, autoescaped) fills in
numbers the engine already computed and reuses the dashboard's HTML fragments
(:mod:`toolkit.report`); nothing here computes money. WeasyPrint turns the HTML into a
PDF (Letter paper). WeasyPrint needs the Pango libraries: when they are missing the HTML
is written instead and the message says so plainly.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..data import Dataset, Source, dataset
from ..engine.compare import Comparison, OptionResult
from ..engine.coverage import describe_situation
from ..money import fmt, fmt_pct, fmt_round
from ..notices import CRISIS_LINE, DISCLAIMER
from ..scenario import PAYER_LABELS
from ..templating import TEMPLATE_DIR, environment
from . import fragments as report
from .charts import alt_text
from .next_steps import next_steps

TEMPLATE = "handout.html.j2"
_REF = re.compile(r"([a-z_]+\.csv):([A-Za-z0-9_./-]+)")
PRIVACY = "This page holds no name, birth date, member ID or other identifier. Keep your own notes with it."


class HandoutError(RuntimeError):
    """The handout could not be made: one plain message."""


def _sources_for(opt: OptionResult, ds: Dataset) -> list[Source]:
    out: list[Source] = []
    for r in opt.coverage.reasons:
        if r.source is not None:
            out.append(r.source)
    for outcome in ("approved", "denied"):
        for a in opt.run(outcome).lines:
            for _table, key in _REF.findall(a.line.ref):
                if key in ds.parameters:
                    out.append(ds.parameters[key].source)
    if opt.option == "spravato" and any(a.savings for a in opt.run("approved").lines):
        out.append(ds.value("savings.drug.annual_max").source)
    return out


def _unique(sources: list[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if s.title not in seen:
            seen.add(s.title)
            out.append(s)
    return out


def _by_site(sources: list[Source]) -> list[str]:
    """Sources grouped by web site for a printed page: ``healthcare.gov (official, Nov 2026)``."""
    sites: dict[str, list[Source]] = {}
    for src in sources:
        # a clinic's or vendor's web address on a patient handout reads like a referral:
        # those are counted, not named (their full rows are in data/ and the sources notebook)
        if src.reliability in ("clinic", "vendor"):
            key = "clinic and vendor pages"
        elif src.reliability == "assumption":
            key = "toolkit assumptions (no published figure)"
        else:
            key = _site(src.url)
        sites.setdefault(key, []).append(src)
    out = []
    for site, group in sites.items():
        kinds = sorted({g.reliability for g in group})
        dates = sorted({g.as_of for g in group})
        when = f"{dates[0]:%b %Y}" if len(dates) == 1 else f"{dates[0]:%b %Y} to {dates[-1]:%b %Y}"
        out.append(f"{site} ({', '.join(kinds)}; {when})")
    return out


def _site(url: str) -> str:
    """The web site of a source, for a printed page (``healthcare.gov``).

    >>> _site("https://www.carecredit.com/payment_calculator/index.html")
    'carecredit.com'
    """
    from urllib.parse import urlparse

    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _option_context(opt: OptionResult, comp: Comparison) -> dict[str, Any]:
    cov = opt.coverage
    color, badge, mark = report.level_badge(cov)
    lo, typ, hi = cov.likelihood
    # the first reason is the coverage row; the second only repeats whether the rate is published
    reasons = [cov.reasons[0].text] if cov.reasons else []
    reasons += [r.text for r in cov.reasons[2:]]
    # the chance line already says whether it is an estimate
    reasons = [r.replace(" Likelihood range is a toolkit assumption (no published rate).", "") for r in reasons]
    first = opt.sessions[:1]
    phases: list[str] = []
    for s in opt.sessions:
        if s.phase not in phases:
            phases.append(s.phase)
    return {
        "key": opt.option,
        "label": opt.label,
        "color": color,
        "badge": badge,
        "mark": mark,
        "chance": f"{fmt_pct(lo)} to {fmt_pct(hi)}" if lo != hi else fmt_pct(typ),
        "chance_typical": fmt_pct(typ),
        "estimate": "" if cov.rate_published else "an estimate: no published rate",
        "pa": {"yes": "Prior authorization is required.", "no": "Prior authorization is not usually required.", "varies": "Prior authorization varies by plan."}[cov.pa_required],
        "reasons": reasons,
        "missing": [report.SHORT_CRITERIA.get(c.id, c.criterion) for c in cov.missing],
        "expected": fmt_round(opt.total("expected")),
        "best": fmt_round(opt.total("best")),
        "worst": fmt_round(opt.total("worst")),
        "first_month": fmt_round(opt.total("expected", 1)),
        "if_approved": fmt_round(opt.run("approved").totals()["net"]),
        "if_denied": fmt_round(opt.run("denied").totals()["net"]),
        "per_session": fmt(opt.per_session("expected")),
        "sessions": opt.schedule.sessions,
        "first_month_sessions": opt.schedule.first_month_sessions,
        "hours": f"{opt.schedule.clinic_hours:g}",
        "minutes_each": first[0].minutes_in_clinic if first else 0,
        "trips": opt.schedule.trips_needing_driver,
        "busiest_week": opt.schedule.busiest_week_sessions,
        "first_dates": [f"{s.day:%a %d %b %Y}" for s in opt.sessions[:4]],
        "phases": phases,
        "notes": [n for n in opt.run("approved").notes if "data/" not in n],  # advisor-facing notes stay on screen
        "running": [(name, fmt_round(opt.total("expected", m))) for name, m in comp.periods()],
        **_paths_context(opt, comp),
    }


def _paths_context(opt: OptionResult, comp: Comparison) -> dict[str, Any]:
    """The likely path first (what it costs, period by period), then the other paths with their chances."""
    from ..engine.paths import in_words

    periods = comp.periods()
    likely = opt.likely_path
    whole_name, whole = periods[-1]
    words = in_words(opt.label, opt.paths, periods).removeprefix(f"{opt.label}, ")
    r = likely.range(whole)
    return {
        "words": words[:1].upper() + words[1:],
        "likely_means": likely.means[:1].upper() + likely.means[1:],
        "likely_chance": "" if likely.key == "not_applicable" else report._chance(likely),
        "likely_costs": [(name, fmt_round(likely.total("typical", m))) for name, m in periods],
        "likely_range": "" if r["low"] == r["high"] else f"{fmt_round(r['low'])} to {fmt_round(r['high'])}",
        "whole_name": whole_name.lower(),
        "others": [(x.means[:1].upper() + x.means[1:], fmt_pct(x.likelihood[1]), fmt_round(x.total("typical", whole))) for x in opt.paths if not x.likely]
        + [(report.VARIANT_WORDS[v][0], report.VARIANT_WORDS[v][1], fmt_round(likely.variant(v).total("typical", whole))) for v in likely.variants],
    }


DENSITIES = (0, 1, 2)  # 0 = roomiest; the PDF steps down until it fits on two pages
_FONT_PT = {0: 9.0, 1: 8.5, 2: 8.0}
_CHART_IN = {0: 3.0, 1: 2.7, 2: 2.4}


def handout_context(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, chart_svg: str | None = None, financing: Any = None, density: int = 0) -> dict[str, Any]:
    """Everything the template shows, as plain values (money already formatted)."""
    ds = ds or dataset()
    s = comp.scenario
    sources = _unique([src for o in comp.options.values() for src in _sources_for(o, ds)])
    as_of = [src.as_of for src in sources]
    chart_svg = chart_for_print(comp, _CHART_IN[density]) if chart_svg is None else chart_svg
    # the tightest layout shows the first year of sessions only (the calendar file has every date)
    schedule_first, schedule_rest = _split_first_table(schedule_html(comp, first_months=12 if density >= 2 else None))
    ctx: dict[str, Any] = {
        "title": s.title or "Your situation",
        "situation": describe_situation(s),
        "payer": PAYER_LABELS[s.plan.payer_type.value],
        "start": f"{s.start_date:%A %d %B %Y}",
        "months": s.horizon_months,
        "prepared": f"{(prepared or date.today()):%d %B %Y}",
        "options": [_option_context(o, comp) for o in comp.options.values()],
        "chart_alt": alt_text(comp),
        "chart": "data:image/svg+xml;base64," + base64.b64encode(chart_svg.encode("utf-8")).decode("ascii"),
        # the heading travels with the first month table (never alone at a page's foot)
        "schedule_first": Markup(schedule_first),
        "schedule_rest": Markup(schedule_rest),
        "steps": next_steps(comp, ds),
        "ask_first": report.ask_first(comp),
        "plan_years": " ".join(x for x in (report.plan_years_print(comp), comp.limits_note) if x),
        "sources": _by_site(sources),
        "as_of_newest": f"{max(as_of):%B %Y}" if as_of else "",
        "as_of_oldest": f"{min(as_of):%B %Y}" if as_of else "",
        "DISCLAIMER": DISCLAIMER,
        "CRISIS_LINE": CRISIS_LINE,
        "privacy": PRIVACY,
        "css": Markup(report.CSS),
        "financing": None,
        "density": density,
        "version": _version(),
        "font_pt": _FONT_PT[density],
        "small_pt": _FONT_PT[density] - 1,
    }
    if financing is not None:
        ctx["financing"] = _financing_context(financing)
    return ctx


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ketamine-options-toolkit")
    except PackageNotFoundError:
        return "unreleased"


def _financing_context(plan: Any) -> dict[str, Any]:
    """Ways to pay as rows (routes) by columns (options): total, and what it takes per month."""
    from ..paying.routes import ROUTES

    opts = list(plan.options.values())
    rows = []
    for key, label in ROUTES.items():
        cells = []
        for of in opts:
            r = of.route(key)
            if not r.available:
                cells.append("not available")
                continue
            how = f"{fmt_round(r.monthly_payment)}/mo" if r.monthly_payment else "as billed"
            extra = []
            if r.interest:
                extra.append(f"+{fmt_round(r.interest)} interest")
            if any(r.tax_saving):
                extra.append(f"{fmt_round(sum(r.tax_saving))} tax saved")
            cells.append(" · ".join([fmt_round(r.total), how, *extra]))
        if any(c != "not available" for c in cells):
            rows.append({"label": label, "cells": cells})
    savings = [line.split(". It does not")[0] + "." for of in opts for line in of.savings_program[:1]]
    from ..paying import hsa_fsa

    s = plan.comparison.scenario
    hsa = hsa_fsa.hsa_eligibility(s)
    fsa = hsa_fsa.fsa_eligibility(s)
    accounts = [
        "HSA: " + ("available with this high-deductible plan; bills paid from it save income tax, and unspent money stays." if hsa.ok else "only with a high-deductible health plan (HDHP).")
        + " FSA: " + ("only through an employer, chosen at open enrollment; use it or lose it (a small carryover may be allowed)." if fsa.ok else fsa.reason.removeprefix("Not with an HSA: ")),
    ]
    return {"labels": [of.label for of in opts], "rows": rows, "savings": savings, "accounts": accounts}


def schedule_html(comp: Comparison, per_row: int = 12, first_months: int | None = None) -> str:
    """Sessions per month for paper: the dashboard's fragment in rows of 12 months, without its summary list
    (the side-by-side table above already says it)."""
    return report.schedule_view(comp, per_row=per_row, summary=False, first_months=first_months)


def _split_first_table(html: str) -> tuple[str, str]:
    """Split a fragment after its first table; the two parts together are the fragment.

    >>> _split_first_table('<div class="kt mathjax_ignore tex2jax_ignore"><table>a</table><p>n</p></div>')
    ('<div class="kt mathjax_ignore tex2jax_ignore"><table>a</table></div>', '<div class="kt mathjax_ignore tex2jax_ignore"><p>n</p></div>')
    """
    head, sep, tail = html.partition("</table>")
    if not sep:
        return html, ""
    return head + sep + "</div>", '<div class="kt mathjax_ignore tex2jax_ignore">' + tail


def chart_for_print(comp: Comparison, height_in: float = 3.0) -> str:
    """The running-total chart for paper: the dashboard's SVG at print proportions (sharp at any size)."""
    from .charts import paths_svg

    return paths_svg(comp, 900, int(height_in * 100), font=10)


def render_html(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, with_financing: bool = True, density: int = 0) -> str:
    """The handout as one self-contained HTML page (the chart is embedded).

    >>> from toolkit import compare, default_scenario
    >>> html = render_html(compare(default_scenario()), prepared=date(2026, 11, 30))
    >>> "988" in html and "Spravato (esketamine)" in html and "$10,948" in html
    True
    """
    ds = ds or dataset()
    financing = None
    if with_financing:
        from ..paying.routes import plan_financing

        financing = plan_financing(comp, ds=ds)
    ctx = handout_context(comp, ds, prepared=prepared, financing=financing, density=density)
    return environment().get_template(TEMPLATE).render(**ctx)


def pdf_available() -> tuple[bool, str]:
    """Whether WeasyPrint (and its Pango libraries) can make a PDF here."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return False, "WeasyPrint is not installed"
    except OSError as exc:  # the Python package is there but Pango is not
        return False, f"WeasyPrint cannot load its system libraries ({exc})"
    return True, ""


def _weasyprint():
    """The weasyprint module, quiet, or :class:`HandoutError` with a plain message."""
    ok, why = pdf_available()
    if not ok:
        raise HandoutError(
            f"PDF not available: {why}. On Debian/Ubuntu install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; "
            "meanwhile use the HTML handout and print it from the browser."
        )
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def render_pdf(html: str) -> bytes:
    """Any handout HTML as PDF bytes, or :class:`HandoutError` saying why not."""
    return _weasyprint().HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf()


MAX_PAGES = 2


def handout_pdf(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None) -> bytes:
    """The handout as a PDF of at most two pages where possible.

    Rule: render at the roomiest layout; if it runs past two pages, step down (smaller
    type, a shorter chart, fewer notes) and render again. The last step is returned even
    if it is still longer, so nothing is ever cut from the coverage, cost or safety parts.
    """
    weasyprint = _weasyprint()
    ds = ds or dataset()
    doc = None
    for density in DENSITIES:
        html = render_html(comp, ds, prepared=prepared, density=density)
        doc = weasyprint.HTML(string=html, base_url=str(TEMPLATE_DIR)).render()
        if len(doc.pages) <= MAX_PAGES:
            break
    return doc.write_pdf()  # type: ignore[union-attr]


def write_handout(comp: Comparison, path: str | Path, ds: Dataset | None = None) -> tuple[Path, str]:
    """Write the handout as ``.html`` or ``.pdf`` (by the extension), atomically.

    Returns the path written and a message for the person. When a PDF was asked for and
    WeasyPrint is missing, the HTML is written next to it (same name, ``.html``) and the
    message says so.
    """
    from ..storage import atomic_write

    target = Path(path)
    ext = target.suffix.lower()
    if ext not in (".html", ".htm", ".pdf"):
        raise HandoutError(f"{target}: the handout file must end in .html or .pdf")
    if ext == ".pdf":
        try:
            pdf = handout_pdf(comp, ds)
        except HandoutError as exc:
            fallback = target.with_suffix(".html")
            atomic_write(fallback, render_html(comp, ds))
            return fallback, f"{exc} The handout was written as HTML instead: {fallback}"
        atomic_write(target, pdf)
        return target, f"Handout written: {target}"
    atomic_write(target, render_html(comp, ds))
    return target, f"Handout written: {target}"
