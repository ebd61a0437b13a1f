"""Choosing a reader's stories: ranking, one item per story, caps, and the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.compose import (
    Section,
    best_stories,
    compose,
    rank,
    window_start,
)
from stories import Story

NOW = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)


def story(n: int, *, hours_old: float = 1, outlets: int = 1, story_id: int | None = None) -> Story:
    return Story(
        article_id=n,
        story_id=story_id if story_id is not None else n,
        title=f"Story {n}",
        url=f"https://news.test/{n}",
        summary=("One.", "Two."),
        source="Outlet",
        published_at=NOW - timedelta(hours=hours_old),
        outlets=outlets,
    )


def pick(sections: list[Section], **overrides: object) -> list[tuple[str, list[int]]]:
    options: dict[str, object] = {
        "since": NOW - timedelta(days=1),
        "seen_articles": set(),
        "seen_stories": set(),
        "max_per_topic": 5,
        "max_items": 15,
    }
    options.update(overrides)
    composition = compose(sections, **options)  # type: ignore[arg-type]
    return [(title, [c.article_id for c in items]) for title, items in composition.sections]


def test_a_story_many_outlets_carry_outranks_a_fresher_lonely_one() -> None:
    widely_told = story(1, hours_old=6, outlets=4)
    fresh = story(2, hours_old=0.5)
    stale = story(3, hours_old=30, outlets=4)
    assert [c.article_id for c in rank([fresh, stale, widely_told], NOW)] == [1, 2, 3]


def test_rank_keeps_one_candidate_per_story() -> None:
    ranked = rank([story(1, story_id=9), story(2, story_id=9), story(3)], NOW)
    assert [c.article_id for c in ranked] == [1, 3]


def test_best_stories_ranks_window_statistics_the_same_way() -> None:
    stats = [(1, 1, NOW - timedelta(hours=1)), (2, 5, NOW - timedelta(hours=3)), (3, 1, NOW)]
    assert best_stories(stats, NOW, 2) == [2, 3]


def test_a_story_followed_through_two_topics_appears_once_under_the_first() -> None:
    shared = story(1, outlets=3)
    sections = [Section("World", [shared, story(2)]), Section("Business", [shared, story(3)])]
    assert pick(sections) == [("World", [1, 2]), ("Business", [3])]


def test_caps_per_topic_and_in_all_share_items_fairly() -> None:
    world = Section("World", [story(n) for n in range(1, 10)])
    tech = Section("Technology", [story(n) for n in range(11, 20)])
    assert pick([world, tech], max_per_topic=3, max_items=15) == [
        ("World", [1, 2, 3]),
        ("Technology", [11, 12, 13]),
    ]
    # Five items for two topics: round robin gives the first topic the odd one.
    assert pick([world, tech], max_per_topic=5, max_items=5) == [
        ("World", [1, 2, 3]),
        ("Technology", [11, 12]),
    ]


def test_nothing_the_reader_received_comes_again_by_article_or_by_story() -> None:
    sections = [Section("World", [story(1), story(2, story_id=20), story(3)])]
    assert pick(sections, seen_articles={1}, seen_stories={20}) == [("World", [3])]


def test_stories_older_than_the_window_are_left_out_and_empty_sections_vanish() -> None:
    sections = [
        Section("World", [story(1, hours_old=30), story(2, hours_old=2)]),
        Section("Sport", [story(3, hours_old=40)]),
    ]
    assert pick(sections, since=NOW - timedelta(hours=24)) == [("World", [2])]
    assert pick([Section("Sport", [])]) == []


def test_the_window_starts_at_the_last_digest_with_slack_and_a_bound() -> None:
    assert window_start(NOW, None) == NOW - timedelta(days=1)
    yesterday = NOW - timedelta(days=1)
    assert window_start(NOW, yesterday) == yesterday - timedelta(hours=6)
    month_ago = NOW - timedelta(days=30)
    assert window_start(NOW, month_ago) == NOW - timedelta(days=3)
