"""The example situations in ``data/examples/``: no identifiers, one per common coverage type."""

from __future__ import annotations

import json
from pathlib import Path

from .data import default_data_dir
from .scenario import Scenario, load_scenario

DEFAULT_EXAMPLE = "commercial_ppo_trd"


def examples_dir() -> Path:
    return default_data_dir() / "examples"


def example_names() -> list[str]:
    """Example file stems, the built-in default first."""
    names = sorted(p.stem for p in examples_dir().glob("*.json"))
    if DEFAULT_EXAMPLE in names:
        names.remove(DEFAULT_EXAMPLE)
        names.insert(0, DEFAULT_EXAMPLE)
    return names


def example_titles() -> list[tuple[str, str]]:
    """(title, name) pairs for a picker."""
    out = []
    for name in example_names():
        try:
            title = json.loads((examples_dir() / f"{name}.json").read_text(encoding="utf-8")).get("title") or name
        except (OSError, ValueError):
            title = name
        out.append((title, name))
    return out


def load_example(name: str = DEFAULT_EXAMPLE) -> Scenario:
    return load_scenario(examples_dir() / f"{name}.json")


def default_scenario() -> Scenario:
    return load_example(DEFAULT_EXAMPLE)
