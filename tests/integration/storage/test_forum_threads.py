"""Forum topics as readers: one chat, several (chat_id, thread_id) readers, on both
databases. Each topic has its own subscriptions, ledger and blocked state; forgetting
or blocking one leaves the others; a chat's move to a supergroup takes every topic."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from storage import Database, Delivery, TopicSpec
from storage.digests import (
    DeliveredItem,
    NewDigest,
    delivered_to,
    digests_of,
    follows_of,
    record_digests,
)
from storage.keys import ReaderKey
from storage.readers import (
    forget_reader,
    get_reader,
    mark_blocked,
    mark_chat_blocked,
    move_reader,
    register_reader,
)
from storage.subscriptions import subscribe_topic, subscribed_topic_slugs
from storage.topics import sync_topics

NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
CHAT = -1005001
GENERAL, SPORT, TECH = ReaderKey(CHAT), ReaderKey(CHAT, 11), ReaderKey(CHAT, 12)


async def _forum(db: Database, chat_id: int = CHAT) -> None:
    """The chat itself follows world, topic 11 sport, topic 12 technology."""
    async with db.sessions.begin() as s:
        await sync_topics(
            s, [TopicSpec("world", "World"), TopicSpec("sport", "Sport"), TopicSpec("tech", "Tech")]
        )
        for thread, slug, at in (
            (0, "world", time(7, 30)),
            (11, "sport", time(7)),
            (12, "tech", time(8)),
        ):
            await register_reader(
                s,
                chat_id=chat_id,
                thread_id=thread,
                chat_type="supergroup",
                title="Newsroom",
                timezone="UTC",
                digest_time=at,
                next_digest_at=NOW + timedelta(hours=1),
                now=NOW,
            )
            await subscribe_topic(s, ReaderKey(chat_id, thread), slug, NOW)


async def test_each_topic_of_a_chat_is_a_reader_of_its_own(db: Database) -> None:
    await _forum(db)
    async with db.sessions.begin() as s:
        assert await subscribed_topic_slugs(s, SPORT) == {"sport"}
        assert await subscribed_topic_slugs(s, TECH) == {"tech"}
        # A bare chat id is the chat itself (the General topic).
        assert await subscribed_topic_slugs(s, CHAT) == {"world"}
        sport = await get_reader(s, SPORT)
        assert sport is not None and sport.digest_time == time(7)
        follows = await follows_of(s, [SPORT, TECH])
        assert [f.topic_slug for f in follows[SPORT]] == ["sport"]
        assert [f.topic_slug for f in follows[TECH]] == ["tech"]
        await record_digests(
            s,
            [NewDigest(CHAT, NOW, ["d"], [DeliveredItem(1, 1, 1, False)], thread_id=11)],
            worker="w",
            now=NOW,
        )
        seen = await delivered_to(s, [GENERAL, SPORT, TECH], since=NOW - timedelta(days=1))
    assert seen[SPORT] == [(1, 1)]
    assert seen[GENERAL] == seen[TECH] == []


async def test_blocking_or_forgetting_a_topic_leaves_the_others(db: Database) -> None:
    await _forum(db)
    async with db.sessions.begin() as s:
        await mark_blocked(s, SPORT, NOW)
    async with db.sessions.begin() as s:
        rows = [await get_reader(s, key) for key in (GENERAL, SPORT, TECH)]
        assert [r.blocked_at if r is not None else "none" for r in rows] == [None, NOW, None]
        assert await forget_reader(s, TECH)
    async with db.sessions.begin() as s:
        assert await get_reader(s, TECH) is None
        assert await subscribed_topic_slugs(s, TECH) == set()
        assert await get_reader(s, GENERAL) is not None
        # The bot removed from the chat: every topic of it stops.
        assert await mark_chat_blocked(s, CHAT, NOW) == 1  # General; Sport already was
    async with db.sessions() as s:
        for key in (GENERAL, SPORT):
            reader = await get_reader(s, key)
            assert reader is not None and reader.blocked_at == NOW


async def test_a_move_to_a_new_chat_id_takes_every_topic_with_its_rows(db: Database) -> None:
    old, new = -4001, -1004001
    await _forum(db, old)
    async with db.sessions.begin() as s:
        await record_digests(
            s,
            [
                NewDigest(old, NOW, ["a"], [DeliveredItem(1, 1, 1, False)], thread_id=11),
                NewDigest(old, NOW, ["b"], [DeliveredItem(2, 2, 1, False)], thread_id=12),
            ],
            worker="w",
            now=NOW,
        )
        # Someone wrote in the new chat's topic 11 first: its row exists, settings lose.
        await register_reader(
            s,
            chat_id=new,
            thread_id=11,
            chat_type="supergroup",
            title=None,
            timezone="Asia/Tokyo",
            digest_time=time(9),
            next_digest_at=None,
            now=NOW,
        )
        await subscribe_topic(s, ReaderKey(new, 11), "sport", NOW)
    async with db.sessions.begin() as s:
        assert await move_reader(s, old, new)
    async with db.sessions.begin() as s:
        assert not await move_reader(s, old, new)  # idempotent
        for thread, slug, at in (
            (0, "world", time(7, 30)),
            (11, "sport", time(7)),
            (12, "tech", time(8)),
        ):
            key = ReaderKey(new, thread)
            reader = await get_reader(s, key)
            assert reader is not None and reader.digest_time == at and reader.timezone == "UTC"
            assert await subscribed_topic_slugs(s, key) == {slug}
            assert await get_reader(s, ReaderKey(old, thread)) is None
        assert [d.messages for d in await digests_of(s, ReaderKey(new, 12))] == [["b"]]
        ledger = (
            await s.execute(select(Delivery.chat_id, Delivery.thread_id, Delivery.article_id))
        ).all()
    assert sorted(ledger) == [(new, 11, 1), (new, 12, 2)]
