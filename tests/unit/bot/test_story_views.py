"""Stories in /latest and /search: escaped, linked, dated, within Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.views.pack import TELEGRAM_LIMIT, visible_length
from bot.views.stories import relative_time, render_story, story_messages
from stories import Story
from tests.support.fake_bot_api import telegram_html_to_text

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)


def _story(**kw: object) -> Story:
    data: dict[str, object] = {
        "article_id": 1,
        "story_id": 1,
        "url": "https://news.example/a?x=1&y=2",
        "title": 'Rates <rise> & markets "wobble"',
        "summary": ("First sentence.", "Second one.", "Third one."),
        "source": "Example News",
        "published_at": NOW - timedelta(hours=3),
        "topics": ("business",),
        "outlets": 3,
    }
    data.update(kw)
    return Story(**data)  # type: ignore[arg-type]


def test_a_story_shows_its_linked_title_the_readers_sentences_and_where_from() -> None:
    item = render_story(_story(), sentences=2, now=NOW)
    assert '<a href="https://news.example/a?x=1&amp;y=2">' in item
    assert telegram_html_to_text(item) == (
        'Rates <rise> & markets "wobble"\n'
        "First sentence. Second one.\n"
        "Example News · 3 h ago · +2 more sources"
    )


def test_relative_times_read_like_people_say_them() -> None:
    assert relative_time(NOW - timedelta(seconds=5), NOW) == "just now"
    assert relative_time(NOW - timedelta(minutes=5), NOW) == "5 min ago"
    assert relative_time(NOW - timedelta(days=1, hours=2), NOW) == "yesterday"
    assert relative_time(NOW - timedelta(days=3), NOW) == "3 days ago"
    assert relative_time(datetime(2026, 1, 2, tzinfo=UTC), NOW) == "2 Jan"
    assert relative_time(datetime(2025, 1, 2, tzinfo=UTC), NOW) == "2 Jan 2025"


@given(
    title=st.text(max_size=2000),
    sentences=st.lists(st.text(max_size=3000), max_size=5),
    source=st.none() | st.text(max_size=300),
    count=st.integers(min_value=1, max_value=12),
)
def test_any_feed_text_renders_valid_telegram_html_within_the_limit(
    title: str, sentences: list[str], source: str | None, count: int
) -> None:
    stories = [
        _story(article_id=i, title=title, summary=tuple(sentences), source=source)
        for i in range(count)
    ]
    messages = story_messages(stories, heading="Latest", sentences=5, now=NOW)
    assert messages
    for message in messages:
        assert visible_length(message) <= TELEGRAM_LIMIT
        telegram_html_to_text(message)  # raises like Telegram on invalid HTML
