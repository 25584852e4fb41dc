"""The patient's coverage: cost sharing as a plan summary prints it, and the mechanics that move it.

Why a module of its own: the plan is where a benefits expert looks first (accumulators,
how out-of-network amounts are allowed, Medicare's parts, TRICARE's groups), and each of
those choices changes the claim lines, so each is a field here with its plain-language title.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .amounts import (
    Dollars,
    OptionalDollars,
    OptionalMultiple,
    OptionalPercent,
    Percent,
    _Model,
)


class PayerType(StrEnum):
    commercial = "commercial"
    hdhp = "hdhp"
    medicare = "medicare"
    medicare_advantage = "medicare_advantage"
    medicaid = "medicaid"
    tricare = "tricare"
    va = "va"
    uninsured = "uninsured"


PAYER_LABELS = {
    "commercial": "Commercial (employer or Marketplace)",
    "hdhp": "High-deductible plan (HDHP)",
    "medicare": "Original Medicare (Part B)",
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid",
    "tricare": "TRICARE",
    "va": "VA health care",
    "uninsured": "No insurance",
}

class Tier(_Model):
    """Cost sharing for one network tier, as printed on a summary of benefits."""

    deductible: Dollars = Field(Decimal("0"), title="Deductible ($)")
    deductible_met: Dollars = Field(Decimal("0"), title="Deductible already met this plan year ($)")
    coinsurance_pct: Percent = Field(Decimal("20"), title="Coinsurance (%)")
    copay: Dollars = Field(Decimal("0"), title="Copay per visit ($)")
    oop_max: OptionalDollars = Field(None, title="Out-of-pocket maximum ($, empty = no cap)")
    oop_met: Dollars = Field(Decimal("0"), title="Out-of-pocket already met this plan year ($)")

    @model_validator(mode="after")
    def _consistent(self) -> "Tier":
        if self.deductible_met > self.deductible:
            raise ValueError("deductible_met: cannot be more than the deductible")
        if self.oop_max is not None:
            if self.deductible > self.oop_max:
                raise ValueError("deductible: cannot be above the out-of-pocket maximum")
            if self.oop_met > self.oop_max:
                raise ValueError("oop_met: cannot be more than the out-of-pocket maximum")
        return self


CODE = re.compile(r"^[A-Z0-9]{5}$")
ASSISTANCE_LABELS = {
    "unknown": "Not known yet (show both)",
    "counts": "Savings count toward the deductible and cap",
    "accumulator": "Accumulator: savings do not count",
    "maximizer": "Maximizer: the plan spreads the program's yearly maximum",
}
OON_METHOD_LABELS = {
    "percent_of_charge": "A share of the clinic's charge",
    "percent_of_medicare": "A multiple of Medicare's fee",
    "per_code": "Dollar amounts by code, as the insurer quoted them",
}
MEDIGAP_LABELS = {"none": "No supplement", "plan_g": "Plan G-like (pays the 20% after the Part B deductible)",
                  "plan_n": "Plan N-like (pays the 20%, up to $20 copay per office visit)"}
TRICARE_GROUPS = {
    "adfm_prime": "Active-duty family member, TRICARE Prime",
    "adfm_select": "Active-duty family member, TRICARE Select",
    "retiree_prime": "Retiree (or family), TRICARE Prime",
    "retiree_select": "Retiree (or family), TRICARE Select",
    "tricare_for_life": "TRICARE For Life (with Medicare)",
}

# the tier figures a TRICARE group sets (toolkit.engine.payers) that an EOB can settle: "<tier>_<field>"
TRICARE_EOB_FIELDS = tuple(f"{t}_{f}" for t in ("in_network", "out_of_network") for f in ("deductible", "coinsurance_pct", "copay"))


class Plan(_Model):
    payer_type: PayerType = Field(PayerType.commercial, title="Type of coverage")
    plan_year_start_month: int = Field(1, ge=1, le=12, title="Plan year starts in month")
    in_network: Tier = Field(default_factory=Tier, title="In network")
    out_of_network: Tier | None = Field(None, title="Out of network (empty = no out-of-network benefits)")
    oon_allowed_method: Literal["percent_of_charge", "percent_of_medicare", "per_code"] = Field(
        "percent_of_charge", title="How the plan sets the out-of-network allowed amount"
    )
    oon_allowed_pct: OptionalPercent = Field(
        None, title="Out-of-network allowed amount (% of the clinic's charge; empty = published range)"
    )
    oon_medicare_pct: OptionalMultiple = Field(
        None, title="Out-of-network allowed amount (% of Medicare's fee, e.g. 140; empty = published range)"
    )
    oon_allowed_amounts: dict[str, Dollars] = Field(
        default_factory=dict, title="Out-of-network allowed amount by code ($, as the insurer quoted it, e.g. 96365: 350)"
    )
    in_network_allowed_amounts: dict[str, Dollars] = Field(
        default_factory=dict, title="In-network allowed amount by code ($, as an explanation of benefits showed it, e.g. 99214: 190)"
    )
    copay_before_deductible: bool = Field(True, title="Visit copays apply before the deductible")
    copays_count_toward_deductible: bool = Field(False, title="Copays count toward the deductible")
    spravato_drug_benefit: Literal["medical", "pharmacy"] = Field("medical", title="Spravato drug is paid under")
    pharmacy_coinsurance_pct: Percent = Field(Decimal("20"), title="Specialty pharmacy coinsurance (%)")
    pharmacy_copay: Dollars = Field(Decimal("0"), title="Specialty pharmacy copay ($)")
    spravato_clinic_in_network: bool = Field(True, title="The Spravato clinic is in network (visit and observation)")
    spravato_drug_in_network: bool | None = Field(
        None, title="The Spravato clinic is in network for the drug (medical codes; empty = as the visit)"
    )
    iv_claim_route: Literal["self_pay", "superbill", "in_network"] = Field(
        "superbill", title="How IV ketamine is paid"
    )
    medigap: Literal["none", "plan_g", "plan_n"] = Field("none", title="Medicare supplement (Medigap)")
    medicare_spravato_route: Literal["part_b", "part_d"] = Field(
        "part_b", title="Medicare pays Spravato under (Part B at the clinic, or Part D from a specialty pharmacy)"
    )
    part_d_deductible: OptionalDollars = Field(None, title="Part D plan's deductible ($, empty = the standard maximum)")
    tricare_group: Literal["adfm_prime", "adfm_select", "retiree_prime", "retiree_select", "tricare_for_life"] | None = Field(
        None, title="TRICARE beneficiary group"
    )
    tricare_group_b: bool = Field(True, title="The sponsor joined on or after 1 Jan 2018 (TRICARE Group B)")
    tricare_junior_enlisted: bool = Field(False, title="The sponsor is E-1 to E-4 (lower TRICARE Select deductible)")
    tricare_from_eob: dict[str, Dollars] = Field(
        default_factory=dict,
        title="TRICARE figures an explanation of benefits showed, in place of the group's published ones "
              "(e.g. in_network_copay: 30; empty = TRICARE's figures for the group)",
    )
    medicaid_monthly_income: OptionalDollars = Field(
        None, title="Family income per month ($, for Medicaid's 5% cap on cost sharing; empty = not counted)"
    )
    pa_approval_months: int | None = Field(
        None, ge=1, le=24, title="Prior authorization approved for (months; empty = the usual period)"
    )
    manufacturer_savings: bool = Field(True, title="Enrol in the Spravato savings program if eligible")
    copay_assistance_counts: Literal["unknown", "counts", "accumulator", "maximizer"] = Field(
        "unknown", title="Does the savings program count toward the deductible and cap?"
    )
    state: str = Field("", max_length=2, pattern=r"^([A-Z]{2})?$", title="State (2 letters, for program rules)")

    @model_validator(mode="before")
    @classmethod
    def _earlier_files(cls, data: Any) -> Any:
        """Files saved before these fields existed still open, with the same meaning.

        ``accumulator_adjustment: true`` is ``copay_assistance_counts: accumulator`` (false was
        never asked, so it is "unknown"); ``medicare_supplement: true`` is ``medigap: plan_g``.
        """
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "accumulator_adjustment" in data:
            old = data.pop("accumulator_adjustment")
            if old is True and "copay_assistance_counts" not in data:
                data["copay_assistance_counts"] = "accumulator"
        if "medicare_supplement" in data:
            old = data.pop("medicare_supplement")
            if "medigap" not in data:
                data["medigap"] = "plan_g" if old is True else "none"
        return data

    @field_validator("tricare_from_eob")
    @classmethod
    def _tricare_fields(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        """Only a figure the TRICARE group sets can come from an EOB (the amounts met stay the tier's own)."""
        for key, amount in value.items():
            if key not in TRICARE_EOB_FIELDS:
                raise ValueError(f"tricare_from_eob: {key!r} is not one of {', '.join(TRICARE_EOB_FIELDS)}")
            if key.endswith("coinsurance_pct") and amount > 100:
                raise ValueError(f"tricare_from_eob: {key} is a percentage (at most 100)")
        return value

    @field_validator("oon_allowed_amounts", "in_network_allowed_amounts", mode="before")
    @classmethod
    def _codes(cls, value: Any, info: ValidationInfo) -> Any:
        """Codes as the insurer says them: ``"j0013 "`` is ``J0013``; a code is 5 letters or digits."""
        if not isinstance(value, dict):
            return value
        out = {}
        for code, amount in value.items():
            key = str(code).strip().upper()
            if not CODE.match(key):
                raise ValueError(f"{info.field_name}: {str(code)!r} is not a billing code (5 letters or digits, e.g. 96365)")
            out[key] = amount
        return out
