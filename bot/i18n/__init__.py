"""The bot in the reader's language: shipped locales, catalogs and the translator views use.

    from bot.i18n import N_, Translator, translator

    t = translator("ru")
    t.ngettext("{count} story", "{count} stories", 3, count=3)   # "3 истории"

See ``docs/translations.md`` for adding a message or a language.
"""

from bot.i18n.catalogs import translator
from bot.i18n.locales import DEFAULT_LOCALE, LOCALES, Locale, is_shipped, locale_of, negotiate
from bot.i18n.translator import N_, Translator

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "N_",
    "Locale",
    "Translator",
    "is_shipped",
    "locale_of",
    "negotiate",
    "translator",
]
