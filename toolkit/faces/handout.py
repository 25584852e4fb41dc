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

Language: ``lang`` ("en" or "es") words every sentence through the catalogue
(:mod:`toolkit.i18n`; the template's ``{% trans %}`` blocks, ``_()`` here, and the engine's
sentences through :func:`toolkit.faces.words.say`); the figures are the same in both.
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
from ..i18n import N_, check, day, dollars, gettext_for, money
from ..money import fmt_pct
from ..notices import CRISIS_LINE, DISCLAIMER
from ..scenario import PAYER_LABELS
from ..templating import TEMPLATE_DIR, environment
from . import fragments as report
from .charts import alt_text
from .handout_lists import _financing_context
from .next_steps import next_steps
from .words import RELIABILITY_WORDS, first_upper, in_words, period, say

TEMPLATE = "handout.html.j2"
_REF = re.compile(r"([a-z_]+\.csv):([A-Za-z0-9_./-]+)")
PRIVACY = N_("This page holds no name, birth date, member ID or other identifier. Keep your own notes with it.")


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


def _by_site(sources: list[Source], lang: str = "en") -> list[str]:
    """Sources grouped by web site for a printed page: ``healthcare.gov (official, Nov 2026)``."""
    _ = gettext_for(lang)
    sites: dict[str, list[Source]] = {}
    for src in sources:
        # a clinic's or vendor's web address on a patient handout reads like a referral:
        # those are counted, not named (their full rows are in data/ and the sources notebook)
        if src.reliability in ("clinic", "vendor"):
            key = _("clinic and vendor pages")
        elif src.reliability == "assumption":
            key = _("toolkit assumptions (no published figure)")
        else:
            key = _site(src.url)
        sites.setdefault(key, []).append(src)
    out = []
    for site, group in sites.items():
        kinds = [_(RELIABILITY_WORDS[k]) for k in sorted({g.reliability for g in group})]
        dates = sorted({g.as_of for g in group})
        first, last = day(dates[0], lang, "month_year"), day(dates[-1], lang, "month_year")
        when = first if len(dates) == 1 else _("{first} to {last}").format(first=first, last=last)
        out.append(f"{site} ({', '.join(kinds)}; {when})")
    return out


def _site(url: str) -> str:
    """The web site of a source, for a printed page (``healthcare.gov``).

    >>> _site("https://www.carecredit.com/payment_calculator/index.html")
    'carecredit.com'
    """
    from urllib.parse import urlparse

    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.")


def _option_context(opt: OptionResult, comp: Comparison, lang: str = "en") -> dict[str, Any]:
    _ = gettext_for(lang)
    d = lambda c: dollars(c, lang)
    cov = opt.coverage
    color, badge, mark = report.level_badge(cov)
    lo, typ, hi = cov.likelihood
    # the first reason is the coverage row; the second only repeats whether the rate is published
    reasons = [cov.reasons[0].text] if cov.reasons else []
    reasons += [r.text for r in cov.reasons[2:]]
    # the chance line already says whether it is an estimate
    reasons = [say(r, lang).replace(_(" Likelihood range is a toolkit assumption (no published rate)."), "") for r in reasons]
    first = opt.sessions[:1]
    phases: list[str] = []
    for s in opt.sessions:
        if s.phase not in phases:
            phases.append(s.phase)
    pa = {"yes": _("Prior authorization is required."), "no": _("Prior authorization is not usually required."), "varies": _("Prior authorization varies by plan.")}
    return {
        "key": opt.option,
        "label": say(opt.label, lang),
        "color": color,
        "badge": _(badge),
        "mark": mark,
        "chance": _("{low} to {high}").format(low=fmt_pct(lo), high=fmt_pct(hi)) if lo != hi else fmt_pct(typ),
        "chance_typical": fmt_pct(typ),
        "estimate": "" if cov.rate_published else _("an estimate: no published rate"),
        "pa": pa[cov.pa_required],
        "reasons": reasons,
        "missing": [_(report.SHORT_CRITERIA[c.id]) if c.id in report.SHORT_CRITERIA else say(c.criterion, lang) for c in cov.missing],
        "expected": d(opt.total("expected")),
        "best": d(opt.total("best")),
        "worst": d(opt.total("worst")),
        "first_month": d(opt.total("expected", 1)),
        "if_approved": d(opt.run("approved").totals()["net"]),
        "if_denied": d(opt.run("denied").totals()["net"]),
        "per_session": money(opt.per_session("expected"), lang),
        "sessions": opt.schedule.sessions,
        "first_month_sessions": opt.schedule.first_month_sessions,
        "hours": f"{opt.schedule.clinic_hours:g}",
        "minutes_each": first[0].minutes_in_clinic if first else 0,
        "trips": opt.schedule.trips_needing_driver,
        "busiest_week": opt.schedule.busiest_week_sessions,
        "first_dates": [day(s.day, lang, "weekday_date") for s in opt.sessions[:4]],
        "phases": phases,
        "notes": [say(n, lang) for n in opt.run("approved").notes if "data/" not in n],  # advisor-facing notes stay on screen
        "running": [(period(name, lang), d(opt.total("expected", m))) for name, m in comp.periods()],
        **_paths_context(opt, comp, lang),
    }


def _paths_context(opt: OptionResult, comp: Comparison, lang: str = "en") -> dict[str, Any]:
    """The likely path first (what it costs, period by period), then the other paths with their chances."""
    _ = gettext_for(lang)
    d = lambda c: dollars(c, lang)
    periods = comp.periods()
    likely = opt.likely_path
    whole_name, whole = periods[-1]
    label = say(opt.label, lang)
    words = in_words(label, opt.paths, periods, lang).removeprefix(f"{label}, ")
    r = likely.range(whole)
    return {
        "words": first_upper(words),
        "likely_means": first_upper(say(likely.means, lang)),
        "likely_chance": "" if likely.key == "not_applicable" else report._chance(likely, lang),
        "likely_costs": [(period(name, lang), d(likely.total("typical", m))) for name, m in periods],
        "likely_range": "" if r["low"] == r["high"] else _("{low} to {high}").format(low=d(r["low"]), high=d(r["high"])),
        "whole_name": period(whole_name, lang).lower(),
        "others": [(first_upper(say(x.means, lang)), fmt_pct(x.likelihood[1]), d(x.total("typical", whole))) for x in opt.paths if not x.likely]
        + [(_(report.VARIANT_WORDS[v][0]), _(report.VARIANT_WORDS[v][1]), d(likely.variant(v).total("typical", whole))) for v in likely.variants],
    }


DENSITIES = (0, 1, 2)  # 0 = roomiest; the PDF steps down until it fits on two pages
_FONT_PT = {0: 9.0, 1: 8.5, 2: 8.0}
_CHART_IN = {0: 3.0, 1: 2.7, 2: 2.4}


def handout_context(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, chart_svg: str | None = None,
                    financing: Any = None, density: int = 0, lang: str = "en") -> dict[str, Any]:
    """Everything the template shows, as plain values (money already formatted), in ``lang``."""
    _ = gettext_for(check(lang))
    ds = ds or dataset()
    s = comp.scenario
    sources = _unique([src for o in comp.options.values() for src in _sources_for(o, ds)])
    as_of = [src.as_of for src in sources]
    chart_svg = chart_for_print(comp, _CHART_IN[density], lang) if chart_svg is None else chart_svg
    # the tightest layout shows the first year of sessions only (the calendar file has every date)
    schedule_first, schedule_rest = _split_first_table(schedule_html(comp, first_months=12 if density >= 2 else None, lang=lang))
    ctx: dict[str, Any] = {
        "title": say(s.title, lang) if s.title else _("Your situation"),
        "situation": "; ".join(say(x, lang) for x in describe_situation(s).split("; ")),
        "payer": say(PAYER_LABELS[s.plan.payer_type.value], lang),
        "start": day(s.start_date, lang, "long"),
        "months": s.horizon_months,
        "prepared": day(prepared or date.today(), lang, "date"),
        "options": [_option_context(o, comp, lang) for o in comp.options.values()],
        "chart_alt": alt_text(comp, lang),
        "chart": "data:image/svg+xml;base64," + base64.b64encode(chart_svg.encode("utf-8")).decode("ascii"),
        # the heading travels with the first month table (never alone at a page's foot)
        "schedule_first": Markup(schedule_first),
        "schedule_rest": Markup(schedule_rest),
        "steps": next_steps(comp, ds, lang),
        "ask_first": report.ask_first(comp, lang),
        "plan_years": " ".join(x for x in (report.plan_years_print(comp, lang), say(comp.limits_note, lang) if comp.limits_note else "") if x),
        "sources": _by_site(sources, lang),
        "as_of_newest": day(max(as_of), lang, "month_year_long") if as_of else "",
        "as_of_oldest": day(min(as_of), lang, "month_year_long") if as_of else "",
        "DISCLAIMER": _(DISCLAIMER),
        "CRISIS_LINE": _(CRISIS_LINE),
        "privacy": _(PRIVACY),
        "lang": lang,
        "css": Markup(report.CSS),
        "financing": None,
        "density": density,
        "version": _version(),
        "font_pt": _FONT_PT[density],
        "small_pt": _FONT_PT[density] - 1,
    }
    if financing is not None:
        ctx["financing"] = _financing_context(financing, lang)
    return ctx


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ketamine-options-toolkit")
    except PackageNotFoundError:
        return "unreleased"


def schedule_html(comp: Comparison, per_row: int = 12, first_months: int | None = None, lang: str = "en") -> str:
    """Sessions per month for paper: the dashboard's fragment in rows of 12 months, without its summary list
    (the side-by-side table above already says it)."""
    return report.schedule_view(comp, per_row=per_row, summary=False, first_months=first_months, lang=lang)


def _split_first_table(html: str) -> tuple[str, str]:
    """Split a fragment after its first table; the two parts together are the fragment.

    >>> _split_first_table('<div class="kt mathjax_ignore tex2jax_ignore"><table>a</table><p>n</p></div>')
    ('<div class="kt mathjax_ignore tex2jax_ignore"><table>a</table></div>', '<div class="kt mathjax_ignore tex2jax_ignore"><p>n</p></div>')
    """
    head, sep, tail = html.partition("</table>")
    if not sep:
        return html, ""
    return head + sep + "</div>", '<div class="kt mathjax_ignore tex2jax_ignore">' + tail


def chart_for_print(comp: Comparison, height_in: float = 3.0, lang: str = "en") -> str:
    """The running-total chart for paper: the dashboard's SVG at print proportions (sharp at any size)."""
    from .charts import paths_svg

    return paths_svg(comp, 900, int(height_in * 100), font=10, lang=lang)


def render_html(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, with_financing: bool = True,
                density: int = 0, lang: str = "en") -> str:
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
    ctx = handout_context(comp, ds, prepared=prepared, financing=financing, density=density, lang=lang)
    return environment(lang).get_template(TEMPLATE).render(**ctx)


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


def handout_pdf(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, lang: str = "en") -> bytes:
    """The handout as a PDF of at most two pages where possible.

    Rule: render at the roomiest layout; if it runs past two pages, step down (smaller
    type, a shorter chart, fewer notes) and render again. The last step is returned even
    if it is still longer, so nothing is ever cut from the coverage, cost or safety parts.
    """
    weasyprint = _weasyprint()
    ds = ds or dataset()
    doc = None
    for density in DENSITIES:
        html = render_html(comp, ds, prepared=prepared, density=density, lang=lang)
        doc = weasyprint.HTML(string=html, base_url=str(TEMPLATE_DIR)).render()
        if len(doc.pages) <= MAX_PAGES:
            break
    return doc.write_pdf()  # type: ignore[union-attr]


def write_handout(comp: Comparison, path: str | Path, ds: Dataset | None = None, lang: str = "en") -> tuple[Path, str]:
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
            pdf = handout_pdf(comp, ds, lang=lang)
        except HandoutError as exc:
            fallback = target.with_suffix(".html")
            atomic_write(fallback, render_html(comp, ds, lang=lang))
            return fallback, f"{exc} The handout was written as HTML instead: {fallback}"
        atomic_write(target, pdf)
        return target, f"Handout written: {target}"
    atomic_write(target, render_html(comp, ds, lang=lang))
    return target, f"Handout written: {target}"
