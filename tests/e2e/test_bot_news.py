"""/latest and /search: stored summaries, one item per story, split at 4096 characters."""

from __future__ import annotations

from datetime import timedelta

from bot.views.pack import TELEGRAM_LIMIT, visible_length
from storage.readers import set_summary_length
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def _world(bot: RunningBot) -> None:
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 3, now)
        await add_story(
            session,
            title="Markets rally as rates fall",
            topics=["business"],
            sources=sources,  # three outlets tell it: one item, "+2 more sources"
            published_at=now - timedelta(hours=3),
            summary=("Shares rose on Monday.", "Rates fell.", "Analysts were surprised."),
        )
        await add_story(
            session,
            title="New <chip> & battery: solar power gets cheaper",
            topics=["tech", "science"],
            sources=sources[:1],
            published_at=now - timedelta(minutes=20),
            summary=("Panels cost less.", "Batteries store more.", "Grids adapt."),
        )
        await add_story(
            session,
            title="Cup final ends in a draw",
            topics=["sport"],
            sources=sources[1:2],
            published_at=now - timedelta(days=2),
        )


async def test_latest_shows_the_newest_stories_once_each(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    await _world(bot)
    reply = await bot.send(READER, "/latest")
    assert reply.plain_text.splitlines() == [
        "Latest news",
        "",
        "New <chip> & battery: solar power gets cheaper",
        "Panels cost less. Batteries store more. Grids adapt.",
        "Outlet 0 · 20 min. ago",
        "",
        "Markets rally as rates fall",
        "Shares rose on Monday. Rates fell. Analysts were surprised.",
        "Outlet 2 · 3 hr. ago · +2 more sources",  # the newest telling, 2 h 58 min ago
        "",
        "Cup final ends in a draw",
        "First sentence. Second sentence. Third sentence.",
        "Outlet 1 · 2 days ago",
    ]
    assert reply.link_preview_options == {"is_disabled": True}


async def test_latest_pages_on_with_a_more_button(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    await _world(bot)
    first = await bot.send(READER, "/latest 1")
    assert first.plain_text.splitlines()[:3] == [
        "Latest news",
        "",
        "New <chip> & battery: solar power gets cheaper",
    ]
    assert [b["text"] for row in first.buttons for b in row] == ["More ▸"]

    answer = await bot.press(READER, first, "More")
    assert answer.get("show_alert") is not True
    second = bot.fake.last_message(42)
    assert second.plain_text.splitlines()[:3] == [
        "Latest news, continued",
        "",
        "Markets rally as rates fall",
    ]
    # The pressed button is gone: the same page is not asked for twice.
    [pressed] = [m for m in bot.fake.messages(42) if m.message_id == first.message_id]
    assert pressed.buttons == []

    await bot.press(READER, second, "More")
    third = bot.fake.last_message(42)
    assert third.plain_text.splitlines()[2] == "Cup final ends in a draw"
    assert third.buttons == []  # nothing older: no button


async def test_a_stale_or_forged_more_button_explains(bot: RunningBot) -> None:
    await _world(bot)
    first = await bot.send(READER, "/latest 1")
    answer = await bot.press_data(READER, first.message_id, "lt:99:1:")
    assert answer["show_alert"] is True and "no longer works" in answer["text"]
    answer = await bot.press_data(READER, first.message_id, "lt:1:1:no-such-topic")
    assert "topic is gone" in answer["text"]
    await bot.press_data(READER, first.message_id, f"lt:1:{10**12}:")  # article pruned
    assert bot.fake.last_message(42).plain_text == (
        "No more stories here. /latest shows the newest."
    )


async def test_latest_of_one_topic_with_a_count_and_the_readers_length(bot: RunningBot) -> None:
    await _world(bot)
    await bot.send(READER, "/start")
    async with bot.services.db.sessions.begin() as session:
        await set_summary_length(session, 42, 1)
    reply = await bot.send(READER, "/latest Technology 1")
    assert reply.plain_text.splitlines() == [
        "Latest in Technology",
        "",
        "New <chip> & battery: solar power gets cheaper",
        "Panels cost less.",
        "Outlet 0 · 20 min. ago",
    ]


async def test_latest_with_a_wrong_count_or_topic_explains(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/latest 50")
    assert reply.plain_text.splitlines() == [
        "Ask for 1 to 10 stories.",
        "",
        "Use: /latest [topic] [number]",
        "Example: /latest technology 3",
    ]
    reply = await bot.send(READER, "/latest tehcnology")
    assert reply.plain_text.splitlines()[0] == (
        "There is no topic called tehcnology. Did you mean Technology?"
    )
    assert reply.plain_text.splitlines()[-1] == "Example: /latest technology 3"


async def test_latest_with_nothing_stored_says_so(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/latest sport")
    assert reply.plain_text.startswith("Nothing in Sport yet.")


async def test_many_long_stories_are_split_between_items(bot: RunningBot) -> None:
    now = bot.clock.now()
    long_sentence = "A very long sentence about the economy " * 14
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 1, now)
        for i in range(10):
            await add_story(
                session,
                title=f"Story {i} " + "x" * 250,
                topics=["business"],
                sources=sources,
                published_at=now - timedelta(minutes=i),
                summary=(long_sentence,) * 5,
            )
    await bot.send(READER, "/start")
    async with bot.services.db.sessions.begin() as session:
        await set_summary_length(session, 42, 5)
    sent = await bot.send_and_collect(READER, "/latest business 10")
    assert len(sent) > 1
    assert all(visible_length(m.text) <= TELEGRAM_LIMIT for m in sent)
    text = "\n\n".join(m.plain_text for m in sent)
    assert [f"Story {i} " in text for i in range(10)] == [True] * 10
    # Each message starts with a story's title: no story is cut in two.
    assert all(m.plain_text.startswith(("Latest in Business", "Story ")) for m in sent)


async def test_search_finds_stories_by_their_words(bot: RunningBot) -> None:
    await _world(bot)
    reply = await bot.send(READER, "/search SOLAR power")
    lines = reply.plain_text.splitlines()
    assert lines[0] == "Stories matching “SOLAR power”"
    assert lines[2] == "New <chip> & battery: solar power gets cheaper"
    assert "Markets" not in reply.plain_text
    none = await bot.send(READER, "/search volcano")
    assert none.plain_text.startswith("Nothing matches “volcano” yet.")


async def test_search_without_words_shows_the_form(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/search")
    assert reply.plain_text.splitlines()[0] == "Say which words to look for."
    reply = await bot.send(READER, "/search ?!")
    assert reply.plain_text.splitlines()[0] == "Search needs letters or digits."
    reply = await bot.send(READER, "/search the and")
    assert reply.plain_text.splitlines()[0] == (
        "Those words are too common to search for; add a more specific one."
    )
    assert reply.plain_text.splitlines()[-1] == "Example: /search solar power"
