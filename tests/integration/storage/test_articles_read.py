"""What readers read from storage: newest stories, one item per story, and search.

Articles are stored through ingest's own write path (``insert_articles``, with the terms
ingest computes), so /search sees exactly the index a real ingest cycle builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from storage import Database, Source
from storage.articles import (
    count_articles,
    latest_stories,
    search_stories,
    terms_of,
)
from storage.ingest_writes import NewArticle, insert_articles

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _article(
    source_id: int,
    n: int,
    title: str,
    minutes: int,
    topics: Sequence[str] = (),
    *,
    summary: Sequence[str] | None = None,
    text: str | None = None,
) -> NewArticle:
    published = T0 + timedelta(minutes=minutes)
    sentences = list(summary) if summary is not None else [f"{title}.", "Second sentence."]
    return NewArticle(
        url=f"https://news.test/{source_id}/{n}",
        guid=None,
        source_id=source_id,
        title=title,
        text=text if text is not None else f"{title}. More text about it.",
        summary=sentences,
        summary_positions=list(range(len(sentences))),
        language="en",
        published_at=published,
        fetched_at=published,
        content_hash=f"h{source_id}-{n}",
        topics=list(topics),
        # What ingest indexes (ingest.analyse): the words of the title and the summary.
        terms=terms_of(" ".join([title, *sentences])),
        story_keys=(),
    )


async def _sources(db: Database, *names: str) -> list[int]:
    async with db.sessions.begin() as s:
        rows = [
            Source(url=f"https://{n.lower()}.test/rss", name=n, topics=[], created_at=T0)
            for n in names
        ]
        s.add_all(rows)
        await s.flush()
        return [r.id for r in rows]


async def _seed(db: Database) -> None:
    bbc, npr = await _sources(db, "BBC", "NPR")
    async with db.sessions.begin() as s:
        await insert_articles(
            s,
            [
                _article(bbc, 1, "Ceasefire agreed in the east", 0, ["world"]),
                _article(npr, 2, "Both sides sign a ceasefire", 30, ["world"]),
                _article(bbc, 3, "Chip maker unveils new processor", 10, ["technology"]),
                _article(npr, 4, "100% of voters: a 50_50 race", 20, ["politics"]),
            ],
            stories=[None] * 4,
            same_story_as=[None, 0, None, None],  # NPR tells BBC's ceasefire story too
        )


async def _titles(db: Database, query: str, limit: int = 5) -> list[str]:
    async with db.sessions() as s:
        return [x.title for x in await search_stories(s, query, limit=limit)]


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
        assert stories[0].source == "NPR"
        assert stories[1].more_sources == 0
        world = await latest_stories(s, topic_slug="world", limit=10)
        assert [(x.title, x.topics) for x in world] == [("Both sides sign a ceasefire", ("world",))]
        assert await count_articles(s) == 4


async def test_latest_pages_on_never_repeat_a_story_shown_on_an_earlier_page(
    db: Database,
) -> None:
    await _seed(db)
    async with db.sessions() as s:
        pages: list[list[str]] = []
        after = None
        while True:
            page = await latest_stories(s, limit=1, after_article=after)
            if not page:
                break
            pages.append([x.title for x in page])
            after = page[-1].article_id
        # BBC's older telling of the ceasefire (minute 0) comes after every other
        # article, but its story was on the first page: it is not shown again.
        assert pages == [
            ["Both sides sign a ceasefire"],
            ["100% of voters: a 50_50 race"],
            ["Chip maker unveils new processor"],
        ]
        [first] = await latest_stories(s, topic_slug="world", limit=1)
        assert await latest_stories(s, topic_slug="world", after_article=first.article_id) == []
        assert await latest_stories(s, after_article=10**9) == []  # the mark was pruned


async def test_search_needs_every_word_and_treats_wildcards_literally(db: Database) -> None:
    await _seed(db)
    assert await _titles(db, "CEASEFIRE sides") == ["Both sides sign a ceasefire"]
    # One item per story: the newest telling of it.
    assert await _titles(db, "ceasefire") == ["Both sides sign a ceasefire"]
    assert await _titles(db, "50_50") == ["100% of voters: a 50_50 race"]
    assert await _titles(db, "%") == []
    assert await _titles(db, "50%50") == []  # two words, "50" twice: no article has "50"
    assert await _titles(db, "5_5") == []
    assert await _titles(db, "ceasefire processor") == []


async def test_search_matches_whole_words_of_the_title_and_summary_not_substrings(
    db: Database,
) -> None:
    """The term index holds whole words (plural and possessive folded), not substrings."""
    (bbc,) = await _sources(db, "BBC")
    async with db.sessions.begin() as s:
        await insert_articles(
            s,
            [
                _article(
                    bbc,
                    1,
                    "Ceasefires hold in Ukraine's east",
                    0,
                    summary=["Shelling stopped overnight."],
                    text="Shelling stopped overnight. Envoys met in Geneva.",
                ),
                _article(bbc, 2, "Awards season opens", 10, summary=["The warmest welcome."]),
            ],
            stories=[None, None],
            same_story_as=[None, None],
        )
    assert await _titles(db, "ceasefire ukraine") == ["Ceasefires hold in Ukraine's east"]
    assert await _titles(db, "shelling") == ["Ceasefires hold in Ukraine's east"]  # summary
    assert await _titles(db, "cease") == []  # a piece of a word is not a word
    assert await _titles(db, "war") == []  # not in "awards" nor "warmest"
    assert await _titles(db, "geneva") == []  # only in the body, which is not indexed
    assert await _titles(db, "the") == []  # stop words are never indexed


async def test_search_gives_one_item_per_story_even_past_a_story_told_many_times(
    db: Database,
) -> None:
    """A story told by more outlets than one page of matches still leaves room for others."""
    outlets = await _sources(db, *(f"Outlet{i}" for i in range(60)))
    tellings = [
        _article(source, 1, "Storm hits the coast", 100 + i) for i, source in enumerate(outlets)
    ]
    older = [
        _article(outlets[0], 2, "Storm warning issued", 50),
        _article(outlets[1], 3, "Last storm of the season", 10),
    ]
    async with db.sessions.begin() as s:
        await insert_articles(
            s,
            [*tellings, *older],
            stories=[None] * (len(tellings) + 2),
            same_story_as=[None] + [0] * (len(tellings) - 1) + [None, None],
        )
    async with db.sessions() as s:
        found = await search_stories(s, "storm", limit=5)
    assert [x.title for x in found] == [
        "Storm hits the coast",
        "Storm warning issued",
        "Last storm of the season",
    ]
    assert found[0].source == "Outlet59"  # the newest telling
    assert found[0].more_sources == 59
