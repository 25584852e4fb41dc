"""Next steps for the handout: the calls to make and the documents to gather.

Why apart from the handout's layout: the list follows the plan type and what the patient
will pay themselves (a good-faith estimate before paying an IV clinic; the Medicare notice
before an infusion Medicare is not expected to pay), and it is read on paper at home.
"""

from __future__ import annotations

from ..data import Dataset
from ..engine.compare import Comparison
from ..workflow.self_pay import self_pay_notices

# the notices of toolkit.workflow.self_pay, in one line each for a printed page
PAPER = {
    "good_faith_estimate": "Paying an IV clinic yourself: ask for a written good-faith estimate first; a bill ${limit} or more above it can be disputed.",
    "abn": "Original Medicare is not expected to pay for IV ketamine: the clinic should give an Advance Beneficiary Notice (ABN) "
           "with the cost before the first infusion; signing it means agreeing to pay.",
}


def next_steps(comp: Comparison, ds: Dataset) -> dict[str, list[str]]:
    """Calls to make and documents to gather, from the coverage assessment and the plan type."""
    s = comp.scenario
    payer = s.plan.payer_type.value
    calls: list[str] = []
    if payer != "uninsured":
        ask = "The plan (number on the back of the insurance card): is Spravato covered, under the medical or the pharmacy benefit? Is prior authorization needed? Which clinics nearby are in network?"
        if s.plan.out_of_network is not None and payer in ("commercial", "hdhp"):
            ask += " Is IV ketamine covered, or can a superbill be claimed out of network?"
        calls.append(ask)
    spravato = "A Spravato clinic: is it REMS-certified and in network? Will it request the prior authorization? What is the observation fee?"
    if payer in ("commercial", "hdhp") and s.plan.manufacturer_savings:
        spravato += " Can it help enrol in the Spravato savings program?"
    calls.append(spravato)
    calls.append("IV ketamine clinics: price per infusion, package and booster prices, consultation and cancellation fees, payment plans, and a superbill with CPT and diagnosis codes?")
    limit = int(ds.number("self_pay.gfe_dispute_threshold"))
    calls += [PAPER[n.key].format(limit=limit) for n in self_pay_notices(s, ds)]
    asks = []
    for opt in comp.options.values():
        for text in opt.coverage.raise_odds:
            if text not in asks and not text.startswith(("Ask the plan", "Ask whether the drug", "Ask the clinic for a superbill")):
                asks.append(text)
    if asks:
        calls.append("The prescriber: " + asks[0])
    appeal_days = int(ds.number("appeal.internal.filing_days"))
    docs = [
        "The antidepressants tried: names, doses, start and stop dates (pharmacy records help).",
        "A recent depression score (e.g. PHQ-9) recorded by the prescriber or clinic.",
        "A letter of medical necessity from the prescriber (prior authorization, appeals, HSA/FSA).",
        "The plan's summary of benefits: deductible, coinsurance, out-of-pocket maximum.",
        "Every receipt and superbill: for reimbursement claims, the HSA/FSA and taxes.",
        f"Any denial letter: an internal appeal is usually due within {appeal_days} days (follow the date on the letter).",
    ]
    trips = max(o.schedule.trips_needing_driver for o in comp.options.values())
    docs.append(f"Rides home: someone to drive the patient home after every session (up to {trips} in this period).")
    return {"calls": calls, "documents": docs}
