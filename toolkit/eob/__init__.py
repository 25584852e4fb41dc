"""After the first claims: read an explanation of benefits and re-fit the forecast to it.

``reader`` (CSV to validated rows, no identifiers) -> ``matching`` (rows to the forecast's
lines by date and code) -> ``inference`` (what the plan did, as scenario fields) -> ``refit``
(a new scenario, the differences to keep or take, the forecast before and after).
"""

from .inference import Difference, Inference
from .reader import COLUMNS, EOBError, EOBRow, read_eob, read_eob_text
from .refit import Refit, apply_differences, refit

__all__ = ["COLUMNS", "Difference", "EOBError", "EOBRow", "Inference", "Refit", "apply_differences", "read_eob", "read_eob_text", "refit"]
