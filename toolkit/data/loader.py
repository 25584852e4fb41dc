"""Load every table in ``data/`` into one validated :class:`Dataset`, cached by file time.

The loader refuses a folder with any error (it names every bad cell it finds, in every
table) and reports stale rows as warnings, never as errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..dates import add_months
from .reader import DataError, Problem, Source
from .schemas import (
    AccumulatorBan,
    Code,
    CoverageRow,
    Criterion,
    PriceLevel,
    SourcedValue,
    read_accumulator_bans,
    read_codes,
    read_coverage,
    read_criteria,
    read_parameters,
)
from .uncertainty import UncertaintyRow, read_uncertainty

PARAMETER_TABLES = ("prices", "protocols", "programs", "rules", "financing", "workflow", "tricare")
STALE_AFTER_MONTHS = 18


def default_data_dir() -> Path:
    """The repository's ``data/`` folder, found from the package first.

    Kernels start in ``notebooks/`` (nbval, Voila, Lab), so relative paths would break;
    ``TOOLKIT_DATA_DIR`` overrides for tests that corrupt a copy. A copy installed without
    the repository beside it (``pip install .`` into site-packages) finds ``./data`` when run
    from the repository folder; otherwise the loader says where it looked.
    """
    env = os.environ.get("TOOLKIT_DATA_DIR")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent.parent / "data"
    if beside.is_dir():
        return beside
    here = Path.cwd() / "data"
    return here if here.is_dir() else beside


@dataclass
class Dataset:
    """Every table, validated, keyed the way the engine looks things up."""

    directory: Path
    parameters: dict[str, SourcedValue] = field(default_factory=dict)
    coverage: dict[tuple[str, str, str], CoverageRow] = field(default_factory=dict)
    criteria: dict[str, list[Criterion]] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    uncertainty: list[UncertaintyRow] = field(default_factory=list)
    accumulator_bans: dict[str, AccumulatorBan] = field(default_factory=dict)  # by state

    def value(self, key: str) -> SourcedValue:
        try:
            return self.parameters[key]
        except KeyError:
            raise KeyError(f"data row '{key}' is missing from data/ (prices, protocols, programs, rules, financing, workflow or tricare)") from None

    def number(self, key: str, level: PriceLevel = "typical"):
        return self.value(key).pick(level)

    def coverage_row(self, payer_type: str, option: str, indication: str) -> CoverageRow:
        return self.coverage[(payer_type, option, indication)]

    def table(self, name: str) -> dict[str, SourcedValue]:
        """The rows of one parameter table, e.g. ``financing.csv``."""
        return {k: v for k, v in self.parameters.items() if v.source.table == name}

    def all_sources(self) -> list[tuple[str, str, str, Source]]:
        """(table, key, label, source) for every row: the data-and-sources view."""
        out: list[tuple[str, str, str, Source]] = [(v.source.table, v.id, v.label, v.source) for v in self.parameters.values()]
        out += [("coverage.csv", f"{c.payer_type}/{c.option}/{c.indication}", c.reasoning, c.source) for c in self.coverage.values()]
        out += [("pa_criteria.csv", r.id, r.criterion, r.source) for rows in self.criteria.values() for r in rows]
        out += [("codes.csv", c.code, c.description, c.source) for c in self.codes.values()]
        out += [("accumulator_bans.csv", b.state, f"{b.state}: copay accumulator law ({b.law})", b.source) for b in self.accumulator_bans.values()]
        return out

    def stale(self, today: date | None = None, months: int = STALE_AFTER_MONTHS) -> list[tuple[str, str, Source]]:
        """Rows whose as-of date is older than ``months``: to re-check, not to discard."""
        cutoff = add_months(today or date.today(), -months)
        return [(t, k, s) for t, k, _, s in self.all_sources() if s.as_of < cutoff]

    def sources_frame(self, today: date | None = None) -> pd.DataFrame:
        """Every figure with its source, date, reliability and a stale flag, as a table."""
        cutoff = add_months(today or date.today(), -STALE_AFTER_MONTHS)
        rows = []
        for table, key, label, s in self.all_sources():
            value = self.parameters[key].describe() if table in {f"{t}.csv" for t in PARAMETER_TABLES} else ""
            rows.append({
                "table": table, "id": key, "what": label, "value": value, "source": s.title, "url": s.url,
                "as_of": s.as_of.isoformat(), "reliability": s.reliability, "stale": s.as_of < cutoff,
                "undated": s.undated, "conflict": s.conflict, "note": s.note,
            })
        return pd.DataFrame(rows)


REQUIRED_IDS = (
    "iv.infusion.depression",
    "iv.infusion.pain",
    "iv.booster.depression",
    "iv.consultation",
    "iv.package_discount",
    "iv.claim.em_visit",
    "iv.claim.90791",
    "iv.claim.96365",
    "iv.claim.96366",
    "iv.claim.j3490",
    "spravato.device_28mg",
    "spravato.observation_visit",
    "spravato.cash_per_session",
    "medicare.g2082",
    "medicare.g2083",
    "oon.allowed_share",
    "iv.induction.infusions",
    "iv.induction.per_week",
    "iv.infusion_minutes.depression",
    "iv.infusion_minutes.pain",
    "iv.recovery_minutes",
    "iv.checkin_minutes",
    "iv.maintenance_interval_weeks",
    "iv.driver_required",
    "spravato.trd.induction_per_week",
    "spravato.trd.weeks5_8_per_week",
    "spravato.trd.maintenance_per_week",
    "spravato.mdsi.per_week",
    "spravato.mdsi.weeks",
    "spravato.dose_mg",
    "spravato.mdsi.dose_mg",
    "spravato.mg_per_device",
    "spravato.observation_minutes",
    "spravato.dosing_minutes",
    "spravato.checkin_minutes",
    "spravato.discharge_minutes",
    "spravato.driver_required",
    "savings.drug.patient_pays",
    "savings.drug.annual_max",
    "savings.observation.patient_pays",
    "savings.observation.annual_max",
    "savings.observation.excluded_states",
    "savings.excluded_payers",
    "aca.oop_max.self_only",
    "hsa.limit.self_only",
    "hsa.limit.family",
    "fsa.limit",
    "fsa.carryover",
    "medicare.partb.deductible",
    "medicare.partb.coinsurance",
    "appeal.internal.filing_days",
    "appeal.external.filing_days",
    "oon.reimbursement_delay_days",
    # TRICARE's cost shares by beneficiary group (toolkit.engine.payers)
    "tricare.adfm_prime.deductible",
    "tricare.adfm_prime.copay",
    "tricare.adfm.a.cap",
    "tricare.adfm.b.cap",
    "tricare.adfm_select.a.deductible.e1_e4",
    "tricare.adfm_select.a.deductible.e5_up",
    "tricare.adfm_select.b.deductible.e1_e4",
    "tricare.adfm_select.b.deductible.e5_up",
    "tricare.adfm_select.a.copay",
    "tricare.adfm_select.b.copay",
    "tricare.adfm_select.oon_coinsurance",
    "tricare.retiree_prime.deductible",
    "tricare.retiree_prime.a.copay",
    "tricare.retiree_prime.b.copay",
    "tricare.retiree.a.prime_cap",
    "tricare.retiree_select.a.deductible",
    "tricare.retiree_select.b.deductible",
    "tricare.retiree_select.b.oon_deductible",
    "tricare.retiree_select.a.coinsurance",
    "tricare.retiree_select.b.copay",
    "tricare.retiree_select.oon_coinsurance",
    "tricare.retiree.a.select_cap",
    "tricare.retiree.b.cap",
    "tricare.point_of_service.deductible",
    "tricare.point_of_service.coinsurance",
    "tricare.tfl.cost_share",
    "tricare.tfl.cap",
)


def load_dataset(data_dir: Path | str | None = None) -> Dataset:
    """Read and validate every table; raise :class:`DataError` naming every bad cell."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    problems: list[Problem] = []
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, None, "data folder not found: run from the repository folder, or set TOOLKIT_DATA_DIR to its data/ folder")])
    codes, p = read_codes(directory / "codes.csv")
    problems += p
    ds = Dataset(directory=directory, codes=codes)
    seen: dict[str, str] = {}
    for name in PARAMETER_TABLES:
        values, p = read_parameters(directory / f"{name}.csv", codes, seen)
        problems += p
        ds.parameters.update({v.id: v for v in values})
    ds.coverage, p = read_coverage(directory / "coverage.csv")
    problems += p
    ds.criteria, p = read_criteria(directory / "pa_criteria.csv")
    problems += p
    ds.accumulator_bans, p = read_accumulator_bans(directory / "accumulator_bans.csv")
    problems += p
    if not problems:
        problems += [Problem("data/", None, "id", f"required row '{key}' is missing") for key in REQUIRED_IDS if key not in ds.parameters]
    if not problems:
        ds.uncertainty, p = read_uncertainty(directory / "uncertainty.csv", ds.parameters)
        problems += p
    if problems:
        raise DataError(problems)
    return ds


@lru_cache(maxsize=4)
def _cached(directory: str, stamp: tuple) -> Dataset:
    return load_dataset(directory)


def dataset(data_dir: Path | str | None = None) -> Dataset:
    """The validated dataset, re-read only when a table changes on disk."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.csv"))) if directory.is_dir() else ()
    return _cached(str(directory), stamp)
