"""Which languages of news a reader gets: their choice, or the default for their interface.

Articles carry an ISO 639-1 code (``ingest.language``) or none; the reader's interface
locale is a catalog name (``pt_BR``). A reader who never chose (/languages) gets news in
their interface language, plus English when there is English news; a choice of nothing
means every language. Articles of unknown language are always shown (the storage filter
keeps them), so no reader loses news only because detection failed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

#: English news is added to every reader's default: the lingua franca of most feeds.
ENGLISH = "en"
#: The languages offered by /languages, and known to exist for the default, are those of
#: articles published within this window (and those declared for enabled sources).
OFFER_WINDOW = timedelta(days=30)


def news_language_of(locale_code: str) -> str:
    """The news language of an interface locale: ``pt_BR`` → ``pt``."""
    return locale_code.replace("-", "_").split("_")[0].lower()


def wanted_news_languages(
    chosen: Sequence[str] | None, interface: str, on_offer: Collection[str]
) -> frozenset[str] | None:
    """The languages to filter news by, or None for every language.

    ``chosen`` is the reader's stored choice (None: never chose; empty: all languages),
    ``interface`` their interface locale, ``on_offer`` the languages stored news has.
    The default never hides everything: when none of its languages has any news, the
    reader gets every language rather than an empty bot.
    """
    if chosen is not None:
        return frozenset(chosen) or None
    default = default_news_languages(interface, on_offer)
    return default if default & set(on_offer) else None


def default_candidates(interface: str) -> frozenset[str]:
    """The languages a default can hold: knowing which of them have news is enough for
    :func:`wanted_news_languages` (no need to list every language on offer)."""
    return frozenset({news_language_of(interface), ENGLISH})


def default_news_languages(interface: str, on_offer: Collection[str]) -> frozenset[str]:
    """The interface language, plus English when there is English news."""
    own = news_language_of(interface)
    return frozenset({own, ENGLISH} if ENGLISH in on_offer else {own})
