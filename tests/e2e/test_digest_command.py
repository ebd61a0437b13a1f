"""/digest and the scheduled digest, through the real application and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def test_digest_now_then_nothing_new_then_the_scheduled_digest(bot: RunningBot) -> None:
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 3, now)
        await add_story(
            session,
            title="Markets <rally> & rates fall",
            topics=["business"],
            sources=sources,
            published_at=now - timedelta(hours=3),
        )
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe business")

    [digest] = await bot.send_and_collect(READER, "/digest")
    assert "Markets <rally> & rates fall" in digest.plain_text
    assert "+2 more sources" in digest.plain_text
    assert digest.link_preview_options == {"is_disabled": True}
    [again] = await bot.send_and_collect(READER, "/digest")
    assert "Nothing new" in again.plain_text

    # The scheduled digest (07:30 UTC by default) brings only what is new since.
    async with bot.services.db.sessions.begin() as session:
        await add_story(
            session,
            title="A new chip is announced",
            topics=["business"],
            sources=sources[:1],
            published_at=now + timedelta(minutes=30),
        )
    bot.clock.set(now.replace(hour=7, minute=30))
    before = len(bot.fake.messages(READER.id))
    await bot.job("digest").run(bot.application)
    scheduled = bot.fake.messages(READER.id)[before:]
    assert len(scheduled) == 1
    assert "A new chip is announced" in scheduled[0].plain_text
    assert "Markets" not in scheduled[0].plain_text
    # Run again in the same minute: nothing more.
    await bot.job("digest").run(bot.application)
    assert len(bot.fake.messages(READER.id)) == before + 1
    assert bot.refused_calls() == []
