# %% [markdown]
# # Start here: IV ketamine or Spravato?
#
# This toolkit helps a patient advisor (navigator, clinic coordinator, benefits counsellor) sit with a patient and compare two ketamine-based options for treatment-resistant depression, depression with suicidal thoughts, PTSD or chronic pain:
#
# | | IV ketamine infusion | Esketamine nasal spray (Spravato) |
# |---|---|---|
# | FDA status | off-label for depression and pain | approved for treatment-resistant depression and for depression with acute suicidal thoughts (adults) |
# | Usually paid by | the patient (some out-of-network reimbursement) | the plan, after prior authorization |
# | Where | an infusion clinic | a REMS-certified clinic, with at least 2 hours of observation every session |
#
# It answers three questions, for *this* patient's plan:
# 1. **Will the plan pay?** How likely each option is covered, why, and which prior-authorization criteria are met or missing.
# 2. **What would the patient pay?** Claim by claim: deductible, coinsurance, copays, the out-of-pocket maximum, the plan-year reset, out-of-network reimbursement and the Spravato savings program; best, expected and worst.
# 3. **What does the schedule ask?** Sessions per week, hours in clinic, and the trips that need someone to drive.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %% [markdown]
# ## How to walk a patient through it
#
# 1. Open **01 Compare options** (the dashboard). It starts from a built-in example; pick the example closest to the patient.
# 2. **Situation**: what is being treated and the treatment history prior authorization asks about (how many antidepressants were tried, whether a psychiatrist is involved, a baseline score).
# 3. **Insurance**: the plan type and the figures from its summary of benefits (deductible, coinsurance, out-of-pocket maximum, and how much is already met this year).
# 4. **Clinic prices**: leave them empty to use the published ranges, or type the clinic's quote.
# 5. **Schedule**: first session date, how many months to compare, and the maintenance choices.
# 6. Read the results together: the coverage cards first (and what would help), then the cost table and chart, then the schedule. Open *Explanation of estimate* to show every claim line behind a total.
#
# Topic notebooks go deeper: **02** coverage and appeals, **03** costs, **04** session schedules, **05** scenarios (approved or denied, best or worst), **06** data and sources (every figure with its source and date).

# %% [markdown]
# The notices below are printed by the toolkit itself, so every face of it (dashboard, command line, handout) carries the same words.

# %%
# NBVAL_CHECK_OUTPUT
import toolkit

print(toolkit.DISCLAIMER)
print(toolkit.CRISIS_LINE)

# %% [markdown]
# Every figure comes from the tables in `data/`, each row with a source and an as-of date. This check validates them and counts rows that are more than 18 months old (to re-check, not to discard):

# %%
from toolkit.faces.notebook import data_check_summary

print(data_check_summary())

# %% [markdown]
# ## Summary
#
# - The toolkit compares IV ketamine infusions and Spravato for one patient, on three questions: will the plan pay, what would the patient pay, and what the schedule asks of the patient.
# - Every figure comes from a table in `data/` with its source and date; the check above says whether the tables are valid and how many rows are due for a re-check.
# - The answers are estimates that prepare the conversation with the insurer and the clinic. They do not make the decision for the patient.
#
# ### What to do next
#
# - Open **01_compare_options** (or run `make dashboard` to open it as an app), pick the example closest to the patient and go through the four steps together.
# - Go deeper only where the patient needs it: **02_coverage_and_appeals** if coverage or a denial is the worry, **03_costs_and_financing** if paying is, **04_session_schedules** for the time and the rides, **05_scenarios** for how sure the answer is, **06_data_and_sources** for where a figure comes from.
