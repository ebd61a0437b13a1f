"""Queries that read stored articles for readers: /latest, /search, stats.

What a reader sees is a :class:`Story`: the newest article of a story, with how many
other outlets told it. The write side (ingest: dedupe, stories, full-text index) lives
beside this module and may replace the matching below with a full-text index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, ArticleTerm, ArticleTopic, IngestRun, Source


@dataclass(frozen=True)
class Story:
    """One item a reader sees: the representative article of a story."""

    article_id: int
    story_id: int
    url: str
    title: str
    summary: tuple[str, ...]
    source_name: str | None
    published_at: datetime
    topics: tuple[str, ...]
    #: How many other outlets' articles tell the same story ("+2 more sources").
    more_sources: int = 0
    #: Where each summary sentence stands in the article (see :meth:`summary_for`).
    summary_positions: tuple[int, ...] = ()

    def summary_for(self, sentences: int) -> tuple[str, ...]:
        """The ``sentences``-sentence summary in reading order.

        ``summary`` is stored best first, so its first k sentences are the k-sentence
        summary; they are put back in the article's order here.
        """
        chosen = list(enumerate(self.summary[: max(sentences, 0)]))
        if len(self.summary_positions) == len(self.summary):
            chosen.sort(key=lambda item: self.summary_positions[item[0]])
        return tuple(sentence for _, sentence in chosen)


_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(text: str, *, max_words: int = 8) -> list[str]:
    """The words of a reader's query, lower-cased, without operators or punctuation."""
    return [w.lower() for w in _WORD.findall(text)][:max_words]


#: Words too common to say what an article is about; never indexed, dropped from queries.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "after",
        "over",
        "says",
        "said",
        "new",
    ]
)


def term_of(word: str) -> str | None:
    """The index form of one word (lower case, no possessive, crude singular), or None.

    The same function builds the index at ingest and reads the reader's query, so
    "Ceasefires" finds "ceasefire" without any language-specific stemmer.
    """
    term = word.casefold().removesuffix("'s").removesuffix("’s")
    if len(term) > 4 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
        term = term[:-1]
    if not term or term in STOP_WORDS or len(term) > 64:
        return None
    return term


def terms_of(text: str) -> set[str]:
    """Every distinct index term of ``text``."""
    return {t for t in (term_of(w) for w in _WORD.findall(text)) if t is not None}


async def articles_matching_words(
    session: AsyncSession, words: str, *, since: datetime, limit: int
) -> list[int]:
    """Ids of articles published since ``since`` whose title or summary has every word.

    For keyword subscriptions ("ukraine ceasefire"): plain word matching on the
    ``article_terms`` index, newest first. Nothing the reader types is a pattern.
    """
    terms = sorted({t for t in (term_of(w) for w in query_words(words)) if t is not None})
    if not terms or limit <= 0:
        return []
    newest = func.max(ArticleTerm.published_at)
    query = (
        select(ArticleTerm.article_id)
        .where(ArticleTerm.term.in_(terms), ArticleTerm.published_at >= since)
        .group_by(ArticleTerm.article_id)
        .having(func.count() == len(terms))
        .order_by(newest.desc(), ArticleTerm.article_id.desc())
        .limit(limit)
    )
    return [int(i) for i in (await session.scalars(query)).all()]


async def _stories(session: AsyncSession, query: Select[Article], limit: int) -> list[Story]:
    """Run ``query`` (articles, best first) and keep the first article of each story."""
    # Over-fetch: several rows of the same story collapse into one item.
    rows = (await session.scalars(query.limit(limit * 4))).all()
    chosen: list[Article] = []
    seen: set[int] = set()
    for article in rows:
        story = article.story_id or article.id
        if story in seen:
            continue
        seen.add(story)
        chosen.append(article)
        if len(chosen) == limit:
            break
    return await stories_for(session, chosen)


async def stories_for(session: AsyncSession, articles: Sequence[Article]) -> list[Story]:
    """Build :class:`Story` items (with source names, topics, outlet counts) for articles."""
    if not articles:
        return []
    ids = [a.id for a in articles]
    story_ids = [a.story_id or a.id for a in articles]
    topics: dict[int, list[str]] = {}
    for article_id, slug in await session.execute(
        select(ArticleTopic.article_id, ArticleTopic.topic_slug)
        .where(ArticleTopic.article_id.in_(ids))
        .order_by(ArticleTopic.topic_slug)
    ):
        topics.setdefault(article_id, []).append(slug)
    outlets = dict(
        (
            await session.execute(
                select(Article.story_id, func.count(func.distinct(Article.source_id)))
                .where(Article.story_id.in_(story_ids))
                .group_by(Article.story_id)
            )
        ).all()
    )
    source_ids = {a.source_id for a in articles if a.source_id is not None}
    names = dict(
        (
            await session.execute(select(Source.id, Source.name).where(Source.id.in_(source_ids)))
        ).all()
    )
    return [
        Story(
            article_id=a.id,
            story_id=a.story_id or a.id,
            url=a.url,
            title=a.title,
            summary=tuple(a.summary),
            source_name=names.get(a.source_id) if a.source_id is not None else None,
            published_at=a.published_at,
            topics=tuple(topics.get(a.id, ())),
            more_sources=max(0, int(outlets.get(a.story_id or a.id, 1)) - 1),
            summary_positions=tuple(a.summary_positions or ()),
        )
        for a in articles
    ]


async def latest_stories(
    session: AsyncSession,
    *,
    topic_slug: str | None = None,
    limit: int = 5,
    since: datetime | None = None,
) -> list[Story]:
    """The newest stories, optionally of one topic, one item per story."""
    query = select(Article).order_by(Article.published_at.desc(), Article.id.desc())
    if topic_slug is not None:
        query = query.join(ArticleTopic, ArticleTopic.article_id == Article.id).where(
            ArticleTopic.topic_slug == topic_slug
        )
    if since is not None:
        query = query.where(Article.published_at >= since)
    return await _stories(session, query, limit)


async def search_stories(session: AsyncSession, text: str, *, limit: int = 5) -> list[Story]:
    """Stories whose title or text contains every word of ``text``, newest first."""
    words = query_words(text)
    if not words:
        return []
    conditions = [
        or_(
            func.lower(Article.title).contains(w, autoescape=True),
            func.lower(Article.text).contains(w, autoescape=True),
        )
        for w in words
    ]
    query = (
        select(Article)
        .where(and_(*conditions))
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    return await _stories(session, query, limit)


async def count_articles(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Article)) or 0)


async def last_ingest_run(session: AsyncSession) -> IngestRun | None:
    query = select(IngestRun).order_by(IngestRun.started_at.desc()).limit(1)
    return (await session.scalars(query)).first()
