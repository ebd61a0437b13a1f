"""Queries about what readers follow: catalogue topics and keyword queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts, rows_affected
from storage.keys import ReaderRef, reader_key
from storage.models import Subscription


def _of(reader: ReaderRef) -> ColumnElement[bool]:
    """The subscriptions of ``reader`` (its own forum topic only)."""
    key = reader_key(reader)
    return and_(Subscription.chat_id == key.chat_id, Subscription.thread_id == key.thread_id)


def _row(
    reader: ReaderRef, slug: str | None, query: str | None, now: datetime
) -> dict[str, object]:
    key = reader_key(reader)
    return {
        "chat_id": key.chat_id,
        "thread_id": key.thread_id,
        "topic_slug": slug,
        "query": query,
        "created_at": now,
    }


async def list_subscriptions(session: AsyncSession, reader: ReaderRef) -> list[Subscription]:
    """The reader's subscriptions: topics first (catalogue order is the caller's), then queries."""
    query = (
        select(Subscription)
        .where(_of(reader))
        .order_by(Subscription.query.is_not(None), Subscription.topic_slug, Subscription.query)
    )
    return list((await session.scalars(query)).all())


async def subscribed_topic_slugs(session: AsyncSession, reader: ReaderRef) -> set[str]:
    query = select(Subscription.topic_slug).where(_of(reader), Subscription.topic_slug.is_not(None))
    return {slug for slug in (await session.scalars(query)).all() if slug is not None}


async def subscribe_topic(
    session: AsyncSession, reader: ReaderRef, slug: str, now: datetime
) -> bool:
    """Follow a catalogue topic; False when the reader already did."""
    statement = insert_ignoring_conflicts(
        session,
        Subscription,
        [_row(reader, slug, None, now)],
    )
    return bool(await rows_affected(session, statement))


async def subscribe_query(
    session: AsyncSession, reader: ReaderRef, query: str, now: datetime
) -> bool:
    """Follow a keyword query (normalised by the caller); False when already followed."""
    statement = insert_ignoring_conflicts(
        session,
        Subscription,
        [_row(reader, None, query, now)],
    )
    return bool(await rows_affected(session, statement))


async def unsubscribe_topic(session: AsyncSession, reader: ReaderRef, slug: str) -> bool:
    changed = await rows_affected(
        session,
        delete(Subscription).where(_of(reader), Subscription.topic_slug == slug),
    )
    return bool(changed)


async def unsubscribe_query(session: AsyncSession, reader: ReaderRef, query: str) -> bool:
    changed = await rows_affected(
        session,
        delete(Subscription).where(_of(reader), Subscription.query == query),
    )
    return bool(changed)


async def unsubscribe_by_id(session: AsyncSession, reader: ReaderRef, subscription_id: int) -> bool:
    """Remove one subscription by id, only if it belongs to ``reader`` (buttons carry ids)."""
    changed = await rows_affected(
        session,
        delete(Subscription).where(_of(reader), Subscription.id == subscription_id),
    )
    return bool(changed)


async def toggle_topic(session: AsyncSession, reader: ReaderRef, slug: str, now: datetime) -> bool:
    """Flip the reader's subscription to ``slug``; return True when now subscribed."""
    if await unsubscribe_topic(session, reader, slug):
        return False
    await subscribe_topic(session, reader, slug, now)
    return True


async def count_subscriptions(session: AsyncSession) -> dict[str, int]:
    """Subscriptions by kind: topics and keyword queries."""
    rows = await session.execute(
        select(
            func.count().filter(Subscription.topic_slug.is_not(None)),
            func.count().filter(Subscription.query.is_not(None)),
        ).select_from(Subscription)
    )
    topics, queries = rows.one()
    return {"topics": topics, "queries": queries}
