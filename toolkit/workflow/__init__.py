"""Coverage workflow: from "coverage is possible" to the steps, documents and dates that get
the patient to a yes, or to reimbursement. All offline; nothing identifying is stored.

- :mod:`.benefits_check`: the call sheet for the insurer and the clinic, typed answers
  (:class:`BenefitsCall`), and :func:`apply_answers`, which writes them into the scenario so
  the comparison updates.
- :mod:`.readiness`: prior-authorization readiness, built on :func:`toolkit.coverage.assess`.
- :mod:`.denial_reasons`: the denial reasons, what each means and what to do (the table).
- :mod:`.appeals`: the dated appeal checklist the patient keeps, in English or Spanish, ``.ics`` export.
- :mod:`.letters`: letter of medical necessity and appeal letter drafts (Jinja2 templates).
- :mod:`.superbill`: what a superbill must carry, expected reimbursement from the engine's
  claim lines, and the filing deadline per session.
- :mod:`.self_pay`: the notices owed before paying the IV clinic: the No Surprises Act
  good-faith estimate (self-pay) and Original Medicare's Advance Beneficiary Notice.
- :mod:`.panel`: the widgets of the coverage-and-appeals notebook.

Decision support, not legal or medical advice. Figures come from ``data/rules.csv`` and
``data/workflow.csv``, each with its source.
"""

from .appeals import DENIAL_REASONS, AppealChecklist, appeal_checklist, checklist_ics
from .benefits_check import BenefitsCall, apply_answers, call_sheet, render_call_sheets
from .common import WorkflowError, parse_date
from .letters import LetterFields, build_letter
from .readiness import Readiness, readiness
from .self_pay import Notice, self_pay_notices
from .superbill import SuperbillEstimate, superbill_estimate

__all__ = [
    "DENIAL_REASONS",
    "AppealChecklist",
    "BenefitsCall",
    "LetterFields",
    "Notice",
    "Readiness",
    "SuperbillEstimate",
    "WorkflowError",
    "appeal_checklist",
    "apply_answers",
    "build_letter",
    "call_sheet",
    "checklist_ics",
    "parse_date",
    "readiness",
    "render_call_sheets",
    "self_pay_notices",
    "superbill_estimate",
]
