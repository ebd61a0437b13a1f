"""The fake Bot API itself, driven by the real python-telegram-bot library.

If these fail, every end-to-end test built on the fake is suspect.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.support.fake_bot_api import Chat, FakeBotApi, telegram_html_to_text


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


async def test_send_message_is_recorded_with_its_buttons(fake: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("World ✓", callback_data="t:world")]])
    sent = await bot.send_message(
        42, "<b>Hello</b> &amp; welcome", parse_mode="HTML", reply_markup=markup
    )
    assert sent.text == "Hello & welcome"
    message = fake.last_message(42)
    assert message.plain_text == "Hello & welcome"
    assert message.button("World")["callback_data"] == "t:world"


@pytest.mark.parametrize(
    "text",
    [
        "<p>paragraph</p>",
        "a < b",
        "Tom & Jerry",
        "<b>unclosed",
        "<i>x</b>",
        '<a href="x" onclick="y">l</a>',
    ],
)
async def test_invalid_telegram_html_is_refused_like_telegram_does(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(42, text, parse_mode="HTML")


async def test_too_long_messages_and_callback_data_are_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(42, "x" * 4097)
    await bot.send_message(42, "😀" * 2048)  # 4096 UTF-16 code units: the limit itself
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(42, "😀" * 2049)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(42, "hi", reply_markup=markup)


async def test_injected_failures_reach_the_library_as_its_errors(
    fake: FakeBotApi, bot: Bot
) -> None:
    fake.fail("sendMessage", status=429, retry_after=7, chat_id=5)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(5, "hi")
    assert caught.value.retry_after == timedelta(seconds=7)
    await bot.send_message(5, "hi again")  # only once
    fake.block_bot(6)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(6, "anyone?")


async def test_polling_application_answers_commands_and_buttons(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Press", callback_data="p")]])
        await update.effective_message.reply_text("hello", reply_markup=keyboard)

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("pressed")
        await query.edit_message_text("pressed!")

    app = (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    chat = Chat(77)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        reply = await fake.reply_to(chat, "/start")
        assert reply.plain_text == "hello"
        query_id = fake.press_button(chat, reply, "Press")
        await fake.wait_for(lambda: fake.last_message(77).plain_text == "pressed!", what="edit")
        assert fake.callback_answer(query_id) == {"callback_query_id": query_id, "text": "pressed"}
        await app.updater.stop()
        await app.stop()


def test_html_to_text_decodes_entities() -> None:
    assert telegram_html_to_text('<a href="https://x.test/?a=1&amp;b=2">A &lt;B&gt;</a>') == "A <B>"
