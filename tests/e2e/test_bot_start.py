"""A reader meets the bot: /start, /help, the menu, unknown commands."""

from __future__ import annotations

from pathlib import Path

from tests.support.bot_harness import running_bot
from tests.support.fake_bot_api import Chat


async def test_start_welcomes_and_offers_topics(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        reply = await bot.send(Chat(42), "/start")
        assert "Welcome" in reply.plain_text
        assert "07:30" in reply.plain_text
        assert reply.button("World")["callback_data"] == "tp:world"
        bot.assert_no_errors()
