"""A digest as Telegram HTML: header in the reader's zone, headings, escaping, packing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import translator
from bot.views.digest import ItemCache, digest_header, nothing_new_text, render_digest
from bot.views.pack import TELEGRAM_LIMIT, visible_length
from digest.compose import Composition
from stories import Story
from tests.support.fake_bot_api import telegram_html_to_text

NOW = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
EN = translator("en")


def candidate(n: int, *, title: str = "", sentence: str = "A sentence.") -> Story:
    return Story(
        article_id=n,
        story_id=n,
        title=title or f"Story {n}",
        url=f"https://news.test/{n}?a=1&b=2",
        summary=(f"{sentence} 1", f"{sentence} 2", f"{sentence} 3"),
        source="Outlet & Co",
        published_at=NOW - timedelta(hours=2),
        outlets=3,
        summary_positions=(2, 0, 1),
    )


def test_header_shows_the_date_where_the_reader_lives() -> None:
    # 22:30 UTC on 1 June is already 2 June in Tokyo.
    tokyo = telegram_html_to_text(digest_header(EN, NOW, "Asia/Tokyo", 3))
    assert tokyo == "Your digest · Tuesday, June 2, 2026\n3 stories"
    chicago = telegram_html_to_text(digest_header(EN, NOW, "America/Chicago", 1))
    assert chicago == "Your digest · Monday, June 1, 2026\n1 story"


def test_items_are_escaped_linked_sourced_and_cut_to_the_readers_length() -> None:
    composition = Composition((("World", (candidate(1, title="<Breaking> & more"),)),))
    [message] = render_digest(EN, composition, zone="UTC", sentences=2, items=ItemCache(NOW))
    text = telegram_html_to_text(message)  # raises if Telegram would refuse the HTML
    assert "<Breaking> & more" in text
    assert 'href="https://news.test/1?a=1&amp;b=2"' in message
    assert "+2 more sources" in text and "Outlet & Co" in text
    # The two best sentences (stored best first), shown in the article's order.
    assert "A sentence. 2 A sentence. 1" in text and "A sentence. 3" not in text
    assert text.index("World") < text.index("<Breaking>")


def test_long_digests_split_between_items_never_inside_one() -> None:
    long = "Words of a long summary sentence. " * 17
    items = tuple(candidate(n, sentence=long) for n in range(15))
    composition = Composition((("World", items[:8]), ("Business", items[8:])))
    messages = render_digest(EN, composition, zone="UTC", sentences=3, items=ItemCache(NOW))
    assert len(messages) > 1
    assert all(visible_length(m) <= TELEGRAM_LIMIT for m in messages)
    joined = "\n\n".join(telegram_html_to_text(m) for m in messages)
    assert all(f"Story {n}" in joined for n in range(15))
    # A heading always travels with its first story.
    assert all(
        not telegram_html_to_text(m).rstrip().endswith(("World", "Business")) for m in messages
    )


def test_nothing_new_note_says_what_to_do() -> None:
    assert "/topics" in nothing_new_text(EN, follows_anything=False)
    assert "/latest" in nothing_new_text(EN, follows_anything=True)


def test_a_digest_emptied_by_muted_words_says_how_many_it_left_out() -> None:
    note = nothing_new_text(EN, follows_anything=True, muted=2)
    assert note.startswith("Nothing new on your topics")
    assert note.endswith("\n2 stories muted · /mutes")
    assert "muted" not in nothing_new_text(EN, follows_anything=True)
