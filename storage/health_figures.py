"""The figures the health endpoint and the scrape-time gauges need, in one transaction.

Cheap on purpose (a scrape may come every few seconds): the oldest due reader is read
through the partial index ``ix_readers_due``; the other counts scan small tables or the
readers table once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.digests import oldest_waiting_due
from storage.models import IngestRun
from storage.readers import count_readers
from storage.sources import SourceHealthCounts, source_health_counts


@dataclass(frozen=True)
class HealthFigures:
    """What the database says about the bot's health at one instant."""

    #: When the newest ingest cycle that finished without a cycle-wide error ended.
    last_ingest_at: datetime | None
    #: The due time of the oldest active reader still waiting for a digest.
    oldest_due: datetime | None
    sources: SourceHealthCounts
    #: Readers by state: total, active, paused, blocked.
    readers: dict[str, int]


async def last_finished_ingest(session: AsyncSession) -> datetime | None:
    """The end of the newest ingest cycle that finished without a cycle-wide error."""
    # Newest first through the index on started_at: one row read, however long the history.
    query = (
        select(IngestRun.finished_at)
        .where(IngestRun.finished_at.is_not(None), IngestRun.error.is_(None))
        .order_by(IngestRun.started_at.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def health_figures(session: AsyncSession, now: datetime) -> HealthFigures:
    """Every figure of :class:`HealthFigures` as of ``now``."""
    return HealthFigures(
        last_ingest_at=await last_finished_ingest(session),
        oldest_due=await oldest_waiting_due(session, now),
        sources=await source_health_counts(session),
        readers=await count_readers(session),
    )
