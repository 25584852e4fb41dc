"""Cost sharing that follows from the type of coverage rather than from a plan summary.

Why a module of its own: for some coverage the advisor should not type a deductible and a
coinsurance at all. A TRICARE beneficiary's cost shares follow from the beneficiary group
(an active-duty family member in Prime pays $0 for network care; a retiree on Select has a
deductible, copays and a higher cap), published by TRICARE each year (``data/tricare.csv``).
:func:`effective_tiers` returns the tiers the adjudication uses: the scenario's own, or
those its group implies. It is called in one place, :func:`toolkit.engine.terms.plan_terms`,
which every evaluator (one patient, the vector and Monte Carlo path, batch) goes through.

What the group sets, by plan:

- Prime: no deductible, a network copay per visit, the group's catastrophic cap; care
  outside the network without a referral is the point-of-service option ($300 deductible,
  50 %, not counted toward the cap: no cap on that tier).
- Select: the group's deductible (active-duty families by the sponsor's rank), a network
  copay per visit (Group A retirees: 20 % instead), 20 % (families) or 25 % (retirees)
  outside the network, the group's cap on both tiers.
- TRICARE For Life: Medicare pays first and TRICARE pays Medicare's deductible and
  coinsurance, so the patient's share of a service both cover is $0, under the TFL cap.

The amounts already met this plan year stay the advisor's (kept within the group's figures).
A figure an explanation of benefits showed for this patient (``plan.tricare_from_eob``, set
by the EOB re-fit) replaces the group's published one: the EOB is what the plan applied.
:func:`setting_key` names the scenario field behind each figure of a tier, for the re-fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..data import Dataset
from ..plan import Tier
from ..scenario import Scenario


@dataclass(frozen=True)
class GroupTerms:
    """The data rows a TRICARE group's two tiers come from (row ids in data/tricare.csv)."""

    in_rows: dict[str, str]  # Tier field -> row id ("" = 0)
    out_rows: dict[str, str] | None  # None: no tier outside the network


def _letter(scenario: Scenario) -> str:
    return "b" if scenario.plan.tricare_group_b else "a"


def group_rows(scenario: Scenario) -> GroupTerms | None:
    """Which rows of data/tricare.csv set this scenario's tiers (None: no TRICARE group given)."""
    p = scenario.plan
    if p.payer_type != "tricare" or p.tricare_group is None:
        return None
    g, ab = p.tricare_group, _letter(scenario)
    pos = {"deductible": "tricare.point_of_service.deductible", "coinsurance": "tricare.point_of_service.coinsurance",
           "copay": "", "oop_max": ""}
    if g == "adfm_prime":
        net = {"deductible": "tricare.adfm_prime.deductible", "coinsurance": "", "copay": "tricare.adfm_prime.copay",
               "oop_max": f"tricare.adfm.{ab}.cap"}
        return GroupTerms(net, pos)
    if g == "adfm_select":
        rank = "e1_e4" if p.tricare_junior_enlisted else "e5_up"
        ded = f"tricare.adfm_select.{ab}.deductible.{rank}"
        cap = f"tricare.adfm.{ab}.cap"
        net = {"deductible": ded, "coinsurance": "", "copay": f"tricare.adfm_select.{ab}.copay", "oop_max": cap}
        out = {"deductible": ded, "coinsurance": "tricare.adfm_select.oon_coinsurance", "copay": "", "oop_max": cap}
        return GroupTerms(net, out)
    if g == "retiree_prime":
        cap = "tricare.retiree.a.prime_cap" if ab == "a" else "tricare.retiree.b.cap"
        net = {"deductible": "tricare.retiree_prime.deductible", "coinsurance": "",
               "copay": f"tricare.retiree_prime.{ab}.copay", "oop_max": cap}
        return GroupTerms(net, pos)
    if g == "retiree_select":
        cap = "tricare.retiree.a.select_cap" if ab == "a" else "tricare.retiree.b.cap"
        ded = f"tricare.retiree_select.{ab}.deductible"
        if ab == "a":
            net = {"deductible": ded, "coinsurance": "tricare.retiree_select.a.coinsurance", "copay": "", "oop_max": cap}
        else:
            net = {"deductible": ded, "coinsurance": "", "copay": "tricare.retiree_select.b.copay", "oop_max": cap}
        oon_ded = ded if ab == "a" else "tricare.retiree_select.b.oon_deductible"
        out = {"deductible": oon_ded, "coinsurance": "tricare.retiree_select.oon_coinsurance", "copay": "", "oop_max": cap}
        return GroupTerms(net, out)
    # TRICARE For Life: Medicare first, then TRICARE; the patient's share of a service both cover is nil
    net = {"deductible": "", "coinsurance": "tricare.tfl.cost_share", "copay": "", "oop_max": "tricare.tfl.cap"}
    return GroupTerms(net, None)


def _tier(ds: Dataset, rows: dict[str, str], own: Tier | None, eob: dict[str, Decimal] | None = None) -> Tier:
    eob = eob or {}

    def get(field: str) -> Decimal:
        key = rows[field]
        return ds.number(key) if key else Decimal(0)

    deductible, cap = eob.get("deductible", get("deductible")), get("oop_max")
    rate = eob["coinsurance_pct"] if "coinsurance_pct" in eob else get("coinsurance") * 100
    met_d = min(own.deductible_met, deductible) if own else Decimal(0)
    met_o = min(own.oop_met, cap) if own else Decimal(0)
    return Tier(deductible=deductible, deductible_met=met_d, coinsurance_pct=rate, copay=eob.get("copay", get("copay")),
                oop_max=cap if rows["oop_max"] else None, oop_met=met_o if rows["oop_max"] else (own.oop_met if own else Decimal(0)))


def effective_tiers(scenario: Scenario, ds: Dataset) -> tuple[Any, Any]:
    """(in-network tier, out-of-network tier or None) that the plan's rules use for this scenario."""
    p = scenario.plan
    rows = group_rows(scenario)
    if rows is None:
        return p.in_network, p.out_of_network
    in_tier = _tier(ds, rows.in_rows, p.in_network, _from_eob(scenario, "in_network"))
    out_tier = None if rows.out_rows is None else _tier(ds, rows.out_rows, p.out_of_network or p.in_network, _from_eob(scenario, "out_of_network"))
    return in_tier, out_tier


def _from_eob(scenario: Scenario, tier: str) -> dict[str, Decimal]:
    """The figures of one tier an EOB settled (``plan.tricare_from_eob``), by Tier field."""
    prefix = f"{tier}_"
    return {k[len(prefix):]: v for k, v in scenario.plan.tricare_from_eob.items() if k.startswith(prefix)}


GROUP_SET = ("deductible", "coinsurance_pct", "copay")  # the Tier fields a TRICARE group sets (and an EOB can settle)


def setting_key(scenario: Scenario, tier: str, field: str) -> str:
    """The scenario field (dotted) that sets ``field`` of the tier the engine uses (``tier``: in_network, out_of_network).

    Rule: with a TRICARE group, the deductible, coinsurance and copay come from the group's rows
    in data/tricare.csv unless an EOB settled them, so the field to set is
    ``plan.tricare_from_eob.<tier>_<field>``; the amounts met, and every figure of any other
    plan, are the tier's own (``plan.<tier>.<field>``).

    >>> from toolkit.scenario import validate_scenario
    >>> s = validate_scenario({"plan": {"payer_type": "tricare", "tricare_group": "adfm_select"}})
    >>> setting_key(s, "in_network", "copay"), setting_key(s, "in_network", "deductible_met")
    ('plan.tricare_from_eob.in_network_copay', 'plan.in_network.deductible_met')
    """
    if group_rows(scenario) is not None and field in GROUP_SET:
        return f"plan.tricare_from_eob.{tier}_{field}"
    return f"plan.{tier}.{field}"


def published_row(scenario: Scenario, tier: str, field: str) -> str | None:
    """The data/tricare.csv row a group-set figure comes from ('' for a fixed 0), or None when the scenario sets it."""
    rows = group_rows(scenario)
    if rows is None or field not in GROUP_SET:
        return None
    table = rows.in_rows if tier == "in_network" else rows.out_rows
    return None if table is None else table["coinsurance" if field == "coinsurance_pct" else field]


def copay_before_deductible(scenario: Scenario) -> bool:
    """Whether a visit copay applies before the deductible is met.

    TRICARE Select's yearly deductible applies to outpatient care first; the network copay
    (or cost share) comes after it (TRICARE's cost tables: cost shares "after the annual
    deductible is met"). Prime has no deductible, so the plan's own setting stands.
    """
    p = scenario.plan
    if p.payer_type == "tricare" and p.tricare_group in ("adfm_select", "retiree_select"):
        return False
    return bool(p.copay_before_deductible)


def group_refs(scenario: Scenario) -> list[str]:
    """The data rows (``tricare.csv:<id>``) behind this scenario's tiers, for the claim lines' sources."""
    rows = group_rows(scenario)
    if rows is None:
        return []
    def used(tier: str, table: dict[str, str] | None) -> list[str]:  # a figure an EOB settled no longer comes from its row
        eob = _from_eob(scenario, tier)
        return [v for k, v in (table or {}).items() if v and ("coinsurance_pct" if k == "coinsurance" else k) not in eob]

    ids = used("in_network", rows.in_rows) + used("out_of_network", rows.out_rows)
    refs = [f"tricare.csv:{i}" for i in dict.fromkeys(ids)]
    return refs + (["plan.tricare_from_eob (an explanation of benefits)"] if scenario.plan.tricare_from_eob else [])


def enrollment_fee(scenario: Scenario, ds: Dataset) -> Decimal | None:
    """A retiree's yearly TRICARE enrollment fee (individual), shown beside the totals; None when there is none."""
    p = scenario.plan
    if p.payer_type != "tricare" or p.tricare_group not in ("retiree_prime", "retiree_select"):
        return None
    return ds.number(f"tricare.{p.tricare_group}.{_letter(scenario)}.enrollment_fee")


def _pct_words(rate: Decimal) -> str:
    """A percentage without trailing zeros: 20, 12.5 (``Decimal("20")`` and ``Decimal("20.0")`` alike)."""
    return format(Decimal(rate).normalize(), "f")


def tricare_note(scenario: Scenario, ds: Dataset) -> str:
    """One sentence for the comparison's notes: where the TRICARE cost shares come from."""
    p = scenario.plan
    if p.payer_type != "tricare":
        return ""
    if p.tricare_group is None:
        return ("TRICARE: the beneficiary group is not set, so the cost sharing typed in the plan is used; "
                "choose the group (and Group A or B) to use TRICARE's published figures.")
    from ..plan import TRICARE_GROUPS

    label = TRICARE_GROUPS[p.tricare_group]
    ab = "Group B" if p.tricare_group_b else "Group A"
    in_tier, _ = effective_tiers(scenario, ds)
    cap = "no cap" if in_tier.oop_max is None else f"${in_tier.oop_max:,.0f} catastrophic cap per family"
    parts = [f"TRICARE cost sharing from the beneficiary group ({label}, {ab}, TRICARE's published figures): deductible ${in_tier.deductible:,.0f}, "
             f"{'copay $' + format(in_tier.copay, ',.0f') + ' per visit' if in_tier.copay else _pct_words(in_tier.coinsurance_pct) + '% of the allowed amount'}, {cap}."]
    if p.tricare_from_eob:
        def said(key: str, v: Decimal) -> str:
            tier, _, name = key.partition("_network_")
            where = "in-network" if tier == "in" else "out-of-network"
            return f"{where} coinsurance {_pct_words(v)}%" if name == "coinsurance_pct" else f"{where} {name} ${v:,.2f}"

        shown = ", ".join(said(k, v) for k, v in sorted(p.tricare_from_eob.items()))
        parts.append(f"From an explanation of benefits, in place of the published figures: {shown}.")
    fee = enrollment_fee(scenario, ds)
    if fee is not None:
        parts.append(f"Enrollment fee about ${fee:,.2f} a year (individual), not in the totals.")
    if p.tricare_group.startswith("retiree") or p.tricare_group == "tricare_for_life":
        parts.append("Several retiree figures for 2026 were not published where we looked: they are ranges from older official tables (see the data sources).")
    if p.tricare_group == "tricare_for_life":
        parts.append("TRICARE For Life pays after Medicare: a service Medicare does not cover is paid as TRICARE Select.")
    return " ".join(parts)
