"""Ways to pay and clinic quotes, as a reader sees them: tables (HTML) and the cash-out chart.

Nothing here computes money: it formats a :class:`~toolkit.paying.routes.FinancingPlan` or a
quote comparison the paying modules already worked out.
"""

from __future__ import annotations

from html import escape

from ..i18n import day, gettext_for, money
from ..money import fmt, to_cents
from ..paying.quotes import QuoteComparison
from ..paying.routes import COSTS_TO_PAY, FinancingPlan
from ..scenario import OPTION_LABELS

ROUTE_STYLE = {
    "pay_as_you_go": ("#000000", "-", "o"),
    "package": ("#56B4E9", "--", "s"),
    "in_house": ("#009E73", "-", "^"),
    "card_on_time": ("#0072B2", "-.", "D"),
    "card_cliff": ("#D55E00", "-", "X"),
    "loan": ("#CC79A7", ":", "v"),
    "hsa": ("#E69F00", "--", "P"),
    "fsa": ("#999999", "-.", "*"),
}


def draw_cash_out(plan: FinancingPlan, fig=None, lang: str = "en"):
    """Cash out per month, one panel per option, one line per route (distinct colour, style and marker), worded in ``lang``."""
    from .words import say

    _ = gettext_for(lang)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = fig or Figure(figsize=(10, 3.9), dpi=100)
    opts = list(plan.options.values())
    axes = fig.subplots(1, len(opts), sharey=True)
    axes = list(axes) if len(opts) > 1 else [axes]
    xs = list(range(1, plan.months + 1))
    step = max(1, plan.months // 8)
    starts = plan.month_starts()
    for ax, of in zip(axes, opts):
        for r in of.routes:
            if not r.available:
                continue
            color, ls, marker = ROUTE_STYLE[r.key]
            ax.plot(xs, [v / 100 for v in r.cash_out], color=color, linestyle=ls, marker=marker, markersize=4, linewidth=1.6, label=say(r.label, lang), markevery=max(1, plan.months // 12))
        ax.set_title(say(of.label, lang), fontsize=10, loc="left")
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.set_xticks(xs[::step])
        ax.set_xticklabels([f"{starts[i - 1]:%b %y}" if lang == "en" else day(starts[i - 1], lang, "month_year") for i in xs[::step]], fontsize=8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v:,.0f}"))
        ax.grid(axis="y", color="#dddddd")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel(_("Cash out that month"), fontsize=9)
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.24, wspace=0.08)
    return fig


def cash_out_png(plan: FinancingPlan, lang: str = "en") -> bytes:
    """The cash-out chart as PNG bytes (for an Image widget, the handout or a file)."""
    from ..faces.charts import to_png

    return to_png(draw_cash_out(plan, lang=lang))


def financing_html(plan: FinancingPlan, lang: str = "en") -> str:
    """The total-cost table per route and the savings-program notes, as an HTML fragment (the ways-to-pay panel), in ``lang``."""
    from html import escape

    from .words import say

    _ = gettext_for(lang)
    m = lambda c: money(c, lang)
    parts = ['<div class="kt mathjax_ignore tex2jax_ignore">']
    parts.append("<p class='small muted'>" + escape(_("Cost {which}. Total = payments + interest - reimbursements - tax saved. "
                 "Terms are inputs: defaults from data/financing.csv (vendor figures and toolkit assumptions). Confirm real terms with the clinic or lender.")
                 .format(which=say(COSTS_TO_PAY[plan.outcome], lang))) + "</p>")
    heads = [_("Way to pay"), _("First month"), _("Largest month"), _("Months paying"), _("Interest"), _("Tax saved"), _("Total cost")]
    for of in plan.options.values():
        label = say(of.label, lang)
        aria, caption = _("ways to pay"), _("{label}: ways to pay {amount}").format(label=label, amount=m(of.needs.net))
        parts.append(f"<table class='kt-t' aria-label='{escape(aria)}, {escape(label)}'><caption>{escape(caption)}</caption>"
                     "<tr>" + "".join(f"<th scope='col'>{escape(h)}</th>" for h in heads) + "<th scope='col' style='text-align:left'>" + escape(_("What to know")) + "</th></tr>")
        for r in of.routes:
            if r.available:
                out = r.cash_out
                cells = (f"<td>{m(out[0])}</td><td>{m(max(out))}</td><td>{r.months_paying}</td><td>{m(r.interest)}</td>"
                         f"<td>{m(sum(r.tax_saving))}</td><td><b>{m(r.total)}</b></td>")
            else:
                cells = "<td colspan='6' class='muted'>" + escape(_("not available")) + "</td>"
            parts.append(f"<tr><th scope='row' style='text-align:left'>{escape(say(r.label, lang))}</th>{cells}<td class='small' style='text-align:left'>{escape(say(r.note, lang))}</td></tr>")
        parts.append("</table>")
        if of.savings_program:
            parts.append("<ul class='small'>" + "".join(f"<li>{escape(say(x, lang))}</li>" for x in of.savings_program) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def quotes_html(qc: QuoteComparison) -> str:
    """The quotes side by side, cheapest first, as an HTML fragment."""
    head = ("<tr><th scope='col'>Clinic</th><th scope='col'>Per session</th><th scope='col'>Package</th><th scope='col'>First month</th>"
            "<th scope='col'>Total, expected</th><th scope='col'>If approved</th><th scope='col'>If denied</th><th scope='col'>Superbill</th>"
            "<th scope='col'>Late cancellation</th><th scope='col' style='text-align:left'>Notes</th></tr>")
    rows = []
    best = qc.ranked()[0]
    for r in qc.ranked():
        q = r.quote
        mark = " <span class='small'>(lowest)</span>" if r is best else ""
        cancel = fmt(to_cents(q.cancellation_fee)) if q.cancellation_fee else "none quoted"
        total = r.total() + qc.cancellation_cost(r)
        rows.append(
            f"<tr><th scope='row' style='text-align:left'>{escape(q.label)} <span class='small muted'>({escape(OPTION_LABELS[q.option])})</span></th>"
            f"<td>{fmt(to_cents(q.price_per_session))}</td><td>{fmt(to_cents(q.package_price)) if q.package_price is not None else '—'}</td>"
            f"<td>{fmt(r.first_month())}</td><td><b>{fmt(total)}</b>{mark}</td><td>{fmt(r.outcome_total('approved'))}</td>"
            f"<td>{fmt(r.outcome_total('denied'))}</td><td>{'yes' if q.superbill_offered else 'no'}</td><td>{cancel}</td>"
            f"<td class='small' style='text-align:left'>{escape('; '.join(r.notes))}</td></tr>"
        )
    extra = f" Totals include {qc.late_cancellations} late cancellation(s) at each clinic's fee." if qc.late_cancellations else ""
    return (
        "<div class='kt mathjax_ignore tex2jax_ignore'><table class='kt-t' aria-label='clinic quotes'>"
        f"<caption>Clinic quotes on this patient's schedule ({qc.scenario.horizon_months} months)</caption>{head}{''.join(rows)}</table>"
        f"<p class='small muted'>Expected = typical chance of approval, as in the comparison; each quote replaces the published prices.{extra}</p></div>"
    )
