"""Admins name a source by id or URL; anything else finds nothing and breaks nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage import Database
from storage.sources import SourceSpec, add_source, find_source

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["²²", "٣", "9" * 30, "-1", "1.0", ""])
async def test_what_is_not_an_id_or_a_known_url_finds_nothing(db: Database, typed: str) -> None:
    async with db.sessions.begin() as session:
        await add_source(session, SourceSpec("Wire", "https://wire.test/rss"), added_by=1, now=NOW)
    async with db.sessions() as session:
        assert await find_source(session, typed) is None


async def test_a_source_is_found_by_id_or_by_url(db: Database) -> None:
    async with db.sessions.begin() as session:
        source, _ = await add_source(
            session, SourceSpec("Wire", "https://wire.test/rss"), added_by=1, now=NOW
        )
    async with db.sessions() as session:
        by_id = await find_source(session, f" {source.id} ")
        by_url = await find_source(session, "https://wire.test/rss")
    assert by_id is not None and by_id.url == "https://wire.test/rss"
    assert by_url is not None and by_url.id == source.id
