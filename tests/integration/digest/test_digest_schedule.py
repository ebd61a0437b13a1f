"""Readers in many zones get their digest in the minute they chose, once, across DST changes.

The clock is simulated: the tick runs the minute before, the minute of, and the minute
after each reader's local digest time on every day of the window, plus hours later.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.engine import DigestEngine
from bot.delivery.sender import BotTransport
from storage import Database
from storage.digests import digests_of
from storage.readers import get_reader
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

#: Autumn 2026: Europe falls back on 25 October, North America on 1 November.
READERS: list[tuple[int, str, time]] = [
    (101, "Asia/Tehran", time(7, 30)),
    (102, "America/Chicago", time(7, 30)),
    (103, "Europe/Berlin", time(7, 30)),
    (104, "Asia/Kathmandu", time(6, 15)),
    (105, "Pacific/Auckland", time(8, 0)),
    (106, "America/New_York", time(1, 30)),  # happens twice on 1 November: once only
    (107, "Europe/London", time(23, 59)),
]


def _local_minutes(zone: str, at: time, first: datetime, days: int) -> list[datetime]:
    """Each day's first occurrence of ``at`` in ``zone`` as a UTC instant."""
    tz = ZoneInfo(zone)
    start = first.astimezone(tz).date()
    found = []
    for offset in range(days):
        local = datetime.combine(start + timedelta(days=offset), at, tzinfo=tz)
        found.append(local.astimezone(ZoneInfo("UTC")))
    return found


async def test_every_reader_gets_one_digest_in_their_minute_across_dst(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 10, 23, 12, 0)
    clock = FakeClock(begin)
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 2, begin)
        for day in range(12):
            await add_story(
                session,
                title=f"Story of day {day}",
                topics=["world"],
                sources=sources,
                published_at=begin + timedelta(days=day, hours=-1),
            )
        for chat_id, zone, at in READERS:
            await add_reader(session, chat_id, now=begin, zone=zone, at=at)
    engine = DigestEngine(services_for(db), transport, clock=clock)

    expected: dict[int, list[datetime]] = {}
    moments: set[datetime] = set()
    end = utc(2026, 11, 3, 0, 0)
    for chat_id, zone, at in READERS:
        due = [d for d in _local_minutes(zone, at, begin, 12) if begin < d < end]
        expected[chat_id] = due
        for instant in due:
            for delta in (-1, 0, 1, 180):
                if instant + timedelta(minutes=delta) < end:
                    moments.add(instant + timedelta(minutes=delta))
    sent_at: dict[int, list[datetime]] = {chat_id: [] for chat_id, _zone, _at in READERS}
    for moment in sorted(moments):
        clock.set(moment)
        before = {c: len(fake.messages(c)) for c in sent_at}
        await engine.tick()
        for chat_id in sent_at:
            if len(fake.messages(chat_id)) > before[chat_id]:
                sent_at[chat_id].append(moment)

    for chat_id, zone, at in READERS:
        got = sent_at[chat_id]
        want = expected[chat_id]
        assert got == want, f"{zone} {at}: digests at {got}, expected {want}"
        for instant in got:
            local = instant.astimezone(ZoneInfo(zone))
            assert (local.hour, local.minute) == (at.hour, at.minute)
        # Exactly one digest message per day (each digest fits in one message here).
        assert len(fake.messages(chat_id)) == len(want)
    # The repeated 01:30 in New York on 1 November fired once: 05:30 UTC (EDT), not 06:30.
    new_york = sent_at[106]
    assert utc(2026, 11, 1, 5, 30) in new_york
    assert utc(2026, 11, 1, 6, 30) not in new_york


async def test_spring_forward_gap_moves_the_digest_forward_once(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 3, 28, 12, 0)
    clock = FakeClock(begin)
    async with db.sessions.begin() as session:
        await add_topics(session)
        await add_reader(session, 1, now=begin, zone="Europe/Berlin", at=time(2, 30))
    engine = DigestEngine(services_for(db), transport, clock=clock)
    # 29 March: 02:30 does not exist in Berlin; the digest comes at 03:30 CEST (01:30 UTC).
    for moment in (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 29), utc(2026, 3, 29, 1, 30)):
        clock.set(moment)
        await engine.tick()
    assert len(fake.messages(1)) == 1
    clock.set(utc(2026, 3, 29, 2, 30))
    await engine.tick()
    assert len(fake.messages(1)) == 1
    async with db.sessions() as session:
        reader = await get_reader(session, 1)
        assert reader is not None
        assert reader.next_digest_at == utc(2026, 3, 30, 0, 30)  # 02:30 CEST exists again


async def test_after_downtime_a_reader_gets_one_digest_not_one_per_missed_day(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 6, 1, 0, 0)
    clock = FakeClock(begin)
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 1, begin)
        await add_story(session, title="Old", topics=["world"], sources=sources, published_at=begin)
        await add_reader(session, 1, now=begin, zone="UTC", at=time(7, 30))
    engine = DigestEngine(services_for(db), transport, clock=clock)
    clock.set(utc(2026, 6, 5, 12, 0))  # down for four days
    await engine.tick()
    await engine.tick()
    assert len(fake.messages(1)) == 1
    async with db.sessions() as session:
        reader = await get_reader(session, 1)
        assert reader is not None
        assert reader.next_digest_at == utc(2026, 6, 6, 7, 30)
        digests = await digests_of(session, 1)
    assert [d.status for d in digests] == ["sent"]


async def test_quiet_hours_hold_a_catch_up_until_they_end(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 6, 1, 0, 0)
    clock = FakeClock(begin)
    async with db.sessions.begin() as session:
        await add_topics(session)
        await add_reader(session, 1, now=begin, zone="Europe/Berlin", at=time(7, 30))
        reader = await get_reader(session, 1)
        assert reader is not None
        reader.quiet_start, reader.quiet_end = time(22, 0), time(7, 0)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    # The bot was down at 07:30 and comes back at 23:10 Berlin time (21:10 UTC): quiet.
    clock.set(utc(2026, 6, 1, 21, 10))
    report = await engine.tick()
    assert report.held_quiet == 1
    assert fake.messages(1) == []
    clock.set(utc(2026, 6, 2, 4, 59))  # 06:59 in Berlin: still quiet
    await engine.tick()
    assert fake.messages(1) == []
    clock.set(utc(2026, 6, 2, 5, 0))  # 07:00: quiet hours are over
    await engine.tick()
    assert len(fake.messages(1)) == 1
    clock.set(utc(2026, 6, 2, 5, 30))  # 07:30 the same morning: the regular digest
    await engine.tick()
    counts = Counter(m.chat_id for m in fake.messages(1))
    assert counts[1] == 2


async def test_paused_readers_get_nothing(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 6, 1, 0, 0)
    clock = FakeClock(begin)
    async with db.sessions.begin() as session:
        await add_topics(session)
        await add_reader(session, 1, now=begin)
        await add_reader(session, 2, now=begin)
        reader = await get_reader(session, 1)
        assert reader is not None
        reader.paused = True
    engine = DigestEngine(services_for(db), transport, clock=clock)
    clock.set(utc(2026, 6, 1, 7, 30))
    await engine.tick()
    assert fake.messages(1) == []
    assert len(fake.messages(2)) == 1


async def test_digest_asked_at_the_instant_the_schedule_is_due_does_not_block_it(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 6, 1, 0, 0)
    due = utc(2026, 6, 1, 7, 30)
    clock = FakeClock(due)
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 1, begin)
        await add_story(
            session, title="Story", topics=["world"], sources=sources, published_at=begin
        )
        await add_reader(session, 1, now=begin)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    await engine.digest_now(1)  # /digest at 07:30:00.000000 exactly
    report = await engine.tick()  # the 07:30 digest: nothing new, a note
    assert report.sent == 1
    texts = [m.plain_text for m in fake.messages(1)]
    assert len(texts) == 2 and "Story" in texts[0] and "Nothing new" in texts[1]


async def test_a_reader_with_an_unknown_zone_still_gets_a_digest_on_utc(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    begin = utc(2026, 6, 1, 0, 0)
    clock = FakeClock(utc(2026, 6, 1, 7, 30))
    async with db.sessions.begin() as session:
        await add_topics(session)
        await add_reader(session, 1, now=begin)
        await add_reader(session, 2, now=begin)
        reader = await get_reader(session, 1)
        assert reader is not None
        reader.timezone = "Mars/Olympus_Mons"
    engine = DigestEngine(services_for(db), transport, clock=clock)
    await engine.tick()
    assert len(fake.messages(1)) == 1 and len(fake.messages(2)) == 1
    async with db.sessions() as session:
        reader = await get_reader(session, 1)
        assert reader is not None and reader.next_digest_at == utc(2026, 6, 2, 7, 30)
