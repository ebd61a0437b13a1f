"""`newsbot ingest` says how many sources wait after failures, and until when; --force
fetches them anyway. The two queries behind it, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Database
from storage.sources import (
    FetchOutcome,
    SourceSpec,
    add_source,
    backing_off,
    due_sources,
    record_fetch,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


async def _source(db: Database, name: str, *, failures: int, next_at: datetime | None) -> None:
    async with db.sessions.begin() as session:
        source, _ = await add_source(
            session, SourceSpec(name, f"https://{name}.test/rss"), added_by=None, now=NOW
        )
        outcome = FetchOutcome(
            fetched_at=NOW - timedelta(minutes=5),
            succeeded=failures == 0,
            next_fetch_at=next_at,
            consecutive_failures=failures,
            error="HTTP 503" if failures else None,
        )
        await record_fetch(session, source.id, outcome)


async def test_backing_off_counts_failed_sources_waiting_and_until_when(db: Database) -> None:
    await _source(db, "healthy", failures=0, next_at=NOW + timedelta(minutes=10))
    await _source(db, "soon", failures=1, next_at=NOW + timedelta(minutes=15))
    await _source(db, "later", failures=4, next_at=NOW + timedelta(hours=2))
    await _source(db, "due-again", failures=2, next_at=NOW - timedelta(minutes=1))
    async with db.sessions() as session:
        waiting = await backing_off(session, now=NOW)
        due = {s.name for s in await due_sources(session, now=NOW)}
        forced = {s.name for s in await due_sources(session, now=NOW, force=True)}
    assert waiting.count == 2
    assert waiting.first_retry == NOW + timedelta(minutes=15)
    assert waiting.last_retry == NOW + timedelta(hours=2)
    assert due == {"due-again"}
    assert forced == {"healthy", "soon", "later", "due-again"}


async def test_nothing_backing_off(db: Database) -> None:
    await _source(db, "healthy", failures=0, next_at=NOW + timedelta(minutes=10))
    async with db.sessions() as session:
        waiting = await backing_off(session, now=NOW)
    assert (waiting.count, waiting.first_retry, waiting.last_retry) == (0, None, None)
