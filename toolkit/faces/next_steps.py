"""Next steps for the handout: the calls to make and the documents to gather.

Why apart from the handout's layout: the list follows the plan type and what the patient
will pay themselves (a good-faith estimate before paying an IV clinic; the Medicare notice
before an infusion Medicare is not expected to pay), and it is read on paper at home.
"""

from __future__ import annotations

from ..data import Dataset
from ..engine.compare import Comparison
from ..i18n import N_, gettext_for
from ..workflow.self_pay import self_pay_notices
from .words import say

# the notices of toolkit.workflow.self_pay, in one line each for a printed page
PAPER = {
    "good_faith_estimate": N_("Paying an IV clinic yourself: ask for a written good-faith estimate first; a bill ${limit} or more above it can be disputed."),
    "abn": N_("Original Medicare is not expected to pay for IV ketamine: the clinic should give an Advance Beneficiary Notice (ABN) "
              "with the cost before the first infusion; signing it means agreeing to pay."),
}


def next_steps(comp: Comparison, ds: Dataset, lang: str = "en") -> dict[str, list[str]]:
    """Calls to make and documents to gather, from the coverage assessment and the plan type, worded in ``lang``."""
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
    limit = int(ds.number("self_pay.gfe_dispute_threshold"))
    calls += [_(PAPER[n.key]).format(limit=limit) for n in self_pay_notices(s, ds)]
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
