"""The sources file and the database: what syncing adds, changes, disables and leaves."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage import Database, Source
from storage.sources import (
    REMOVED_FROM_FILE,
    SourceSpec,
    add_source,
    due_sources,
    sync_sources,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
A = SourceSpec("A", "https://a.test/rss", ("world",), "en")
B = SourceSpec("B", "https://b.test/rss", ("sport",))


async def _by_url(db: Database) -> dict[str, Source]:
    async with db.sessions() as s:
        return {x.url: x for x in (await s.scalars(select(Source))).all()}


async def test_sync_adds_updates_disables_and_enables_again(db: Database) -> None:
    async with db.sessions.begin() as s:
        first = await sync_sources(s, [A, B], now=NOW)
        await add_source(s, SourceSpec("Admin's", "https://c.test/rss"), added_by=7, now=NOW)
    assert (first.added, first.updated, first.disabled) == (2, 0, 0)

    renamed = SourceSpec("A renamed", A.url, ("world", "politics"), "en")
    async with db.sessions.begin() as s:
        second = await sync_sources(s, [renamed], now=NOW)
    assert (second.added, second.updated, second.disabled) == (0, 1, 1)
    sources = await _by_url(db)
    assert sources[A.url].name == "A renamed" and sources[A.url].topics == ["world", "politics"]
    assert not sources[B.url].enabled and sources[B.url].disabled_reason == REMOVED_FROM_FILE
    assert sources["https://c.test/rss"].enabled  # an admin's source is not the file's

    async with db.sessions.begin() as s:
        await sync_sources(s, [renamed, B], now=NOW)
        due = {x.url for x in await due_sources(s, now=NOW)}
    assert (await _by_url(db))[B.url].enabled
    assert due == {A.url, B.url, "https://c.test/rss"}


async def test_a_source_disabled_for_failing_stays_disabled_whatever_the_file_says(
    db: Database,
) -> None:
    async with db.sessions.begin() as s:
        await sync_sources(s, [A], now=NOW)
        source = (await s.scalars(select(Source))).one()
        source.enabled, source.disabled_reason = False, "failing for 3 days"
    async with db.sessions.begin() as s:
        await sync_sources(s, [A], now=NOW)
        assert await due_sources(s, now=NOW) == []
    assert (await _by_url(db))[A.url].disabled_reason == "failing for 3 days"
