"""/stats: the operators' view of the bot."""

from __future__ import annotations

from datetime import timedelta

from storage.models import IngestRun
from tests.e2e.conftest import OPERATOR
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, User


async def test_operators_see_the_figures(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    now = bot.clock.now()
    await bot.send(Chat(1), "/start")
    await bot.send(Chat(2), "/subscribe world")
    await bot.send(Chat(2), '/subscribe "solar power"')
    await bot.send(Chat(3), "/pause")
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 2, now)
        await add_story(session, title="A", topics=["world"], sources=sources, published_at=now)
        session.add(
            IngestRun(
                started_at=now - timedelta(minutes=5),
                finished_at=now - timedelta(minutes=4),
                sources_fetched=2,
                sources_not_modified=0,
                sources_failed=1,
                articles_new=2,
                articles_duplicate=3,
                stories_merged=1,
            )
        )
    reply = await bot.send(Chat(OPERATOR), "/stats", user=User(OPERATOR))
    assert reply.plain_text.splitlines() == [
        "Readers",
        "3 in all: 2 active, 1 paused, 0 blocked",
        "",
        "Subscriptions",
        "1 to topics (7 topics), 1 to keywords",
        "",
        "Articles",
        "2 stored, 2 published in the last 24 h; newest just now",
        "",
        "Sources",
        "2 enabled (0 failing), 0 disabled",
        "",
        "Last ingest",
        "5 min. ago: 2 new, 3 duplicates, 1 sources failed",
        "",
        "Digests, last 24 h",
        "0 sent, 0 with nothing new, 0 failed; last sent never",
    ]


async def test_readers_are_told_stats_are_for_operators(bot: RunningBot) -> None:
    reply = await bot.send(Chat(42), "/stats")
    assert reply.plain_text == "That command is for the bot's operators."
