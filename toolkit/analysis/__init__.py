"""Scenario analyses: what if the plan says no, what could change the answer, how sure are we.

One contract, in the spirit of dampack: a model function (:func:`model`: scenario and input
values -> each option's patient cost by month, and the difference) and a parameter table
(:func:`parameter_table`, from ``data/uncertainty.csv``: name, base, low, high, distribution,
source) feed every analysis. Each analysis returns a tidy DataFrame; each chart in
:mod:`toolkit.faces.scenarios_charts` is a separate function of that data.

=================== ===================================== ==========================================
module              analysis                              returns
=================== ===================================== ==========================================
``approval``        approved vs denied, expected + range  :func:`approval_vs_denial`
``cases``           best / expected / worst               :func:`cases`
``owsa``            one-way sensitivity (tornado)         :func:`owsa`, :func:`one_way`
``twsa``            two-way grid (heatmap)                :func:`twsa`
``montecarlo``      Monte Carlo, seeded, vectorised       :func:`monte_carlo` -> :class:`MonteCarlo`
``breakeven``       month the running costs cross         :func:`breakeven_frame`, :func:`breakeven_month`
``batch``           many scenarios from a CSV             :func:`~toolkit.analysis.batch.run_batch`
``levers``          how each input moves the model        :data:`~toolkit.analysis.levers.LEVERS`
``params``          the uncertainty table for one patient  :func:`parameter_table`
=================== ===================================== ==========================================

Data flows one way: these modules call the engine (``run_option`` for one patient,
``evaluate`` for many draws) and never reach into a face (floor 4 of the package).
"""

from .approval import approval_vs_denial, denial_sentence
from .breakeven import breakeven_frame, breakeven_month, crossings, describe_breakeven
from .cases import cases
from .levers import LEVERS, apply_values
from .model import Outcome, model
from .montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, MonteCarlo, monte_carlo
from .owsa import one_way, owsa
from .params import load_parameters, parameter_table, sources_view
from .twsa import twsa

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "LEVERS",
    "MonteCarlo",
    "Outcome",
    "apply_values",
    "approval_vs_denial",
    "breakeven_frame",
    "breakeven_month",
    "cases",
    "crossings",
    "denial_sentence",
    "describe_breakeven",
    "load_parameters",
    "model",
    "monte_carlo",
    "one_way",
    "owsa",
    "parameter_table",
    "sources_view",
    "twsa",
]
