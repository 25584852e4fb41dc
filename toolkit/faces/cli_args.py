"""Argument types shared by the command-line subcommands."""

from __future__ import annotations

import argparse


def file_arg(value: str) -> str:
    """A file name or example name from the command line; refuses what no file name can hold."""
    if "\x00" in value:
        raise argparse.ArgumentTypeError("contains a NUL character, which no file name can hold")
    return value
