"""The handout's lists, worded in the reader's language: calls to make, documents to gather, ways to pay.

Split from :mod:`toolkit.faces.handout` to keep each module readable in one sitting; nothing
here computes money (the paying modules did), it only words and formats what they returned.
"""

from __future__ import annotations

from typing import Any

from ..data import Dataset
from ..engine.compare import Comparison
from ..i18n import dollars, gettext_for
from .words import say


def next_steps(comp: Comparison, ds: Dataset, lang: str = "en") -> dict[str, list[str]]:
    """Calls to make and documents to gather, from the coverage assessment and the plan type."""
    _ = gettext_for(lang)
    s = comp.scenario
    payer = s.plan.payer_type.value
    calls: list[str] = []
    if payer != "uninsured":
        ask = _("The plan (number on the back of the insurance card): is Spravato covered, under the medical or the pharmacy benefit? Is prior authorization needed? Which clinics nearby are in network?")
        if s.plan.out_of_network is not None and payer in ("commercial", "hdhp"):
            ask += " " + _("Is IV ketamine covered, or can a superbill be claimed out of network?")
        calls.append(ask)
    spravato = _("A Spravato clinic: is it REMS-certified and in network? Will it request the prior authorization? What is the observation fee?")
    if payer in ("commercial", "hdhp") and s.plan.manufacturer_savings:
        spravato += " " + _("Can it help enrol in the Spravato savings program?")
    calls.append(spravato)
    calls.append(_("IV ketamine clinics: price per infusion, package and booster prices, consultation and cancellation fees, payment plans, and a superbill with CPT and diagnosis codes?"))
    asks = []
    for opt in comp.options.values():
        for text in opt.coverage.raise_odds:
            if text not in asks and not text.startswith(("Ask the plan", "Ask whether the drug", "Ask the clinic for a superbill")):
                asks.append(text)
    if asks:
        calls.append(_("The prescriber: {ask}").format(ask=say(asks[0], lang)))
    appeal_days = int(ds.number("appeal.internal.filing_days"))
    docs = [
        _("The antidepressants tried: names, doses, start and stop dates (pharmacy records help)."),
        _("A recent depression score (e.g. PHQ-9) recorded by the prescriber or clinic."),
        _("A letter of medical necessity from the prescriber (prior authorization, appeals, HSA/FSA)."),
        _("The plan's summary of benefits: deductible, coinsurance, out-of-pocket maximum."),
        _("Every receipt and superbill: for reimbursement claims, the HSA/FSA and taxes."),
        _("Any denial letter: an internal appeal is usually due within {days} days (follow the date on the letter).").format(days=appeal_days),
    ]
    if lang != "en":  # the letters and the superbill checklist are for the plan and the clinic: they stay in English
        docs.append(_("The letters to the insurer and the superbill checklist for the clinic are in English, because the plan and the clinic read them."))
    trips = max(o.schedule.trips_needing_driver for o in comp.options.values())
    docs.append(_("Rides home: someone to drive the patient home after every session (up to {trips} in this period).").format(trips=trips))
    return {"calls": calls, "documents": docs}


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
