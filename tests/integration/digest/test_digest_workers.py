"""Several processes on PostgreSQL share the due readers and never send a digest twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.delivery.engine import DigestEngine
from bot.delivery.sender import BotTransport, Limits
from storage import open_database, upgrade_database
from storage.digests import count_digests
from tests.support.databases import temporary_database_url
from tests.support.digest_world import (
    FakeClock,
    add_reader,
    add_sources,
    add_story,
    add_topics,
    services_for,
    utc,
)
from tests.support.fake_bot_api import FakeBotApi

BEGIN = utc(2026, 6, 1, 0, 0)
DUE = utc(2026, 6, 1, 7, 30)
READERS = range(5000, 5300)


async def test_three_postgres_workers_send_each_due_digest_exactly_once(
    tmp_path: Path, fake: FakeBotApi, transport: BotTransport
) -> None:
    async with temporary_database_url("postgresql", tmp_path) as url:
        # Three engines, each with its own connection pool, as three processes would have.
        databases = [open_database(url, pool_size=4) for _ in range(3)]
        try:
            await upgrade_database(databases[0])
            async with databases[0].sessions.begin() as session:
                await add_topics(session)
                sources = await add_sources(session, 3, BEGIN)
                for n in range(8):
                    await add_story(
                        session,
                        title=f"Story {n}",
                        topics=["world", "business"],
                        sources=sources[: 1 + n % 3],
                        published_at=BEGIN + timedelta(minutes=n),
                    )
                for chat_id in READERS:
                    await add_reader(session, chat_id, now=BEGIN, topics=["world", "business"])
            engines = [
                DigestEngine(
                    services_for(db),
                    transport,
                    clock=FakeClock(DUE),
                    limits=Limits.off(),
                    batch_size=25,
                    worker=f"worker-{n}",
                )
                for n, db in enumerate(databases)
            ]
            reports = await asyncio.gather(*(e.tick() for e in engines))
            async with databases[0].sessions() as session:
                statuses = await count_digests(session)
        finally:
            for db in databases:
                await db.dispose()
    per_chat = Counter(m.chat_id for chat in READERS for m in fake.messages(chat))
    assert set(per_chat) == set(READERS)
    assert set(per_chat.values()) == {1}, "a reader got more than one digest"
    assert statuses == {"sent": len(READERS)}
    assert sum(r.sent for r in reports) == len(READERS)
    # The work really was shared: every worker claimed some readers.
    assert all(r.claimed > 0 for r in reports)
