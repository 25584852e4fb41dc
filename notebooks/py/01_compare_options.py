# %% [markdown]
# # Compare IV ketamine and Spravato for one patient
#
# Fill in the four steps on the left (or pick an example); the results on the right update when a field changes. A field with a problem shows a message beside it, and the last good results stay on screen. Enter no names or identifiers.

# %%
from toolkit.dashboard import app

app()
