"""The reader's languages: the interface language (/language) and the news languages
(/languages), and which interface language an update is answered in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.readers import ChatRef, reader_transaction
from bot.i18n import DEFAULT_LOCALE, LOCALES, is_shipped, negotiate
from bot.runtime.services import Services
from digest.languages import (
    OFFER_WINDOW,
    default_candidates,
    news_language_of,
    wanted_news_languages,
)
from storage.articles import languages_with_news, news_languages_on_offer
from storage.engine import Database
from storage.keys import ReaderRef
from storage.models import Reader
from storage.readers import reader_language, set_language, set_news_languages


async def chat_language(
    db: Database, reader: ReaderRef, *, follows_user: bool, telegram: str | None
) -> str:
    """The interface locale to answer this chat in, from one two-column query.

    ``telegram`` is the sender's Telegram ``language_code``. A chat without a row is
    answered in it. A chat whose language nobody chose yet and that ``follows_user`` (a
    private chat) keeps up with it: the row changes when the user switches Telegram's
    language. Groups keep the language they were created with until an admin chooses.
    """
    sender = negotiate(telegram)
    async with db.sessions() as session:
        stored = await reader_language(session, reader)
    if stored is None:
        return sender
    code, chosen = stored
    if chosen or not follows_user or telegram is None or code == sender:
        return code if is_shipped(code) else DEFAULT_LOCALE
    async with db.sessions.begin() as session:
        await set_language(session, reader, sender, chosen=False)
    return sender


def locale_named(text: str) -> str | None:
    """The shipped locale ``text`` names: a code (``fa``, ``pt-br``, ``pt_BR``, ``pt``),
    its native name (``Deutsch``) or its English name (``German``); None if none."""
    wanted = text.strip().casefold()
    if not wanted:
        return None
    tag = wanted.replace("_", "-")
    for locale in LOCALES:
        names = {
            locale.code.casefold().replace("_", "-"),
            locale.native_name.casefold(),
            _english_name(locale.code).casefold(),
        }
        if tag in names or wanted in names:
            return locale.code
    primary = tag.split("-")[0]
    if len(primary) in (2, 3) and primary.isalpha():
        code = negotiate(tag)
        if news_language_of(code) == primary:
            return code
    return None


def _english_name(code: str) -> str:
    try:
        return BabelLocale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


async def choose_language(services: Services, chat: ChatRef, now: datetime, code: str) -> str:
    """Make ``code`` the chat's interface language, as chosen (it no longer follows
    Telegram's); the code stored."""
    if not is_shipped(code):
        raise ValueError(f"not a shipped locale: {code!r}")
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        await set_language(session, chat.key, code, chosen=True)
    return code


@dataclass(frozen=True)
class NewsLanguages:
    """What /languages shows: the languages on offer and the ones the reader gets."""

    on_offer: tuple[str, ...]
    """Language codes, offered ones first in a stable order."""
    chosen: frozenset[str] | None
    """The languages the reader gets; None: every language."""


async def _offer(session: AsyncSession, now: datetime) -> set[str]:
    return await news_languages_on_offer(session, since=now - OFFER_WINDOW)


def _picker(reader: Reader, offer: set[str]) -> NewsLanguages:
    chosen = wanted_news_languages(reader.news_languages, reader.language, offer)
    shown = offer | set(chosen or ())
    return NewsLanguages(tuple(sorted(shown)), chosen)


async def news_languages(services: Services, chat: ChatRef, now: datetime) -> NewsLanguages:
    """The /languages picker for the chat."""
    async with reader_transaction(services, chat, now) as (session, reader, _created):
        return _picker(reader, await _offer(session, now))


async def toggle_news_language(
    services: Services, chat: ChatRef, now: datetime, code: str
) -> NewsLanguages | None:
    """Add or remove ``code`` from the reader's news languages; None when it is not on
    offer (a stale or forged button). Removing the last one means every language."""
    async with reader_transaction(services, chat, now) as (session, reader, _created):
        offer = await _offer(session, now)
        current = _picker(reader, offer)
        if code not in current.on_offer:
            return None
        chosen = set(current.chosen) if current.chosen is not None else set()
        if current.chosen is None:
            # From "every language" a press picks that one language.
            chosen = {code}
        elif code in chosen:
            chosen.discard(code)
        else:
            chosen.add(code)
        await set_news_languages(session, chat.key, sorted(chosen))
        return _picker(reader, offer)


async def news_filter(
    session: AsyncSession, reader: Reader | None, now: datetime
) -> frozenset[str] | None:
    """The languages /latest and /search show the reader (None: every language).

    A chat with no row yet has chosen nothing and sees every language.
    """
    if reader is None:
        return None
    if reader.news_languages is not None:
        return wanted_news_languages(reader.news_languages, reader.language, ())
    candidates = default_candidates(reader.language)
    on_offer = await languages_with_news(session, candidates, since=now - OFFER_WINDOW)
    return wanted_news_languages(None, reader.language, on_offer)
