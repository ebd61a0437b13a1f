"""Queries about muted words: the phrases whose stories a reader never gets.

Phrases arrive folded by the caller (``digest.mutes.folded_phrase``); storage compares
them as they are. A reader is a chat and, in a forum, one of its topics (``thread_id``,
0 for the chat itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts, rows_affected
from storage.models import MutedWord


async def list_mutes(session: AsyncSession, chat_id: int, thread_id: int = 0) -> list[MutedWord]:
    """The reader's muted phrases, oldest first (the order they were muted)."""
    query = (
        select(MutedWord)
        .where(MutedWord.chat_id == chat_id, MutedWord.thread_id == thread_id)
        .order_by(MutedWord.created_at, MutedWord.id)
    )
    return list((await session.scalars(query)).all())


async def count_mutes(session: AsyncSession, chat_id: int, thread_id: int = 0) -> int:
    query = select(func.count()).where(
        MutedWord.chat_id == chat_id, MutedWord.thread_id == thread_id
    )
    return int(await session.scalar(query) or 0)


async def find_mute(
    session: AsyncSession, chat_id: int, folded: str, thread_id: int = 0
) -> MutedWord | None:
    query = select(MutedWord).where(
        MutedWord.chat_id == chat_id,
        MutedWord.thread_id == thread_id,
        MutedWord.folded == folded,
    )
    return (await session.scalars(query)).first()


async def add_mute(
    session: AsyncSession,
    chat_id: int,
    phrase: str,
    folded: str,
    now: datetime,
    thread_id: int = 0,
) -> bool:
    """Mute a phrase; False when the reader had muted it already (in any spelling)."""
    statement = insert_ignoring_conflicts(
        session,
        MutedWord,
        [
            {
                "chat_id": chat_id,
                "thread_id": thread_id,
                "phrase": phrase,
                "folded": folded,
                "created_at": now,
            }
        ],
    )
    return bool(await rows_affected(session, statement))


async def remove_mute(session: AsyncSession, chat_id: int, folded: str, thread_id: int = 0) -> bool:
    """Unmute a phrase by its folded form; False when it was not muted."""
    statement = delete(MutedWord).where(
        MutedWord.chat_id == chat_id,
        MutedWord.thread_id == thread_id,
        MutedWord.folded == folded,
    )
    return bool(await rows_affected(session, statement))


async def remove_mute_by_id(
    session: AsyncSession, chat_id: int, mute_id: int, thread_id: int = 0
) -> bool:
    """Unmute by id, only if the row is this reader's (buttons carry ids; data can be forged)."""
    statement = delete(MutedWord).where(
        MutedWord.chat_id == chat_id,
        MutedWord.thread_id == thread_id,
        MutedWord.id == mute_id,
    )
    return bool(await rows_affected(session, statement))


async def muted_phrases_of(
    session: AsyncSession, readers: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[str]]:
    """The folded phrases of many readers, (chat id, thread id) → phrases, in one query."""
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not readers:
        return found
    chat_ids = sorted({chat_id for chat_id, _thread in readers})
    wanted = set(readers)
    query = select(MutedWord.chat_id, MutedWord.thread_id, MutedWord.folded).where(
        MutedWord.chat_id.in_(chat_ids)
    )
    for chat_id, thread_id, folded in (await session.execute(query)).all():
        if (chat_id, thread_id) in wanted:
            found[(chat_id, thread_id)].append(folded)
    return found
