"""A document offered two ways: saved into a folder the advisor types, or as download links.

Nothing is written to disk until Save is pressed with a folder typed in; "Download links"
hand each file to the browser from memory (a data URI: no server, no network). Each format
is a producer called when a button is pressed; a producer that cannot make its file raises
:class:`~toolkit.workflow.common.WorkflowError` and the message names the field to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import ipywidgets as W

from ..workflow.common import WorkflowError, write_text
from .widgets import download_link, message, safe

MIME = {"md": "text/markdown", "html": "text/html", "ics": "text/calendar", "json": "application/json"}
KIND = {"md": "Markdown", "html": "HTML", "ics": "calendar", "json": "scenario file"}


class Exporter:
    """A folder box, Save and Download buttons for one document in several formats."""

    def __init__(self, stem: str, producers: dict[str, Callable[[], str | bytes]]):
        self.stem = stem
        self.producers = producers
        self.folder = W.Text(description="Save in folder", placeholder="type a folder, e.g. ~/Documents (nothing is saved until you press Save)", style={"description_width": "120px"}, layout=W.Layout(width="620px"))
        self.save = W.Button(description="Save " + ", ".join(f".{k}" for k in producers), icon="save")
        self.links = W.Button(description="Download links", icon="download")
        self.message = W.HTML()
        self.save.on_click(safe(self.message, lambda _b: self.save_files()))
        self.links.on_click(safe(self.message, lambda _b: self.make_links()))
        self.widget = W.VBox([W.HBox([self.save, self.links]), self.folder, self.message])

    def save_files(self) -> list[Path]:
        folder = self.folder.value.strip()
        if not folder:
            self.message.value = message("Type a folder first: nothing is saved until you say where.")
            return []
        base = Path(folder).expanduser()
        if not base.is_dir():
            self.message.value = message(f"The folder {base} does not exist.")
            return []
        written = []
        try:
            for ext, produce in self.producers.items():
                payload = produce()
                path = base / f"{self.stem}.{ext}"
                if isinstance(payload, bytes):
                    path.write_bytes(payload)
                else:
                    write_text(path, payload)
                written.append(path)
        except WorkflowError as exc:
            self.message.value = message(f"Please check '{exc.field}': {exc.message}")
            return written
        except OSError as exc:
            self.message.value = message(f"Could not save: {exc.strerror or exc}")
            return written
        self.message.value = message("Saved: " + ", ".join(str(p) for p in written), "ok")
        return written

    def make_links(self) -> None:
        try:
            links = [download_link(produce(), f"{self.stem}.{ext}", MIME[ext], KIND[ext]) for ext, produce in self.producers.items()]
        except WorkflowError as exc:
            self.message.value = message(f"Please check '{exc.field}': {exc.message}")
            return
        self.message.value = "Download (from this browser, nothing is sent anywhere): " + " · ".join(links)
