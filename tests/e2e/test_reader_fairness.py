"""One noisy reader never costs the others: a rate limit per user, link fetches per user.

The real Application against the fake Bot API. The limit's clock is the bot's (a fake
that only moves when the test says so), so "until the bucket refills" is exact.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.support.bot_harness import running_bot
from tests.support.fake_bot_api import Chat, User
from tests.support.feed_server import FeedServer, Resource

FLOODER = Chat(666)
QUIET = Chat(42)
SLOW_DOWN = "Please slow down"


async def test_a_flooding_chat_gets_one_slow_down_then_silence_and_others_are_answered(
    tmp_path: Path,
) -> None:
    async with running_bot(tmp_path, reader_burst=5, reader_per_minute=6) as bot:
        for _ in range(40):
            bot.fake.user_sends(FLOODER, "/help")
        reply = await bot.send(QUIET, "/help")
        await bot.wait_until_handled()

        assert "/latest" in reply.plain_text  # the quiet reader got a real answer
        flooded = [m.plain_text for m in bot.fake.messages(FLOODER.id)]
        assert len(flooded) == 6
        assert sum(SLOW_DOWN in text for text in flooded) == 1

        # Still over the limit: silence, not another warning.
        bot.fake.user_sends(FLOODER, "/help")
        await bot.wait_until_handled()
        assert len(bot.fake.messages(FLOODER.id)) == 6

        # Ten seconds refill one token at six a minute: answered again.
        bot.clock.advance(timedelta(seconds=10))
        reply = await bot.send(FLOODER, "/help")
        assert "/latest" in reply.plain_text
        registry = bot.services.metrics.registry
        assert registry.get_sample_value("newsbot_throttled_updates_total") == 36
        bot.assert_no_errors()


async def test_button_presses_count_too_and_the_warning_is_the_callback_answer(
    tmp_path: Path,
) -> None:
    async with running_bot(tmp_path, reader_burst=2, reader_per_minute=1) as bot:
        menu = await bot.send(QUIET, "/topics")
        answer = await bot.press(QUIET, menu, "World")
        assert SLOW_DOWN not in (answer.get("text") or "")
        answer = await bot.press(QUIET, menu, "Politics")
        assert SLOW_DOWN in answer["text"]
        bot.assert_no_errors()


async def test_one_person_in_several_groups_holds_at_most_two_link_fetches(
    tmp_path: Path,
) -> None:
    with FeedServer() as site:
        # A page that never answers: each fetch holds its slot until the fetch timeout.
        site.add("/slow", Resource(behaviour="never"))
        port = site.base_url.rsplit(":", 1)[1]
        link = f"http://news.test:{port}/slow"
        async with running_bot(
            tmp_path,
            allowed_private_hosts={"news.test"},
            hosts={"news.test": "127.0.0.1"},
            fetch_timeout_seconds=2.0,
        ) as bot:
            person, other = User(5), User(6)
            groups = [Chat(-100 - i, type="group") for i in range(3)]
            for group in groups[:2]:
                bot.fake.user_sends(group, f"/summarize {link}", user=person)
            await bot.fake.wait_for(
                lambda: site.requests_to("/slow") == 2, timeout=5, what="two fetches"
            )

            third = await bot.send(groups[2], f"/summarize {link}", user=person)
            assert third.plain_text.startswith("I'm already reading 2 links for you")
            # Another person is not held back by the first one's fetches.
            bot.fake.user_sends(groups[2], f"/summarize {link}", user=other)
            await bot.fake.wait_for(
                lambda: site.requests_to("/slow") == 3, timeout=5, what="the other's fetch"
            )
            await bot.wait_until_handled(timeout=10)
            # The slots are free again once the fetches ended.
            again = await bot.send(groups[2], f"/summarize {link}", user=person, timeout=10)
            assert "I'm already reading" not in again.plain_text
            assert site.requests_to("/slow") == 4
            bot.assert_no_errors()
