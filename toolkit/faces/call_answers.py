"""The benefits-call answer fields: the choices each answer offers and how typed text is read.

Why apart from the workflow panel: the answers grow with every plan mechanic the call sheet
asks about; the panel only lays them out (:mod:`toolkit.faces.workflow_panel`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..plan import MEDIGAP_LABELS, OON_METHOD_LABELS, TRICARE_GROUPS
from ..scenario import read_money
from ..workflow.benefits_check import BenefitsCall
from ..workflow.common import WorkflowError

YESNO = [("not asked yet", "unknown"), ("yes", "yes"), ("no", "no")]
CHOICES = {
    "iv_clinic_billing": [("not asked yet", "unknown"), ("bills the plan in network", "in_network"), ("gives a superbill", "superbill"), ("cash only, no superbill", "cash_only")],
    "spravato_drug_benefit": [("not asked yet", "unknown"), ("medical benefit", "medical"), ("pharmacy benefit", "pharmacy")],
    "spravato_visit_benefit": [("not asked yet", "unknown"), ("medical", "medical"), ("behavioral health", "behavioral_health")],
    "copay_assistance": [("not asked yet", "unknown"), ("no: savings count toward the deductible and cap", "counts"),
                         ("accumulator: savings do not count", "accumulator"), ("maximizer: the plan spreads the program's maximum", "maximizer")],
    "oon_allowed_method": [("not asked yet", "unknown"), *((label.lower(), key) for key, label in OON_METHOD_LABELS.items())],
    "medigap": [("not asked yet", "unknown"), *((label, key) for key, label in MEDIGAP_LABELS.items())],
    "medicare_spravato_route": [("not asked yet", "unknown"), ("Part B (the clinic bills G2082/G2083)", "part_b"), ("Part D (specialty pharmacy)", "part_d")],
    "tricare_group": [("not asked yet", "unknown"), *((label, key) for key, label in TRICARE_GROUPS.items())],
}
CALL_GROUPS = (
    ("The call", ("insurer_call_date", "insurer_reference", "clinic_call_date")),
    ("Ask first", ("copay_assistance",)),
    ("IV ketamine: ask the insurer", ("iv_covered", "iv_pa_required", "iv_pa_documents", "oon_benefits", "oon_allowed_method", "oon_allowed_pct",
                                      "oon_medicare_pct", "oon_allowed_amounts", "oon_deductible", "oon_coinsurance_pct", "oon_oop_max", "oon_deductible_met", "oon_oop_met", "timely_filing_days")),
    ("Spravato: ask the insurer", ("spravato_covered", "spravato_pa_required", "spravato_pa_documents", "pa_approval_months", "spravato_drug_benefit",
                                   "spravato_visit_benefit", "spravato_rems_site_nearby", "medicare_spravato_route")),
    ("Both: ask the insurer", ("in_network_deductible_met", "in_network_oop_met", "medigap", "tricare_group")),
    ("Ask the clinics", ("iv_clinic_billing", "spravato_clinic_in_network", "spravato_drug_in_network")),
)


def _answer(name: str, widget: W.Widget) -> Any:
    """One benefits-call answer: a typed amount read by :func:`~toolkit.scenario.read_money`, empty = not asked yet."""
    value = widget.value
    if isinstance(value, tuple):
        return list(value)
    if not isinstance(widget, W.Text):
        return value
    if name == "insurer_reference":
        return value.strip()
    if not value.strip():
        return {} if name == "oon_allowed_amounts" else None
    if name == "oon_allowed_amounts":
        return _amounts_by_code(value)
    try:
        return read_money(value)
    except ValueError as exc:
        raise WorkflowError(BenefitsCall.model_fields[name].title or name, str(exc)) from None


def _amounts_by_code(text: str) -> dict[str, Any]:
    """``"96365: 350, 96366: 120"`` -> ``{"96365": Decimal("350"), ...}``, as the insurer reads them out."""
    title = BenefitsCall.model_fields["oon_allowed_amounts"].title or "oon_allowed_amounts"
    out: dict[str, Any] = {}
    for part in (p for p in text.replace(";", ",").split(",") if p.strip()):
        code, sep, amount = part.partition(":") if ":" in part else part.partition("=")
        if not sep:
            raise WorkflowError(title, f"write each code with its amount, e.g. 96365: 350 (got {part.strip()!r})")
        try:
            out[code.strip()] = read_money(amount)
        except ValueError as exc:
            raise WorkflowError(title, f"{code.strip()}: {exc}") from None
    return out
