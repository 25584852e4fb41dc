"""Text shared by every notebook: the notices a patient must see."""

SAFETY = """> **Estimates, not advice.** This toolkit gives decision support with estimates. It is not medical, financial or legal advice: confirm coverage and prices with the insurer and the clinic.
>
> **Privacy.** Enter no names, birth dates, member IDs or other identifiers. Nothing you enter leaves this machine. On Binder the session is public and temporary: what you type is gone when it closes.
>
> **988 Suicide & Crisis Lifeline.** If you or the person you are helping is thinking about suicide or is in crisis, call or text **988** (US, free, 24/7) or chat at 988lifeline.org. In an emergency, call 911."""

SETUP = "# NBVAL_CHECK_OUTPUT\nimport toolkit\nprint(toolkit.DISCLAIMER)\nprint(toolkit.CRISIS_LINE)"
