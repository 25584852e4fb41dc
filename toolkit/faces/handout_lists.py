"""The handout's ways-to-pay table, worded in the reader's language (calls and documents: :mod:`toolkit.faces.next_steps`).

Split from :mod:`toolkit.faces.handout` to keep each module readable in one sitting; nothing
here computes money (the paying modules did), it only words and formats what they returned.
"""

from __future__ import annotations

from typing import Any

from ..i18n import dollars, gettext_for
from .words import say


def _financing_context(plan: Any, lang: str = "en") -> dict[str, Any]:
    """Ways to pay as rows (routes) by columns (options): total, and what it takes per month."""
    from ..paying.routes import ROUTES

    _ = gettext_for(lang)
    d = lambda c: dollars(c, lang)
    opts = list(plan.options.values())
    rows = []
    for key, label in ROUTES.items():
        cells = []
        for of in opts:
            r = of.route(key)
            if not r.available:
                cells.append(_("not available"))
                continue
            how = _("{amount}/mo").format(amount=d(r.monthly_payment)) if r.monthly_payment else _("as billed")
            extra = []
            if r.interest:
                extra.append(_("+{amount} interest").format(amount=d(r.interest)))
            if any(r.tax_saving):
                extra.append(_("{amount} tax saved").format(amount=d(sum(r.tax_saving))))
            cells.append(" · ".join([d(r.total), how, *extra]))
        if any(c != _("not available") for c in cells):
            rows.append({"label": say(label, lang), "cells": cells})
    savings = [say(line.split(". It does not")[0].rstrip(".") + ".", lang) for of in opts for line in of.savings_program[:1]]
    from ..paying import hsa_fsa

    s = plan.comparison.scenario
    hsa = hsa_fsa.hsa_eligibility(s)
    fsa = hsa_fsa.fsa_eligibility(s)
    accounts = [
        _("HSA: ") + (_("available with this high-deductible plan; bills paid from it save income tax, and unspent money stays.") if hsa.ok else _("only with a high-deductible health plan (HDHP)."))
        + " " + _("FSA: ") + (_("only through an employer, chosen at open enrollment; use it or lose it (a small carryover may be allowed).") if fsa.ok else say(fsa.reason.removeprefix("Not with an HSA: "), lang)),
    ]
    return {"labels": [say(of.label, lang) for of in opts], "rows": rows, "savings": savings, "accounts": accounts}
