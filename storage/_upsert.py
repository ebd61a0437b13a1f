"""INSERT … ON CONFLICT for both databases, and the row count of a write, behind small helpers.

They take the mapped class (``Reader``, not ``Reader.__table__``, whose declared type is
a plain ``FromClause``) and read ``rowcount`` from the ``CursorResult`` a write returns,
so callers need no casts and no ignore comments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Insert

from storage.models import Base


def insert_ignoring_conflicts(
    session: AsyncSession, model: type[Base], rows: Sequence[Mapping[str, Any]]
) -> Insert:
    """An INSERT that silently skips rows violating a unique constraint.

    Concurrent writers (two processes subscribing the same reader, two ingesters) then
    never fail on a race; the database decides who won.
    """
    return ignoring_conflicts(session, model).values(list(rows))


def ignoring_conflicts(session: AsyncSession, model: type[Base]) -> Insert:
    """The same INSERT without values, for executemany (``session.execute(it, rows)``):
    one compiled statement for thousands of rows instead of one huge VALUES list."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    return sqlite.insert(model).on_conflict_do_nothing()


async def rows_affected(session: AsyncSession, statement: Executable) -> int:
    """Run a single-statement INSERT, UPDATE or DELETE; how many rows it changed.

    (An INSERT ignoring conflicts counts 0 for a row that already existed.)
    """
    result = await session.execute(statement)
    # A write always comes back as a CursorResult; Session.execute is typed for reads.
    if not isinstance(result, CursorResult):  # pragma: no cover - only a SELECT gets here
        raise TypeError(f"not a write statement: {statement}")
    return result.rowcount
