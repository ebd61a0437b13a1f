"""/mute, /unmute, /mutes and their buttons: the phrases whose stories a reader never gets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.readers import ChatRef, reader_transaction
from bot.parsing.mutes import MutePhrase
from bot.runtime.services import Services
from bot.views.mutes import MuteItem
from digest.mutes import MuteMatcher
from storage.engine import Database
from storage.keys import ReaderRef, reader_key
from storage.mutes import (
    add_mute,
    count_mutes,
    find_mute,
    list_mutes,
    remove_mute,
    remove_mute_by_id,
)

#: Muted phrases per reader: each costs a look at every story of every digest.
MAX_MUTES = 50


@dataclass(frozen=True)
class Muted:
    """A phrase muted now, or already (``already``: then ``phrase`` is as first typed)."""

    phrase: str
    already: bool


@dataclass(frozen=True)
class TooManyMutes:
    limit: int


@dataclass(frozen=True)
class Unmuted:
    """What was named (as first typed when found), and whether it was muted."""

    phrase: str
    removed: bool


@dataclass(frozen=True)
class RemovedMute:
    """A ✕ button pressed: what it unmuted (None: nothing), and what is left."""

    removed: MuteItem | None
    left: list[MuteItem]


async def _items(session: AsyncSession, chat_id: int, thread_id: int) -> list[MuteItem]:
    return [MuteItem(m.id, m.phrase) for m in await list_mutes(session, chat_id, thread_id)]


async def mutes(db: Database, chat_id: int, thread_id: int = 0) -> list[MuteItem]:
    """The reader's muted phrases, in the order they were muted."""
    async with db.sessions() as session:
        return await _items(session, chat_id, thread_id)


async def mute(
    services: Services, chat: ChatRef, now: datetime, wanted: MutePhrase
) -> Muted | TooManyMutes:
    """Mute a phrase, within :data:`MAX_MUTES`."""
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        existing = await find_mute(session, chat.id, wanted.folded, chat.thread_id)
        if existing is not None:
            return Muted(existing.phrase, already=True)
        if await count_mutes(session, chat.id, chat.thread_id) >= MAX_MUTES:
            return TooManyMutes(MAX_MUTES)
        added = await add_mute(session, chat.id, wanted.phrase, wanted.folded, now, chat.thread_id)
        return Muted(wanted.phrase, already=not added)


async def unmute(db: Database, chat: ChatRef, wanted: MutePhrase) -> Unmuted:
    """Unmute a phrase, in whatever spelling it was muted."""
    async with db.sessions.begin() as session:
        existing = await find_mute(session, chat.id, wanted.folded, chat.thread_id)
        if existing is None:
            return Unmuted(wanted.phrase, removed=False)
        removed = await remove_mute(session, chat.id, wanted.folded, chat.thread_id)
        return Unmuted(existing.phrase, removed=removed)


async def remove_by_id(db: Database, chat: ChatRef, wanted: int | None) -> RemovedMute:
    """Unmute one of the reader's own phrases by id (callback data can be forged)."""
    async with db.sessions.begin() as session:
        before = await _items(session, chat.id, chat.thread_id)
        item = next((i for i in before if i.id == wanted), None)
        removed = item is not None and await remove_mute_by_id(
            session, chat.id, item.id, chat.thread_id
        )
        after = [i for i in before if i.id != wanted]
    return RemovedMute(item if removed else None, after)


async def matcher_for(session: AsyncSession, reader: ReaderRef) -> MuteMatcher:
    """The reader's phrases compiled for matching stories (/latest, /search)."""
    key = reader_key(reader)
    return MuteMatcher(m.folded for m in await list_mutes(session, key.chat_id, key.thread_id))
