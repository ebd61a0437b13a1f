"""What readers read from storage: newest stories, one item per story, and search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Article, ArticleTopic, Database, Source
from storage.articles import count_articles, latest_stories, search_stories

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def _seed(db: Database) -> None:
    async with db.sessions.begin() as s:
        bbc = Source(url="https://bbc.test/rss", name="BBC", topics=["world"], created_at=T0)
        npr = Source(url="https://npr.test/rss", name="NPR", topics=["world"], created_at=T0)
        s.add_all([bbc, npr])
        await s.flush()
        rows = [
            # (id, source, story, minutes, title, topics)
            (1, bbc, 1, 0, "Ceasefire agreed in the east", ["world"]),
            (2, npr, 1, 30, "Both sides sign a ceasefire", ["world"]),
            (3, bbc, 3, 10, "Chip maker unveils new processor", ["technology"]),
            (4, npr, 4, 20, "100% of voters: a 50_50 race", ["politics"]),
        ]
        for article_id, source, story, minutes, title, topics in rows:
            published = T0 + timedelta(minutes=minutes)
            s.add(
                Article(
                    id=article_id,
                    url=f"https://{source.name.lower()}.test/{article_id}",
                    source_id=source.id,
                    title=title,
                    text=f"{title}. More text about it.",
                    summary=[f"{title}.", "Second sentence."],
                    language="en",
                    published_at=published,
                    fetched_at=published,
                    content_hash=f"h{article_id}",
                    story_id=story,
                )
            )
            await s.flush()
            for slug in topics:
                s.add(ArticleTopic(article_id=article_id, topic_slug=slug, published_at=published))


async def test_latest_shows_each_story_once_with_its_other_outlets(db: Database) -> None:
    await _seed(db)
    async with db.sessions() as s:
        stories = await latest_stories(s, limit=10)
        assert [x.title for x in stories] == [
            "Both sides sign a ceasefire",
            "100% of voters: a 50_50 race",
            "Chip maker unveils new processor",
        ]
        assert stories[0].more_sources == 1
        assert stories[0].source_name == "NPR"
        assert stories[1].more_sources == 0
        world = await latest_stories(s, topic_slug="world", limit=10)
        assert [(x.article_id, x.topics) for x in world] == [(2, ("world",))]
        assert await count_articles(s) == 4


async def test_search_needs_every_word_and_treats_wildcards_literally(db: Database) -> None:
    await _seed(db)
    async with db.sessions() as s:
        assert [x.article_id for x in await search_stories(s, "CEASEFIRE sides")] == [2]
        assert [x.article_id for x in await search_stories(s, "ceasefire")] == [2]
        assert [x.article_id for x in await search_stories(s, "50_50")] == [4]
        assert await search_stories(s, "%") == []
        assert await search_stories(s, "ceasefire processor") == []
