"""/latest and /search: pages of stored stories for a chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.actions.languages import news_filter
from bot.actions.topics_lookup import UnknownTopic, topic_or_unknown
from storage.articles import latest_stories, query_terms, query_words, search_stories
from storage.engine import Database
from storage.models import Topic
from storage.readers import get_reader
from storage.topics import find_topic
from stories import Story

DEFAULT_SENTENCES = 3
SEARCH_RESULTS = 5


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
    chat_id: int,
    topic: Topic | None,
    count: int,
    after_article: int | None,
    *,
    now: datetime | None = None,
) -> LatestPage:
    """The newest ``count`` stories (of ``topic``) after ``after_article``, in the
    reader's news languages (``now`` dates which languages are on offer)."""
    async with db.sessions() as session:
        reader = await get_reader(session, chat_id)
        # One more than shown: whether a "More" button has anything behind it.
        stories = await latest_stories(
            session,
            topic_slug=topic.slug if topic else None,
            limit=count + 1,
            after_article=after_article,
            languages=await news_filter(session, reader, now or datetime.now(UTC)),
        )
    shown = stories[:count]
    return LatestPage(
        topic_name=topic.name if topic else None,
        topic_slug=topic.slug if topic else None,
        stories=shown,
        sentences=reader.summary_length if reader is not None else DEFAULT_SENTENCES,
        more_after=shown[-1].article_id if len(stories) > count else None,
    )


async def more_page(
    db: Database, chat_id: int, count: int, after_article: int, slug: str | None
) -> LatestPage:
    """The page a "More" button asks for; :class:`TopicGone` if its topic went."""
    topic = None
    if slug is not None:
        async with db.sessions() as session:
            topic = await find_topic(session, slug)
        if topic is None:
            raise TopicGone(slug)
    return await latest_page(db, chat_id, topic, count, after_article)


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
    db: Database, chat_id: int, text: str, *, now: datetime | None = None
) -> SearchResult:
    """Stored stories that contain every word of ``text``, in the reader's news languages."""
    async with db.sessions() as session:
        reader = await get_reader(session, chat_id)
        languages = await news_filter(session, reader, now or datetime.now(UTC))
        stories = await search_stories(session, text, limit=SEARCH_RESULTS, languages=languages)
    sentences = reader.summary_length if reader is not None else DEFAULT_SENTENCES
    return SearchResult(stories, sentences)
