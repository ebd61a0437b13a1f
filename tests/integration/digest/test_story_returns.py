"""Stories a reader received do not come back as new, across days; grown ones come back once.

Articles are clustered by ingest's own write path (``tests.support.story_world``), digests
are composed, recorded and sent by the real engine to the fake Bot API, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.engine import DigestEngine
from bot.delivery.sender import BotTransport
from storage import Database
from storage.digests import delivered_to
from storage.keys import ReaderKey
from storage.story_returns import sends_of, story_key_neighbours
from tests.support.digest_world import FakeClock, add_reader, add_sources, add_topics, services_for
from tests.support.fake_bot_api import FakeBotApi
from tests.support.story_world import FOLLOW_UP, QUAKE, other_news, report, retelling

READER = 42
UTC = ZoneInfo("UTC")


def _texts(fake: FakeBotApi, since: int) -> str:
    return "\n".join(m.plain_text for m in fake.messages(READER)[since:])


def _local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def test_a_retelling_after_the_story_window_is_another_story_but_not_new_to_the_reader(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    day0 = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    clock = FakeClock(day0)
    async with db.sessions.begin() as session:
        await add_topics(session)
        outlets = await add_sources(session, 6, day0)
        first = await report(session, outlets[0], QUAKE, published_at=day0)
        await add_reader(session, READER, now=day0)
    engine = DigestEngine(services_for(db), transport, clock=clock)
    clock.set(day0.replace(hour=7, minute=30))
    await engine.tick()
    assert "Earthquake strikes Valdoria" in _texts(fake, 0)

    # Three days on (past ingest's 48-hour story window) another outlet retells it.
    later = day0 + timedelta(days=2, hours=20)
    async with db.sessions.begin() as session:
        retold = await report(session, outlets[1], retelling("Wire"), published_at=later)
        await report(session, outlets[2], other_news(0), published_at=later)
    # What made it come back before: ingest starts a new story for it.
    assert retold.story_id != first.story_id
    before = len(fake.messages(READER))
    clock.set(datetime(2026, 6, 4, 7, 30, tzinfo=UTC))
    await engine.tick()
    texts = _texts(fake, before)
    assert "tram line" in texts  # the digest went out, with the new story only
    assert "Valdoria" not in texts

    # A follow-up with a new headline and new facts comes back once, as an update.
    async with db.sessions.begin() as session:
        await report(session, outlets[3], FOLLOW_UP, published_at=later + timedelta(hours=3))
        await report(session, outlets[4], other_news(1), published_at=later + timedelta(hours=3))
    before = len(fake.messages(READER))
    clock.set(datetime(2026, 6, 5, 7, 30, tzinfo=UTC))
    await engine.tick()
    texts = _texts(fake, before)
    assert "Update: Death toll rises to 41" in texts
    async with db.sessions.begin() as session:
        await report(session, outlets[5], other_news(2), published_at=later + timedelta(hours=4))
    before = len(fake.messages(READER))
    clock.set(datetime(2026, 6, 6, 7, 30, tzinfo=UTC))
    await engine.tick()
    assert "Valdoria" not in _texts(fake, before)


# (zone, the local day the story is received at 23:50): the next 23:50 local is 24 hours
# later, except across daylight-saving changes (23 h in Berlin on 29 March 2026, 25 h in
# London on 25 October 2026).
ZONES = [
    ("Pacific/Kiritimati", date(2026, 6, 10), True),
    ("Pacific/Pago_Pago", date(2026, 6, 10), True),
    ("Asia/Kathmandu", date(2026, 6, 10), True),
    ("America/St_Johns", date(2026, 6, 10), True),
    ("Europe/Berlin", date(2026, 3, 28), False),
    ("Europe/London", date(2026, 10, 24), True),
]


@pytest.mark.parametrize(("zone", "day", "next_day_is_24h_later"), ZONES)
async def test_received_at_2350_grown_at_0010_waits_24_hours_in_every_zone(
    db: Database,
    fake: FakeBotApi,
    transport: BotTransport,
    zone: str,
    day: date,
    next_day_is_24h_later: bool,
) -> None:
    received = _local(day, time(23, 50), zone)
    tomorrow = day + timedelta(days=1)
    clock = FakeClock(received - timedelta(hours=2))
    async with db.sessions.begin() as session:
        await add_topics(session)
        outlets = await add_sources(session, 5, clock.now())
        await report(session, outlets[0], QUAKE, published_at=received - timedelta(minutes=50))
        await add_reader(session, READER, now=clock.now(), zone=zone, at=time(23, 50))
    engine = DigestEngine(services_for(db), transport, clock=clock)
    clock.set(received)
    await engine.tick()
    assert "Earthquake strikes Valdoria" in _texts(fake, 0)

    grown = _local(tomorrow, time(0, 10), zone)
    async with db.sessions.begin() as session:
        for n, outlet in enumerate(outlets[1:4]):
            story = retelling(f"Outlet {outlet}")
            await report(session, outlet, story, published_at=grown + timedelta(minutes=n))
    # Twenty minutes after midnight: a new day, but not 24 hours since it was sent.
    before = len(fake.messages(READER))
    clock.set(grown + timedelta(minutes=10))
    await engine.digest_now(READER)
    assert "Valdoria" not in _texts(fake, before)
    assert "Nothing new" in _texts(fake, before)

    before = len(fake.messages(READER))
    clock.set(_local(tomorrow, time(23, 50), zone))
    assert (clock.now() - received >= timedelta(hours=24)) is next_day_is_24h_later
    await engine.tick()
    texts = _texts(fake, before)
    if next_day_is_24h_later:
        assert "Update: Valdoria earthquake collapses harbour buildings" in texts
        assert "+3 more sources" in texts
    else:
        assert "Valdoria" not in texts
    # Never twice: a /digest right after, with one more outlet, leaves it out.
    async with db.sessions.begin() as session:
        await report(session, outlets[4], retelling("Late"), published_at=clock.now())
    before = len(fake.messages(READER))
    clock.advance(timedelta(minutes=5))
    await engine.digest_now(READER)
    assert "Valdoria" not in _texts(fake, before)


async def test_lookups_read_what_was_sent_and_the_story_key_neighbours(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    day0 = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    clock = FakeClock(day0)
    async with db.sessions.begin() as session:
        await add_topics(session)
        outlets = await add_sources(session, 3, day0)
        first = await report(session, outlets[0], QUAKE, published_at=day0)
        second = await report(session, outlets[1], retelling("Wire"), published_at=day0)
        late = await report(
            session, outlets[2], retelling("Post"), published_at=day0 + timedelta(days=3)
        )
        unrelated = await report(session, outlets[2], other_news(3), published_at=day0)
        await add_reader(session, READER, now=day0)
    clock.set(day0.replace(hour=7, minute=30, second=20))  # a tick 20 s into the minute
    await DigestEngine(services_for(db), transport, clock=clock).tick()
    async with db.sessions() as session:
        key = ReaderKey(READER, 0)
        items = (await delivered_to(session, [key], since=day0))[key]
        sends = (await sends_of(session, {key: [a for a, _s in items]}))[key]
        neighbours = await story_key_neighbours(
            session, [late.id, unrelated.id], since=day0 - timedelta(days=1)
        )
    assert first.story_id == second.story_id
    [sent] = [s for s in sends if s.story_id == first.story_id]
    assert unrelated.story_id in {s.story_id for s in sends}
    assert sorted(items) == sorted((s.article_id, s.story_id) for s in sends)
    assert sent.article_id == second.id  # the newest with a summary represents the story
    assert (sent.outlets, sent.is_update) == (2, False)
    assert sent.due_at == day0.replace(hour=7, minute=30)
    assert sent.delivered_at == clock.now()
    assert late.story_id != first.story_id
    assert {first.id, second.id} <= {a for a, _story in neighbours[late.id]}
    assert {s for _a, s in neighbours[late.id]} == {first.story_id}
    assert neighbours[unrelated.id] == set()
