"""Copy a whole database into another: how an operator moves from SQLite to PostgreSQL.

Both databases have the current schema; the target is empty. Every table of the models
is copied in foreign-key order through SQLAlchemy Core, so each value goes through its
column type both ways (UTC datetimes, JSON lists) and the two backends' differences stay
in the drivers. The whole copy is one transaction on the target: it lands entirely or
not at all. PostgreSQL's id sequences are then moved past the copied ids, so the next
row inserted gets a fresh id.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Integer, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.engine import Database
from storage.models import Base

#: Rows per INSERT: large enough to be fast, small enough to stay under driver limits.
CHUNK = 1000


class TargetNotEmpty(Exception):
    """The target database already holds rows; copying would mix two bots' data."""


async def _count(conn: AsyncConnection, table: Table) -> int:
    return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


async def _reset_sequences(conn: AsyncConnection, table: Table) -> None:
    """Move the id sequence of ``table`` (PostgreSQL) past its highest copied id."""
    (column, *others) = table.primary_key.columns
    if others or not isinstance(column.type, Integer) or column.autoincrement is False:
        return  # no sequence behind this key (a chat id, a slug, a composite key)
    highest = func.max(column)
    # setval(seq, max, true) makes the next id max + 1; on an empty table, next is 1.
    await conn.execute(
        select(
            func.setval(
                func.pg_get_serial_sequence(table.name, column.name),
                func.coalesce(highest, 1),
                highest.is_not(None),
            )
        ).select_from(table)
    )


async def copy_database(
    source: Database,
    target: Database,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; rows copied per table.

    Raises :class:`TargetNotEmpty` (naming a table) before writing anything when the
    target holds rows.
    """
    tables = list(Base.metadata.sorted_tables)
    copied: dict[str, int] = {}
    async with source.engine.connect() as reading, target.engine.begin() as writing:
        for table in tables:
            if await _count(writing, table):
                raise TargetNotEmpty(f"the target database already has rows in {table.name}")
        for table in tables:
            count = 0
            result = await reading.stream(select(table).order_by(*table.primary_key.columns))
            async for rows in result.partitions(CHUNK):
                await writing.execute(insert(table), [dict(row._mapping) for row in rows])
                count += len(rows)
            copied[table.name] = count
            if progress is not None:
                progress(table.name, count)
        if target.dialect == "postgresql":
            for table in tables:
                await _reset_sequences(writing, table)
    return copied
