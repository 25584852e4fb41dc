# %% [markdown]
# # Compare IV ketamine and Spravato for one patient
#
# Fill in the four steps on the left (or pick an example); the results on the right update when a field changes. A field with a problem shows a message beside it, and the last good results stay on screen. Enter no names or identifiers.
#
# *En español:* elija **Español** en «Language / Idioma»; el formulario, los resultados y los archivos para el paciente (folleto, calendario) cambian de idioma. No escriba nombres ni datos que identifiquen a la persona.

# %%
from toolkit.faces.dashboard import app

app()

# %% [markdown]
# ## Summary
#
# The dashboard above puts the two options side by side for this patient: how likely each is to be covered and why, what the patient would pay over the months compared (best, expected and worst), and how many sessions, hours in clinic and rides home each one needs. The figures come from published ranges, except where a clinic quote or the plan's own answers were typed in.
#
# ### What to do next
#
# - Under *Take it home*, make the handout and the calendar file for the patient, and save the scenario to pick the conversation up next time.
# - If coverage is uncertain, call the insurer with the call sheet in **02_coverage_and_appeals**: the plan's answers replace the assumed chance of approval.
# - If the patient will pay part or all of it, compare the ways to pay and the clinic quotes in **03_costs_and_financing**.
# - Before the patient decides, confirm the prices with the clinic and the coverage with the plan.
