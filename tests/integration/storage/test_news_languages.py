"""The news-language filter of every reading query, and the languages on offer: articles
in the wanted languages and those of unknown language come back, the others never."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Database, Source
from storage.articles import (
    articles_matching_words,
    languages_with_news,
    latest_stories,
    news_languages_on_offer,
    search_stories,
)
from storage.digests import representative_stories, topic_story_stats
from storage.models import Article
from tests.support.digest_world import add_story

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def _world(db: Database) -> dict[str | None, int]:
    """One story per language (and one of unknown language), all about "election"; the
    English story also has a German article. Story id by language."""
    async with db.sessions.begin() as s:
        sources = [
            Source(url=f"https://o{i}.test/rss", name=f"O{i}", topics=[], created_at=T0)
            for i in range(3)
        ]
        s.add_all(sources)
        await s.flush()
        stories: dict[str | None, int] = {}
        for minutes, language in enumerate(["en", "de", "ru", None]):
            [first] = await add_story(
                s,
                title=f"Election news {language}",
                topics=["world"],
                sources=[sources[0].id],
                published_at=T0 + timedelta(minutes=minutes),
                language=language,
            )
            stories[language] = first
        # A later German article of the English story (same story id).
        [german] = await add_story(
            s,
            title="Wahl election Bericht",
            topics=["world"],
            sources=[sources[1].id],
            published_at=T0 + timedelta(minutes=30),
            language="de",
        )
        article = await s.get(Article, german)
        assert article is not None
        article.story_id = stories["en"]
    return stories


async def test_latest_and_search_keep_the_wanted_languages_and_unknown_ones(db: Database) -> None:
    await _world(db)
    async with db.sessions() as s:
        everything = await latest_stories(s, limit=10)
        english = await latest_stories(s, limit=10, languages={"en"})
        found = await search_stories(s, "election", limit=10, languages={"ru"})
        found_all = await search_stories(s, "election", limit=10)
    assert {st.title for st in everything} == {
        "Wahl election Bericht",  # the English story, told last in German
        "Election news de",
        "Election news ru",
        "Election news None",
    }
    assert {st.title for st in english} == {"Election news en", "Election news None"}
    assert {st.title for st in found} == {"Election news ru", "Election news None"}
    assert len(found_all) == 4


async def test_digest_pools_rank_only_stories_told_in_the_wanted_languages(db: Database) -> None:
    stories = await _world(db)
    async with db.sessions() as s:
        stats = await topic_story_stats(s, "world", since=T0, languages={"de"})
        shown = await representative_stories(s, [x.story_id for x in stats], languages={"de"})
        matching = await articles_matching_words(
            s, "election", since=T0, limit=10, languages={"en"}
        )
        offer = await news_languages_on_offer(s, since=T0)
        nothing_recent = await news_languages_on_offer(s, since=T0 + timedelta(days=1))
    # The English story is in the German pool (it has a German article), shown in German.
    assert {x.story_id for x in stats} == {stories["en"], stories["de"], stories[None]}
    by_story = {x.story_id: x.title for x in shown}
    assert by_story[stories["en"]] == "Wahl election Bericht"
    assert sorted(matching) == sorted([stories["en"], stories[None]])
    assert offer == {"en", "de", "ru"}
    assert nothing_recent == set()


async def test_which_languages_have_recent_news_is_answered_per_language(db: Database) -> None:
    await _world(db)
    async with db.sessions.begin() as s:
        s.add(Source(url="https://tr.test/rss", name="TR", topics=[], language="tr", created_at=T0))
    async with db.sessions() as s:
        found = await languages_with_news(s, {"en", "ru", "fa", "tr"}, since=T0)
        later = await languages_with_news(s, {"en", "tr"}, since=T0 + timedelta(days=1))
    assert found == {"en", "ru", "tr"}  # Turkish: a source declared in it
    assert later == {"tr"}
