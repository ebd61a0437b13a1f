"""Fixtures for end-to-end tests of the bot: the real application against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.bot_harness import RunningBot, running_bot
from tests.support.databases import BACKENDS

#: The operator of the bot in these tests (NEWSBOT_ADMIN_IDS).
OPERATOR = 7


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The bot on SQLite, with one operator; fails the test if a handler raised."""
    async with running_bot(tmp_path, admin_ids={OPERATOR}) as running:
        yield running
        running.assert_no_errors()


@pytest.fixture(params=BACKENDS)
async def bot_on_each_db(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """The same, once on SQLite and once on PostgreSQL."""
    async with running_bot(tmp_path, request.param, admin_ids={OPERATOR}) as running:
        yield running
        running.assert_no_errors()
