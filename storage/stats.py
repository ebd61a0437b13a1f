"""Figures for the operators' /stats: readers, subscriptions, articles, ingest, digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.articles import count_articles, last_ingest_run
from storage.models import Article, Digest, IngestRun, Source, Topic
from storage.readers import count_readers
from storage.subscriptions import count_subscriptions


@dataclass(frozen=True)
class DigestFigures:
    sent: int
    empty: int
    failed: int
    last_sent_at: datetime | None


@dataclass(frozen=True)
class BotStats:
    readers: dict[str, int]
    subscriptions: dict[str, int]
    topics: int
    articles: int
    articles_last_day: int
    newest_article_at: datetime | None
    sources_enabled: int
    sources_failing: int
    sources_disabled: int
    last_ingest: IngestRun | None
    digests_last_day: DigestFigures


async def collect_stats(session: AsyncSession, now: datetime) -> BotStats:
    """Everything /stats shows, as of ``now``; digests are counted over the last 24 hours."""
    day_ago = now - timedelta(days=1)
    articles_last_day, newest = (
        await session.execute(
            select(
                func.count().filter(Article.published_at >= day_ago),
                func.max(Article.published_at),
            ).select_from(Article)
        )
    ).one()
    enabled, failing, disabled = (
        await session.execute(
            select(
                func.count().filter(Source.enabled.is_(True)),
                func.count().filter(Source.enabled.is_(True), Source.consecutive_failures > 0),
                func.count().filter(Source.enabled.is_(False)),
            ).select_from(Source)
        )
    ).one()
    sent, empty, failed, last_sent = (
        await session.execute(
            select(
                func.count().filter(Digest.status == "sent", Digest.sent_at >= day_ago),
                func.count().filter(Digest.status == "empty", Digest.created_at >= day_ago),
                func.count().filter(Digest.status == "failed", Digest.created_at >= day_ago),
                func.max(Digest.sent_at),
            ).select_from(Digest)
        )
    ).one()
    topics = await session.scalar(select(func.count()).select_from(Topic))
    return BotStats(
        readers=await count_readers(session),
        subscriptions=await count_subscriptions(session),
        topics=int(topics or 0),
        articles=await count_articles(session),
        articles_last_day=int(articles_last_day or 0),
        newest_article_at=newest,
        sources_enabled=int(enabled or 0),
        sources_failing=int(failing or 0),
        sources_disabled=int(disabled or 0),
        last_ingest=await last_ingest_run(session),
        digests_last_day=DigestFigures(
            sent=int(sent or 0),
            empty=int(empty or 0),
            failed=int(failed or 0),
            last_sent_at=last_sent,
        ),
    )
