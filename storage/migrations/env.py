"""Alembic environment: runs on the connection `storage.migrate` hands it.

Run through ``newsbot migrate`` (or ``storage.migrate.upgrade_database``), never with
the bare ``alembic`` command, so the database URL comes from the same settings as the bot.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `newsbot migrate`, not the bare alembic command")
run_migrations(connection)
