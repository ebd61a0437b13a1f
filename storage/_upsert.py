"""INSERT … ON CONFLICT for both databases, behind one helper."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def insert_ignoring_conflicts(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> Insert:
    """An INSERT that silently skips rows violating a unique constraint.

    Concurrent writers (two processes subscribing the same reader, two ingesters) then
    never fail on a race; the database decides who won.
    """
    return ignoring_conflicts(session, table).values(list(rows))


def ignoring_conflicts(session: AsyncSession, table: Table) -> Insert:
    """The same INSERT without values, for executemany (``session.execute(it, rows)``):
    one compiled statement for thousands of rows instead of one huge VALUES list."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()
