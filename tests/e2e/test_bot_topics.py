"""Choosing what to follow: the topic picker, /subscribe, /unsubscribe, /mysubs."""

from __future__ import annotations

from storage.subscriptions import list_subscriptions, subscribed_topic_slugs
from tests.support.bot_harness import RunningBot
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def _topics(bot: RunningBot, chat_id: int = 42) -> set[str]:
    async with bot.services.db.sessions() as session:
        return await subscribed_topic_slugs(session, chat_id)


async def test_pressing_topics_toggles_them_and_marks_the_keyboard_in_place(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    picker = await bot.send(READER, "/topics")
    answer = await bot.press(READER, picker, "World")
    assert answer["text"] == "Following World"
    await bot.press(READER, picker, "Technology")
    picker = bot.fake.messages(42)[-1]
    assert picker.message_id == 1 + 1  # the same message, edited (no new one)
    assert picker.button("✓ World") and picker.button("✓ Technology")
    assert await _topics(bot) == {"world", "tech"}

    answer = await bot.press(READER, picker, "✓ World")
    assert answer["text"] == "Stopped following World"
    assert await _topics(bot) == {"tech"}
    assert bot.fake.last_message(42).button("World")["text"] == "World"

    await bot.press(READER, bot.fake.last_message(42), "Done")
    done = bot.fake.last_message(42)
    assert done.plain_text.startswith("Saved. You follow: Technology.")
    assert done.buttons == []
    assert len(bot.fake.messages(42)) == 1


async def test_subscribe_to_a_topic_by_name_or_slug(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/subscribe technology")
    assert reply.plain_text == (
        "Now following Technology. It will be in your digest; /latest tech shows it now."
    )
    again = await bot.send(READER, "/subscribe TECH")
    assert again.plain_text == "You already follow Technology."
    assert await _topics(bot) == {"tech"}


async def test_subscribe_to_words_in_quotes_of_any_kind(bot: RunningBot) -> None:
    reply = await bot.send(READER, '/subscribe "Climate  Change"')
    assert reply.plain_text == (
        "Now following “climate change”. It will be in your digest; "
        "/search climate change shows it now."
    )
    again = await bot.send(READER, "/subscribe «climate change»")
    assert again.plain_text == "You already follow “climate change”."
    async with bot.services.db.sessions() as session:
        subs = await list_subscriptions(session, 42)
    assert [s.query for s in subs] == ["climate change"]


async def test_an_unknown_topic_gets_a_suggestion_the_list_and_the_quoted_form(
    bot: RunningBot,
) -> None:
    reply = await bot.send(READER, "/subscribe sprot")
    assert reply.plain_text.splitlines() == [
        "There is no topic called sprot. Did you mean Sport?",
        "Topics: World, Politics, Business, Technology, Science, Sport, and Entertainment.",
        'To follow words instead, put them in quotes: /subscribe "sprot"',
    ]
    assert await _topics(bot) == set()


async def test_subscribe_without_an_argument_shows_the_form_and_an_example(
    bot: RunningBot,
) -> None:
    reply = await bot.send(READER, "/subscribe")
    assert reply.plain_text.splitlines() == [
        "Say which topic, or which words in quotes.",
        "",
        'Use: /subscribe <topic> or /subscribe "words"',
        'Example: /subscribe technology   or   /subscribe "climate change"',
    ]
    common = await bot.send(READER, '/subscribe "the of and"')
    assert "too common" in common.plain_text


async def test_mysubs_lists_everything_with_buttons_that_remove(bot: RunningBot) -> None:
    await bot.send(READER, "/subscribe sport")
    await bot.send(READER, "/subscribe world")
    await bot.send(READER, '/subscribe "solar power"')
    listing = await bot.send(READER, "/mysubs")
    assert listing.plain_text.splitlines()[:4] == [
        "You follow",
        "• World",
        "• Sport",
        "• “solar power”",
    ]
    answer = await bot.press(READER, listing, "✕ Sport")
    assert answer["text"] == "Stopped following Sport"
    listing = bot.fake.last_message(42)
    assert "Sport" not in listing.plain_text
    assert [b["text"] for row in listing.buttons for b in row] == ["✕ World", "✕ “solar power”"]
    assert await _topics(bot) == {"world"}


async def test_unsubscribe_by_topic_or_words(bot: RunningBot) -> None:
    await bot.send(READER, "/subscribe sport")
    await bot.send(READER, '/subscribe "solar power"')
    assert (await bot.send(READER, "/unsubscribe Sport")).plain_text == "Stopped following Sport."
    reply = await bot.send(READER, "/unsubscribe solar power")
    assert reply.plain_text == "Stopped following “solar power”."
    reply = await bot.send(READER, "/unsubscribe cooking")
    assert reply.plain_text == "You don't follow cooking. /mysubs shows what you follow."
    async with bot.services.db.sessions() as session:
        assert await list_subscriptions(session, 42) == []


async def test_unsubscribe_without_an_argument_shows_the_form_and_the_buttons(
    bot: RunningBot,
) -> None:
    await bot.send(READER, "/subscribe sport")
    reply = await bot.send(READER, "/unsubscribe")
    assert "Use: /unsubscribe <topic>" in reply.plain_text
    await bot.press(READER, reply, "✕ Sport")
    assert await _topics(bot) == set()


async def test_a_forged_button_cannot_remove_another_readers_subscription(
    bot: RunningBot,
) -> None:
    other = Chat(43)
    await bot.send(other, "/subscribe sport")
    async with bot.services.db.sessions() as session:
        (theirs,) = await list_subscriptions(session, 43)
    mine = await bot.send(READER, "/mysubs")
    answer = await bot.press_data(READER, mine.message_id, f"us:{theirs.id}")
    assert answer["text"] == "Already removed."
    assert await _topics(bot, 43) == {"sport"}


async def test_a_button_of_an_unknown_kind_says_it_no_longer_works(bot: RunningBot) -> None:
    message = await bot.send(READER, "/topics")
    answer = await bot.press_data(READER, message.message_id, "zz:whatever")
    assert answer == {
        "callback_query_id": answer["callback_query_id"],
        "text": "This button no longer works; send the command again.",
        "show_alert": True,
    }
    gone = await bot.press_data(READER, message.message_id, "tp:cooking")
    assert gone["text"] == "That topic no longer exists."
