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
from toolkit.faces.notebook import schedule_for_example

schedule_for_example()

# %% [markdown]
# ## A calendar file for the patient
#
# The planned sessions of one option as a calendar file (`.ics`) that any calendar app can import. Each session is called, for example, *Spravato session 3 of 35*: no name, clinic or address is in the file. Every session has a reminder the day before to arrange a ride home; Spravato sessions also remind the patient to stop eating 2 hours and drinking 30 minutes before. The dates are the plan: confirm each one with the clinic.

# %%
from toolkit.faces.explorers import calendar_explorer

calendar_explorer()

# %% [markdown]
# What the patient will see, for the built-in example's Spravato schedule (first five sessions):

# %%
from toolkit.faces.calendar_file import preview

preview()

# %% [markdown]
# From a terminal: `python -m toolkit handout my_scenario.json --out handout.pdf --calendar sessions.ics --option spravato --time 09:30`.

# %% [markdown]
# ## Summary
#
# - Spravato asks for the most visits at the start, then fewer; every session includes a stay in the clinic for observation, and no driving until the next day. IV ketamine starts with a first series of infusions close together, then boosters at the interval the clinic sets; every infusion needs a ride home too.
# - The calendar file holds only the planned dates and reminders: no name, clinic or address is in it.
#
# ### What to do next
#
# - Go through the trips that need a driver with the patient, and who could drive: a schedule the patient cannot get to is not a real option.
# - Make the calendar file for the option the patient leans towards, and confirm every date with the clinic.
# - If the schedule could change the choice, see what a different booster interval costs in **05_scenarios**.
