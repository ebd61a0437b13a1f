"""A small world for digest tests: a simulated clock, topics, sources, articles, readers.

Rows are written with the models directly (no ingest), so each test states exactly which
stories exist, who tells them and when.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.runtime.settings import Settings, load_settings
from digest.schedule import next_digest_at
from storage import Article, ArticleTopic, Database, Source, Topic
from storage.articles import terms_of
from storage.models import ArticleTerm
from storage.readers import register_reader
from storage.subscriptions import subscribe_query, subscribe_topic

TOPICS = [("world", "World"), ("business", "Business"), ("technology", "Technology")]


class FakeClock:
    """Simulated time: ``sleep`` returns at once and moves both clocks forward."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._monotonic = 1000.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        """Jump to the end of the sleep (never back: another sleeper may be further)."""
        self.slept.append(seconds)
        target = self._monotonic + seconds
        if target > self._monotonic:
            self.advance(timedelta(seconds=target - self._monotonic))
        await asyncio.sleep(0)

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        self._monotonic += delta.total_seconds()

    def set(self, now: datetime) -> None:
        self.advance(now - self._now)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def services_for(db: Database, **settings: Any) -> Services:
    """Services over a test database, with settings overridden by keyword."""
    loaded: Settings = load_settings(_env_file=None, **settings)
    return Services(settings=loaded, db=db, metrics=Metrics())


async def add_topics(session: AsyncSession) -> None:
    for position, (slug, name) in enumerate(TOPICS):
        session.add(Topic(slug=slug, name=name, keywords=[], position=position))
    await session.flush()


async def add_sources(session: AsyncSession, count: int, now: datetime) -> list[int]:
    sources = [
        Source(url=f"https://outlet{i}.test/feed", name=f"Outlet {i}", topics=[], created_at=now)
        for i in range(count)
    ]
    session.add_all(sources)
    await session.flush()
    return [s.id for s in sources]


_urls = itertools.count(1)


async def add_story(
    session: AsyncSession,
    *,
    title: str,
    topics: Sequence[str],
    sources: Sequence[int],
    published_at: datetime,
    summary: Sequence[str] = ("First sentence.", "Second sentence.", "Third sentence."),
    language: str | None = None,
) -> list[int]:
    """One story told by each of ``sources`` (first outlet first), in ``language`` (None:
    unknown); returns article ids."""
    ids: list[int] = []
    story_id: int | None = None
    for offset, source_id in enumerate(sources):
        n = next(_urls)
        article = Article(
            url=f"https://news.test/{n}?a=1&b=2",
            guid=None,
            source_id=source_id,
            title=title,
            text="",
            summary=list(summary),
            summary_positions=list(range(len(summary))),
            published_at=published_at + timedelta(minutes=offset),
            fetched_at=published_at + timedelta(minutes=offset),
            content_hash=hashlib.sha256(f"{title}|{n}".encode()).hexdigest(),
            story_id=story_id,
            language=language,
        )
        session.add(article)
        await session.flush()
        if story_id is None:
            story_id = article.story_id = article.id
        for slug in topics:
            session.add(
                ArticleTopic(
                    article_id=article.id, topic_slug=slug, published_at=article.published_at
                )
            )
        for term in terms_of(f"{title} {' '.join(summary)}"):
            session.add(
                ArticleTerm(term=term, article_id=article.id, published_at=article.published_at)
            )
        ids.append(article.id)
    await session.flush()
    return ids


async def add_reader(
    session: AsyncSession,
    chat_id: int,
    *,
    now: datetime,
    zone: str = "UTC",
    at: time = time(7, 30),
    topics: Iterable[str] = ("world",),
    queries: Iterable[str] = (),
    chat_type: str = "private",
    summary_length: int = 3,
    last_digest_at: datetime | None = None,
) -> None:
    reader, _ = await register_reader(
        session,
        chat_id=chat_id,
        chat_type=chat_type,
        title=None,
        timezone=zone,
        digest_time=at,
        next_digest_at=next_digest_at(now, zone, at),
        now=now,
    )
    reader.summary_length = summary_length
    reader.last_digest_at = last_digest_at
    for slug in topics:
        await subscribe_topic(session, chat_id, slug, now)
    for query in queries:
        await subscribe_query(session, chat_id, query, now)
    await session.flush()
