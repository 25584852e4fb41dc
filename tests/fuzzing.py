"""How many cases each fuzz and property test runs: one rule for every hypothesis test.

The default run (``make test``, CI) uses ``DEFAULT_CASES`` per test, enough to catch the
common slips in seconds; ``TOOLKIT_FUZZ_CASES`` sets another count for a deeper run, e.g.
``TOOLKIT_FUZZ_CASES=20000 .venv/bin/python -m pytest -m fuzz`` for a nightly-style run.
Every test that uses these settings is marked ``fuzz`` (``-m fuzz`` runs only them,
``-m "not fuzz"`` leaves them out).

>>> fuzz_cases(environ={})
200
>>> fuzz_cases(60, environ={})
60
>>> fuzz_cases(60, environ={"TOOLKIT_FUZZ_CASES": "20000"})
20000
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import HealthCheck, settings

DEFAULT_CASES = 200
ENV = "TOOLKIT_FUZZ_CASES"


def fuzz_cases(default: int = DEFAULT_CASES, environ: Mapping[str, str] | None = None) -> int:
    """Cases per test: ``TOOLKIT_FUZZ_CASES`` when set, else ``default``."""
    raw = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not raw:
        return default
    try:
        n = int(raw.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"{ENV}={raw!r}: give a whole number of cases, e.g. {ENV}=20000") from None
    if n < 1:
        raise ValueError(f"{ENV}={raw!r}: give at least 1 case")
    return n


def fuzz_settings(default: int = DEFAULT_CASES, **overrides) -> settings:
    """hypothesis settings with ``fuzz_cases(default)`` examples, no deadline, no health checks."""
    kwargs = {"deadline": None, "suppress_health_check": list(HealthCheck)}
    kwargs.update(overrides)
    return settings(max_examples=fuzz_cases(default), **kwargs)
