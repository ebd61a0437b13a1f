"""Composing digests: load what a batch of readers needs once, then each reader's digest.

Each topic's (and keyword's) ranked pool of stories is read once per window and shared by
every reader due in it; per reader, ``digest.compose.compose`` walks those pools skipping
what the ledger says the reader already received. :func:`preview_digest` is the same
composition without recording anything (`newsbot digest --preview`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.returns import StoryReturns
from bot.i18n import translator
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.views.digest import ItemCache, nothing_new_text, render_digest, section_title_for_query
from bot.views.keyboard import Keyboard
from bot.views.read_here import message_keyboards
from bot.views.topic_names import topic_name
from digest.compose import (
    MAX_LOOKBACK,
    Composition,
    Section,
    best_stories,
    compose,
    rank,
    window_start,
)
from digest.languages import OFFER_WINDOW, default_candidates, wanted_news_languages
from digest.mutes import MuteMatcher, StoryTexts
from digest.returns import RECEIVED_LOOKBACK, digest_moment
from storage.articles import articles_matching_words, languages_with_news
from storage.digests import (
    delivered_to,
    follows_of,
    representative_stories,
    stories_of_articles,
    topic_story_stats,
)
from storage.keys import ReaderKey, ReaderRef
from storage.models import Reader
from storage.mutes import muted_phrases_of
from storage.readers import get_reader
from storage.story_returns import sends_of
from storage.topics import list_topics
from stories import Story

log = logging.getLogger(__name__)

#: Stories ranked per topic and window: far more than one digest takes, so readers who
#: received some of them still find enough.
POOL_PER_TOPIC_FACTOR = 10
POOL_MIN = 30


def valid_zone(reader: ReaderProfile) -> str:
    """The reader's zone, or UTC if the stored name is unknown to this machine's tz data.

    One bad row (a zone removed from tzdata, a hand edit) must not stop a whole batch of
    digests; the reader gets theirs on UTC time and the log says why.
    """
    if _known_zone(reader.timezone):
        return reader.timezone
    log.warning("chat %d has an unknown time zone %r; using UTC", reader.chat_id, reader.timezone)
    return "UTC"


@functools.lru_cache(maxsize=1024)
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class ReaderProfile(Protocol):
    """What composing needs of a reader: a ``Reader`` row or any row with these columns."""

    @property
    def chat_id(self) -> int: ...
    @property
    def thread_id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def last_digest_at(self) -> datetime | None: ...
    @property
    def summary_length(self) -> int: ...
    @property
    def language(self) -> str:
        """The reader's interface locale ("ru", "pt_BR"): the digest's language."""
        ...

    @property
    def news_languages(self) -> list[str] | None: ...
    @property
    def next_digest_at(self) -> datetime | None: ...


#: The reader columns composing reads (a ``Reader`` row has them all): what a caller that
#: selects columns instead of rows (``bench.digest``) must select.
PROFILE_COLUMNS = (
    Reader.chat_id,
    Reader.thread_id,
    Reader.timezone,
    Reader.last_digest_at,
    Reader.summary_length,
    Reader.language,
    Reader.news_languages,
    Reader.next_digest_at,
)


@dataclass
class Composed:
    """A reader's digest, ready to record."""

    chat_id: int
    composition: Composition
    messages: list[str]
    #: Each message's keyboard ("Read here" buttons), or empty: no keyboards at all.
    keyboards: list[Keyboard | None] = field(default_factory=list)
    #: The forum topic the digest goes to (0: the chat itself).
    thread_id: int = 0

    @property
    def reader(self) -> ReaderKey:
        return ReaderKey(self.chat_id, self.thread_id)


# --------------------------------------------------------------------------------------
# Composition: loading what a batch of readers needs, once
# --------------------------------------------------------------------------------------


def _pool_since(since: datetime) -> datetime:
    """Windows rounded down to the hour, so readers due together share ranked pools."""
    return since.replace(minute=0, second=0, microsecond=0)


class Composer:
    """Composes and renders digests at one instant; caches ranked pools and items."""

    def __init__(
        self,
        *,
        now: datetime,
        max_per_topic: int,
        max_items: int,
        when_empty: str,
        read_here: bool = False,
    ) -> None:
        self.now = now
        #: "Read here" buttons under each message's stories (the operator set a Telegraph
        #: token); the reader's language is then read for their labels.
        self.read_here = read_here
        self.max_per_topic = max_per_topic
        self.max_items = max_items
        self.when_empty = when_empty
        self.items = ItemCache(now)
        self._pool_size = max(POOL_MIN, max_per_topic * POOL_PER_TOPIC_FACTOR)
        self._topic_names: dict[str, str] | None = None
        self._topic_order: dict[str, int] = {}
        #: Keyed by kind, slug or query, window and news languages (None: all).
        self._pools: dict[tuple[str, str, datetime, frozenset[str] | None], list[Story]] = {}
        #: Whether each language asked about has recent news (for readers' defaults).
        self._has_news: dict[str, bool] = {}
        #: Muted words: each story folded once per tick, each set of phrases compiled once.
        self._texts = StoryTexts()
        self._matchers: dict[frozenset[str], MuteMatcher] = {}
        self.returns = StoryReturns(now)

    @classmethod
    def from_settings(cls, settings: Settings, now: datetime) -> Composer:
        return cls(
            now=now,
            max_per_topic=settings.digest_max_per_topic,
            max_items=settings.digest_max_items,
            when_empty=settings.digest_when_empty,
            read_here=settings.telegraph_token is not None,
        )

    async def _topics(self, session: AsyncSession) -> dict[str, str]:
        if self._topic_names is None:
            topics = await list_topics(session)
            self._topic_names = {t.slug: t.name for t in topics}
            self._topic_order = {t.slug: i for i, t in enumerate(topics)}
        return self._topic_names

    async def _news_languages(
        self, session: AsyncSession, reader: ReaderProfile
    ) -> frozenset[str] | None:
        """The languages of news this reader gets (None: all); see ``digest.languages``."""
        if reader.news_languages is not None:
            return wanted_news_languages(reader.news_languages, reader.language, ())
        candidates = default_candidates(reader.language)
        unknown = candidates - self._has_news.keys()
        if unknown:
            found = await languages_with_news(session, unknown, since=self.now - OFFER_WINDOW)
            self._has_news.update((language, language in found) for language in unknown)
        on_offer = {language for language in candidates if self._has_news[language]}
        return wanted_news_languages(None, reader.language, on_offer)

    async def _topic_pool(
        self, session: AsyncSession, slug: str, since: datetime, languages: frozenset[str] | None
    ) -> list[Story]:
        key = ("topic", slug, since, languages)
        pool = self._pools.get(key)
        if pool is None:
            stats = await topic_story_stats(session, slug, since=since, languages=languages)
            best = best_stories(stats, self.now, self._pool_size)
            rows = await representative_stories(session, best, languages=languages)
            pool = self._pools[key] = rank(rows, self.now)
            await self.returns.link(session, pool)
        return pool

    async def _query_pool(
        self, session: AsyncSession, query: str, since: datetime, languages: frozenset[str] | None
    ) -> list[Story]:
        key = ("query", query, since, languages)
        pool = self._pools.get(key)
        if pool is None:
            ids = await articles_matching_words(
                session, query, since=since, limit=self._pool_size * 3, languages=languages
            )
            stories = await stories_of_articles(session, ids)
            rows = await representative_stories(
                session, stories[: self._pool_size * 3], languages=languages
            )
            pool = self._pools[key] = rank(rows, self.now)
            await self.returns.link(session, pool)
        return pool

    def _matcher(self, phrases: list[str]) -> MuteMatcher:
        key = frozenset(phrases)
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = self._matchers[key] = MuteMatcher(key)
        return matcher

    async def compose(
        self,
        session: AsyncSession,
        readers: Sequence[ReaderProfile],
        *,
        always_note: bool = False,
    ) -> list[Composed]:
        """Each reader's digest: messages empty when there is nothing to send."""
        if not readers:
            return []
        names = await self._topics(session)
        keys = [ReaderKey(r.chat_id, r.thread_id) for r in readers]
        follows = await follows_of(session, keys)
        muted_by = await muted_phrases_of(session, keys)
        plans: list[tuple[ReaderProfile, datetime, list[Section]]] = []
        for reader in readers:
            t = translator(reader.language)
            since = window_start(self.now, reader.last_digest_at)
            pool_since = _pool_since(since)
            languages = await self._news_languages(session, reader)
            reader_follows = follows[ReaderKey(reader.chat_id, reader.thread_id)]
            topics = sorted(
                (f.topic_slug for f in reader_follows if f.topic_slug is not None),
                key=lambda slug: (self._topic_order.get(slug, len(self._topic_order)), slug),
            )
            sections = [
                Section(
                    topic_name(t, names.get(slug, slug)),
                    await self._topic_pool(session, slug, pool_since, languages),
                )
                for slug in topics
            ]
            sections += [
                Section(
                    section_title_for_query(t, f.query),
                    await self._query_pool(session, f.query, pool_since, languages),
                )
                for f in reader_follows
                if f.query is not None
            ]
            plans.append((reader, since, sections))
        horizon = min(
            min(since for _reader, since, _sections in plans) - MAX_LOOKBACK,
            self.now - RECEIVED_LOOKBACK,
        )
        delivered = await delivered_to(session, keys, since=horizon)
        wanted = {
            key: [a for a, s in items if self.returns.may_matter(a, s)]
            for key, items in delivered.items()
        }
        sends = await sends_of(session, wanted)
        await self.returns.load_seen(session, (s for got in sends.values() for s in got))
        composed: list[Composed] = []
        for reader, since, sections in plans:
            t = translator(reader.language)
            key = ReaderKey(reader.chat_id, reader.thread_id)
            matcher = self._matcher(muted_by.get(key, []))
            items = delivered[key]
            composition = compose(
                sections,
                since=since,
                seen_articles={a for a, _s in items},
                seen_stories={s for _a, s in items if s is not None},
                max_per_topic=self.max_per_topic,
                max_items=self.max_items,
                muted=functools.partial(self._texts.muted, matcher) if matcher else None,
                received=self.returns.received(sends[key]),
                now=_moment(reader, self.now),
            )
            if composition.item_count:
                messages = render_digest(
                    t,
                    composition,
                    zone=valid_zone(reader),
                    sentences=reader.summary_length,
                    items=self.items,
                )
            elif always_note or self.when_empty == "note":
                messages = [
                    nothing_new_text(
                        t, follows_anything=bool(follows[key]), muted=composition.muted
                    )
                ]
            else:
                messages = []
            keyboards = self._read_keyboards(reader, composition, messages)
            composed.append(
                Composed(key.chat_id, composition, messages, keyboards, thread_id=key.thread_id)
            )
        return composed

    def _read_keyboards(
        self, reader: ReaderProfile, composition: Composition, messages: list[str]
    ) -> list[Keyboard | None]:
        if not (self.read_here and composition.item_count):
            return []
        shown = [story for _title, stories in composition.sections for story in stories]
        return message_keyboards(translator(reader.language), messages, shown)


def _moment(reader: ReaderProfile, now: datetime) -> datetime:
    """The digest's own time (``digest.returns.digest_moment``): updates wait 24 hours."""
    return digest_moment(reader.next_digest_at, now)


async def preview_digest(services: Services, chat_id: ReaderRef, now: datetime) -> list[str] | None:
    """The messages a reader would get at ``now``, recording nothing; None if unknown."""
    async with services.db.sessions() as session:
        reader = await get_reader(session, chat_id)
        if reader is None:
            return None
        composer = Composer.from_settings(services.settings, now)
        composed = await composer.compose(session, [reader], always_note=True)
    return composed[0].messages
