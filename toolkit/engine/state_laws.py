"""State laws that change what the plan may do, read from ``data/accumulator_bans.csv``.

Why a module of its own: whether a savings program's payments count toward the deductible
is a plan rule nobody may have asked about yet ("unknown"), and in some states the answer
is partly settled by law: the state bans copay accumulators for the plans it regulates,
which are the fully insured ones. A self-funded employer plan is exempt under ERISA, so the
law narrows the question ("is the plan fully insured or self-funded?") without answering it.
The note is a sentence for the comparison; the claim lines keep showing both ways.
"""

from __future__ import annotations

from ..data import Dataset
from ..scenario import Scenario


def accumulator_ban_note(scenario: Scenario, ds: Dataset) -> str:
    """A sentence when the plan's state bans accumulators and nobody has asked the plan yet; else ""."""
    from .terms import savings_eligibility

    p = scenario.plan
    ban = ds.accumulator_bans.get(p.state) if p.state else None
    if ban is None or p.copay_assistance_counts != "unknown" or not savings_eligibility(scenario, ds).drug:
        return ""
    law = "" if ban.law.startswith("Law not named") else f" ({ban.law})"
    scope = " for fully insured plans" if ban.fully_insured_only else ""
    return (f"{p.state} bans copay accumulators{scope}{law}: if the plan is fully insured, the savings program's "
            "payments must count toward the deductible and cap. A self-funded employer plan is exempt under ERISA, "
            "so ask the employer or the plan which it is. The laws are written for prescription drugs; ask whether "
            "that reaches Spravato billed under the medical benefit. Both ways are shown until the plan answers.")
