"""Stories never come back as new; a grown one comes back once, as "Update:".

The real application against the fake Bot API; articles are clustered into stories by
ingest's own write path (``tests.support.story_world``).
"""

from __future__ import annotations

from datetime import timedelta

from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources
from tests.support.fake_bot_api import Chat
from tests.support.story_world import QUAKE, other_news, report, retelling

READER = Chat(42)


async def _digest(bot: RunningBot) -> str:
    """The scheduled digest job, now; the text of what it sent the reader."""
    before = len(bot.fake.messages(READER.id))
    await bot.job("digest").run(bot.application)
    return "\n".join(m.plain_text for m in bot.fake.messages(READER.id)[before:])


async def test_a_story_received_yesterday_comes_back_only_once_it_grew(bot: RunningBot) -> None:
    yesterday = bot.clock.now()  # 06:00 UTC; digests are due at 07:30 UTC
    async with bot.services.db.sessions.begin() as session:
        outlets = await add_sources(session, 6, yesterday)
        await report(session, outlets[0], QUAKE, published_at=yesterday - timedelta(hours=1))
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe world")
    bot.clock.set(yesterday.replace(hour=7, minute=30))
    received = await _digest(bot)
    assert "Earthquake strikes Valdoria harbour district" in received
    assert "Update:" not in received

    # The next morning another outlet reports it: the digest has other news, not it.
    today = yesterday + timedelta(days=1)
    async with bot.services.db.sessions.begin() as session:
        await report(session, outlets[1], retelling("Wire"), published_at=today)
        await report(session, outlets[5], other_news(0), published_at=today)
    bot.clock.set(today.replace(hour=7, minute=30))
    digest = await _digest(bot)
    assert "tram line" in digest
    assert "Valdoria" not in digest

    # Two more outlets: three new since the reader got it. It comes back once, marked.
    async with bot.services.db.sessions.begin() as session:
        for n, outlet in enumerate(outlets[2:4]):
            story = retelling(f"Outlet {outlet}")
            await report(session, outlet, story, published_at=today + timedelta(hours=2 + n))
    bot.clock.set(today.replace(hour=9, minute=0))
    [update] = await bot.send_and_collect(READER, "/digest")
    assert "Update: Valdoria earthquake collapses harbour buildings" in update.plain_text
    assert "+3 more sources" in update.plain_text
    assert update.plain_text.count("Valdoria earthquake") == 1

    # Not again the same day, not even when yet another outlet reports it.
    async with bot.services.db.sessions.begin() as session:
        await report(session, outlets[4], retelling("Late"), published_at=today.replace(hour=10))
    bot.clock.set(today.replace(hour=11))
    [again] = await bot.send_and_collect(READER, "/digest")
    assert "Valdoria" not in again.plain_text
    assert "Nothing new" in again.plain_text
    assert bot.refused_calls() == []
