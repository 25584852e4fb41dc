# %% [markdown]
# # Coverage and appeals: getting to a yes
#
# **What this page answers:** how each kind of plan usually treats each option, and then, for one patient, the steps that get to a yes or to reimbursement:
#
# 1. **Situation**: pick the example closest to the patient (or the one you built in the dashboard).
# 2. **Benefits call**: print the call sheet, call the insurer and the clinic, record the answers. The comparison updates.
# 3. **Prior-authorization readiness**: what is met, what is missing, who supplies it.
# 4. **After a denial**: what the reason means, what to do, and a dated checklist with calendar reminders for the patient.
# 5. **Letter draft** for the prescriber: letter of medical necessity or appeal letter, criterion by criterion.
# 6. **Superbill** for out-of-network reimbursement of IV ketamine: what the clinic must put on it, what comes back, and by when to file.
#
# Everything runs on this machine. Files are written only when you press *Save* with a folder typed in, or downloaded from the browser with *Download links*. No step asks for a name, birth date, member ID, address, phone number or email: the letters leave those as placeholders for the prescriber's own system.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %%
# NBVAL_CHECK_OUTPUT
import toolkit

print(toolkit.DISCLAIMER)
print(toolkit.CRISIS_LINE)

# %% [markdown]
# ## Coverage by plan type
#
# The levels come from `data/coverage.csv`. No published approval rate exists for either option: every likelihood is an assumption, marked as such, that the benefits call below replaces with the plan's own answers. The Aug 2025 Medicaid policy review's 45.5% is the share of Medicaid programmes with a Spravato policy, not a chance of approval; for Medicaid the harder part is finding a REMS-certified site that takes Medicaid.

# %%
from toolkit.faces.notebook import coverage_explorer

coverage_explorer()

# %% [markdown]
# ## 1. The patient's situation
#
# The table shows each option's coverage and expected 12-month patient cost, before and after the answers recorded in the next steps.

# %%
from toolkit.faces.workflow_panel import CoverageWorkflow

wf = CoverageWorkflow()
wf.situation_panel()

# %% [markdown]
# ## 2. Benefits check
#
# Open the call sheet, print it, and ask the questions in order. Record each answer with the call date and the insurer's reference number (never the representative's name or the member ID), then press **Apply answers**. Each question says what it updates: for example *out-of-network coinsurance 40%* goes into the plan, and *covered, prior authorization required* sets the coverage chance from the readiness step below.

# %%
wf.benefits_panel()

# %% [markdown]
# ## 3. Prior-authorization readiness
#
# Built on the coverage assessment: each criterion payers usually apply, whether this patient meets it, and who supplies the proof. A usual criterion that is missing (or one the plan named on the call) is *blocking*. Tick what the clinic has documented since, and every step updates.

# %%
wf.readiness_panel()

# %% [markdown]
# What prior authorization usually asks for, with sources:

# %%
from toolkit.faces.notebook import criteria_table

criteria_table()

# %% [markdown]
# ## 4. After a denial
#
# After a denial, the patient can ask the plan to reconsider (internal appeal), then ask for an independent external review. **Always follow the deadline printed on the denial letter**: the federal rule gives 4 months to ask for external review (45 CFR 147.136); 60 days, printed on one HealthCare.gov page and some plans' letters, is a conservative figure, not the usual one. The checklist below aims for the 60-day date and shows the 4-month limit.

# %%
# NBVAL_CHECK_OUTPUT
from toolkit.faces.notebook import rules_table

print(rules_table(('appeal.',))[['rule', 'value']].to_string(index=False))

# %% [markdown]
# Pick the date on the denial notice and the reason given. Add the appeal date and the final decision as the case moves on; the dates printed on the plan's letters replace the computed ones. Hand the patient the printable checklist and the calendar file.

# %%
wf.appeal_panel()

# %% [markdown]
# A worked example with fixed dates (a denial dated 3 Sep 2027 before the service, looked at on 10 Sep 2027; 180 days later falls in leap-year 2028):

# %%
# NBVAL_CHECK_OUTPUT
from datetime import date

from toolkit.workflow.appeals import appeal_checklist

c = appeal_checklist('2027-09-03', 'medical_necessity', option='spravato', today=date(2027, 9, 10))
for step in c.steps:
    print(f"{step.when:>16}  {step.title}{' (estimate)' if step.estimated else ''}")

# %% [markdown]
# ## 5. Letter draft for the prescriber
#
# Choose the letter and fill in what you know; every criterion of the policy gets its own paragraph. Anything left empty shows as **[TO COMPLETE: ...]** so an unfinished draft is obvious. Identity and contact details are never asked for: they appear as placeholders such as *[Patient: prescriber fills in]*. The mental-health-parity paragraph (MHPAEA, 29 U.S.C. 1185a) is added for employer and individual-market plans. Export as Markdown or HTML (a `.docx` export would need a new dependency, so there is none).

# %%
wf.letter_panel()

# %% [markdown]
# ## 6. Superbill for out-of-network reimbursement (IV ketamine)
#
# What the clinic must put on each superbill, what the plan would send back session by session (allowed amount, out-of-network deductible, coinsurance, balance bill: the same claim lines as the comparison), and the filing deadline for each session.

# %%
wf.superbill_panel()

# %% [markdown]
# Nothing entered on this page is stored by the toolkit. Deadlines and rules vary by plan and state: this is decision support, not legal advice.

# %% [markdown]
# ## Summary
#
# - Whether the plan pays depends on the kind of plan and on the prior-authorization criteria the patient meets. The benefits call replaces the assumed chances with the plan's own answers, and the readiness check shows what is still missing and who supplies it.
# - A denial is not the end: the patient can file an internal appeal (the rules above give 180 days from the denial) and then ask for an external review. The deadline printed on the denial letter always wins.
# - For IV ketamine paid at the clinic, a superbill may bring part of the cost back from the plan's out-of-network benefits.
#
# ### What to do next
#
# - Make the benefits call with the call sheet, and record each answer with the call date and the reference number (never the member ID).
# - Send the prescriber the letter draft, with the missing items from the readiness checklist.
# - If a denial arrives, give the patient the dated checklist and the calendar file the same day.
# - For IV ketamine, ask the clinic for a superbill after every session, and file each one before its deadline.
