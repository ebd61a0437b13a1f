"""Queries that read stored articles for readers: /latest, /search, stats.

What a reader sees is a :class:`Story`: the newest article of a story, with how many
other outlets told it. Words are found on ``article_terms`` (written by ingest, see
``storage.ingest_writes``), never by matching patterns in the articles' text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, defer

from storage.models import Article, ArticleTerm, ArticleTopic, IngestRun, Source
from stories import Story

#: A word, apostrophes inside it included: "Ukraine’s" is one word (whose possessive
#: term_of drops), not "Ukraine" and a stray "s" that would be the commonest term of all.
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def in_news_languages(languages: Collection[str]) -> ColumnElement[bool]:
    """Articles in one of ``languages``, or of unknown language (never hidden: nothing
    says the reader cannot read them)."""
    return or_(Article.language.is_(None), Article.language.in_(sorted(languages)))


async def news_languages_on_offer(session: AsyncSession, *, since: datetime) -> set[str]:
    """The languages readers can choose from: those of articles published since ``since``
    and those the operator declared for enabled sources."""
    recent = (
        select(Article.language)
        .where(Article.published_at >= since, Article.language.is_not(None))
        .distinct()
    )
    declared = (
        select(Source.language)
        .where(Source.enabled.is_(True), Source.language.is_not(None))
        .distinct()
    )
    found = set((await session.scalars(recent)).all()) | set(
        (await session.scalars(declared)).all()
    )
    return {code for code in found if code}


async def languages_with_news(
    session: AsyncSession, languages: Collection[str], *, since: datetime
) -> set[str]:
    """Which of ``languages`` have articles published since ``since`` or an enabled source
    declared in them: one index lookup each (``ix_articles_language_published``)."""
    found: set[str] = set()
    for language in sorted(set(languages)):
        recent = select(Article.id).where(
            Article.language == language, Article.published_at >= since
        )
        declared = select(Source.id).where(Source.enabled.is_(True), Source.language == language)
        if await session.scalar(recent.limit(1)) is not None or (
            await session.scalar(declared.limit(1)) is not None
        ):
            found.add(language)
    return found


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
    term = word.casefold().replace("’", "'").removesuffix("'s")
    if len(term) > 4 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
        term = term[:-1]
    if not term or term in STOP_WORDS or len(term) > 64:
        return None
    return term


def terms_of(text: str) -> set[str]:
    """Every distinct index term of ``text``."""
    return {t for t in (term_of(w) for w in _WORD.findall(text)) if t is not None}


def terms_in_order(text: str) -> list[str]:
    """The index terms of ``text`` in the order they appear (repeats included)."""
    return [t for t in (term_of(w) for w in _WORD.findall(text)) if t is not None]


def query_terms(text: str) -> list[str]:
    """The index terms of a reader's query (see :func:`term_of`), rarest-looking first.

    Longer words are rarer in news text, so the longest term drives the lookup and the
    others are point lookups beside it: the fewer rows the first term has, the less is read.
    """
    terms = {t for t in (term_of(w) for w in query_words(text)) if t is not None}
    return sorted(terms, key=lambda t: (-len(t), t))


def _matching(terms: Sequence[str]) -> tuple[type[ArticleTerm], Select[int, datetime]]:
    """(driving alias, query of (article_id, published_at)) with every term, newest first.

    One alias of ``article_terms`` per term, each joined on the whole primary key of the
    first: the first term's slice of the key is read newest first and each other term is
    a point lookup, so a LIMIT stops the scan as soon as enough articles matched.
    """
    first, *others = (aliased(ArticleTerm) for _ in terms)
    query = select(first.article_id, first.published_at).where(first.term == terms[0])
    for alias, term in zip(others, terms[1:], strict=True):
        query = query.join(
            alias,
            and_(
                alias.term == term,
                alias.published_at == first.published_at,
                alias.article_id == first.article_id,
            ),
        )
    return first, query.order_by(first.published_at.desc(), first.article_id.desc())


async def articles_matching_words(
    session: AsyncSession,
    words: str,
    *,
    since: datetime,
    limit: int,
    languages: Collection[str] | None = None,
) -> list[int]:
    """Ids of articles published since ``since`` whose title or summary has every word.

    For keyword subscriptions ("ukraine ceasefire"): plain word matching on the
    ``article_terms`` index, newest first. Nothing the reader types is a pattern.
    ``languages``: only articles in these (or of unknown language); None: any.
    """
    terms = query_terms(words)
    if not terms or limit <= 0:
        return []
    first, query = _matching(terms)
    query = query.where(first.published_at >= since)
    if languages is not None:
        query = query.join(Article, Article.id == first.article_id).where(
            in_news_languages(languages)
        )
    rows = await session.execute(query.limit(limit))
    return [int(article_id) for article_id, _published in rows]


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
            source=names.get(a.source_id) if a.source_id is not None else None,
            published_at=a.published_at,
            topics=tuple(topics.get(a.id, ())),
            outlets=max(1, int(outlets.get(a.story_id or a.id, 1))),
            summary_positions=tuple(a.summary_positions or ()),
        )
        for a in articles
    ]


def _latest_query(
    topic_slug: str | None, since: datetime | None, languages: Collection[str] | None
) -> Select[Article]:
    """Articles newest first, optionally of one topic, not older than ``since`` and in
    ``languages``."""
    query = select(Article).order_by(Article.published_at.desc(), Article.id.desc())
    if languages is not None:
        query = query.where(in_news_languages(languages))
    if topic_slug is not None:
        query = query.join(ArticleTopic, ArticleTopic.article_id == Article.id).where(
            ArticleTopic.topic_slug == topic_slug
        )
    if since is not None:
        query = query.where(Article.published_at >= since)
    return query


async def latest_stories(
    session: AsyncSession,
    *,
    topic_slug: str | None = None,
    limit: int = 5,
    since: datetime | None = None,
    after_article: int | None = None,
    languages: Collection[str] | None = None,
) -> list[Story]:
    """The newest stories, optionally of one topic, one item per story.

    ``languages``: only articles in these (or of unknown language); None: any.

    ``after_article`` continues a listing (its next page) after the item of that
    article: stories older than it, leaving out every story the listing showed up to
    it. Nothing when that article is gone (pruned).
    """
    query = _latest_query(topic_slug, since, languages)
    if after_article is not None:
        # Only the mark's place in the order is needed, not its text.
        marked_at = await session.scalar(
            select(Article.published_at).where(Article.id == after_article)
        )
        if marked_at is None:
            return []
        older = or_(
            Article.published_at < marked_at,
            and_(Article.published_at == marked_at, Article.id < after_article),
        )
        # The listing showed each story at its newest matching article, so a story
        # with a matching article up to the mark has been shown already (keyset paging
        # by itself would show it again, at an older article of the same story).
        shown = (
            _latest_query(topic_slug, since, languages)
            .where(~older, Article.story_id.is_not(None))
            .with_only_columns(Article.story_id)
            .order_by(None)
        )
        query = query.where(older, or_(Article.story_id.is_(None), Article.story_id.not_in(shown)))
    return await _stories(session, query, limit)


#: At most this many matching articles are read for one search, however few stories
#: they make (a story told by hundreds of outlets must not turn into a scan).
SEARCH_MAX_ARTICLES = 2000


async def search_stories(
    session: AsyncSession,
    text: str,
    *,
    limit: int = 5,
    languages: Collection[str] | None = None,
) -> list[Story]:
    """Stories whose title or summary has every word of ``text``, newest first.

    ``languages``: only articles in these (or of unknown language); None: any.

    Words are whole words on the ``article_terms`` index (the same normalisation as
    keyword subscriptions: "Ceasefires" finds "ceasefire"; stop words are ignored), over
    every stored article: the index reads only the rows of the query's words, never the
    articles' text. One item per story: its newest matching article.
    """
    terms = query_terms(text)
    if not terms or limit <= 0:
        return []
    first, matching = _matching(terms)
    chosen: list[int] = []
    seen: set[int] = set()
    after: tuple[datetime, int] | None = None
    page_size, read = limit * 4, 0
    while len(chosen) < limit and read < SEARCH_MAX_ARTICLES:
        page = matching
        if after is not None:  # keyset paging: strictly older than the last row read
            page = page.where(
                or_(
                    first.published_at < after[0],
                    and_(first.published_at == after[0], first.article_id < after[1]),
                )
            )
        # The page is cut on the index alone; only its rows are looked up in articles.
        found = page.limit(page_size).subquery()
        with_story = (
            select(found.c.article_id, found.c.published_at, Article.story_id, Article.language)
            .join(Article, Article.id == found.c.article_id)
            .order_by(found.c.published_at.desc(), found.c.article_id.desc())
        )
        rows = (await session.execute(with_story)).all()
        for article_id, _published, story_id, language in rows:
            # Filtered here, not in SQL: the page must stay a whole page of the index
            # for the paging below to know when the index is exhausted.
            if languages is not None and language is not None and language not in languages:
                continue
            story = story_id or article_id
            if story not in seen:
                seen.add(story)
                chosen.append(article_id)
                if len(chosen) == limit:
                    break
        if len(rows) < page_size:
            break
        read += len(rows)
        after = (rows[-1][1], rows[-1][0])
        page_size = min(page_size * 4, SEARCH_MAX_ARTICLES)  # a big story: read further ahead
    if not chosen:
        return []
    # The text is not shown: leave it (up to 100,000 characters each) in the database.
    load = select(Article).where(Article.id.in_(chosen)).options(defer(Article.text))
    articles = {a.id: a for a in await session.scalars(load)}
    return await stories_for(session, [articles[i] for i in chosen if i in articles])


async def count_articles(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Article)) or 0)


async def last_ingest_run(session: AsyncSession) -> IngestRun | None:
    query = select(IngestRun).order_by(IngestRun.started_at.desc()).limit(1)
    return (await session.scalars(query)).first()
