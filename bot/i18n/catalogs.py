"""The compiled catalogs (``bot/locales/<code>/LC_MESSAGES/newsbot.mo``), loaded once each.

The ``.po`` files are the source translators edit; ``python -m bot.i18n.catalog compile``
writes the ``.mo`` files next to them, and both are committed and packaged, so an
installed bot needs no build step. ``tests/unit/i18n`` fails when a ``.mo`` is older than
its ``.po``.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from bot.i18n.locales import DEFAULT_LOCALE, locale_of
from bot.i18n.translator import Translator

DOMAIN = "newsbot"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"


def catalog_path(code: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def translator(code: str) -> Translator:
    """The translator for a shipped locale (English for an unknown code)."""
    locale = locale_of(code)
    if locale.code == DEFAULT_LOCALE:
        # English is the source language: the messages in the code are the text.
        return Translator(locale, gettext.NullTranslations())
    with catalog_path(locale.code, ".mo").open("rb") as compiled:
        return Translator(locale, gettext.GNUTranslations(compiled))
