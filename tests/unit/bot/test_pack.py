"""Messages never exceed Telegram's 4096 characters and split only between items."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.views.pack import TELEGRAM_LIMIT, pack_messages, truncate_text, visible_length


def test_visible_length_counts_what_telegram_counts() -> None:
    assert visible_length('<a href="https://example.com/very/long/url">Title</a>') == 5
    assert visible_length("Tom &amp; Jerry") == 11
    assert visible_length("😀") == 2  # one emoji is two UTF-16 code units


def test_items_stay_whole_and_in_order() -> None:
    items = [f"<b>Item {i}</b>\n" + "word " * 150 for i in range(20)]
    messages = pack_messages(items, header="<b>Your digest</b>")
    assert len(messages) > 1
    assert messages[0].startswith("<b>Your digest</b>\n\n<b>Item 0</b>")
    assert all(visible_length(m) <= TELEGRAM_LIMIT for m in messages)
    rejoined = "\n\n".join(messages).split("\n\n")[1:]
    assert rejoined == items


def test_an_item_too_long_for_any_message_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot fit"):
        pack_messages(["x" * (TELEGRAM_LIMIT + 1)])


def test_nothing_to_pack_gives_no_message() -> None:
    assert pack_messages([]) == []
    assert pack_messages([], header="Hello") == ["Hello"]


@given(
    st.lists(st.text(min_size=1, max_size=900), max_size=40),
    st.integers(min_value=50, max_value=TELEGRAM_LIMIT),
)
def test_every_message_fits_whatever_the_items(texts: list[str], limit: int) -> None:
    items = [truncate_text(t, limit) for t in texts]
    for message in pack_messages(items, limit=limit):
        assert visible_length(message) <= limit


@given(st.text(max_size=3000), st.integers(min_value=2, max_value=2000))
def test_truncate_text_respects_the_limit(text: str, limit: int) -> None:
    short = truncate_text(text, limit)
    assert len(short.encode("utf-16-le")) // 2 <= limit
    if short != text:
        assert short.endswith("…")
