"""Claiming due readers: the query the digest tick runs every minute."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from storage import Database
from storage.readers import get_reader, lock_due_readers, mark_blocked, register_reader

NOW = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)


async def _readers(db: Database, due: int, later: int = 0) -> None:
    async with db.sessions.begin() as s:
        for i in range(due + later):
            await register_reader(
                s,
                chat_id=1000 + i,
                chat_type="private",
                title=None,
                timezone="UTC",
                digest_time=time(7, 30),
                next_digest_at=NOW - timedelta(minutes=i) if i < due else NOW + timedelta(hours=1),
                now=NOW,
            )


async def test_only_due_active_readers_are_claimed_oldest_first(db: Database) -> None:
    await _readers(db, due=4, later=2)
    async with db.sessions.begin() as s:
        reader = await get_reader(s, 1000)
        assert reader is not None
        reader.paused = True
        await mark_blocked(s, 1001, NOW)
    async with db.sessions.begin() as s:
        claimed = await lock_due_readers(s, NOW, limit=10)
    assert [r.chat_id for r in claimed] == [1003, 1002]


async def test_two_postgres_sessions_never_claim_the_same_reader(pg_db: Database) -> None:
    """FOR UPDATE SKIP LOCKED: concurrent claimers split the due readers between them."""
    await _readers(pg_db, due=10)
    first_holds = asyncio.Event()
    second_done = asyncio.Event()

    async def first() -> list[int]:
        async with pg_db.sessions.begin() as s:
            got = [r.chat_id for r in await lock_due_readers(s, NOW, limit=6)]
            first_holds.set()
            # Keep the row locks until the other session has claimed its batch.
            await second_done.wait()
            for chat_id in got:
                reader = await get_reader(s, chat_id)
                assert reader is not None
                reader.next_digest_at = NOW + timedelta(days=1)
            return got

    async def second() -> list[int]:
        await first_holds.wait()
        async with pg_db.sessions.begin() as s:
            got = [r.chat_id for r in await lock_due_readers(s, NOW, limit=10)]
            second_done.set()
            for chat_id in got:
                reader = await get_reader(s, chat_id)
                assert reader is not None
                reader.next_digest_at = NOW + timedelta(days=1)
            return got

    a, b = await asyncio.wait_for(asyncio.gather(first(), second()), timeout=30)
    assert len(a) == 6
    assert len(b) == 4
    assert not set(a) & set(b)
    assert set(a) | set(b) == set(range(1000, 1010))
    async with pg_db.sessions() as s:
        assert await lock_due_readers(s, NOW, limit=10) == []


async def test_many_concurrent_postgres_claimers_cover_every_reader_once(pg_db: Database) -> None:
    await _readers(pg_db, due=60)

    async def worker() -> list[int]:
        mine: list[int] = []
        while True:
            async with pg_db.sessions.begin() as s:
                batch = await lock_due_readers(s, NOW, limit=7)
                if not batch:
                    return mine
                for reader in batch:
                    reader.next_digest_at = NOW + timedelta(days=1)
                    mine.append(reader.chat_id)
            await asyncio.sleep(0)

    results = await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(4))), timeout=60)
    everything = [chat for batch in results for chat in batch]
    assert sorted(everything) == list(range(1000, 1060))
