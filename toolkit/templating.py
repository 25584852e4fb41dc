"""The one Jinja2 environment: every document and HTML fragment is rendered here.

One escaping rule for the whole toolkit: ``*.html.j2`` templates are autoescaped (anything
from a form or a file is shown as text, never as markup); Markdown and calendar templates
are not. Undefined names fail loudly (``StrictUndefined``), so a template can never print
an empty placeholder where a figure or the 988 line belongs. Filters format money, dates and
likelihoods the one way the toolkit writes them.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .dates import format_day
from .money import fmt, fmt_pct, fmt_round
from .notices import CRISIS_LINE, DISCLAIMER, NOT_LEGAL_ADVICE

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
PRIVACY_NOTE = (
    "Nothing here holds a name, birth date, member ID, address, phone number or email: "
    "the toolkit never asks for them. Files are written only where you choose to save them."
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(day=format_day, money=fmt, dollars=fmt_round, pct=fmt_pct)
    return env


def render(template: str, **context: Any) -> str:
    """Render a template from ``toolkit/templates`` with the notices every page carries."""
    context.setdefault("disclaimer", DISCLAIMER)
    context.setdefault("not_legal_advice", NOT_LEGAL_ADVICE)
    context.setdefault("crisis_line", CRISIS_LINE)
    context.setdefault("privacy_note", PRIVACY_NOTE)
    return environment().get_template(template).render(**context)


def html_document(title: str, fragment: str) -> str:
    """Wrap an HTML fragment into a printable stand-alone page (no scripts, no remote files)."""
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head>\n<body>\n{fragment}\n</body></html>\n"
    )
