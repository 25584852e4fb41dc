"""Paying for it: loans and cards, ways to pay, HSA/FSA, clinic quotes, the expense tracker.

Each module reads the claim lines the engine adjudicated; none re-runs the engine for a
comparison it was handed.

=============== ==================================================================
module          what it holds
=============== ==================================================================
``loans``       installments, amortized loans, deferred-interest cards (pure math)
``terms``       the financing terms an advisor can change, defaults from data/
``routes``      every way to pay, month by month, from a comparison
``hsa_fsa``     HSA and FSA eligibility, limits, tax effect
``quotes``      two to five clinic quotes on the patient's own schedule
``expenses``    payments and reimbursements recorded, by year, CSV in and out
=============== ==================================================================
"""
