"""Webhook mode: Telegram POSTs updates with the secret header; anything else is refused."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.app import derived_webhook_secret
from tests.support.bot_harness import running_bot
from tests.support.env import free_port
from tests.support.fake_bot_api import Chat


async def test_updates_arrive_by_webhook_with_the_secret_header(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    async with running_bot(
        tmp_path,
        webhook_url=url,
        webhook_secret="s3cret-Value_1",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    ) as bot:
        assert bot.fake.webhook_url == url
        assert bot.fake.webhook_secret == "s3cret-Value_1"
        assert not bot.fake.calls("getUpdates")  # no polling in webhook mode

        reply = await bot.send(Chat(42), "/start")
        assert reply.plain_text.startswith("Welcome")
        await bot.fake.wait_for(lambda: bool(bot.fake.webhook_deliveries), what="a delivery")
        assert [status for _id, status in bot.fake.webhook_deliveries] == [200]

        _message, update = bot.fake.message_update(Chat(66), "/help")
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
        assert (forged.status_code, wrong.status_code) == (403, 403)
        await bot.wait_until_handled()
        assert bot.fake.messages(66) == []
        bot.assert_no_errors()


async def test_without_a_configured_secret_one_is_derived_from_the_token(tmp_path: Path) -> None:
    port = free_port()
    async with running_bot(
        tmp_path,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    ) as bot:
        secret = bot.fake.webhook_secret
        assert secret == derived_webhook_secret(bot.fake.token)
        assert secret is not None and bot.fake.token not in secret
        reply = await bot.send(Chat(42), "/help")
        assert "/latest" in reply.plain_text
