"""Sending within Telegram's limits: 429, 403, 5xx and refused messages, on both databases."""

from __future__ import annotations

import itertools
from datetime import time, timedelta

from bot.delivery.engine import LEASE, DigestEngine
from bot.delivery.sender import BotTransport, Limits, Pacer
from storage import Database
from storage.digests import digests_of
from storage.readers import get_reader, register_reader
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


class RecordingPacer(Pacer):
    """The real pacer, noting every slot it grants (simulated monotonic time, chat)."""

    def __init__(self, limits: Limits, clock: FakeClock) -> None:
        super().__init__(limits, clock)
        self.granted: list[tuple[float, int]] = []

    async def acquire(self, chat_id: int, chat_type: str) -> float:
        slot = await super().acquire(chat_id, chat_type)
        self.granted.append((slot, chat_id))
        return slot


async def _world(db: Database, readers: int) -> None:
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 2, BEGIN)
        await add_story(
            session, title="Story", topics=["world"], sources=sources, published_at=BEGIN
        )
        for chat_id in range(1, readers + 1):
            await add_reader(session, chat_id, now=BEGIN)


async def test_429_pauses_everyone_then_resumes_at_the_normal_pace(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    await _world(db, readers=6)
    clock = FakeClock(DUE)
    pacer = RecordingPacer(Limits(overall_per_second=10), clock)
    engine = DigestEngine(services_for(db), transport, clock=clock, pacer=pacer)
    fake.fail("sendMessage", status=429, retry_after=7, chat_id=3)
    paused_from = clock.monotonic()
    report = await engine.tick()
    assert report.sent == 6
    assert all(len(fake.messages(c)) == 1 for c in range(1, 7))
    slots = sorted(t for t, _chat in pacer.granted)
    # Never faster than 10 a second, not even right after the pause: no burst.
    assert all(b - a >= 0.1 - 1e-9 for a, b in itertools.pairwise(slots))
    # Chat 3's first attempt was answered 429; its retry waited the 7 seconds asked for.
    first, retry = [t for t, chat in pacer.granted if chat == 3]
    assert retry - first >= 7
    # Slots booked while that request was in flight may follow it; none later in the pause.
    assert not [t for t in slots if first + 1 < t < first + 7]
    assert paused_from <= first
    assert engine.metrics.telegram_errors.labels("429")._value.get() == 1


async def test_blocked_reader_is_marked_and_skipped_until_start(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    await _world(db, readers=3)
    clock = FakeClock(DUE)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    fake.block_bot(2)
    report = await engine.tick()
    assert report.failed == 1
    assert len(fake.messages(1)) == 1 and len(fake.messages(3)) == 1
    async with db.sessions() as session:
        reader = await get_reader(session, 2)
        assert reader is not None and reader.blocked_at is not None
        assert DUE <= reader.blocked_at < DUE + timedelta(minutes=1)
        [digest] = await digests_of(session, 2)
        assert digest.status == "failed" and "blocked" in (digest.error or "")
    # The next day nothing is even attempted for the blocked reader.
    calls_before = len(fake.calls("sendMessage", chat_id=2))
    clock.set(DUE + timedelta(days=1))
    await engine.tick()
    assert len(fake.calls("sendMessage", chat_id=2)) == calls_before
    # /start brings them back: the next digest arrives.
    fake._blocked.discard(2)
    async with db.sessions.begin() as session:
        await register_reader(
            session,
            chat_id=2,
            chat_type="private",
            title=None,
            timezone="UTC",
            digest_time=time(7, 30),
            next_digest_at=None,
            now=clock.now(),
        )
    clock.set(DUE + timedelta(days=2))
    await engine.tick()
    assert len(fake.messages(2)) == 1


async def test_transient_errors_are_retried_with_backoff_and_sent_once(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    await _world(db, readers=1)
    clock = FakeClock(DUE)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    fake.fail("sendMessage", status=502, chat_id=1, times=2)
    report = await engine.tick()
    assert report.sent == 1
    assert len(fake.messages(1)) == 1
    assert clock.slept[-2:] == [1.0, 2.0]


async def test_a_digest_failing_for_long_is_released_and_retried_after_the_lease(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    await _world(db, readers=1)
    clock = FakeClock(DUE)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    fake.fail("sendMessage", status=500, chat_id=1, times=4)
    report = await engine.tick()
    assert report.released == 1
    assert fake.messages(1) == []
    clock.advance(LEASE + timedelta(seconds=1))
    report = await engine.tick()
    assert report.resumed == 1 and report.sent == 1
    assert len(fake.messages(1)) == 1
    async with db.sessions() as session:
        [digest] = await digests_of(session, 1)
    assert digest.status == "sent" and digest.attempts == 2


async def test_a_message_telegram_refuses_fails_the_digest_without_retrying(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    await _world(db, readers=1)
    clock = FakeClock(DUE)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    fake.fail("sendMessage", status=400, description="Bad Request: can't parse entities", chat_id=1)
    report = await engine.tick()
    assert report.failed == 1
    assert len(fake.calls("sendMessage", chat_id=1)) == 1
    async with db.sessions() as session:
        [digest] = await digests_of(session, 1)
    assert digest.status == "failed" and "parse entities" in (digest.error or "")


async def test_group_chats_are_paced_at_twenty_a_minute(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 1, BEGIN)
        for n in range(40):
            await add_story(
                session,
                title=f"Story {n}",
                topics=["world"],
                sources=sources,
                published_at=BEGIN + timedelta(minutes=n),
                summary=["A long sentence of the summary that fills the message. " * 10] * 5,
            )
        await add_reader(session, -100, now=BEGIN, chat_type="supergroup", summary_length=5)
    clock = FakeClock(DUE)
    pacer = RecordingPacer(Limits(overall_per_second=25), clock)
    engine = DigestEngine(services_for(db), transport, clock=clock, pacer=pacer)
    await engine.tick()
    times = [t for t, chat in pacer.granted if chat == -100]
    assert len(times) >= 3
    assert len(fake.messages(-100)) == len(times)
    assert all(b - a >= 3.0 - 1e-9 for a, b in itertools.pairwise(times))
