"""Queries about readers (chats) and their schedules.

Functions take a session and never commit: the caller owns the transaction
(``async with db.sessions.begin() as session: …``).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reader


async def get_reader(session: AsyncSession, chat_id: int) -> Reader | None:
    return await session.get(Reader, chat_id)


async def register_reader(
    session: AsyncSession,
    *,
    chat_id: int,
    chat_type: str,
    title: str | None,
    timezone: str,
    digest_time: time,
    next_digest_at: datetime | None,
    now: datetime,
    language: str = "en",
) -> tuple[Reader, bool]:
    """Return the reader for ``chat_id``, creating it when new; True when created.

    A reader who had blocked the bot and comes back with /start is unblocked.
    """
    reader = await session.get(Reader, chat_id)
    if reader is not None:
        reader.blocked_at = None
        reader.chat_type = chat_type
        reader.title = title
        return reader, False
    reader = Reader(
        chat_id=chat_id,
        chat_type=chat_type,
        title=title,
        language=language,
        timezone=timezone,
        digest_time=digest_time,
        next_digest_at=next_digest_at,
        paused=False,
        summary_length=3,
        created_at=now,
    )
    session.add(reader)
    await session.flush()
    return reader, True


async def mark_blocked(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """The reader blocked the bot or removed it from the chat: stop sending to them."""
    reader = await session.get(Reader, chat_id)
    if reader is not None and reader.blocked_at is None:
        reader.blocked_at = now


async def forget_reader(session: AsyncSession, chat_id: int) -> bool:
    """Delete the reader and everything about them (subscriptions, ledger); True if found."""
    result = await session.execute(delete(Reader).where(Reader.chat_id == chat_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def lock_due_readers(session: AsyncSession, now: datetime, limit: int) -> list[Reader]:
    """Lock up to ``limit`` active readers whose digest is due at ``now``, oldest first.

    On PostgreSQL the rows are taken ``FOR UPDATE SKIP LOCKED``: a concurrent process
    running the same query in its own transaction gets other readers, never these. The
    caller must move ``next_digest_at`` forward (and record the digest) before committing.
    On SQLite the write transaction itself (BEGIN IMMEDIATE) gives the same guarantee.
    """
    query = (
        select(Reader)
        .where(
            Reader.next_digest_at <= now,
            Reader.paused.is_(False),
            Reader.blocked_at.is_(None),
        )
        .order_by(Reader.next_digest_at, Reader.chat_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.scalars(query)).all())


async def count_readers(session: AsyncSession) -> dict[str, int]:
    """Readers by state: total, active, paused, blocked."""
    rows = await session.execute(
        select(
            func.count(),
            func.count().filter(Reader.paused.is_(True)),
            func.count().filter(Reader.blocked_at.is_not(None)),
        ).select_from(Reader)
    )
    total, paused, blocked = rows.one()
    return {
        "total": total,
        "active": total - paused - blocked,
        "paused": paused,
        "blocked": blocked,
    }
