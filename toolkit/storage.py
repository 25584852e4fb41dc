"""Saved scenarios: pick the conversation up again next week.

Why these rules:

- **The file is the scenario itself** (``Scenario.to_json()``, with its ``schema_version``),
  so a saved file also works with ``python -m toolkit compare FILE`` and the handout.
  The scenario model has no field for a name, birth date, member ID or address, and
  refuses unknown fields, so nothing identifying can be saved or smuggled in. File names
  should describe the situation ("ppo-trd-option-b"), never the person.
- **Atomic writes**: the new content goes to a temporary file in the same folder, is
  flushed and ``fsync``-ed, then ``os.replace`` swaps it in. A crash, a full disk or a
  killed kernel mid-save leaves the old file exactly as it was, never half a file.
- **Loading never overwrites**: a malformed, truncated or newer-version file raises one
  clear :class:`~toolkit.scenario.ScenarioError` naming the file (and the field or line),
  and nothing on disk or on screen changes.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .scenario import Scenario, ScenarioError, load_scenario

DEFAULT_FOLDER = "saved-scenarios"
SUFFIX = ".json"
_TEMP_PREFIX = ".saving-"
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,79}$")


class StorageError(OSError):
    """A file could not be written or listed: one plain message, the old file untouched."""


def safe_filename(name: str) -> str:
    """Check a file name typed by a person and add ``.json``.

    Rule: letters, digits, spaces, ``-``, ``_`` and ``.`` only, at most 80 characters, no
    folders (``/`` or ``..``), so a name cannot write outside the chosen folder.

    >>> safe_filename("ppo trd, option b")
    Traceback (most recent call last):
    ...
    toolkit.storage.StorageError: File name: use letters, digits, spaces, '-', '_' or '.' only (at most 80 characters)
    >>> safe_filename("ppo-trd-option-b")
    'ppo-trd-option-b.json'
    """
    text = (name or "").strip()
    if text.lower().endswith(SUFFIX):
        text = text[: -len(SUFFIX)]
    if not text:
        raise StorageError("File name: enter a short description of the situation (no names), e.g. ppo-trd-option-b")
    if not _NAME_OK.match(text) or ".." in text:
        raise StorageError("File name: use letters, digits, spaces, '-', '_' or '.' only (at most 80 characters)")
    return text + SUFFIX


def atomic_write(path: str | Path, data: bytes | str) -> Path:
    """Write a file so that it is either the old version or the complete new one.

    Rule: write to a temporary file in the same folder, flush, ``fsync``, then
    ``os.replace`` (atomic on POSIX and Windows when both are on one file system), then
    ``fsync`` the folder so the rename itself survives a power cut. On any failure the
    temporary file is removed and the old file is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    if target.is_dir():
        raise StorageError(f"{target}: is a folder, not a file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX + target.name + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:  # noqa: BLE001 - clean up on anything, even KeyboardInterrupt
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise StorageError(f"{target}: could not be saved ({exc.strerror or exc}); the previous version, if any, is unchanged") from None
        raise
    _fsync_folder(folder)
    return target


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (e.g. Windows): the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Save a scenario as JSON, atomically (see :func:`atomic_write`).

    The file carries ``schema_version`` so a later toolkit can read it, or an older one
    can say plainly that it is too new.

    >>> import tempfile, pathlib
    >>> from toolkit import default_scenario
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> p = save_scenario(default_scenario(), folder / "ppo-trd.json")
    >>> load_saved(p).title
    'Commercial PPO, treatment-resistant depression'
    """
    if not isinstance(scenario, Scenario):
        raise TypeError("save_scenario() takes a Scenario")
    return atomic_write(path, scenario.to_json() + "\n")


def save_to_folder(scenario: Scenario, name: str, folder: str | Path = DEFAULT_FOLDER) -> Path:
    """Save under ``folder`` with a checked file name (see :func:`safe_filename`)."""
    return save_scenario(scenario, Path(folder) / safe_filename(name))


def load_saved(path: str | Path) -> Scenario:
    """Read a saved scenario; any problem is one :class:`ScenarioError` and nothing changes."""
    return load_scenario(path)


def list_saved(folder: str | Path = DEFAULT_FOLDER) -> list[Path]:
    """The saved scenario files in ``folder``, newest first (temporary files left by a crash are skipped).

    >>> list_saved("/no/such/folder")
    []
    """
    p = Path(folder)
    if not p.is_dir():
        return []
    try:
        files = [f for f in p.iterdir() if f.is_file() and f.suffix == SUFFIX and not f.name.startswith(_TEMP_PREFIX)]
    except OSError as exc:
        raise StorageError(f"{p}: cannot list the folder ({exc.strerror or exc})") from None
    return sorted(files, key=lambda f: (-f.stat().st_mtime_ns, f.name))


__all__ = [
    "DEFAULT_FOLDER",
    "ScenarioError",
    "StorageError",
    "atomic_write",
    "list_saved",
    "load_saved",
    "safe_filename",
    "save_scenario",
    "save_to_folder",
]
