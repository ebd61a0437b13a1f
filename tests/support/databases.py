"""Test databases: a SQLite file per test, and a PostgreSQL schema or database per test.

PostgreSQL tests run when ``NEWSBOT_TEST_DATABASE_URL`` names a server
(``postgresql+asyncpg://postgres@127.0.0.1:5432/test`` in CI). Without it they are
skipped, unless ``NEWSBOT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) turns the skip into
a failure, so CI can never go green on SQLite alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage import Base, Database, open_database
from storage.migrate import upgrade_database

BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    """The PostgreSQL server URL, or skip (fail in CI) when none is configured."""
    url = os.environ.get("NEWSBOT_TEST_DATABASE_URL", "")
    if not url:
        message = "NEWSBOT_TEST_DATABASE_URL is not set; PostgreSQL tests need a server"
        if os.environ.get("NEWSBOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


async def _create_schema(db: Database, *, migrate: bool) -> None:
    if migrate:
        await upgrade_database(db)
    else:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)


@asynccontextmanager
async def temporary_database(
    backend: str, tmp_path: Path, *, migrate: bool = False
) -> AsyncIterator[Database]:
    """A database of ``backend`` with the schema created, removed afterwards.

    SQLite: a file under ``tmp_path``. PostgreSQL: a schema of its own on the test
    server, so tests never see each other's rows and may commit freely.
    """
    if backend == "sqlite":
        db = open_database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        try:
            await _create_schema(db, migrate=migrate)
            yield db
        finally:
            await db.dispose()
        return

    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        db = open_database(url, schema=schema, pool_size=5)
        try:
            await _create_schema(db, migrate=migrate)
            yield db
        finally:
            await db.dispose()
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def temporary_database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database of its own, for code (or a subprocess) that opens it.

    PostgreSQL gets a whole database, because another process cannot be told a schema.
    """
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"
        return
    url = make_url(postgres_url())
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
