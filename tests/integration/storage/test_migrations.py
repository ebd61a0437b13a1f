"""Migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Boolean, TextClause, Time, bindparam, text
from sqlalchemy.types import TypeEngine

from storage import Base, Database
from storage.migrate import current_revision, downgrade_database, head_revision, upgrade_database
from storage.types import UTCDateTime
from tests.support.databases import BACKENDS, temporary_database


@pytest.mark.parametrize("backend", BACKENDS)
async def test_upgrade_from_empty_matches_the_models(backend: str, tmp_path: Path) -> None:
    async with temporary_database(backend, tmp_path, migrate=True) as db:
        assert await current_revision(db) == head_revision()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert diff == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_upgrade_is_idempotent(backend: str, tmp_path: Path) -> None:
    async with temporary_database(backend, tmp_path, migrate=True) as db:
        before, after = await upgrade_database(db)
        assert before == after == head_revision()


async def _migrate(db: Database, direction: str, revision: str) -> None:
    if direction == "up":
        await upgrade_database(db, revision)
    else:
        await downgrade_database(db, revision)


def _sql(statement: str) -> TextClause:
    """``statement`` with its :at, :now and :no values going through the column types."""
    types: dict[str, TypeEngine[Any]] = {"at": Time(), "now": UTCDateTime(), "no": Boolean()}
    return text(statement).bindparams(
        *(
            bindparam(name, type_=kind)
            for name, kind in types.items()
            if re.search(rf":{name}\b", statement)
        )
    )


async def _rows(db: Database, query: str) -> list[tuple[object, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(query))]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_forum_threads_migration_keeps_every_row_as_the_chat_itself(
    backend: str, tmp_path: Path
) -> None:
    """0003 on a database holding readers and their rows: each becomes thread 0, and the
    downgrade gives the one-reader-per-chat schema back (without the topics' readers)."""
    now = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    async with temporary_database(backend, tmp_path, migrate=True) as db:
        await _migrate(db, "down", "base")
        await _migrate(db, "up", "0001")
        async with db.engine.begin() as conn:
            await conn.execute(
                _sql(
                    "INSERT INTO readers (chat_id, chat_type, language, timezone, digest_time,"
                    " paused, summary_length, created_at) VALUES"
                    " (42, 'private', 'en', 'UTC', :at, :no, 3, :now)"
                ),
                {"at": time(7, 30), "no": False, "now": now},
            )
            await conn.execute(
                _sql(
                    "INSERT INTO topics (slug, name, keywords, position) VALUES ('w', 'W', '[]', 0)"
                )
            )
            await conn.execute(
                _sql(
                    "INSERT INTO subscriptions (chat_id, topic_slug, created_at)"
                    " VALUES (42, 'w', :now)"
                ),
                {"now": now},
            )
            await conn.execute(
                _sql(
                    "INSERT INTO deliveries (chat_id, article_id, story_id, delivered_at)"
                    " VALUES (42, 1, 1, :now)"
                ),
                {"now": now},
            )
        await _migrate(db, "up", "head")
        assert await _rows(db, "SELECT chat_id, thread_id FROM readers") == [(42, 0)]
        assert await _rows(db, "SELECT chat_id, thread_id, topic_slug FROM subscriptions") == [
            (42, 0, "w")
        ]
        assert await _rows(db, "SELECT chat_id, thread_id FROM deliveries") == [(42, 0)]
        # A forum topic's reader: the composite key lets it beside the chat's own.
        async with db.engine.begin() as conn:
            await conn.execute(
                _sql(
                    "INSERT INTO readers (chat_id, thread_id, chat_type, language, timezone,"
                    " digest_time, paused, summary_length, created_at) VALUES"
                    " (42, 7, 'supergroup', 'en', 'UTC', :at, :no, 3, :now)"
                ),
                {"at": time(7, 30), "no": False, "now": now},
            )
            await conn.execute(
                _sql(
                    "INSERT INTO subscriptions (chat_id, thread_id, topic_slug, created_at)"
                    " VALUES (42, 7, 'w', :now)"
                ),
                {"now": now},
            )

        await _migrate(db, "down", "0001")
        assert await _rows(db, "SELECT chat_id FROM readers") == [(42,)]
        assert await _rows(db, "SELECT chat_id, topic_slug FROM subscriptions") == [(42, "w")]
        await _migrate(db, "up", "head")
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert diff == []
