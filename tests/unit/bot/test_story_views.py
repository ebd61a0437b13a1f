"""Stories in /latest and /search: escaped, linked, dated, within Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import translator
from bot.views.pack import TELEGRAM_LIMIT, visible_length
from bot.views.stories import render_story, story_messages
from stories import Story
from tests.support.fake_bot_api import telegram_html_to_text

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
EN = translator("en")


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
    item = render_story(EN, _story(), sentences=2, now=NOW)
    assert '<a href="https://news.example/a?x=1&amp;y=2">' in item
    assert telegram_html_to_text(item) == (
        'Rates <rise> & markets "wobble"\n'
        "First sentence. Second one.\n"
        "Example News · 3 hr. ago · +2 more sources"
    )


def test_the_footer_counts_other_sources_in_the_right_plural_and_dates_old_stories() -> None:
    def footer(**kw: object) -> str:
        story = _story(**{"outlets": 1, **kw})
        return telegram_html_to_text(render_story(EN, story, sentences=1, now=NOW))

    assert footer(outlets=2).endswith("\nExample News · 3 hr. ago · +1 more source")
    assert footer().endswith("\nExample News · 3 hr. ago")
    assert footer(outlets=4, source=None).endswith("\n3 hr. ago · +3 more sources")
    assert footer(published_at=NOW - timedelta(seconds=5)).endswith("Example News · just now")
    assert footer(published_at=NOW - timedelta(minutes=5)).endswith(" · 5 min. ago")
    assert footer(published_at=NOW - timedelta(days=3)).endswith(" · 3 days ago")
    assert footer(published_at=datetime(2026, 1, 2, tzinfo=UTC)).endswith(" · 2 Jan")
    assert footer(published_at=datetime(2025, 1, 2, tzinfo=UTC)).endswith(" · 2 Jan 2025")


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
    messages = story_messages(EN, stories, heading="Latest", sentences=5, now=NOW)
    assert messages
    for message in messages:
        assert visible_length(message) <= TELEGRAM_LIMIT
        telegram_html_to_text(message)  # raises like Telegram on invalid HTML
