"""Migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage import Base
from storage.migrate import current_revision, head_revision, upgrade_database
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
