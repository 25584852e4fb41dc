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

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import CRISIS_LINE, DISCLAIMER, report
from .compare import Comparison, OptionResult
from .coverage import describe_situation
from .datasets import Dataset, Source, dataset
from .money import fmt, fmt_round
from .scenario import PAYER_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "handout.html.j2"
_REF = re.compile(r"([a-z_]+\.csv):([A-Za-z0-9_./-]+)")
PRIVACY = "This page holds no name, birth date, member ID or other identifier. Keep your own notes with it."


class HandoutError(RuntimeError):
    """The handout could not be made: one plain message."""


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _pct(x: Any) -> str:
    return f"{float(x):.0%}"


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


def _option_context(opt: OptionResult, comp: Comparison) -> dict[str, Any]:
    cov = opt.coverage
    color, badge, mark = report.LEVEL_BADGE[cov.level]
    lo, typ, hi = cov.likelihood
    reasons = [cov.reasons[0].text] if cov.reasons else []
    reasons += [r.text for r in cov.reasons[2:]]
    if not cov.rate_published:
        reasons.append("The chance is an estimate: no published approval rate exists for this situation.")
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
        "chance": f"{_pct(lo)} to {_pct(hi)}" if lo != hi else _pct(typ),
        "chance_typical": _pct(typ),
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
        "notes": opt.run("approved").notes,
    }


def next_steps(comp: Comparison, ds: Dataset) -> dict[str, list[str]]:
    """Calls to make and documents to gather, from the coverage assessment and the plan type."""
    s = comp.scenario
    payer = s.plan.payer_type.value
    calls: list[str] = []
    if payer != "uninsured":
        ask = "Call the plan (the number is on the back of the insurance card). Ask: is Spravato covered for me, under the medical or the pharmacy benefit; is prior authorization needed; which clinics nearby are in network?"
        if s.plan.out_of_network is not None and payer in ("commercial", "hdhp"):
            ask += " Is IV ketamine covered, or can a superbill be claimed out of network, and how much of the out-of-network deductible is met?"
        calls.append(ask)
    spravato = "Call a Spravato clinic: is it REMS-certified and in network; will it request the prior authorization; what is the observation fee?"
    if payer in ("commercial", "hdhp") and s.plan.manufacturer_savings:
        spravato += " Can it help enrol in the Spravato savings program (commercial plans only)?"
    calls.append(spravato)
    calls.append("Call one or more IV ketamine clinics: price per infusion, package and booster prices, consultation fee, cancellation policy, payment plans, and whether they give a superbill with CPT and diagnosis codes.")
    asks = []
    for opt in comp.options.values():
        for text in opt.coverage.raise_odds:
            if text not in asks and not text.startswith(("Ask the plan", "Ask whether the drug", "Ask the clinic for a superbill")):
                asks.append(text)
    if asks:
        calls.append("Talk with the prescriber: " + " ".join(asks[:3]))
    appeal_days = int(ds.number("appeal.internal.filing_days"))
    docs = [
        "A list of the antidepressants tried: names, doses, start and stop dates (pharmacy records help).",
        "A recent depression score (for example PHQ-9) recorded by the clinic or prescriber.",
        "A letter of medical necessity from the prescriber (for prior authorization, an appeal, or the HSA/FSA).",
        "The plan's summary of benefits: deductible, coinsurance, out-of-pocket maximum, out-of-network benefits.",
        "Every receipt and superbill: needed for reimbursement claims, the HSA/FSA and taxes.",
        f"Any denial letter: an internal appeal is usually due within {appeal_days} days (follow the date printed on the letter).",
    ]
    trips = max(o.schedule.trips_needing_driver for o in comp.options.values())
    docs.append(f"Rides home: every session needs someone to drive the patient home (up to {trips} trips in this period).")
    return {"calls": calls, "documents": docs}


def handout_context(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, chart_png: bytes | None = None, financing: Any = None) -> dict[str, Any]:
    """Everything the template shows, as plain values (money already formatted)."""
    ds = ds or dataset()
    s = comp.scenario
    sources = _unique([src for o in comp.options.values() for src in _sources_for(o, ds)])
    as_of = [src.as_of for src in sources]
    if chart_png is None:
        chart_png = chart_for_print(comp)
    cost_html = report.cost_table(comp).replace(" Open <i>Explanation of estimate</i> for the claim lines.", "")
    ctx: dict[str, Any] = {
        "title": s.title or "Your situation",
        "situation": describe_situation(s),
        "payer": PAYER_LABELS[s.plan.payer_type.value],
        "start": f"{s.start_date:%A %d %B %Y}",
        "months": s.horizon_months,
        "prepared": f"{(prepared or date.today()):%d %B %Y}",
        "options": [_option_context(o, comp) for o in comp.options.values()],
        "chart": "data:image/png;base64," + base64.b64encode(chart_png).decode("ascii"),
        "cost_table": Markup(cost_html),
        "schedule": Markup(report.schedule_view(comp)),
        "steps": next_steps(comp, ds),
        "sources": [{"cite": src.cite(), "url": src.url} for src in sources],
        "as_of_newest": f"{max(as_of):%B %Y}" if as_of else "",
        "as_of_oldest": f"{min(as_of):%B %Y}" if as_of else "",
        "disclaimer": DISCLAIMER,
        "crisis": CRISIS_LINE,
        "privacy": PRIVACY,
        "css": Markup(report.CSS),
        "financing": None,
    }
    if financing is not None:
        ctx["financing"] = _financing_context(financing)
    return ctx


def _financing_context(plan: Any) -> list[dict[str, Any]]:
    out = []
    for of in plan.options.values():
        rows = []
        for r in of.routes:
            if not r.available:
                continue
            rows.append({"label": r.label, "monthly": fmt_round(r.monthly_payment) if r.monthly_payment else "as billed", "total": fmt_round(r.total), "interest": fmt_round(r.interest) if r.interest else "", "saved": fmt_round(sum(r.tax_saving)) if any(r.tax_saving) else ""})
        out.append({"label": of.label, "rows": rows, "savings": of.savings_program[:2]})
    return out


def chart_for_print(comp: Comparison) -> bytes:
    """The running-total chart, drawn sharper for paper (200 dpi)."""
    import io

    from .charts import draw_cumulative

    fig = draw_cumulative(comp, title=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    return buf.getvalue()


def render_html(comp: Comparison, ds: Dataset | None = None, *, prepared: date | None = None, with_financing: bool = True) -> str:
    """The handout as one self-contained HTML page (the chart is embedded).

    >>> from toolkit import compare, default_scenario
    >>> html = render_html(compare(default_scenario()), prepared=date(2026, 11, 30))
    >>> "988" in html and "Spravato (esketamine)" in html and "$8,438" in html
    True
    """
    ds = ds or dataset()
    financing = None
    if with_financing:
        from .financing import plan_financing

        financing = plan_financing(comp, ds=ds)
    ctx = handout_context(comp, ds, prepared=prepared, financing=financing)
    return _env().get_template(TEMPLATE).render(**ctx)


def pdf_available() -> tuple[bool, str]:
    """Whether WeasyPrint (and its Pango libraries) can make a PDF here."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return False, "WeasyPrint is not installed"
    except OSError as exc:  # the Python package is there but Pango is not
        return False, f"WeasyPrint cannot load its system libraries ({exc})"
    return True, ""


def render_pdf(html: str) -> bytes:
    """The handout HTML as PDF bytes, or :class:`HandoutError` saying why not."""
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
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def write_handout(comp: Comparison, path: str | Path, ds: Dataset | None = None) -> tuple[Path, str]:
    """Write the handout as ``.html`` or ``.pdf`` (by the extension), atomically.

    Returns the path written and a message for the person. When a PDF was asked for and
    WeasyPrint is missing, the HTML is written next to it (same name, ``.html``) and the
    message says so.
    """
    from .storage import atomic_write

    target = Path(path)
    ext = target.suffix.lower()
    if ext not in (".html", ".htm", ".pdf"):
        raise HandoutError(f"{target}: the handout file must end in .html or .pdf")
    html = render_html(comp, ds)
    if ext == ".pdf":
        try:
            pdf = render_pdf(html)
        except HandoutError as exc:
            fallback = target.with_suffix(".html")
            atomic_write(fallback, html)
            return fallback, f"{exc} The handout was written as HTML instead: {fallback}"
        atomic_write(target, pdf)
        return target, f"Handout written: {target}"
    atomic_write(target, html)
    return target, f"Handout written: {target}"
