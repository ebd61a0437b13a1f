"""Queries about readers (chats) and their schedules.

Functions take a session and never commit: the caller owns the transaction
(``async with db.sessions.begin() as session: …``).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts, rows_affected
from storage.keys import ReaderKey, ReaderRef, reader_key
from storage.models import Delivery, Digest, MutedWord, Reader, Subscription


async def get_reader(
    session: AsyncSession, reader: ReaderRef, *, for_update: bool = False
) -> Reader | None:
    """The reader ``reader`` names (a key, or a chat id for the chat itself)."""
    return await session.get(Reader, tuple(reader_key(reader)), with_for_update=for_update)


async def register_reader(
    session: AsyncSession,
    *,
    chat_id: int,
    thread_id: int = 0,
    chat_type: str,
    title: str | None,
    timezone: str,
    digest_time: time,
    next_digest_at: datetime | None,
    now: datetime,
    language: str = "en",
) -> tuple[Reader, bool]:
    """Return the reader for ``chat_id`` (and forum topic ``thread_id``), creating it when
    new; True when created.

    A reader who had blocked the bot and comes back with /start is unblocked.
    """
    key = ReaderKey(chat_id, thread_id)
    reader = await get_reader(session, key)
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
                "thread_id": thread_id,
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
    reader = await get_reader(session, key)
    if reader is None:  # pragma: no cover - the row exists after the insert either way
        raise RuntimeError(f"reader {key} vanished while being registered")
    return reader, created


async def mark_blocked(session: AsyncSession, reader: ReaderRef, now: datetime) -> None:
    """Stop sending to one reader: a forum topic deleted or closed, or (thread 0) a chat
    that blocked the bot. Other topics of the same chat keep theirs."""
    row = await get_reader(session, reader)
    if row is not None and row.blocked_at is None:
        row.blocked_at = now


async def mark_chat_blocked(session: AsyncSession, chat_id: int, now: datetime) -> int:
    """The chat blocked the bot or removed it: stop sending to every reader in it (the
    chat itself and each of its forum topics); how many were marked."""
    return await rows_affected(
        session,
        update(Reader)
        .where(Reader.chat_id == chat_id, Reader.blocked_at.is_(None))
        .values(blocked_at=now)
        .execution_options(synchronize_session=False),
    )


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
    """Move a chat's readers to a new chat id (a group that became a supergroup); True if
    anything moved.

    Every reader of the chat moves (the chat itself and, to be general, any forum topic
    it has), each keeping its thread. Everything follows in the caller's one transaction:
    the schedule, quiet hours and other settings, subscriptions, muted words, digests and
    the delivery ledger (so no story is sent again in the new chat). Idempotent: once
    moved, the old id has no reader and this returns False. When the new chat already has
    a row for a thread (someone wrote there first, which registers it), the old reader's
    settings win, and what both had is kept once.
    """
    if old_chat_id == new_chat_id:
        return False
    olds = list(
        (
            await session.scalars(
                select(Reader)
                .where(Reader.chat_id == old_chat_id)
                .order_by(Reader.thread_id)
                .with_for_update()
            )
        ).all()
    )
    if not olds:
        return False
    for old in olds:
        await _move_one(session, old, new_chat_id, chat_type)
    await session.execute(delete(Reader).where(Reader.chat_id == old_chat_id))
    for old in olds:
        session.expunge(old)
    return True


async def _move_one(session: AsyncSession, old: Reader, new_chat_id: int, chat_type: str) -> None:
    """One thread's reader and its rows, from ``old.chat_id`` to ``new_chat_id``."""
    old_chat_id, thread = old.chat_id, old.thread_id
    new = await get_reader(session, ReaderKey(new_chat_id, thread), for_update=True)
    if new is None:
        new = Reader(chat_id=new_chat_id, thread_id=thread, chat_type=chat_type, blocked_at=None)
        session.add(new)
    else:
        new.chat_type = chat_type
        new.blocked_at = None
    for column in _MOVED_COLUMNS:
        setattr(new, column, getattr(old, column))
    await session.flush()
    in_old = and_(Subscription.chat_id == old_chat_id, Subscription.thread_id == thread)
    in_new = and_(Subscription.chat_id == new_chat_id, Subscription.thread_id == thread)
    # Rows the new chat already has would collide with the old ones on the way over.
    await session.execute(
        delete(Subscription).where(
            in_old,
            Subscription.topic_slug.in_(select(Subscription.topic_slug).where(in_new)),
        )
    )
    await session.execute(
        delete(Subscription).where(
            in_old, Subscription.query.in_(select(Subscription.query).where(in_new))
        )
    )
    await session.execute(
        delete(Delivery).where(
            Delivery.chat_id == old_chat_id,
            Delivery.thread_id == thread,
            Delivery.article_id.in_(
                select(Delivery.article_id).where(
                    Delivery.chat_id == new_chat_id, Delivery.thread_id == thread
                )
            ),
        )
    )
    await session.execute(
        delete(MutedWord).where(
            MutedWord.chat_id == old_chat_id,
            MutedWord.thread_id == thread,
            MutedWord.folded.in_(
                select(MutedWord.folded).where(
                    MutedWord.chat_id == new_chat_id, MutedWord.thread_id == thread
                )
            ),
        )
    )
    for model in (Subscription, MutedWord, Digest, Delivery):
        await session.execute(
            update(model)
            .where(model.chat_id == old_chat_id, model.thread_id == thread)
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session=False)
        )


async def forget_reader(session: AsyncSession, reader: ReaderRef) -> bool:
    """Delete the reader and everything about them (subscriptions, muted words, ledger);
    True if found.

    In a forum, only that topic's reader goes; the chat's other topics keep theirs.
    """
    key = reader_key(reader)
    statement = delete(Reader).where(
        Reader.chat_id == key.chat_id, Reader.thread_id == key.thread_id
    )
    return bool(await rows_affected(session, statement))


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
        .order_by(Reader.next_digest_at, Reader.chat_id, Reader.thread_id)
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
    chat_id: ReaderRef,
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
    reader = await get_reader(session, chat_id)
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


async def set_summary_length(session: AsyncSession, chat_id: ReaderRef, sentences: int) -> bool:
    """Sentences per summary (1–5) for this reader; False when there is no reader."""
    if not 1 <= sentences <= 5:
        raise ValueError("summary length is between 1 and 5 sentences")
    reader = await get_reader(session, chat_id)
    if reader is None:
        return False
    reader.summary_length = sentences
    await session.flush()
    return True


async def reader_language(session: AsyncSession, reader: ReaderRef) -> tuple[str, bool] | None:
    """(interface locale, whether it was chosen) of the reader; None when no reader.

    Asked once per update, so it reads two columns, not the row.
    """
    key = reader_key(reader)
    query = select(Reader.language, Reader.language_chosen).where(
        Reader.chat_id == key.chat_id, Reader.thread_id == key.thread_id
    )
    row = (await session.execute(query)).first()
    return None if row is None else (str(row[0]), bool(row[1]))


async def set_language(
    session: AsyncSession, reader: ReaderRef, code: str, *, chosen: bool
) -> bool:
    """Store the reader's interface locale (and whether they chose it); False if no reader."""
    key = reader_key(reader)
    changed = await rows_affected(
        session,
        update(Reader)
        .where(Reader.chat_id == key.chat_id, Reader.thread_id == key.thread_id)
        .values(language=code, language_chosen=chosen)
        .execution_options(synchronize_session="fetch"),
    )
    return bool(changed)


async def set_news_languages(
    session: AsyncSession, key: ReaderRef, codes: list[str] | None
) -> bool:
    """The languages of news the reader wants (None: the default; []: all)."""
    reader = await get_reader(session, key)
    if reader is None:
        return False
    reader.news_languages = None if codes is None else sorted(set(codes))
    await session.flush()
    return True


async def set_quiet_hours(
    session: AsyncSession, chat_id: ReaderRef, start: time | None, end: time | None
) -> bool:
    """Local times between which no digest is sent (None, None: none); False if no reader."""
    reader = await get_reader(session, chat_id)
    if reader is None:
        return False
    reader.quiet_start, reader.quiet_end = start, end
    await session.flush()
    return True
