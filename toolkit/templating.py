"""The one Jinja2 environment: every document and HTML fragment is rendered here.

One escaping rule for the whole toolkit: ``*.html.j2`` templates are autoescaped (anything
from a form or a file is shown as text, never as markup); Markdown and calendar templates
are not. Undefined names fail loudly (``StrictUndefined``), so a template can never print
an empty placeholder where a figure or the 988 line belongs. Filters format money, dates and
likelihoods the one way the toolkit writes them, in the reader's language: one environment
per ``lang`` with Jinja2's i18n extension and the catalogue of :mod:`toolkit.i18n` installed
(``{% trans %}`` blocks and ``_()`` in a template are msgids; English is the msgid itself).
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .i18n import N_, check, day, dollars, gettext_for, money, translations
from .money import fmt_pct
from .notices import CRISIS_LINE, DISCLAIMER, NOT_LEGAL_ADVICE

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
PRIVACY_NOTE = N_(
    "Nothing here holds a name, birth date, member ID, address, phone number or email: "
    "the toolkit never asks for them. Files are written only where you choose to save them."
)


def environment(lang: str = "en") -> Environment:
    """The Jinja2 environment for one language, built once per language: ``environment()`` is the English one,
    the same object however it is asked for (a filter a module adds to it is there for every render)."""
    return _environment(check(lang))


@cache
def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # msgids without the template's line breaks (babel.cfg: trimmed)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        day=lambda d, kind="day": day(d, lang, kind),
        money=lambda c: money(c, lang),
        dollars=lambda c: dollars(c, lang),
        pct=fmt_pct,
    )
    env.globals["lang"] = lang
    return env


def render(template: str, *, lang: str = "en", **context: Any) -> str:
    """Render a template from ``toolkit/templates`` with the notices every page carries, in ``lang``."""
    _ = gettext_for(lang)
    context.setdefault("disclaimer", _(DISCLAIMER))
    context.setdefault("not_legal_advice", _(NOT_LEGAL_ADVICE))
    context.setdefault("crisis_line", _(CRISIS_LINE))
    context.setdefault("privacy_note", _(PRIVACY_NOTE))
    return environment(lang).get_template(template).render(**context)


def html_document(title: str, fragment: str, lang: str = "en") -> str:
    """Wrap an HTML fragment into a printable stand-alone page (no scripts, no remote files)."""
    return (
        f"<!doctype html>\n<html lang=\"{check(lang)}\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head>\n<body>\n{fragment}\n</body></html>\n"
    )
