# %% [markdown]
# # Scenarios: what if, and how sure are we?
#
# **What this page answers**, for one patient:
#
# 1. **What if the prior authorization is denied?** Each option's cost if the plan says yes, if it says no, and the expected cost given the chance of approval.
# 2. **What if the treatment schedule changes?** For example boosters every 3 weeks instead of 6, or weekly Spravato maintenance.
# 3. **How sure are we that one option costs less?** Thousands of simulated outcomes, with prices, schedules, reimbursement and the plan's answer drawn from their published ranges.
#
# It also shows what could change the answer (a tornado chart), two inputs at once (a grid), best and worst cases, and the month the running costs cross.
#
# **How to use it:** pick the example closest to the patient (the same built-in example as the dashboard opens first), adjust the price and schedule, then open the tab for the question. Every chart has its numbers in a table just below it (*The numbers behind this chart*), and *Inputs and sources* lists every range with its source and date.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %%
from toolkit.faces.scenarios_panel import scenarios_panel

scenarios_panel()

# %% [markdown]
# ## The three questions, for the built-in example
#
# The same answers as the tabs above, as plain output (useful to copy into notes). The patient: an adult with treatment-resistant depression on an employer PPO with out-of-network benefits, most of this year's deductible met, published prices (no clinic quotes yet), IV boosters every 5 weeks.
#
# **What if the prior authorization is denied?**

# %%
# NBVAL_CHECK_OUTPUT
from toolkit import default_scenario
from toolkit.analysis import approval_vs_denial, denial_sentence

patient = default_scenario()
denied = approval_vs_denial(patient)
print(denial_sentence(denied))

# %%
denied[["option", "if_approved", "if_denied", "chance_approved", "expected", "expected_low", "expected_high"]].round(0)

# %% [markdown]
# Spravato is usually approved for this patient (80 % typical), but a denial means paying the clinic's cash price for every session, so the expected cost carries that risk. IV ketamine is paid at the clinic either way here: the out-of-network deductible is not reached, so the superbill brings nothing back this year.
#
# **What if the patient needs boosters every 3 weeks instead of 6?**

# %%
# NBVAL_CHECK_OUTPUT
from toolkit.analysis import one_way

boosters = one_way(patient, "iv_maintenance_interval_weeks", [3, 6])
print(boosters[["value_text", "iv_ketamine", "spravato", "cheaper"]].to_string(index=False))

# %% [markdown]
# **How sure are we that Spravato is cheaper for this patient?** 10,000 simulated outcomes (seed fixed, so the figures are the same on every run): the chance each option costs less, and the spread of each option's cost.

# %%
from toolkit.analysis import monte_carlo

sims = monte_carlo(patient, seed=20261207)
print(f"Spravato costs this patient less in {sims.chance_spravato_cheaper():.0%} of {sims.n:,} simulated outcomes over {sims.months} months.")
sims.summary()[["option", "mean", "p5", "median", "p95", "chance_costs_less"]].round(2)

# %% [markdown]
# The chance hardly changes with prices or schedules here: what decides it is whether the plan approves Spravato. The tornado chart in *What could change it* shows the same thing one input at a time.

# %% [markdown]
# ## Every example: approved or denied, best or worst
#
# For each example situation: the expected cost (typical prices, weighted by the typical chance of approval), the best and worst cases, and the cost if the plan approves or denies.

# %%
from toolkit.faces.notebook import examples_overview

examples_overview().round(0)

# %% [markdown]
# ## For a caseload: many patients at once
#
# Clinics planning a caseload can price many situations in one go from a CSV file, one situation per row (each row starts from an example and changes only the columns it fills in):
#
# ```bash
# .venv/bin/python -m toolkit batch data/examples/batch_example.csv --out results.csv
# ```
#
# A row with a problem is reported as `row N, column X: message` and skipped; the others are priced, each option's most likely path first. The same, from Python:

# %%
from toolkit.analysis.batch import read_batch, run_batch
from toolkit.examples import examples_dir

caseload = read_batch(examples_dir() / "batch_example.csv")
run_batch(caseload)[["row", "label", "iv_likely_path", "iv_likely_cost", "spravato_likely_path", "spravato_likely_cost", "cheaper"]]

# %% [markdown]
# ## Where the ranges come from
#
# Every uncertain input, with this patient's value, its range, how the simulation draws it, and the source and date of the figure (from `data/uncertainty.csv` and the rows it points to).

# %%
from toolkit.analysis import parameter_table, sources_view

sources_view(parameter_table(patient))

# %% [markdown]
# ## Summary
#
# For the built-in example (put the patient's own figures in to see theirs):
#
# - If the plan approves Spravato, it costs this patient $1,310 over 12 months at typical prices when the savings program's payments count toward the deductible and cap (the dashboard also shows the figure if the plan has an accumulator), against $9,170 for IV ketamine; if the plan denies it, Spravato costs $49,500. The plan's answers decide the comparison, more than prices or schedules do.
# - Boosters every 3 weeks instead of every 6 raise IV ketamine's expected cost (weighted by the chance of approval) from 8570 to 13208 dollars in the booster table above, while Spravato's stays at 10948: on that average, which option is cheaper turns on the booster schedule.
# - Every range behind these figures is listed with its source and date under *Where the ranges come from*.
#
# ### What to do next
#
# - If a denial would change the choice, look at the prior-authorization checklist and appeal deadlines in **02_coverage_and_appeals**.
# - If one input dominates the tornado chart (often the IV price or the chance of approval), get that figure confirmed: a written clinic quote, or the plan's answer on prior authorization.
# - Put the patient's own figures into the dashboard (**01_compare_options**) for the claim-by-claim detail.
