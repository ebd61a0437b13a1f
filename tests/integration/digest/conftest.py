"""Fixtures for the digest engine: the fake Bot API and the digest sender's client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sender import BotApiTransport
from tests.support.fake_bot_api import FakeBotApi


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def transport(fake: FakeBotApi) -> BotApiTransport:
    return BotApiTransport(fake.base_url, fake.token)
