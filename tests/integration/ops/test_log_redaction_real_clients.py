"""The real HTTP client and the real python-telegram-bot, logging through our handler.

Bot API URLs carry the token; httpx logs every request URL at INFO and
python-telegram-bot logs its calls and failures. Whatever level an operator picks,
the token must not reach the output.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.app import derived_webhook_secret
from bot.runtime.logs import settings_secrets
from bot.runtime.settings import load_settings
from tests.support.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.support.log_capture import CapturedLogs, captured_logs

ENCODED = DEFAULT_TOKEN.replace(":", "%3A")


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def logs() -> Iterator[CapturedLogs]:
    with captured_logs(secrets=[DEFAULT_TOKEN], level="DEBUG") as captured:
        # An operator debugging the network turns the request lines back on.
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        logging.getLogger("httpcore").setLevel(logging.DEBUG)
        yield captured


def _assert_no_token(text: str) -> None:
    assert DEFAULT_TOKEN not in text
    assert ENCODED.lower() not in text.lower()


async def test_httpx_request_lines_show_the_url_without_the_token(
    fake: FakeBotApi, logs: CapturedLogs
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake.base_url}{DEFAULT_TOKEN}/getMe")
        assert response.status_code == 200
        await client.get(f"{fake.base_url}{ENCODED}/getMe")
    _assert_no_token(logs.text)
    assert f'HTTP Request: POST {fake.base_url}[REDACTED]/getMe "HTTP/1.1 200 OK"' in logs.text
    assert f"GET {fake.base_url}[REDACTED]/getMe" in logs.text


async def test_python_telegram_bot_calls_and_failures_are_redacted(
    fake: FakeBotApi, logs: CapturedLogs
) -> None:
    log = logging.getLogger("tests.ops.sender")
    async with Bot(DEFAULT_TOKEN, base_url=fake.base_url) as bot:
        await bot.send_message(42, "hello")
        fake.fail("sendMessage", status=502, description="Bad Gateway")
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(42, "again")
        log.error("send failed", exc_info=caught.value)
    _assert_no_token(logs.text)
    assert "telegram.Bot" in logs.text  # PTB's own DEBUG lines went through our handler
    assert "sendMessage" in logs.text
    assert "Bad Gateway" in logs.text


async def test_a_refused_connection_traceback_is_redacted(logs: CapturedLogs) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the socket is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot{DEFAULT_TOKEN}/getUpdates"
    async with httpx.AsyncClient() as client:
        try:
            await client.get(url)
        except httpx.HTTPError as error:
            log = logging.getLogger("tests.ops.ingest")
            log.exception("request to %s failed", error.request.url)
    _assert_no_token(logs.text)
    assert f"request to http://127.0.0.1:{port}/bot[REDACTED]/getUpdates failed" in logs.text
    assert "Traceback" in logs.text


async def test_the_derived_webhook_secret_never_shows_in_debug_lines(fake: FakeBotApi) -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token=DEFAULT_TOKEN,
        webhook_url="https://bot.example/telegram",
    )
    derived = derived_webhook_secret(DEFAULT_TOKEN)
    with captured_logs(secrets=settings_secrets(settings), level="DEBUG") as logs:
        async with Bot(DEFAULT_TOKEN, base_url=fake.base_url) as bot:
            await bot.set_webhook("https://bot.example/telegram", secret_token=derived)
    assert "setWebhook" in logs.text  # python-telegram-bot logged the call's parameters
    assert derived not in logs.text
    assert fake.webhook_secret == derived
