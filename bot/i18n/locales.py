"""The interface languages the bot ships, and how a Telegram ``language_code`` picks one.

Telegram sends each user's app language as an IETF tag (``ru``, ``pt-br``, ``fa``, and
sometimes a region: ``es-419``, ``de-AT``). A tag we ship is used as is; otherwise its
primary language picks the locale that shares it (``pt`` → Brazilian Portuguese,
``es-mx`` → Spanish); anything else falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    code: str
    """The catalog's name (``pt_BR``) and what readers' rows store."""
    native_name: str
    """The language as its speakers write it: the label of its /language button."""
    rtl: bool = False
    """Written right to left: values inside sentences are isolated (``Translator.isolate``)."""


DEFAULT_LOCALE = "en"

#: In the order the /language keyboard shows them.
LOCALES: tuple[Locale, ...] = (
    Locale("en", "English"),
    Locale("ru", "Русский"),
    Locale("uk", "Українська"),
    Locale("fa", "فارسی", rtl=True),
    Locale("ar", "العربية", rtl=True),
    Locale("es", "Español"),
    Locale("pt_BR", "Português (Brasil)"),
    Locale("id", "Bahasa Indonesia"),
    Locale("tr", "Türkçe"),
    Locale("de", "Deutsch"),
)
BY_CODE: dict[str, Locale] = {locale.code: locale for locale in LOCALES}
#: Telegram's spelling (lower case, hyphen) of each shipped code.
_BY_TAG: dict[str, str] = {locale.code.lower().replace("_", "-"): locale.code for locale in LOCALES}
#: Primary language → the locale that stands for it when the region is not shipped.
_BY_PRIMARY: dict[str, str] = {tag.split("-")[0]: code for tag, code in _BY_TAG.items()}


def negotiate(language_code: str | None) -> str:
    """The shipped locale for a Telegram ``language_code`` (English when none fits)."""
    if not language_code:
        return DEFAULT_LOCALE
    tag = language_code.strip().lower().replace("_", "-")
    if tag in _BY_TAG:
        return _BY_TAG[tag]
    return _BY_PRIMARY.get(tag.split("-")[0], DEFAULT_LOCALE)


def is_shipped(code: str) -> bool:
    return code in BY_CODE


def locale_of(code: str) -> Locale:
    """The shipped locale ``code`` names, English for anything else (an old row, a typo)."""
    return BY_CODE.get(code, BY_CODE[DEFAULT_LOCALE])
