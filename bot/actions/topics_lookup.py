"""Finding the topic a reader named, with the closest name when they mistyped it."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.views.topics import TopicItem
from storage.models import Topic
from storage.topics import find_topic, list_topics


@dataclass(frozen=True)
class UnknownTopic:
    """A topic name that matches nothing: the catalogue, and what was likely meant."""

    typed: str
    catalogue: tuple[TopicItem, ...]
    suggestion: str | None


def closest_topic(typed: str, topics: Sequence[Topic]) -> str | None:
    """The topic name a misspelling most likely meant."""
    names = {t.name.lower(): t.name for t in topics} | {t.slug: t.name for t in topics}
    close = difflib.get_close_matches(typed.lower(), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


async def topic_or_unknown(session: AsyncSession, typed: str) -> Topic | UnknownTopic:
    """The topic ``typed`` names, or what the reader should be told instead."""
    topic = await find_topic(session, typed)
    if topic is not None:
        return topic
    catalogue = await list_topics(session)
    items = tuple(TopicItem(t.slug, t.name) for t in catalogue)
    return UnknownTopic(typed, items, closest_topic(typed, catalogue))
