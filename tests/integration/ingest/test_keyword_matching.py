"""Keyword subscriptions match words of an article's title and summary, never patterns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Article, Database
from storage.articles import articles_matching_words, terms_of
from storage.models import ArticleTerm

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def _article(db: Database, article_id: int, title: str, summary: str, minutes: int) -> None:
    published = T0 + timedelta(minutes=minutes)
    async with db.sessions.begin() as s:
        s.add(
            Article(
                id=article_id,
                url=f"https://news.test/{article_id}",
                title=title,
                text=summary,
                summary=[summary],
                published_at=published,
                fetched_at=published,
                content_hash=f"h{article_id}",
                story_id=article_id,
            )
        )
        await s.flush()
        for term in terms_of(f"{title} {summary}"):
            s.add(ArticleTerm(term=term, article_id=article_id, published_at=published))


async def test_every_word_must_appear_and_newest_come_first(db: Database) -> None:
    await _article(db, 1, "Ukraine ceasefire talks resume", "Envoys met in Geneva.", 0)
    await _article(db, 2, "Ceasefires hold in Ukraine's east", "Shelling stopped.", 30)
    await _article(db, 3, "Ukraine grain exports rise", "Ships left Odesa.", 60)
    await _article(db, 4, "Awards season opens", "The warmest welcome.", 90)
    async with db.sessions() as s:
        found = await articles_matching_words(s, "UKRAINE ceasefire", since=T0, limit=10)
        assert found == [2, 1]  # plural and possessive match; newest first
        assert await articles_matching_words(s, "ukraine", since=T0, limit=2) == [3, 2]
        # Only the window counts.
        later = T0 + timedelta(minutes=45)
        assert await articles_matching_words(s, "ukraine ceasefire", since=later, limit=9) == []


async def test_words_are_whole_words_and_never_patterns(db: Database) -> None:
    await _article(db, 1, "Awards season opens", "The warmest welcome.", 0)
    await _article(db, 2, "War in the north", "Troops moved.", 10)
    async with db.sessions() as s:
        assert await articles_matching_words(s, "war", since=T0, limit=10) == [2]
        assert await articles_matching_words(s, "%", since=T0, limit=10) == []
        assert await articles_matching_words(s, "w_r", since=T0, limit=10) == []
        assert await articles_matching_words(s, "the", since=T0, limit=10) == []
        assert await articles_matching_words(s, "", since=T0, limit=10) == []
