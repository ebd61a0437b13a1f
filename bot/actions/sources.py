"""The operators' source commands: add (after one check of the feed), remove, list,
import and export OPML."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.runtime.services import Services
from ingest import FeedError, FetchError, check_feed
from ingest.canonical import host_of
from ingest.opml_sources import ImportReport, import_opml
from storage.models import Source
from storage.sources import SourceSpec, add_source, disable_source, find_source, list_sources
from storage.topics import list_topics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnknownTopics:
    unknown: list[str]
    known: list[str]


@dataclass(frozen=True)
class CheckFailed:
    """The feed could not be fetched or read: nothing was added."""

    reason: str


@dataclass(frozen=True)
class Added:
    source: Source
    created: bool
    title: str
    entries: int
    newest: str | None


async def add(
    services: Services, url: str, topics: list[str], user_id: int | None, now: datetime
) -> Added | UnknownTopics | CheckFailed:
    """Check the feed at ``url`` once, then add it with ``topics``."""
    async with services.db.sessions() as session:
        known = [t.slug for t in await list_topics(session)]
    unknown = [t for t in topics if t not in known]
    if unknown:
        return UnknownTopics(unknown, known)
    try:
        check = await check_feed(services.feed_fetcher(), services.ingest_analyser(), url)
    except (FetchError, FeedError) as error:
        return CheckFailed(str(error))
    spec = SourceSpec(
        name=(check.title or host_of(url) or url)[:200],
        url=url,
        topics=tuple(dict.fromkeys(topics)),
        language=check.language,
    )
    async with services.db.sessions.begin() as session:
        source, created = await add_source(session, spec, added_by=user_id, now=now)
    log.info("admin %s added source #%s %s", user_id, source.id, url)
    return Added(source, created, check.title, check.entries, check.newest_title)


async def remove(services: Services, key: str, user_id: int | None, reason: str) -> Source | None:
    """Stop fetching the source ``key`` names (an id or a URL); its articles stay."""
    async with services.db.sessions.begin() as session:
        source = await find_source(session, key)
        if source is None:
            return None
        await disable_source(session, source.id, reason=reason)
    log.info("admin %s removed source #%s %s", user_id, source.id, source.url)
    return source


async def every_source(services: Services) -> list[Source]:
    async with services.db.sessions() as session:
        return await list_sources(session)


async def import_file(
    services: Services, data: bytes, user_id: int, now: datetime, max_bytes: int
) -> ImportReport:
    """Import an OPML file's feeds (``ingest.opml.OpmlError`` when it is not one)."""
    return await import_opml(
        services.db,
        data,
        added_by=user_id,
        now=now,
        max_bytes=max_bytes,
        screen=services.outbound_policy(for_feeds=True).refusal,
    )
