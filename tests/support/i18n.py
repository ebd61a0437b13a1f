"""Translators built from a handful of messages in memory, and the messages a module marks.

A view test that asserts English text cannot tell whether the words went through the
catalog; one that gets the words back from a test catalog can.
"""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo

from bot.i18n import Locale, Translator
from bot.i18n.catalog import KEYWORDS

ROOT = Path(__file__).resolve().parents[2]


def catalog_translator(
    messages: dict[str, str] | None = None,
    plurals: dict[tuple[str, str], tuple[str, ...]] | None = None,
    *,
    code: str = "ru",
    rtl: bool = False,
) -> Translator:
    """A translator for ``code`` whose catalog holds only ``messages`` (and ``plurals``:
    (singular, plural) → the locale's forms); everything else stays English."""
    catalog = Catalog(locale=code)
    for message, translation in (messages or {}).items():
        catalog.add(message, translation)
    for (singular, plural), forms in (plurals or {}).items():
        catalog.add((singular, plural), forms)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translator(Locale(code, code, rtl=rtl), gettext.GNUTranslations(compiled))


def _keywords() -> dict[str, tuple[int, ...] | None]:
    """bot.i18n.catalog's keyword specs ("ngettext:1,2") as Babel's extractor takes them."""
    keywords: dict[str, tuple[int, ...] | None] = {}
    for spec in KEYWORDS:
        name, _, positions = spec.partition(":")
        keywords[name] = tuple(int(p) for p in positions.split(",")) if positions else None
    return keywords


def marked_messages(*paths: str) -> set[str]:
    """Every message (singulars and plurals) the extraction finds in ``paths`` (relative to
    the repository): what reaches the catalogs, so what translators can translate."""
    found: set[str] = set()
    for path in paths:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(ROOT / path), keywords=_keywords()
        ):
            found.update([message] if isinstance(message, str) else message)
    return found
