"""Translators built from a handful of messages in memory, and the messages a module marks.

A view test that asserts English text cannot tell whether the words went through the
catalog; one that gets the words back from a test catalog can.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo

from bot.i18n import Locale, Translator, is_shipped, locale_of
from bot.i18n.catalog import KEYWORDS

ROOT = Path(__file__).resolve().parents[2]


def catalog_translator(
    messages: Mapping[str | tuple[str, str], str | tuple[str, ...]] | None = None,
    plurals: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
    *,
    code: str = "ru",
    rtl: bool | None = None,
) -> Translator:
    """A translator for ``code`` whose catalog holds only ``messages`` and ``plurals``
    ((singular, plural) → the locale's forms); everything else stays English.

    A shipped ``code`` brings its locale (direction, dates); ``rtl`` overrides the direction.
    """
    catalog = Catalog(locale=code)
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {**(messages or {})}
    entries.update(plurals or {})
    for message, translation in entries.items():
        catalog.add(message, translation)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    locale = locale_of(code) if is_shipped(code) else Locale(code, code)
    if rtl is not None:
        locale = replace(locale, rtl=rtl)
    return Translator(locale, gettext.GNUTranslations(compiled))


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
