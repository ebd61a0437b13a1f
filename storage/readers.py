"""Queries about readers (chats) and their schedules.

Functions take a session and never commit: the caller owns the transaction
(``async with db.sessions.begin() as session: …``).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts, rows_affected
from storage.models import Delivery, Digest, Reader, Subscription


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
    # Two first commands of a new chat at once (a double tap, two processes) both get
    # here; the database lets one insert win and the other finds the winner's row.
    statement = insert_ignoring_conflicts(
        session,
        Reader,
        [
            {
                "chat_id": chat_id,
                "chat_type": chat_type,
                "title": title,
                "language": language,
                "timezone": timezone,
                "digest_time": digest_time,
                "next_digest_at": next_digest_at,
                "paused": False,
                "summary_length": 3,
                "created_at": now,
            }
        ],
    )
    created = bool(await rows_affected(session, statement))
    reader = await session.get(Reader, chat_id)
    if reader is None:  # pragma: no cover - the row exists after the insert either way
        raise RuntimeError(f"reader {chat_id} vanished while being registered")
    return reader, created


async def mark_blocked(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """The reader blocked the bot or removed it from the chat: stop sending to them."""
    reader = await session.get(Reader, chat_id)
    if reader is not None and reader.blocked_at is None:
        reader.blocked_at = now


#: Reader columns a move carries to the new chat id (everything but the key and the type).
_MOVED_COLUMNS = (
    "title",
    "language",
    "language_chosen",
    "news_languages",
    "timezone",
    "digest_time",
    "next_digest_at",
    "last_digest_at",
    "paused",
    "summary_length",
    "quiet_start",
    "quiet_end",
    "created_at",
)


async def move_reader(
    session: AsyncSession, old_chat_id: int, new_chat_id: int, *, chat_type: str = "supergroup"
) -> bool:
    """Move a reader to a new chat id (a group that became a supergroup); True if moved.

    Everything follows in the caller's one transaction: the schedule, quiet hours and
    other settings, subscriptions, digests and the delivery ledger (so no story is sent
    again in the new chat). Idempotent: once moved, the old id has no reader and this
    returns False. When the new chat already has a row (someone wrote there first, which
    registers it), the old reader's settings win, and what both had is kept once.
    """
    old = await session.get(Reader, old_chat_id, with_for_update=True)
    if old is None or old_chat_id == new_chat_id:
        return False
    new = await session.get(Reader, new_chat_id, with_for_update=True)
    if new is None:
        new = Reader(chat_id=new_chat_id, chat_type=chat_type, blocked_at=None)
        session.add(new)
    else:
        new.chat_type = chat_type
        new.blocked_at = None
    for column in _MOVED_COLUMNS:
        setattr(new, column, getattr(old, column))
    await session.flush()
    # Rows the new chat already has would collide with the old ones on the way over.
    await session.execute(
        delete(Subscription).where(
            Subscription.chat_id == old_chat_id,
            Subscription.topic_slug.in_(
                select(Subscription.topic_slug).where(Subscription.chat_id == new_chat_id)
            ),
        )
    )
    await session.execute(
        delete(Subscription).where(
            Subscription.chat_id == old_chat_id,
            Subscription.query.in_(
                select(Subscription.query).where(Subscription.chat_id == new_chat_id)
            ),
        )
    )
    await session.execute(
        delete(Delivery).where(
            Delivery.chat_id == old_chat_id,
            Delivery.article_id.in_(
                select(Delivery.article_id).where(Delivery.chat_id == new_chat_id)
            ),
        )
    )
    for model in (Subscription, Digest, Delivery):
        await session.execute(
            update(model)
            .where(model.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session=False)
        )
    await session.execute(delete(Reader).where(Reader.chat_id == old_chat_id))
    session.expunge(old)
    return True


async def forget_reader(session: AsyncSession, chat_id: int) -> bool:
    """Delete the reader and everything about them (subscriptions, ledger); True if found."""
    return bool(await rows_affected(session, delete(Reader).where(Reader.chat_id == chat_id)))


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


async def update_schedule(
    session: AsyncSession,
    chat_id: int,
    *,
    next_digest_at: datetime | None,
    timezone: str | None = None,
    digest_time: time | None = None,
    paused: bool | None = None,
) -> Reader | None:
    """Change the reader's zone, time or pause and store the recomputed due time.

    The caller computes ``next_digest_at`` from the new values (``digest.schedule``), so
    the row never holds a schedule and a due time that disagree. None when no reader.
    """
    reader = await session.get(Reader, chat_id)
    if reader is None:
        return None
    if timezone is not None:
        reader.timezone = timezone
    if digest_time is not None:
        reader.digest_time = digest_time
    if paused is not None:
        reader.paused = paused
    reader.next_digest_at = next_digest_at
    await session.flush()
    return reader


async def set_summary_length(session: AsyncSession, chat_id: int, sentences: int) -> bool:
    """Sentences per summary (1–5) for this reader; False when there is no reader."""
    if not 1 <= sentences <= 5:
        raise ValueError("summary length is between 1 and 5 sentences")
    reader = await session.get(Reader, chat_id)
    if reader is None:
        return False
    reader.summary_length = sentences
    await session.flush()
    return True


async def reader_language(session: AsyncSession, chat_id: int) -> tuple[str, bool] | None:
    """(interface locale, whether it was chosen) of the reader; None when no reader.

    Asked once per update, so it reads two columns, not the row.
    """
    query = select(Reader.language, Reader.language_chosen).where(Reader.chat_id == chat_id)
    row = (await session.execute(query)).first()
    return None if row is None else (str(row[0]), bool(row[1]))


async def set_language(session: AsyncSession, chat_id: int, code: str, *, chosen: bool) -> bool:
    """Store the reader's interface locale (and whether they chose it); False if no reader."""
    changed = await rows_affected(
        session,
        update(Reader)
        .where(Reader.chat_id == chat_id)
        .values(language=code, language_chosen=chosen)
        .execution_options(synchronize_session="fetch"),
    )
    return bool(changed)


async def set_news_languages(session: AsyncSession, chat_id: int, codes: list[str] | None) -> bool:
    """The languages of news the reader wants (None: the default; []: all)."""
    reader = await session.get(Reader, chat_id)
    if reader is None:
        return False
    reader.news_languages = None if codes is None else sorted(set(codes))
    await session.flush()
    return True


async def set_quiet_hours(
    session: AsyncSession, chat_id: int, start: time | None, end: time | None
) -> bool:
    """Local times between which no digest is sent (None, None: none); False if no reader."""
    reader = await session.get(Reader, chat_id)
    if reader is None:
        return False
    reader.quiet_start, reader.quiet_end = start, end
    await session.flush()
    return True
