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
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).values(list(rows)).on_conflict_do_nothing()
    return sqlite.insert(table).values(list(rows)).on_conflict_do_nothing()
