"""The sourced tables in ``data/``: reading, table shapes, the uncertainty table, the cached loader.

The ground floor of the package: it imports nothing from the engine or the faces.

=================== =======================================================================
module              what it holds
=================== =======================================================================
``reader``          the CSV reader with spreadsheet row numbers; :class:`Problem`, :class:`DataError`, :class:`Source`
``schemas``         one row type and one reader per table (prices ... codes)
``uncertainty``     ``uncertainty.csv``: ranges and distributions for the scenario analyses
``loader``          :func:`load_dataset` (validate everything) and :func:`dataset` (cached)
=================== =======================================================================
"""

from .loader import (
    PARAMETER_TABLES,
    REQUIRED_IDS,
    STALE_AFTER_MONTHS,
    Dataset,
    dataset,
    default_data_dir,
    load_dataset,
)
from .reader import RELIABILITY, SOURCE_COLUMNS, DataError, Problem, Source, TableReader
from .schemas import (
    CODE_STATUS,
    CODE_SYSTEMS,
    COVERAGE_LEVELS,
    CRITERIA,
    INDICATIONS,
    OPTIONS,
    PAYER_TYPES,
    PRICE_LEVELS,
    Code,
    CoverageRow,
    Criterion,
    PriceLevel,
    SourcedValue,
    read_parameters,
)
from .uncertainty import (
    APPROVAL_ROWS,
    DISTRIBUTIONS,
    UncertaintyRow,
    expand_ref,
    read_uncertainty,
)

__all__ = [
    "APPROVAL_ROWS", "CODE_STATUS", "CODE_SYSTEMS", "COVERAGE_LEVELS", "CRITERIA", "DISTRIBUTIONS", "INDICATIONS",
    "OPTIONS", "PARAMETER_TABLES", "PAYER_TYPES", "PRICE_LEVELS", "RELIABILITY", "REQUIRED_IDS", "SOURCE_COLUMNS",
    "STALE_AFTER_MONTHS", "Code", "CoverageRow", "Criterion", "DataError", "Dataset", "PriceLevel", "Problem",
    "Source", "SourcedValue", "TableReader", "UncertaintyRow", "dataset", "default_data_dir", "expand_ref",
    "load_dataset", "read_parameters", "read_uncertainty",
]
