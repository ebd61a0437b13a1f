"""Queries about the topic catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Topic


@dataclass(frozen=True)
class TopicSpec:
    """A topic as the catalogue file declares it."""

    slug: str
    name: str
    keywords: tuple[str, ...] = field(default=())


async def sync_topics(session: AsyncSession, catalogue: Sequence[TopicSpec]) -> int:
    """Make the topics table match the catalogue (insert or update); return how many changed.

    Topics missing from the catalogue are kept: readers may still be subscribed to them.
    """
    existing = {t.slug: t for t in (await session.scalars(select(Topic))).all()}
    changed = 0
    for position, spec in enumerate(catalogue):
        topic = existing.get(spec.slug)
        keywords = list(spec.keywords)
        if topic is None:
            session.add(Topic(slug=spec.slug, name=spec.name, keywords=keywords, position=position))
            changed += 1
        elif (topic.name, topic.keywords, topic.position) != (spec.name, keywords, position):
            topic.name, topic.keywords, topic.position = spec.name, keywords, position
            changed += 1
    await session.flush()
    return changed


async def list_topics(session: AsyncSession) -> list[Topic]:
    """Every topic in catalogue order."""
    return list((await session.scalars(select(Topic).order_by(Topic.position, Topic.slug))).all())


async def find_topic(session: AsyncSession, name_or_slug: str) -> Topic | None:
    """The topic a reader meant by ``name_or_slug`` (case-insensitive), or None."""
    wanted = name_or_slug.strip().lower()
    if not wanted:
        return None
    query = select(Topic).where(or_(Topic.slug == wanted, func.lower(Topic.name) == wanted))
    return (await session.scalars(query.limit(1))).first()
