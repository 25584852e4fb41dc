"""The message catalogue: extract every patient-facing msgid and update the Spanish ``.po``.

    python tools/i18n.py extract   # write toolkit/locale/messages.pot and merge it into es/.../messages.po
    python tools/i18n.py check     # list msgids without a Spanish entry (exit 1 if any); `make i18n` runs both

Where msgids come from (one template catalogue, also built by ``tests/test_i18n.py``):
- ``babel.cfg``: ``_()`` / ``N_()`` calls in ``toolkit/**.py`` and ``{% trans %}`` / ``_()`` in the templates;
- the engine's label tables, the data columns a patient reads and the built-in examples' titles, named in
  ``toolkit.faces.words.ENGINE_TABLES``, ``DATA_COLUMNS`` and ``EXAMPLE_FIELDS`` (their English values
  are the msgids).

After merging branches that added strings: run ``make i18n``; new msgids appear in the ``.po`` with an
empty ``msgstr`` (and ``check`` lists them); translate them, run ``make i18n`` again, commit the ``.po``.
A msgid whose English changed keeps its old translation marked ``#, fuzzy`` (Babel's matching):
fuzzy entries are not used until a translator checks them and removes the flag. Nothing is compiled:
``toolkit.i18n`` reads the ``.po`` at first use.
"""

from __future__ import annotations

import csv
import importlib
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "toolkit" / "locale" / "messages.pot"
LANGS = ("es",)
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def template_catalog() -> Catalog:
    """Every msgid the toolkit shows a patient, with where it comes from."""
    sys.path.insert(0, str(ROOT))
    from toolkit.faces.words import (
        DATA_COLUMNS,
        ENGINE_TABLES,
        EXAMPLE_FIELDS,
        strip_suffix,
    )

    cat = Catalog(project="ketamine-options-toolkit", msgid_bugs_address="", fuzzy=False)
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    for filename, lineno, message, comments, context in extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if message:
            cat.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    for module, name in ENGINE_TABLES:
        for key, value in getattr(importlib.import_module(module), name).items():
            if isinstance(value, str) and value:
                cat.add(value, locations=[(f"{module.replace('.', '/')}.py:{name}[{key}]", None)])
    for table, columns in DATA_COLUMNS.items():
        with (ROOT / "data" / table).open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                for col in columns:
                    if row.get(col):
                        cat.add(strip_suffix(row[col])[0], locations=[(f"data/{table}:{col}", i)])
    for path in sorted((ROOT / "data" / "examples").glob("*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        for field in EXAMPLE_FIELDS:
            if example.get(field):
                cat.add(example[field], locations=[(f"data/examples/{path.name}:{field}", None)])
    return cat


def po_file(lang: str) -> Path:
    return ROOT / "toolkit" / "locale" / lang / "LC_MESSAGES" / "messages.po"


def read(lang: str) -> Catalog:
    with po_file(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def untranslated(lang: str, template: Catalog | None = None) -> list[str]:
    """msgids of the template with no usable (non-empty, non-fuzzy) entry in ``lang``."""
    template = template or template_catalog()
    cat = read(lang)
    out = []
    for m in template:
        if not m.id:
            continue
        have = cat.get(m.id, context=m.context)
        if have is None or not have.string or have.fuzzy:
            out.append(m.id)
    return out


def extract() -> None:
    template = template_catalog()
    POT.parent.mkdir(parents=True, exist_ok=True)
    with POT.open("wb") as fh:
        write_po(fh, template, width=100, sort_output=False, omit_header=False)
    for lang in LANGS:
        path = po_file(lang)
        if path.exists():
            cat = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            cat = Catalog(locale=lang, project="ketamine-options-toolkit", fuzzy=False)
        cat.update(template, update_header_comment=False)
        with path.open("wb") as fh:
            write_po(fh, cat, width=100, ignore_obsolete=True, include_previous=False)
        print(f"{path.relative_to(ROOT)}: {len(template)} msgids, {len(untranslated(lang, template))} without a {lang} entry")


def check() -> int:
    template = template_catalog()
    bad = 0
    for lang in LANGS:
        missing = untranslated(lang, template)
        for msgid in missing:
            print(f"{lang}: no entry for {msgid!r}")
        bad += len(missing)
    print("every msgid has an entry" if not bad else f"{bad} msgid(s) to translate in toolkit/locale/*/LC_MESSAGES/messages.po")
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "extract":
        extract()
        sys.exit(0)
    if cmd == "check":
        sys.exit(check())
    sys.exit(f"usage: python tools/i18n.py extract|check (not {cmd!r})")
