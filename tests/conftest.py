"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database
from tests.support.databases import BACKENDS, temporary_database

# Every log record of the session is checked for the fake bot token (raw and URL-encoded);
# one sighting fails the run. See the plugin's docstring.
pytest_plugins = ["tests.support.no_token_in_logs"]

# python-telegram-bot 22 warns (an error under our pytest settings) unless durations are
# timedeltas; the CLI opts in the same way, so tests and production agree.
os.environ.setdefault("PTB_TIMEDELTA", "1")

DATA_DIR = Path(
    os.environ.get("NEWSBOT_SHARED_DATA")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "data"
)


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database with the schema, once on SQLite and once on PostgreSQL."""
    async with temporary_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty SQLite database with the schema, for tests that are not about the backend."""
    async with temporary_database("sqlite", tmp_path) as database:
        yield database


@pytest.fixture
async def pg_db(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty PostgreSQL schema of its own (skipped, or failed in CI, without a server)."""
    async with temporary_database("postgresql", tmp_path) as database:
        yield database


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The evaluation data shipped beside the repository (../shared/data)."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"{DATA_DIR} is not present")
    return DATA_DIR
