"""/latest and /search: pages of stored stories for a chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions.languages import news_filter
from bot.actions.mutes import matcher_for
from bot.actions.topics_lookup import UnknownTopic, topic_or_unknown
from digest.mutes import MuteMatcher, StoryTexts
from storage.articles import latest_stories, query_terms, query_words, search_stories
from storage.engine import Database
from storage.keys import ReaderRef
from storage.models import Topic
from storage.readers import get_reader
from storage.topics import find_topic
from stories import Story

DEFAULT_SENTENCES = 3
SEARCH_RESULTS = 5
#: With muted words, stories are read in batches this many times the page, and at
#: most this many batches: a page stays full unless nearly everything is muted.
MUTED_BATCH_FACTOR = 3
MUTED_MAX_BATCHES = 4


@dataclass(frozen=True)
class LatestPage:
    """One page of /latest: the stories shown, and where a "More" page would start."""

    topic_name: str | None
    topic_slug: str | None
    stories: list[Story]
    sentences: int
    more_after: int | None
    """The last shown article when more stories follow it, else None."""


@dataclass(frozen=True)
class SearchResult:
    stories: list[Story]
    sentences: int


class TopicGone(Exception):
    """The topic of a "More" button was removed from the catalogue meanwhile."""


async def find_latest_topic(db: Database, typed: str | None) -> Topic | UnknownTopic | None:
    """The topic /latest asks for (None: all topics)."""
    if typed is None:
        return None
    async with db.sessions() as session:
        return await topic_or_unknown(session, typed)


async def latest_page(
    db: Database,
    key: ReaderRef,
    topic: Topic | None,
    count: int,
    after_article: int | None,
    *,
    now: datetime | None = None,
) -> LatestPage:
    """The newest ``count`` stories (of ``topic``) after ``after_article``, in the
    reader's news languages (``now`` dates which languages are on offer), leaving out
    what the reader muted."""
    async with db.sessions() as session:
        reader = await get_reader(session, key)
        languages = await news_filter(session, reader, now or datetime.now(UTC))
        matcher = await matcher_for(session, key)
        shown, more_after = await _unmuted_latest(
            session, topic.slug if topic else None, count, after_article, matcher, languages
        )
    return LatestPage(
        topic_name=topic.name if topic else None,
        topic_slug=topic.slug if topic else None,
        stories=shown,
        sentences=reader.summary_length if reader is not None else DEFAULT_SENTENCES,
        more_after=more_after,
    )


async def _unmuted_latest(
    session: AsyncSession,
    slug: str | None,
    count: int,
    after_article: int | None,
    matcher: MuteMatcher,
    languages: frozenset[str] | None,
) -> tuple[list[Story], int | None]:
    """Up to ``count`` stories nobody muted, and where a "More" page would start (None
    when nothing unmuted follows them).

    One story more than shown is looked for: whether "More" has anything behind it, so a
    muted story never makes a "More" button alone. With muted words, stories are read in
    batches until the page is full; if the last batch ends before that, "More" starts
    after the last story read.
    """
    texts = StoryTexts()
    batch = count + 1 if not matcher else (count + 1) * MUTED_BATCH_FACTOR
    kept: list[Story] = []
    cursor = after_article
    for _ in range(MUTED_MAX_BATCHES):
        stories = await latest_stories(
            session, topic_slug=slug, limit=batch, after_article=cursor, languages=languages
        )
        for story in stories:
            cursor = story.article_id
            if not texts.muted(matcher, story):
                kept.append(story)
                if len(kept) > count:
                    return kept[:count], kept[count - 1].article_id
        if len(stories) < batch:
            return kept, None  # nothing older: the listing ends here
    # Every batch read and still short of a full page: let "More" look further.
    return kept, cursor if kept else None


async def more_page(
    db: Database,
    key: ReaderRef,
    count: int,
    after_article: int,
    slug: str | None,
    *,
    now: datetime | None = None,
) -> LatestPage:
    """The page a "More" button asks for; :class:`TopicGone` if its topic went."""
    topic = None
    if slug is not None:
        async with db.sessions() as session:
            topic = await find_topic(session, slug)
        if topic is None:
            raise TopicGone(slug)
    return await latest_page(db, key, topic, count, after_article, now=now)


def search_problem(text: str) -> str | None:
    """Why ``text`` cannot be searched ("empty", "no_words", "too_common"), or None."""
    if query_terms(text):
        return None
    if not text:
        return "empty"
    if not query_words(text):
        return "no_words"
    return "too_common"  # only words such as "the" or "and", which the index leaves out


async def search(
    db: Database, key: ReaderRef, text: str, *, now: datetime | None = None
) -> SearchResult:
    """Stored stories that contain every word of ``text``, in the reader's news languages,
    leaving out what the reader muted."""
    async with db.sessions() as session:
        reader = await get_reader(session, key)
        languages = await news_filter(session, reader, now or datetime.now(UTC))
        matcher = await matcher_for(session, key)
        stories = await _unmuted_search(session, text, matcher, languages)
    sentences = reader.summary_length if reader is not None else DEFAULT_SENTENCES
    return SearchResult(stories, sentences)


async def _unmuted_search(
    session: AsyncSession, text: str, matcher: MuteMatcher, languages: frozenset[str] | None
) -> list[Story]:
    """:data:`SEARCH_RESULTS` stories nobody muted: with muted words, ask for more
    results until enough are left or the search has no more to give."""
    if not matcher:
        return await search_stories(session, text, limit=SEARCH_RESULTS, languages=languages)
    texts = StoryTexts()
    limit = SEARCH_RESULTS * MUTED_BATCH_FACTOR
    for _ in range(MUTED_MAX_BATCHES):
        found = await search_stories(session, text, limit=limit, languages=languages)
        kept = [story for story in found if not texts.muted(matcher, story)]
        if len(kept) >= SEARCH_RESULTS or len(found) < limit:
            return kept[:SEARCH_RESULTS]
        limit *= MUTED_BATCH_FACTOR
    return kept[:SEARCH_RESULTS]
