"""IV ketamine vs esketamine (Spravato): a decision toolkit for patient advisors.

Decision support with estimates, not medical, financial or legal advice: confirm coverage
and prices with the insurer and the clinic. If you or someone you know is in crisis, call or
text 988 (the 988 Suicide & Crisis Lifeline, US).

Data flow: scenario -> schedule -> claim lines -> adjudication -> summaries -> faces.
"""

from .compare import Comparison, compare
from .datasets import DataError, dataset, load_dataset
from .examples import default_scenario, example_names, load_example
from .scenario import Scenario, ScenarioError, load_scenario, validate_scenario

DISCLAIMER = (
    "Decision support with estimates, not medical, financial or legal advice. "
    "Coverage and prices change: confirm them with the insurer and the clinic before deciding."
)
CRISIS_LINE = (
    "If you are thinking about suicide or are in crisis, call or text 988 "
    "(988 Suicide & Crisis Lifeline, US; free, 24/7), or chat at 988lifeline.org. "
    "In an emergency, call 911."
)

__all__ = [
    "CRISIS_LINE",
    "DISCLAIMER",
    "Comparison",
    "DataError",
    "Scenario",
    "ScenarioError",
    "compare",
    "dataset",
    "default_scenario",
    "example_names",
    "load_dataset",
    "load_example",
    "load_scenario",
    "validate_scenario",
]
