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
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.views.digest import ItemCache, nothing_new_text, render_digest, section_title_for_query
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
from storage.articles import articles_matching_words, languages_with_news
from storage.digests import (
    delivered_to,
    follows_of,
    representative_stories,
    stories_of_articles,
    topic_story_stats,
)
from storage.readers import get_reader
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
    def timezone(self) -> str: ...
    @property
    def last_digest_at(self) -> datetime | None: ...
    @property
    def summary_length(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def news_languages(self) -> list[str] | None: ...


@dataclass
class Composed:
    """A reader's digest, ready to record."""

    chat_id: int
    composition: Composition
    messages: list[str]


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
    ) -> None:
        self.now = now
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

    @classmethod
    def from_settings(cls, settings: Settings, now: datetime) -> Composer:
        return cls(
            now=now,
            max_per_topic=settings.digest_max_per_topic,
            max_items=settings.digest_max_items,
            when_empty=settings.digest_when_empty,
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
        return pool

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
        chat_ids = [r.chat_id for r in readers]
        follows = await follows_of(session, chat_ids)
        plans: list[tuple[ReaderProfile, datetime, list[Section]]] = []
        for reader in readers:
            since = window_start(self.now, reader.last_digest_at)
            pool_since = _pool_since(since)
            languages = await self._news_languages(session, reader)
            reader_follows = follows[reader.chat_id]
            topics = sorted(
                (f.topic_slug for f in reader_follows if f.topic_slug is not None),
                key=lambda slug: (self._topic_order.get(slug, len(self._topic_order)), slug),
            )
            sections = [
                Section(
                    names.get(slug, slug),
                    await self._topic_pool(session, slug, pool_since, languages),
                )
                for slug in topics
            ]
            sections += [
                Section(
                    section_title_for_query(f.query),
                    await self._query_pool(session, f.query, pool_since, languages),
                )
                for f in reader_follows
                if f.query is not None
            ]
            plans.append((reader, since, sections))
        horizon = min(since for _reader, since, _sections in plans) - MAX_LOOKBACK
        delivered = await delivered_to(session, chat_ids, since=horizon)
        composed: list[Composed] = []
        for reader, since, sections in plans:
            composition = compose(
                sections,
                since=since,
                seen_articles=delivered[reader.chat_id][0],
                seen_stories=delivered[reader.chat_id][1],
                max_per_topic=self.max_per_topic,
                max_items=self.max_items,
            )
            if composition.item_count:
                messages = render_digest(
                    composition,
                    zone=valid_zone(reader),
                    sentences=reader.summary_length,
                    items=self.items,
                )
            elif always_note or self.when_empty == "note":
                messages = [nothing_new_text(follows_anything=bool(follows[reader.chat_id]))]
            else:
                messages = []
            composed.append(Composed(reader.chat_id, composition, messages))
        return composed


async def preview_digest(services: Services, chat_id: int, now: datetime) -> list[str] | None:
    """The messages a reader would get at ``now``, recording nothing; None if unknown."""
    async with services.db.sessions() as session:
        reader = await get_reader(session, chat_id)
        if reader is None:
            return None
        composer = Composer.from_settings(services.settings, now)
        composed = await composer.compose(session, [reader], always_note=True)
    return composed[0].messages
