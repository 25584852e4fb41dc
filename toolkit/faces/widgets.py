"""What every widget panel shares: messages, the callback guard, images and download links.

One look and one wording for the things a person sees on every panel: an inline message
(``ok``, ``error``, ``note``), a callback that turns an unexpected error into a message
instead of a traceback (the last good result stays on screen), a chart as an ``<img>`` with
alt text, and a file offered as a download link (a data URI: no server, no network).
Message text is escaped here, so a typed value can never become markup.
"""

from __future__ import annotations

import base64
import functools
from html import escape
from typing import Any, Callable

STYLE = {"description_width": "230px"}
_BOX = {
    "error": ("alert", "#a50026", "#fbeaea"),
    "ok": ("status", "#1b7837", "#eef7ee"),
    "note": ("status", "#0072B2", "#f2f7fb"),
}


def message(text: str, kind: str = "error", *, markup: bool = False) -> str:
    """An inline message box: red for a problem (``role=alert``), green when done, blue for a note.

    ``text`` is escaped unless ``markup`` says it is already safe HTML built by the toolkit.

    >>> message("Deductible: cannot be negative") # doctest: +ELLIPSIS
    "<div class='kt mathjax_ignore tex2jax_ignore' role='alert' ...><b>Deductible: cannot be negative</b></div>"
    """
    role, edge, fill = _BOX[kind]
    body = text if markup else escape(text)
    if kind == "error" and not markup:
        body = f"<b>{body}</b>"
    return f"<div class='kt mathjax_ignore tex2jax_ignore' role='{role}' style='border-left:4px solid {edge};background:{fill};padding:4px 8px'>{body}</div>"


def small_note(text: str, *, markup: bool = False) -> str:
    """A quiet line of explanation under a control."""
    return f"<div class='kt mathjax_ignore tex2jax_ignore small muted'>{text if markup else escape(text)}</div>"


def field_message(text: str) -> str:
    """The message beside a form field that needs fixing."""
    return f"<span class='kt mathjax_ignore tex2jax_ignore err' role='alert' style='color:#a50026;font-weight:600'>⚠ {escape(text)}</span>"


def unexpected(exc: BaseException, kept: str = "The results below are from the last valid entries.") -> str:
    """The message for an error the toolkit did not foresee: what happened, that nothing was lost."""
    return message(f"Something unexpected went wrong ({type(exc).__name__}: {exc}). {kept} Please report this.")


def guarded(show: Callable[[str], None], kept: str = "Nothing was changed.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a widget callback so an unexpected error is shown with ``show(html)``, never as a traceback."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - last line of defence in a UI callback
                show(unexpected(exc, kept))
                return None

        return inner

    return wrap


def safe(target: Any, fn: Callable[..., Any], kept: str = "Nothing was changed.") -> Callable[..., Any]:
    """``fn`` as a widget callback whose unexpected errors land in the HTML widget ``target``."""
    return guarded(lambda html: setattr(target, "value", html), kept)(fn)


def img_html(png: bytes, alt: str, max_width: int = 860) -> str:
    """A PNG as an ``<img>`` with alt text (screen readers hear what the chart shows)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}" style="width:100%;max-width:{max_width}px">'


def download_link(data: bytes | str, filename: str, mime: str, text: str) -> str:
    """An HTML link that downloads ``data`` as ``filename`` (a data URI: no server, no network).

    >>> download_link(b"hi", "a.txt", "text/plain", "Download")
    '<a download="a.txt" href="data:text/plain;base64,aGk=" target="_blank">Download</a> <span class=\\'small muted\\'>(a.txt, 1 KB)</span>'
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    b64 = base64.b64encode(raw).decode("ascii")
    kb = max(1, round(len(raw) / 1024))
    return f'<a download="{escape(filename)}" href="data:{mime};base64,{b64}" target="_blank">{escape(text)}</a> <span class=\'small muted\'>({escape(filename)}, {kb} KB)</span>'


class Labels:
    """A section's fixed widget words kept as msgids, so one call re-words them in the reader's language.

    ``text(widget, attr, msgid)`` sets the English now and remembers it; ``choices(dropdown, pairs)``
    does the same for a dropdown's (msgid, value) options, keeping the chosen value; ``title(accordion,
    i, msgid)`` for a section title; ``relabel(lang)`` re-words them all.
    """

    def __init__(self) -> None:
        self._items: list[tuple[str, Any, Any, Any]] = []
        self.busy = False  # True while re-wording: a dropdown's value flickers, and its callbacks should ignore it

    def text(self, widget: Any, attr: str, msgid: str, wrap: Callable[[str], str] = lambda t: t) -> Any:
        self._items.append(("text", widget, (attr, wrap), msgid))
        setattr(widget, attr, wrap(msgid))
        return widget

    def choices(self, widget: Any, pairs: list[tuple[str, Any]]) -> Any:
        self._items.append(("choices", widget, None, pairs))
        value = widget.value
        widget.options = list(pairs)
        widget.value = value if value in [v for _l, v in pairs] else pairs[0][1]
        return widget

    def title(self, widget: Any, index: int, msgid: str) -> Any:
        self._items.append(("title", widget, index, msgid))
        widget.set_title(index, msgid)
        return widget

    def relabel(self, lang: str) -> None:
        from ..i18n import gettext_for

        _ = gettext_for(lang)
        self.busy = True
        try:
            self._relabel(_)
        finally:
            self.busy = False

    def _relabel(self, _: Callable[[str], str]) -> None:
        for kind, widget, extra, msgid in self._items:
            if kind == "text":
                attr, wrap = extra
                setattr(widget, attr, wrap(_(msgid)))
            elif kind == "title":
                widget.set_title(extra, _(msgid))
            else:
                value = widget.value
                widget.options = [(_(label), v) for label, v in msgid]
                widget.value = value
