"""Fixtures for the digest engine: the fake Bot API and the digest sender's client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.delivery.sender import BotTransport
from bot.runtime.settings import load_settings
from bot.telegram.jobs.digest import transport_for
from tests.support.fake_bot_api import FakeBotApi


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def transport(fake: FakeBotApi) -> AsyncIterator[BotTransport]:
    """What `newsbot run` sends digests with: python-telegram-bot's Bot, its own request."""
    settings = load_settings(
        _env_file=None, telegram_bot_token=fake.token, telegram_base_url=fake.base_url
    )
    transport = transport_for(settings)
    yield transport
    await transport.close()
