"""A reader meets the bot: /start, /help, the command menu, unknown commands, plain text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.telegram.commands import ADMIN_COMMANDS, READER_COMMANDS
from storage.readers import get_reader
from tests.e2e.conftest import OPERATOR
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.fake_bot_api import Chat, User


async def test_start_registers_the_reader_welcomes_and_offers_topics(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    reply = await bot.send(Chat(42, first_name="Ada"), "/start")
    assert reply.plain_text.startswith("Welcome, Reader!")
    assert "every day at 07:30 (UTC)" in reply.plain_text
    labels = [b["text"] for row in reply.buttons for b in row]
    assert labels[:3] == ["World", "Politics", "Business"] and labels[-1] == "Done"
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None
    # The default schedule: 07:30 UTC after the clock's 06:00 is today at 07:30.
    assert reader.next_digest_at == bot.clock.now().replace(hour=7, minute=30)

    again = await bot.send(Chat(42), "/start")
    assert again.plain_text.startswith("Welcome back!")


async def test_start_by_a_reader_who_blocked_the_bot_unblocks_them(bot: RunningBot) -> None:
    chat = Chat(43)
    await bot.send(chat, "/start")
    bot.fake.bot_status_changes(chat, "kicked")
    await bot.wait_until_handled()
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 43)
        assert reader is not None and reader.blocked_at is not None
    # Three days later the reader unblocks the bot and says /start again.
    bot.clock.advance(timedelta(days=3))
    bot.fake.unblock_bot(43)
    await bot.send(chat, "/start")
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 43)
        assert reader is not None and reader.blocked_at is None
        # No catch-up digest at once: the next one comes at the reader's own 07:30.
        assert reader.next_digest_at == bot.clock.now().replace(hour=7, minute=30)


async def test_help_explains_every_reader_command_with_an_example(bot: RunningBot) -> None:
    text = (await bot.send(Chat(42), "/help")).plain_text
    for command in READER_COMMANDS:
        assert command.usage in text and command.example in text
    for command in ADMIN_COMMANDS:
        assert command.usage not in text


async def test_operators_also_see_their_commands_in_help(bot: RunningBot) -> None:
    text = (await bot.send(Chat(OPERATOR), "/help", user=User(OPERATOR))).plain_text
    assert "For operators" in text
    for command in ADMIN_COMMANDS:
        assert command.usage in text


def test_the_menu_is_registered_at_start_for_readers_and_operators(bot: RunningBot) -> None:
    names = [c["command"] for c in bot.fake.commands]
    assert names == [c.name for c in READER_COMMANDS]
    assert "digest" in names and "stats" not in names
    operator_menu = bot.fake.commands_for({"type": "chat", "chat_id": OPERATOR})
    assert {"stats", "addsource", "removesource", "sources"} <= {
        c["command"] for c in operator_menu
    }


async def test_an_unknown_command_points_to_help(bot: RunningBot) -> None:
    reply = await bot.send(Chat(42), "/frobnicate now")
    assert reply.plain_text == (
        "I don't know the command /frobnicate. Send /help to see what I can do."
    )


async def test_in_groups_unknown_commands_for_other_bots_get_no_answer(bot: RunningBot) -> None:
    group = Chat(-100, type="supergroup", title="Club")
    sent = await bot.send_and_collect(group, "/roll_dice")
    sent += await bot.send_and_collect(group, "/start@some_other_bot")
    assert sent == []
    reply = await bot.send(group, "/frobnicate@get_news_fast_bot")
    assert "/help" in reply.plain_text


async def test_plain_text_gets_a_hint(bot: RunningBot) -> None:
    reply = await bot.send(Chat(42), "hello there")
    assert "Send me a link" in reply.plain_text


async def test_lists_are_sent_without_link_previews(bot: RunningBot) -> None:
    reply = await bot.send(Chat(42), "/help")
    assert reply.link_preview_options == {"is_disabled": True}
    assert reply.parse_mode == "HTML"


async def test_a_failing_reply_is_logged_apologised_for_and_the_bot_keeps_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(tmp_path) as bot:
        bot.fake.fail("sendMessage", status=400, description="Bad Request: odd failure", chat_id=42)
        apology = await bot.send(Chat(42), "/help")
        assert apology.plain_text == (
            "Sorry, something went wrong on my side. Please try again in a minute."
        )
        assert [type(e).__name__ for e in bot.errors] == ["BadRequest"]
        assert "handling update 1 (chat 42) failed" in caplog.text and "Odd failure" in caplog.text
        reply = await bot.send(Chat(42), "/help")
        assert "/latest" in reply.plain_text
