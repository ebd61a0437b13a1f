"""Lookups behind "stories never come back" (``digest.returns``): ledger items in full,
what a delivered article said, and articles of other stories sharing a story key.

Functions take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.keys import ReaderKey
from storage.models import Article, Delivery, Digest, StoryKey

#: Ids per IN list, well under SQLite's bound-parameter limit.
_CHUNK = 1000


class Sent(NamedTuple):
    """One item of the ledger, as the story-returns decision needs it."""

    article_id: int
    story_id: int | None
    delivered_at: datetime
    #: The due time of the digest that carried it (None: no digest row any more).
    due_at: datetime | None
    outlets: int | None
    is_update: bool


async def sends_of(
    session: AsyncSession, wanted: Mapping[ReaderKey, Iterable[int]]
) -> dict[ReaderKey, list[Sent]]:
    """The ledger items ``{reader: article ids}`` in full, through the (chat, article) key.

    Rows are read per chat (an index prefix on both databases) and sorted to the chat's
    forum topics here."""
    found: dict[ReaderKey, list[Sent]] = {key: [] for key in wanted}
    pairs = {(k.chat_id, k.thread_id, a) for k, articles in wanted.items() for a in articles}
    chats = sorted({k.chat_id for k in wanted if wanted[k]})
    for start in range(0, len(chats), _CHUNK):
        chunk = chats[start : start + _CHUNK]
        members = set(chunk)
        articles = sorted({a for c, _t, a in pairs if c in members})
        for first in range(0, len(articles), _CHUNK):
            query = (
                select(
                    Delivery.chat_id,
                    Delivery.thread_id,
                    Delivery.article_id,
                    Delivery.story_id,
                    Delivery.delivered_at,
                    Digest.due_at,
                    Delivery.outlets,
                    Delivery.is_update,
                )
                .outerjoin(Digest, Digest.id == Delivery.digest_id)
                .where(
                    Delivery.chat_id.in_(chunk),
                    Delivery.article_id.in_(articles[first : first + _CHUNK]),
                )
            )
            rows = await session.execute(query)
            for chat, thread, article, story, delivered, due, outlets, update_ in rows:
                if (int(chat), int(thread), int(article)) not in pairs:
                    continue
                found[ReaderKey(int(chat), int(thread))].append(
                    Sent(
                        int(article),
                        None if story is None else int(story),
                        delivered,
                        due,
                        None if outlets is None else int(outlets),
                        bool(update_),
                    )
                )
    return found


async def article_heads(
    session: AsyncSession, article_ids: Iterable[int], *, text_chars: int = 0
) -> dict[int, tuple[str, tuple[str, ...], str]]:
    """Title, summary and the first ``text_chars`` of the text of each stored article."""
    ids = sorted(set(article_ids))
    found: dict[int, tuple[str, tuple[str, ...], str]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(
            Article.id, Article.title, Article.summary, func.substr(Article.text, 1, text_chars)
        ).where(Article.id.in_(chunk))
        for article_id, title, summary, text in await session.execute(query):
            found[int(article_id)] = (str(title), tuple(summary or ()), str(text or ""))
    return found


async def story_key_neighbours(
    session: AsyncSession, article_ids: Iterable[int], *, since: datetime
) -> dict[int, set[tuple[int, int]]]:
    """Articles of other stories sharing a story key with each of ``article_ids``.

    ``{article id: {(other article id, its story id)}}``, others published since
    ``since``. The same band lookup ingest makes (``ingest.dedupe``), here over days: one
    probe of the ``story_keys`` primary key per key, never all pairs.
    """
    ids = sorted(set(article_ids))
    found: dict[int, set[tuple[int, int]]] = {i: set() for i in ids}
    mine = StoryKey.__table__.alias("mine")
    other = StoryKey.__table__.alias("other")
    story = func.coalesce(Article.story_id, Article.id)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = (
            select(mine.c.article_id, other.c.article_id, story)
            .select_from(mine)
            .join(other, and_(other.c.key == mine.c.key, other.c.published_at >= since))
            .join(Article, Article.id == other.c.article_id)
            .where(mine.c.article_id.in_(chunk), other.c.article_id != mine.c.article_id)
            .distinct()
        )
        for own, theirs, their_story in await session.execute(query):
            found[int(own)].add((int(theirs), int(their_story)))
    return found
