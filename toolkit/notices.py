"""The words a patient must see wherever they read: the disclaimer, privacy and the 988 Lifeline.

On the ground floor so every face (dashboard, handout, letters, calendar, CLI) takes the
same sentence from one place. Each is a msgid (``N_``): a face shows it in the reader's
language with ``i18n.gettext_for(lang)(CRISIS_LINE)``; the Spanish 988 line is worded as the
Lifeline serves Spanish speakers (call and press 2, text AYUDA, chat in Spanish).
"""

from .i18n import N_

DISCLAIMER = N_(
    "Decision support with estimates, not medical, financial or legal advice. "
    "Coverage and prices change: confirm them with the insurer and the clinic before deciding."
)
CRISIS_LINE = N_(
    "If you are thinking about suicide or are in crisis, call or text 988 "
    "(988 Suicide & Crisis Lifeline, US; free, 24/7), or chat at 988lifeline.org. "
    "In an emergency, call 911."
)
PRIVACY = N_(
    "Privacy: enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine."
)
BINDER_NOTE = N_("On Binder the session is public and temporary: anything entered is lost when it closes.")
NOT_LEGAL_ADVICE = N_(
    "Decision support, not legal or medical advice. Deadlines and rules vary by plan and state: "
    "follow the dates printed on the plan's letters, and ask the plan, the state insurance "
    "department or a benefits counsellor when in doubt."
)
