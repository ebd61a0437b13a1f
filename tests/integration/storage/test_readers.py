"""Readers, subscriptions and topics on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from storage import Database, Delivery, Digest, Reader, Subscription, TopicSpec
from storage.readers import (
    count_readers,
    forget_reader,
    get_reader,
    mark_blocked,
    register_reader,
)
from storage.subscriptions import (
    count_subscriptions,
    list_subscriptions,
    subscribe_query,
    subscribe_topic,
    subscribed_topic_slugs,
    toggle_topic,
    unsubscribe_by_id,
    unsubscribe_query,
)
from storage.topics import find_topic, list_topics, sync_topics

NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
TEHRAN = timezone(timedelta(hours=3, minutes=30))
CATALOGUE = [
    TopicSpec("world", "World", ("war", "united nations")),
    TopicSpec("technology", "Technology", ("software",)),
    TopicSpec("sport", "Sport"),
]


async def _reader(db: Database, chat_id: int = 42, **kw: object) -> None:
    async with db.sessions.begin() as s:
        await sync_topics(s, CATALOGUE)
        await register_reader(
            s,
            chat_id=chat_id,
            chat_type="private",
            title="Ada",
            timezone="Europe/Berlin",
            digest_time=time(7, 30),
            next_digest_at=NOW + timedelta(hours=1),
            now=NOW,
        )


async def test_datetimes_come_back_aware_and_in_utc(db: Database) -> None:
    async with db.sessions.begin() as s:
        await register_reader(
            s,
            chat_id=1,
            chat_type="private",
            title=None,
            timezone="Asia/Tehran",
            digest_time=time(7, 30),
            # 07:30 in Tehran given with its own offset must be stored as 04:00 UTC.
            next_digest_at=datetime(
                2026, 3, 30, 7, 30, tzinfo=timezone(timedelta(hours=3, minutes=30))
            ),
            now=NOW,
        )
    async with db.sessions() as s:
        reader = await get_reader(s, 1)
        assert reader is not None
        assert reader.next_digest_at == datetime(2026, 3, 30, 4, 0, tzinfo=UTC)
        assert reader.next_digest_at.tzinfo is not None
        assert reader.digest_time == time(7, 30)


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with db.sessions.begin() as s:
            await register_reader(
                s,
                chat_id=1,
                chat_type="private",
                title=None,
                timezone="UTC",
                digest_time=time(7, 30),
                next_digest_at=None,
                now=datetime(2026, 1, 1),
            )


async def test_start_twice_keeps_one_reader_and_unblocks(db: Database) -> None:
    await _reader(db)
    async with db.sessions.begin() as s:
        await mark_blocked(s, 42, NOW)
    async with db.sessions.begin() as s:
        reader, created = await register_reader(
            s,
            chat_id=42,
            chat_type="private",
            title="Ada L.",
            timezone="UTC",
            digest_time=time(9, 0),
            next_digest_at=None,
            now=NOW,
        )
        assert not created
        # Coming back must not reset the reader's own schedule.
        assert reader.timezone == "Europe/Berlin"
    async with db.sessions() as s:
        stored = await get_reader(s, 42)
        assert stored is not None and stored.blocked_at is None and stored.title == "Ada L."
        assert await count_readers(s) == {"total": 1, "active": 1, "paused": 0, "blocked": 0}


async def test_topic_subscriptions_toggle_and_never_duplicate(db: Database) -> None:
    await _reader(db)
    async with db.sessions.begin() as s:
        assert await subscribe_topic(s, 42, "world", NOW)
        assert not await subscribe_topic(s, 42, "world", NOW)
        assert await toggle_topic(s, 42, "technology", NOW) is True
        assert await toggle_topic(s, 42, "world", NOW) is False
    async with db.sessions() as s:
        assert await subscribed_topic_slugs(s, 42) == {"technology"}


async def test_keyword_subscriptions_sit_beside_topics(db: Database) -> None:
    await _reader(db)
    async with db.sessions.begin() as s:
        await subscribe_topic(s, 42, "sport", NOW)
        assert await subscribe_query(s, 42, "ukraine ceasefire", NOW)
        assert not await subscribe_query(s, 42, "ukraine ceasefire", NOW)
    async with db.sessions.begin() as s:
        subs = await list_subscriptions(s, 42)
        assert [(x.topic_slug, x.query) for x in subs] == [
            ("sport", None),
            (None, "ukraine ceasefire"),
        ]
        assert await count_subscriptions(s) == {"topics": 1, "queries": 1}
        assert await unsubscribe_query(s, 42, "ukraine ceasefire")
        # A button carrying another reader's subscription id removes nothing.
        assert not await unsubscribe_by_id(s, 7, subs[0].id)
        assert await unsubscribe_by_id(s, 42, subs[0].id)
    async with db.sessions() as s:
        assert await list_subscriptions(s, 42) == []


async def test_forget_removes_the_reader_and_everything_about_them(db: Database) -> None:
    await _reader(db, 42)
    await _reader(db, 43)
    async with db.sessions.begin() as s:
        await subscribe_topic(s, 42, "world", NOW)
        await subscribe_topic(s, 43, "world", NOW)
        digest = Digest(chat_id=42, due_at=NOW, status="sent", created_at=NOW)
        s.add(digest)
        await s.flush()
        s.add(Delivery(chat_id=42, article_id=1, story_id=1, digest_id=digest.id, delivered_at=NOW))
    async with db.sessions.begin() as s:
        assert await forget_reader(s, 42)
        assert not await forget_reader(s, 42)
    async with db.sessions() as s:
        assert await get_reader(s, 42) is None
        assert await s.scalar(select(func.count()).select_from(Subscription)) == 1
        assert await s.scalar(select(func.count()).select_from(Digest)) == 0
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 0
        assert await s.scalar(select(func.count()).select_from(Reader)) == 1


async def test_topics_sync_from_the_catalogue_and_are_found_by_name(db: Database) -> None:
    async with db.sessions.begin() as s:
        assert await sync_topics(s, CATALOGUE) == 3
        assert await sync_topics(s, CATALOGUE) == 0
        renamed = [TopicSpec("world", "World news", ("war",)), *CATALOGUE[1:]]
        assert await sync_topics(s, renamed) == 1
    async with db.sessions() as s:
        assert [t.slug for t in await list_topics(s)] == ["world", "technology", "sport"]
        found = await find_topic(s, "WORLD NEWS")
        assert found is not None and found.slug == "world"
        assert await find_topic(s, "Technology") is not None
        assert await find_topic(s, "cooking") is None
        assert await find_topic(s, "  ") is None
