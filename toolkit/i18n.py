"""One switch for the language a patient reads: ``lang`` is ``"en"`` or ``"es"``.

Why gettext (via Babel): every patient-facing sentence is a msgid in one catalogue,
``toolkit/locale/es/LC_MESSAGES/messages.po``, that a translator edits without reading code;
the engine stays language-free (it returns data; a face words it in the reader's language).

The catalogue is compiled in memory at first use (Babel reads the ``.po`` and writes the
``.mo`` into a buffer), so there is no compiled file to go stale and a clean clone, an
installed package and Binder all read the same ``.po``. English is the msgid itself.

Dates and money follow the reader's language with Babel's locale data (``es_US``: ``$1,234``
and ``lun 15 mar 2027``); English keeps the toolkit's own formats (:mod:`toolkit.money`,
:mod:`toolkit.dates`) so every English page reads as before.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from .dates import format_day
from .money import Cents, fmt, fmt_round

LANGS = ("en", "es")
LOCALES = {"en": "en_US", "es": "es_US"}
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(text: str) -> str:
    """Mark a msgid for extraction where it is defined (a table, a constant); it is translated where shown."""
    return text


def check(lang: str) -> str:
    """``lang`` if it is a language the toolkit speaks, else a plain ValueError naming the field."""
    if lang not in LANGS:
        raise ValueError(f"lang: '{lang}' is not one of {', '.join(LANGS)}")
    return lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue for ``lang`` (English: the msgids themselves). Fuzzy entries are left out."""
    if check(lang) == "en" or not po_path(lang).exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[lang], domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for one language: the translation of a msgid, or the msgid itself when there is none."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translations(lang).ngettext


def has(text: str, lang: str) -> bool:
    """Whether the catalogue holds ``text`` (an engine or data sentence) for ``lang``."""
    return lang == "en" or gettext_for(lang)(text) != text


def money(cents: Cents, lang: str = "en") -> str:
    """Dollars and cents in the reader's language (``$1,234.56``)."""
    if lang == "en":
        return fmt(cents)
    from decimal import Decimal

    from babel.numbers import format_currency

    return format_currency(Decimal(cents) / 100, "USD", locale=LOCALES[lang])


def dollars(cents: Cents, lang: str = "en") -> str:
    """Whole dollars for headlines (``$1,235``), rounded half up as :func:`toolkit.money.fmt_round`."""
    if lang == "en":
        return fmt_round(cents)
    from decimal import Decimal

    from babel.numbers import format_currency

    whole = (abs(cents) + 50) // 100 * (-1 if cents < 0 else 1)
    return format_currency(Decimal(whole), "USD", format="¤#,##0", currency_digits=False, locale=LOCALES[lang])


# date patterns by use: the English ones are the toolkit's strftime forms
_DATE = {
    "day": ("", "EEE d MMM y"),              # Mon 15 Mar 2027 / lun 15 mar 2027
    "long": ("%A %d %B %Y", "EEEE d 'de' MMMM 'de' y"),  # Monday 15 March 2027 / lunes 15 de marzo de 2027
    "date": ("%d %B %Y", "d 'de' MMMM 'de' y"),
    "short": ("%d %b %Y", "d MMM y"),
    "month_year": ("%b %Y", "MMM y"),
    "month_year_long": ("%B %Y", "MMMM 'de' y"),
    "day_month": ("%-d %b", "d MMM"),
    "day_month_yy": ("%-d %b %y", "d MMM yy"),
    "weekday_date": ("%a %d %b %Y", "EEE d MMM y"),
    "weekday": ("%A", "EEEE"),  # Saturday / sábado
}


def day(d: date, lang: str = "en", kind: str = "day") -> str:
    """A date for people in the reader's language; ``kind`` names the form (see ``_DATE``).

    >>> day(date(2027, 3, 15), "es"), day(date(2027, 3, 15), "es", "long")
    ('lun 15 mar 2027', 'lunes 15 de marzo de 2027')
    """
    en, es = _DATE[kind]
    if lang == "en":
        return format_day(d) if kind == "day" else f"{d:{en}}"
    from babel.dates import format_date

    return format_date(d, es, locale=LOCALES[lang])
