"""/topics, /subscribe, /unsubscribe, /mysubs and their buttons: what a chat follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.readers import ChatRef, reader_transaction
from bot.actions.topics_lookup import UnknownTopic, topic_or_unknown
from bot.parsing.arguments import ArgumentError, SubscriptionTarget, normalise_query
from bot.runtime.services import Services
from bot.telegram import callbacks
from bot.views.topics import SubscriptionItem, TopicItem
from storage.engine import Database
from storage.keys import ReaderRef
from storage.subscriptions import (
    list_subscriptions,
    subscribe_query,
    subscribe_topic,
    subscribed_topic_slugs,
    toggle_topic,
    unsubscribe_by_id,
    unsubscribe_query,
    unsubscribe_topic,
)
from storage.topics import find_topic, list_topics

#: Keyword subscriptions each cost a lookup per digest; a generous cap keeps digests fast.
MAX_QUERIES = 20


@dataclass(frozen=True)
class Picker:
    topics: list[TopicItem]
    chosen: set[str]


@dataclass(frozen=True)
class Toggled:
    """A topic button pressed: the topic, whether it is now followed, the new picker."""

    name: str
    following: bool
    picker: Picker


@dataclass(frozen=True)
class Subscribed:
    """A subscription asked for: a topic (slug and name) or words; whether it existed."""

    already: bool
    topic: TopicItem | None = None
    words: str | None = None


@dataclass(frozen=True)
class TooManyQueries:
    limit: int


@dataclass(frozen=True)
class Unsubscribed:
    """What was named (a topic's name, or words when ``words``), and whether it went."""

    label: str
    words: bool
    removed: bool


@dataclass(frozen=True)
class RemovedById:
    """An unsubscribe button pressed: what it removed (None: nothing), and what is left."""

    removed: SubscriptionItem | None
    left: list[SubscriptionItem]


async def subscription_items(session: AsyncSession, key: ReaderRef) -> list[SubscriptionItem]:
    """The reader's subscriptions with topic names, topics in catalogue order first."""
    topics = await list_topics(session)
    order = {t.slug: i for i, t in enumerate(topics)}
    names = {t.slug: t.name for t in topics}
    subs = await list_subscriptions(session, key)
    subs.sort(key=lambda s: (s.query is not None, order.get(s.topic_slug or "", 0), s.query or ""))
    return [
        SubscriptionItem(
            id=s.id,
            topic=names.get(s.topic_slug, s.topic_slug) if s.topic_slug is not None else None,
            query=s.query,
        )
        for s in subs
    ]


async def subscriptions(db: Database, key: ReaderRef) -> list[SubscriptionItem]:
    async with db.sessions() as session:
        return await subscription_items(session, key)


async def picker(db: Database, key: ReaderRef) -> Picker:
    """Every topic, and those the chat follows."""
    async with db.sessions() as session:
        topics = [TopicItem(t.slug, t.name) for t in await list_topics(session)]
        chosen = await subscribed_topic_slugs(session, key)
    return Picker(topics, chosen)


async def toggle(services: Services, chat: ChatRef, now: datetime, data: str) -> Toggled | None:
    """Follow or stop following the topic a button names; None if the topic is gone."""
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        catalogue = await list_topics(session)
        slug = callbacks.topic_from_data(data, [t.slug for t in catalogue])
        if slug is None:
            return None
        following = await toggle_topic(session, chat.key, slug, now)
        chosen = await subscribed_topic_slugs(session, chat.key)
    name = next(t.name for t in catalogue if t.slug == slug)
    topics = [TopicItem(t.slug, t.name) for t in catalogue]
    return Toggled(name, following, Picker(topics, chosen))


async def subscribe(
    services: Services, chat: ChatRef, now: datetime, target: SubscriptionTarget
) -> Subscribed | UnknownTopic | TooManyQueries:
    """Follow a topic or a set of words."""
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        if target.kind == "topic":
            topic = await topic_or_unknown(session, target.value)
            if isinstance(topic, UnknownTopic):
                return topic
            added = await subscribe_topic(session, chat.key, topic.slug, now)
            return Subscribed(not added, topic=TopicItem(topic.slug, topic.name))
        current = await list_subscriptions(session, chat.key)
        queries = {s.query for s in current if s.query is not None}
        if target.value not in queries and len(queries) >= MAX_QUERIES:
            return TooManyQueries(MAX_QUERIES)
        added = await subscribe_query(session, chat.key, target.value, now)
        return Subscribed(not added, words=target.value)


async def unsubscribe(
    services: Services, chat: ChatRef, now: datetime, target: SubscriptionTarget
) -> Unsubscribed:
    """Stop following a topic or a set of words."""
    async with reader_transaction(services, chat, now) as (session, _reader, _created):
        removed, label, words_named = False, target.value, False
        if target.kind == "topic":
            topic = await find_topic(session, target.value)
            if topic is not None:
                label = topic.name
                removed = await unsubscribe_topic(session, chat.key, topic.slug)
        if not removed:
            # Words typed without quotes still find the keyword subscription they name.
            try:
                words = normalise_query(target.value)
            except ArgumentError:
                words = None
            if words is not None and await unsubscribe_query(session, chat.key, words):
                removed, label, words_named = True, words, True
    return Unsubscribed(label, words_named, removed)


async def remove_by_id(db: Database, key: ReaderRef, wanted: int | None) -> RemovedById:
    """Remove one of the chat's own subscriptions (callback data can be forged)."""
    async with db.sessions.begin() as session:
        before = await subscription_items(session, key)
        item = next((i for i in before if i.id == wanted), None)
        removed = wanted is not None and await unsubscribe_by_id(session, key, wanted)
        after = [i for i in before if i.id != wanted]
    return RemovedById(item if removed else None, after)
