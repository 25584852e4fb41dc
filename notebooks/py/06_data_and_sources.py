# %% [markdown]
# # Data and sources
#
# **What this page answers:** where every figure comes from, how old it is and how reliable.
#
# Each row of `data/` carries a source (title and link), an as-of date and a reliability tag: official, payer policy, peer-reviewed, vendor, clinic, low (a secondary explainer) or assumption (no published figure; the toolkit says so). Rows older than 18 months are flagged **stale**: re-check them against the source. Where sources disagree the range is kept and the conflict recorded.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %%
# NBVAL_CHECK_OUTPUT
from toolkit.faces.notebook import data_counts

print(data_counts())

# %% [markdown]
# How many rows are stale today (this changes as time passes):

# %%
from toolkit.faces.notebook import data_check_summary

print(data_check_summary().splitlines()[-1])

# %% [markdown]
# ## Every figure

# %%
from toolkit.faces.notebook import sources_table

sources_table()

# %% [markdown]
# ## Where sources disagree

# %%
from toolkit.faces.notebook import conflicts_table

conflicts_table()

# %% [markdown]
# To update a figure: edit the row in `data/*.csv` (value, source, URL, as-of date, reliability), then run `python -m toolkit check-data`; it names the file, row and column of anything wrong.
#
# ## Is this a decision aid by the field's own standard?
#
# The International Patient Decision Aid Standards (IPDAS) set minimum standards: six criteria a tool must meet to be called a decision aid, and six more without which it risks harmful bias (Joseph-Williams et al., *Medical Decision Making* 2014). The toolkit supports a cost-and-coverage decision, not the clinical choice, so the criteria about clinical benefits and side effects are met for costs, coverage and the schedule's burden and leave the clinical side to the prescriber. Who made it and how it is funded, and how the data is kept up to date, are in the README.

# %%
from toolkit.faces.notebook import ipdas_table

ipdas_table()

# %% [markdown]
# ## Summary
#
# - Every figure the toolkit uses is a row in `data/` with a source, a link, an as-of date and a reliability tag; the check above says the tables are valid.
# - Some figures are assumptions rather than published numbers (most coverage chances are): the tables above say which. Where sources disagree, the toolkit keeps the whole range and records the disagreement.
# - A stale row is not wrong, only due for a re-check against its source.
#
# ### What to do next
#
# - When a patient's choice rests on one figure, open its source and look at its as-of date before quoting it.
# - If a figure looks out of date, edit its row in `data/` and run `python -m toolkit check-data`, or tell whoever keeps the data.
# - For the patient's own plan, the plan's answer on the benefits call (**02_coverage_and_appeals**) beats any typical figure here.
