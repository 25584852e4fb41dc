# %% [markdown]
# # Costs, claim by claim, and how to pay them
#
# **What this page answers:** what each option would cost the patient over time, and why, line by line; then how the patient could pay it, which clinic quote is cheaper on their schedule, and how to keep track of what was paid.
#
# Each session is priced into claim lines (drug, observation visit, infusion), and the lines are adjudicated in date order the way a plan does: deductible, then coinsurance or copay, then the out-of-pocket maximum, resetting at the plan year. Spravato's savings program (commercial plans only) is applied after cost sharing; a self-paid IV infusion may be claimed out of network with a superbill.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %%
from toolkit.faces.notebook import costs_for_example

costs_for_example()

# %% [markdown]
# ## The 2026 limits that shape these numbers

# %%
# NBVAL_CHECK_OUTPUT
from toolkit.faces.notebook import rules_table

print(rules_table(('aca.', 'hsa.', 'hdhp.', 'fsa.', 'medicare.'))[['rule', 'value']].to_string(index=False))

# %% [markdown]
# ## How the patient could pay
#
# The same cost, paid different ways, month by month: pay as you go, a prepaid package (IV ketamine), the clinic's own 0% plan, a medical credit card paid on time, the same card with **one payment missed** (the deferred-interest cliff: interest comes back from the purchase date), a personal or medical loan, and paying from an HSA or FSA (which saves the patient's income-tax rate, within the 2026 limits).
#
# Read it with the patient as: *the total* (what it costs in the end) and *the largest month* (what has to be found in one month). The Spravato savings program is already in the claim lines; the notes under each table say how much it pays and where it stops.

# %%
from toolkit.faces.explorers import financing_explorer

financing_explorer()

# %% [markdown]
# The default terms above are typical figures, not offers: each comes from `data/financing.csv` with its source and how reliable it is. Type the real terms from the clinic or lender into the form.

# %%
# NBVAL_CHECK_OUTPUT
from toolkit.paying.terms import terms_table

print(terms_table()[['term', 'value', 'reliability']].to_string(index=False))

# %% [markdown]
# ## Compare clinic quotes
#
# Type two to five quotes as the clinics give them (price per session, package price for the first series, booster price, consultation and late-cancellation fees, whether they give a superbill). Each quote runs through the same schedule and plan rules, so a low price with a consultation fee, or without a superbill, shows its real total.

# %%
from toolkit.faces.explorers import quotes_explorer

quotes_explorer()

# %% [markdown]
# ## Expense tracker
#
# Record each payment and each reimbursement as it happens: the date, the amount, what it was for (the service, never the person) and whether it was paid from an HSA or FSA. Totals by year, and a CSV file for taxes and reimbursement claims. A half-filled row is kept as a draft, so nothing is lost.

# %%
from toolkit.faces.explorers import expense_tracker

expense_tracker()

# %% [markdown]
# ## Taking it home
#
# In the dashboard (**01 Compare options**), *Take it home* makes the printed handout (PDF or HTML), the calendar file and saves the scenario to pick the conversation up next week. From a terminal:
#
# ```bash
# python -m toolkit handout my_scenario.json --out handout.pdf --calendar sessions.ics --option spravato
# ```

# %% [markdown]
# ## Summary
#
# - What the patient pays is worked out claim by claim, the way the plan does it: the deductible first, then coinsurance or a copay, until the out-of-pocket maximum is reached; it all starts again when the plan year resets.
# - How the bill is paid matters as much as its size: look at the total and at the largest month. Be careful with a deferred-interest card: one missed payment brings back the interest from the purchase date (the table above lists 29.99% as the rate after a missed payoff, a low-reliability figure: check the card's own terms).
# - Paying from an HSA or FSA saves the patient's income-tax rate, within the 2026 limits above (for example 4400 USD per year into a self-only HSA).
#
# ### What to do next
#
# - Ask each clinic the patient is considering for a written quote, type the quotes into *Compare clinic quotes*, and check whether each clinic gives a superbill.
# - Replace the typical financing terms with the real ones from the clinic or the lender before the patient signs anything.
# - Start the expense tracker at the first payment, and keep its CSV file for taxes and reimbursement claims.
# - Make the handout in the dashboard (**01_compare_options**) so the patient takes the figures home.
