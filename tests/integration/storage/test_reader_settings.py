"""The reader's own settings on both databases: schedule, summary length, racing first commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from storage import Database
from storage.readers import get_reader, register_reader, set_summary_length, update_schedule

NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


async def _register(db: Database, chat_id: int = 42) -> bool:
    async with db.sessions.begin() as session:
        _reader, created = await register_reader(
            session,
            chat_id=chat_id,
            chat_type="private",
            title=None,
            timezone="UTC",
            digest_time=time(7, 30),
            next_digest_at=NOW + timedelta(hours=1, minutes=30),
            now=NOW,
        )
        await asyncio.sleep(0.05)  # hold the transaction open while the other one tries
    return created


async def test_two_first_commands_at_once_make_one_reader(db: Database) -> None:
    results = await asyncio.gather(_register(db), _register(db))
    assert sorted(results) == [False, True]
    async with db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None and reader.summary_length == 3 and not reader.paused


async def test_schedule_changes_store_the_due_time_given(db: Database) -> None:
    await _register(db)
    due = datetime(2026, 3, 30, 4, 15, tzinfo=UTC)
    async with db.sessions.begin() as session:
        updated = await update_schedule(
            session, 42, timezone="Asia/Kolkata", digest_time=time(9, 45), next_digest_at=due
        )
        assert updated is not None
        assert await update_schedule(session, 99, next_digest_at=due) is None
    async with db.sessions.begin() as session:
        await update_schedule(session, 42, paused=True, next_digest_at=due)
    async with db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None
    assert (reader.timezone, reader.digest_time, reader.paused) == (
        "Asia/Kolkata",
        time(9, 45),
        True,
    )
    assert reader.next_digest_at == due


async def test_summary_length_is_checked_and_stored(db: Database) -> None:
    await _register(db)
    async with db.sessions.begin() as session:
        assert await set_summary_length(session, 42, 5)
        assert not await set_summary_length(session, 7, 2)
        with pytest.raises(ValueError, match="between 1 and 5"):
            await set_summary_length(session, 42, 6)
    async with db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None and reader.summary_length == 5
