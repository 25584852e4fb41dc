# %% [markdown]
# # Session schedules
#
# **What this page answers:** how often the patient goes to the clinic, for how long, and how many trips need a driver; and how to put the sessions in the patient's own calendar.
#
# - **Spravato** (label): twice weekly in weeks 1-4, weekly in weeks 5-8, then weekly or every 2 weeks; for depression with acute suicidal thoughts, 84 mg twice weekly for 4 weeks. At least 2 hours of observation every session, and no driving until the next day.
# - **IV ketamine** (off-label): a first series (commonly 6 infusions over 2-3 weeks, 0.5 mg/kg over 40 minutes), then boosters at an interval the clinic sets with the patient. Clinics require a ride home.

# %% [markdown]
# > **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
# >
# > **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
# >
# > **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911.

# %%
from toolkit.pages import schedule_for_example

schedule_for_example()

# %% [markdown]
# ## A calendar file for the patient
#
# The planned sessions of one option as a calendar file (`.ics`) that any calendar app can import. Each session is called, for example, *Spravato session 3 of 35*: no name, clinic or address is in the file. Every session has a reminder the day before to arrange a ride home; Spravato sessions also remind the patient to stop eating 2 hours and drinking 30 minutes before. The dates are the plan: confirm each one with the clinic.

# %%
from toolkit.takeaway import calendar_explorer

calendar_explorer()

# %% [markdown]
# What the patient will see, for the built-in example's Spravato schedule (first five sessions):

# %%
from toolkit.calendar_export import preview

preview()

# %% [markdown]
# From a terminal: `python -m toolkit handout my_scenario.json --out handout.pdf --calendar sessions.ics --option spravato --time 09:30`.
