"""The chat's reader row: created on first contact with the operator's default schedule."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE
from bot.runtime.services import Services
from digest.schedule import next_digest_at
from storage.keys import ReaderKey
from storage.models import Reader
from storage.readers import get_reader, register_reader


@dataclass(frozen=True)
class ChatRef:
    """What an action needs to know about a chat, without Telegram's types."""

    id: int
    type: str
    group: bool
    title: str | None = None
    #: The forum topic (``message_thread_id``) the reader lives in, inside a forum
    #: supergroup; 0 for the chat itself (private chats, plain groups, a forum's General).
    thread_id: int = 0
    #: The interface locale a new row starts with: the sender's Telegram language
    #: (``bot.i18n.negotiate``); an existing row keeps its own.
    language: str = DEFAULT_LOCALE

    @property
    def key(self) -> ReaderKey:
        """The reader this chat (or forum topic) is, as storage knows it."""
        return ReaderKey(self.id, self.thread_id)


async def ensure_reader(
    session: AsyncSession, services: Services, chat: ChatRef, now: datetime, *, touch: bool = False
) -> tuple[Reader, bool]:
    """The chat's reader row, created with the operator's default schedule if new.

    ``touch`` (for /start) also refreshes the title and unblocks a reader who comes back.
    A forum topic marked gone (deleted or closed while a digest was sent) comes back
    with any command that opens this transaction in it (/start, /digest, a setting):
    someone could write there, so it is open again.
    Returns the reader and whether it was created.
    """
    existing = await get_reader(session, chat.key)
    reopened = existing is not None and existing.blocked_at is not None and chat.thread_id != 0
    if existing is not None and not touch and not reopened:
        return existing, False
    was_blocked = existing is not None and existing.blocked_at is not None
    settings = services.settings
    zone, at = settings.default_timezone, settings.default_digest_time
    reader, created = await register_reader(
        session,
        chat_id=chat.id,
        thread_id=chat.thread_id,
        chat_type=chat.type,
        title=chat.title if chat.group else None,
        timezone=zone,
        digest_time=at,
        next_digest_at=next_digest_at(now, zone, at),
        now=now,
        language=chat.language,
    )
    if was_blocked and reader.next_digest_at is not None and reader.next_digest_at <= now:
        # Back after blocking the bot: the due time went stale while nothing could be
        # sent; the next digest comes at the reader's own time, not at once.
        reader.next_digest_at = next_digest_at(now, reader.timezone, reader.digest_time)
    return reader, created


@asynccontextmanager
async def reader_transaction(
    services: Services, chat: ChatRef, now: datetime, *, touch: bool = False
) -> AsyncIterator[tuple[AsyncSession, Reader, bool]]:
    """A write transaction with the chat's reader row (created if new)."""
    async with services.db.sessions.begin() as session:
        reader, created = await ensure_reader(session, services, chat, now, touch=touch)
        yield session, reader, created
