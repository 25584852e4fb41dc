"""IV ketamine vs esketamine (Spravato): a decision toolkit for patient advisors.

Decision support with estimates, not medical, financial or legal advice: confirm coverage
and prices with the insurer and the clinic. If you or someone you know is in crisis, call or
text 988 (the 988 Suicide & Crisis Lifeline, US).

Data flow: scenario -> schedule -> claim lines -> adjudication -> summaries -> faces.
"""

from .data import DataError, dataset, load_dataset
from .engine.compare import Comparison, compare
from .examples import default_scenario, example_names, load_example
from .notices import CRISIS_LINE, DISCLAIMER
from .scenario import Scenario, ScenarioError, load_scenario, validate_scenario

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
