"""Schema upgrades with Alembic, driven from our own settings.

`newsbot migrate` calls :func:`upgrade_database`; the bot calls it on start when the
database is the embedded SQLite file, so a single-machine operator never runs it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.engine import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError("no migrations found")
    return head


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def upgrade_database(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``revision``; return (revision before, revision after)."""
    before = await current_revision(db)
    async with db.engine.connect() as conn:
        await conn.run_sync(_migrate, command.upgrade, revision)
    after = await current_revision(db)
    return before, after or ""


async def downgrade_database(db: Database, revision: str) -> None:
    """Downgrade to ``revision`` (for tests and for an operator going back a release)."""
    async with db.engine.connect() as conn:
        await conn.run_sync(_migrate, command.downgrade, revision)


def _migrate(connection: Connection, step: Callable[[Config, str], None], revision: str) -> None:
    """Run one Alembic command in one transaction.

    On SQLite, foreign keys are off meanwhile: batch mode rebuilds a table by copying it
    and dropping the old one, and dropping ``readers`` with foreign keys on would delete
    every row that references it (ON DELETE CASCADE). The pragma only takes effect
    outside a transaction, so it is set on the driver's connection before BEGIN, and the
    result is checked with ``PRAGMA foreign_key_check`` before the commit.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        with connection.begin():
            step(alembic_config(connection), revision)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows without their parent: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # The driver's own cursor: a statement through SQLAlchemy would BEGIN first.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()
