"""The chat's digest schedule and reading settings: time, zone, pause, length, quiet hours.

Every change of time, zone or pause recomputes ``next_digest_at`` with
``digest.schedule.next_digest_at`` from the clock, in the same transaction, so the stored
due time always matches the choice.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.actions.readers import ChatRef, reader_transaction
from bot.runtime.services import Services
from digest.schedule import next_digest_at
from storage.models import Reader
from storage.readers import set_quiet_hours, set_summary_length, update_schedule


async def reschedule(
    services: Services,
    chat: ChatRef,
    now: datetime,
    *,
    zone: str | None = None,
    at: time | None = None,
    paused: bool | None = None,
) -> Reader:
    """Store the new choice with its recomputed due time; the reader after it."""
    async with reader_transaction(services, chat, now) as (session, reader, _created):
        new_zone, new_at = zone or reader.timezone, at or reader.digest_time
        updated = await update_schedule(
            session,
            chat.key,
            timezone=zone,
            digest_time=at,
            paused=paused,
            next_digest_at=next_digest_at(now, new_zone, new_at),
        )
        assert updated is not None
        return updated


async def current(services: Services, chat: ChatRef, now: datetime) -> Reader:
    """The chat's reader row (created with the defaults if new)."""
    async with reader_transaction(services, chat, now) as (_session, reader, _created):
        return reader


async def set_length(services: Services, chat: ChatRef, now: datetime, sentences: int) -> None:
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        await set_summary_length(session, chat.key, sentences)


async def set_quiet(
    services: Services, chat: ChatRef, now: datetime, start: time | None, end: time | None
) -> None:
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        await set_quiet_hours(session, chat.key, start, end)
