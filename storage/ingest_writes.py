"""The write side of ingest: what is already known, storing new articles, stories, pruning.

Functions take a session and never commit. Batches are sized by the caller; every
lookup takes many keys at once so a cycle costs a few queries per source, not per item.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Container, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, and_, bindparam, delete, func, or_, select, text, union_all, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts, rows_affected
from storage.engine import Database
from storage.models import (
    Article,
    ArticleTombstone,
    IngestRun,
    StoryKey,
)

#: Rows per IN (…) list or multi-row INSERT: below SQLite's and asyncpg's parameter caps.
CHUNK = 500
#: pg_try_advisory_lock(key, key) of the ingest cycle: "news" in ASCII, and the
#: database and schema, so the lock is per deployment.
INGEST_LOCK_KEY = 0x6E657773
_LOCK_ARGS = f"{INGEST_LOCK_KEY}, hashtext(current_database() || '.' || current_schema())"


_T = TypeVar("_T")
_ARTICLES = cast(Table, Article.__table__)


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tombstone_key(kind: str, value: str) -> str:
    """The key a pruned article leaves behind: ``url``, ``guid`` (per source) or ``hash``."""
    return hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest()


def guid_key(source_id: int | None, guid: str) -> str:
    return f"{source_id}\x00{guid}"


@dataclass(frozen=True)
class Known:
    """Which of a batch's URLs and guids are stored (or were stored and pruned)."""

    urls: frozenset[str]
    guids: frozenset[str]


async def known_entries(
    session: AsyncSession, *, source_id: int, urls: Sequence[str], guids: Sequence[str]
) -> Known:
    """The URLs (any source) and guids (this source) among these already stored or pruned.

    Two statements whatever the batch: one over the unique indexes of articles, one over
    the tombstones (run once per source per cycle, so every round trip counts).
    """
    found_urls: set[str] = set()
    found_guids: set[str] = set()
    for url_chunk, guid_chunk in _paired_chunks(urls, guids):
        rows = await session.execute(
            select(Article.url, Article.guid, Article.source_id).where(
                or_(
                    Article.url.in_(url_chunk),
                    and_(Article.source_id == source_id, Article.guid.in_(guid_chunk)),
                )
            )
        )
        for url, guid, row_source in rows:
            found_urls.add(url)
            if guid is not None and row_source == source_id:
                found_guids.add(guid)
    found_urls &= set(urls)
    found_guids &= set(guids)
    pruned = {tombstone_key("url", u): ("url", u) for u in urls if u not in found_urls}
    pruned |= {
        tombstone_key("guid", guid_key(source_id, g)): ("guid", g)
        for g in guids
        if g not in found_guids
    }
    for chunk in _chunks(list(pruned)):
        for key in (
            await session.scalars(
                select(ArticleTombstone.key).where(ArticleTombstone.key.in_(chunk))
            )
        ).all():
            kind, value = pruned[key]
            (found_urls if kind == "url" else found_guids).add(value)
    return Known(urls=frozenset(found_urls), guids=frozenset(found_guids))


def _paired_chunks(
    first: Sequence[str], second: Sequence[str]
) -> Iterable[tuple[Sequence[str], Sequence[str]]]:
    for start in range(0, max(len(first), len(second), 1), CHUNK):
        yield first[start : start + CHUNK], second[start : start + CHUNK]


async def known_hashes(session: AsyncSession, hashes: Sequence[str]) -> frozenset[str]:
    """The content hashes among these already stored or pruned (one statement)."""
    found: set[str] = set()
    for chunk in _chunks(list(hashes)):
        stones = {tombstone_key("hash", h): h for h in chunk}
        rows = await session.scalars(
            union_all(
                select(Article.content_hash).where(Article.content_hash.in_(chunk)),
                select(ArticleTombstone.key).where(ArticleTombstone.key.in_(list(stones))),
            )
        )
        found.update(stones.get(value, value) for value in rows.all())
    return frozenset(found)


@dataclass(frozen=True)
class StoryCandidate:
    article_id: int
    story_id: int
    title: str
    text: str
    published_at: datetime


#: Articles of one story compared with a new article: its newest few are enough, and a
#: story told by hundreds of outlets must not cost hundreds of comparisons.
MEMBERS_PER_STORY = 3


async def articles_sharing_story_keys(
    session: AsyncSession,
    keys: Sequence[int],
    *,
    since: datetime,
    until: datetime,
    text_known: Container[int] = (),
    text_chars: int = 2000,
) -> dict[int, list[StoryCandidate]]:
    """Stored articles sharing any of ``keys`` and published in [since, until], by key.

    At most :data:`MEMBERS_PER_STORY` (the newest) per story. Texts are loaded only for
    articles not in ``text_known`` (the caller already has their story words); the
    others come back with an empty ``text``.
    """
    found: dict[int, tuple[int, datetime]] = {}  # article id → (story id, published)
    by_key: dict[int, list[int]] = {}
    for chunk in _chunks(sorted(set(keys))):
        # Rank each story's articles per key in SQL, so a story told by hundreds of
        # outlets sends back its newest few rows per key, not hundreds.
        rank = (
            func.row_number()
            .over(
                partition_by=(StoryKey.key, Article.story_id),
                order_by=StoryKey.published_at.desc(),
            )
            .label("rank")
        )
        ranked = (
            select(StoryKey.key, StoryKey.article_id, Article.story_id, StoryKey.published_at, rank)
            .join(Article, Article.id == StoryKey.article_id)
            .where(
                StoryKey.key.in_(chunk),
                StoryKey.published_at >= since,
                StoryKey.published_at <= until,
            )
            .subquery()
        )
        rows = await session.execute(
            select(
                ranked.c.key, ranked.c.article_id, ranked.c.story_id, ranked.c.published_at
            ).where(ranked.c.rank <= MEMBERS_PER_STORY)
        )
        for row in rows:
            article_id = int(row[1])
            found[article_id] = (int(row[2] or article_id), row[3])
            by_key.setdefault(int(row[0]), []).append(article_id)
    members: dict[int, list[int]] = {}
    for article_id, (story_id, _) in sorted(found.items(), key=lambda i: i[1][1], reverse=True):
        kept = members.setdefault(story_id, [])
        if len(kept) < MEMBERS_PER_STORY:
            kept.append(article_id)
    chosen = {i for kept in members.values() for i in kept}
    articles: dict[int, StoryCandidate] = {
        i: StoryCandidate(i, found[i][0], "", "", found[i][1]) for i in chosen
    }
    for chunk in _chunks(sorted(i for i in chosen if i not in text_known)):
        heads = await session.execute(
            select(Article.id, Article.title, func.substr(Article.text, 1, text_chars)).where(
                Article.id.in_(chunk)
            )
        )
        for row in heads:
            article_id = int(row[0])
            articles[article_id] = replace(
                articles[article_id], title=str(row[1]), text=str(row[2] or "")
            )
    return {
        key: [articles[i] for i in article_ids if i in articles]
        for key, article_ids in by_key.items()
    }


@dataclass(frozen=True)
class NewArticle:
    url: str
    guid: str | None
    source_id: int | None
    title: str
    text: str
    summary: Sequence[str]
    summary_positions: Sequence[int]
    language: str | None
    published_at: datetime
    fetched_at: datetime
    content_hash: str
    topics: Sequence[str]
    terms: Iterable[str]
    story_keys: Sequence[int]


#: Articles per INSERT call.
ARTICLE_ROWS = 200


def _insert_articles_statement(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    insert_into = postgresql.insert if dialect == "postgresql" else sqlite_dialect.insert
    return (
        insert_into(_ARTICLES).on_conflict_do_nothing().returning(_ARTICLES.c.id, _ARTICLES.c.url)
    )


async def insert_articles(
    session: AsyncSession,
    articles: Sequence[NewArticle],
    *,
    stories: Sequence[int | None],
    same_story_as: Sequence[int | None],
) -> list[int | None]:
    """Store a batch of articles with their topics, terms and story keys.

    For each article, ``stories[i]`` is the id of a stored story it joins, or
    ``same_story_as[i]`` the index of an earlier article of this batch whose story it
    joins, or both None to start a story of its own (``story_id`` = its own id). Returns
    each article's new id, or None when a unique URL, guid or content hash was already
    stored (by a concurrent writer too): then nothing of it is written.

    A handful of statements per batch, whatever its size: this is ingest's hot path.
    """
    ids: dict[str, int] = {}
    for chunk in _chunks(list(zip(articles, stories, strict=True)), ARTICLE_ROWS):
        rows = [
            {
                "url": a.url,
                "guid": a.guid,
                "source_id": a.source_id,
                "title": a.title,
                "text": a.text,
                "summary": list(a.summary),
                "summary_positions": list(a.summary_positions),
                "language": a.language,
                "published_at": a.published_at,
                "fetched_at": a.fetched_at,
                "content_hash": a.content_hash,
                "story_id": story,
            }
            for a, story in chunk
        ]
        # executemany: one compiled statement, batched by SQLAlchemy ("insertmanyvalues").
        result = await session.execute(_insert_articles_statement(session), rows)
        ids.update({str(row[1]): int(row[0]) for row in result})
    new_ids = [ids.get(a.url) for a in articles]
    # Story ids that were not known before the insert: the batch's own new stories.
    story_of: list[int | None] = list(stories)
    updates: list[dict[str, Any]] = []
    for i, article_id in enumerate(new_ids):
        if article_id is None or story_of[i] is not None:
            continue
        root = same_story_as[i]
        story = story_of[root] if root is not None and new_ids[root] is not None else None
        story_of[i] = story if story is not None else article_id
        updates.append({"row_id": article_id, "new_story": story_of[i]})
    if updates:
        await session.execute(
            update(_ARTICLES)
            .where(_ARTICLES.c.id == bindparam("row_id"))
            .values(story_id=bindparam("new_story")),
            updates,
        )
    sqlite = session.get_bind().dialect.name == "sqlite"
    links: list[tuple[Any, int, datetime]] = []
    terms: list[tuple[Any, int, datetime]] = []
    keys: list[tuple[Any, int, datetime]] = []
    for article, article_id in zip(articles, new_ids, strict=True):
        if article_id is None:
            continue
        # Stored the way UTCDateTime stores it: naive UTC on SQLite, aware on PostgreSQL.
        stamp = article.published_at.astimezone(UTC)
        if sqlite:
            stamp = stamp.replace(tzinfo=None)
        links += [(t, article_id, stamp) for t in dict.fromkeys(article.topics)]
        terms += [(t, article_id, stamp) for t in set(article.terms)]
        keys += [(k, article_id, stamp) for k in set(article.story_keys)]
    await _insert_links(session, "article_topics", "topic_slug", links, sqlite=sqlite)
    # In key order: consecutive rows land on the same B-tree pages.
    terms.sort()
    keys.sort()
    await _insert_links(session, "article_terms", "term", terms, sqlite=sqlite)
    await _insert_links(session, "story_keys", "key", keys, sqlite=sqlite)
    return new_ids


async def _insert_links(
    session: AsyncSession,
    table: str,
    column: str,
    rows: list[tuple[Any, int, datetime]],
    *,
    sqlite: bool,
) -> None:
    """executemany of (value, article_id, published_at) rows straight through the driver.

    These three tables take ~80 rows per article; SQLAlchemy's per-row parameter
    processing cost more than everything else ingest does in the main process, so the
    rows go to the driver as plain tuples.
    """
    if not rows:
        return
    marks = "?, ?, ?" if sqlite else "$1, $2, $3"
    statement = f"INSERT INTO {table} ({column}, article_id, published_at) VALUES ({marks})"
    connection = await session.connection()
    await connection.exec_driver_sql(statement, rows)


async def prune_articles(session: AsyncSession, *, before: datetime, now: datetime) -> int:
    """Delete articles published before ``before``; leave tombstones; return how many.

    Deliveries have no foreign key to articles, so the ledger keeps what readers got.
    Tombstones (URL, guid, content hash) stop a feed that still lists a pruned article
    from adding it again as new; they are kept as long as articles are.
    """
    total = 0
    while True:
        rows = (
            await session.execute(
                select(
                    Article.id, Article.url, Article.guid, Article.source_id, Article.content_hash
                )
                .where(Article.published_at < before)
                .limit(CHUNK)
            )
        ).all()
        if not rows:
            break
        stones: dict[str, datetime] = {}
        for _id, url, guid, source_id, digest in rows:
            stones[tombstone_key("url", url)] = now
            stones[tombstone_key("hash", digest)] = now
            if guid:
                stones[tombstone_key("guid", guid_key(source_id, guid))] = now
        await session.execute(
            insert_ignoring_conflicts(
                session,
                ArticleTombstone,
                [{"key": k, "pruned_at": t} for k, t in stones.items()],
            )
        )
        ids = [r[0] for r in rows]
        await session.execute(delete(Article).where(Article.id.in_(ids)))
        total += len(ids)
    return total


async def prune_tombstones(session: AsyncSession, *, before: datetime) -> int:
    return await rows_affected(
        session, delete(ArticleTombstone).where(ArticleTombstone.pruned_at < before)
    )


async def start_ingest_run(session: AsyncSession, *, now: datetime) -> IngestRun:
    run = IngestRun(
        started_at=now,
        sources_fetched=0,
        sources_not_modified=0,
        sources_failed=0,
        articles_new=0,
        articles_duplicate=0,
        stories_merged=0,
    )
    session.add(run)
    await session.flush()
    return run


async def finish_ingest_run(
    session: AsyncSession,
    run_id: int,
    *,
    finished_at: datetime,
    sources_fetched: int,
    sources_not_modified: int,
    sources_failed: int,
    articles_new: int,
    articles_duplicate: int,
    stories_merged: int,
    error: str | None = None,
) -> None:
    run = await session.get(IngestRun, run_id)
    if run is None:
        return
    run.finished_at = finished_at
    run.sources_fetched = sources_fetched
    run.sources_not_modified = sources_not_modified
    run.sources_failed = sources_failed
    run.articles_new = articles_new
    run.articles_duplicate = articles_duplicate
    run.stories_merged = stories_merged
    run.error = error
    await session.flush()


@asynccontextmanager
async def ingest_lock(db: Database) -> AsyncIterator[bool]:
    """Whether this process may ingest now (PostgreSQL: a session advisory lock).

    Several bot processes share one PostgreSQL database; only the one holding the lock
    runs a cycle, the others skip theirs. The lock is per database and schema, so two
    deployments on one server never block each other. SQLite means one process: True.
    """
    if db.is_sqlite:
        yield True
        return
    async with db.engine.connect() as conn:
        got = bool(await conn.scalar(text(f"SELECT pg_try_advisory_lock({_LOCK_ARGS})")))
        await conn.commit()
        try:
            yield got
        finally:
            if got:
                await conn.execute(text(f"SELECT pg_advisory_unlock({_LOCK_ARGS})"))
                await conn.commit()


__all__ = [
    "Known",
    "NewArticle",
    "StoryCandidate",
    "articles_sharing_story_keys",
    "finish_ingest_run",
    "ingest_lock",
    "insert_articles",
    "known_entries",
    "known_hashes",
    "prune_articles",
    "prune_tombstones",
    "start_ingest_run",
    "tombstone_key",
]
