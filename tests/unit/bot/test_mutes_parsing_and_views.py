"""/mute's phrase as typed, its ✕ buttons within 64 bytes, and the words of its replies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import translator
from bot.parsing.arguments import ArgumentError
from bot.parsing.mutes import PHRASE_MAX_CHARS, PHRASE_MIN_CHARS, MutePhrase, parse_mute_phrase
from bot.telegram import callbacks
from bot.views import mutes as views
from bot.views.html import esc
from bot.views.keyboard import MAX_CALLBACK_BYTES
from bot.views.pack import TELEGRAM_LIMIT, visible_length

T = translator("en")


@pytest.mark.parametrize(
    ("typed", "phrase", "folded"),
    [
        ("football", "football", "football"),
        ('"climate  change"', "climate change", "climate change"),
        ("«Fußball»", "Fußball", "fussball"),
        ("  Climate-Change  ", "Climate-Change", "climate change"),
        ("東京", "東京", "東京"),
    ],
)
def test_a_phrase_with_or_without_quotes(typed: str, phrase: str, folded: str) -> None:
    assert parse_mute_phrase(typed) == MutePhrase(phrase, folded)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "say which word or phrase"),
        ('""', "say which word or phrase"),
        ("a", "a muted phrase has 2 to 60 characters"),
        ("x" * 61, "a muted phrase has 2 to 60 characters"),
        ("?!", "a muted phrase needs at least one letter or digit"),
        ("«»—…", "a muted phrase needs at least one letter or digit"),
    ],
)
def test_bad_phrases_say_what_is_wrong(typed: str, reason: str) -> None:
    with pytest.raises(ArgumentError) as error:
        parse_mute_phrase(typed)
    assert str(error.value) == reason


def test_the_written_bounds_are_the_real_ones() -> None:
    assert (PHRASE_MIN_CHARS, PHRASE_MAX_CHARS) == (2, 60)
    assert parse_mute_phrase("ab").folded == "ab"
    assert parse_mute_phrase("y" * 60).folded == "y" * 60


@given(st.text(max_size=120))
def test_any_text_is_a_phrase_or_a_reason(typed: str) -> None:
    try:
        wanted = parse_mute_phrase(typed)
    except ArgumentError:
        return
    assert PHRASE_MIN_CHARS <= len(wanted.phrase) <= PHRASE_MAX_CHARS
    assert wanted.folded and len(wanted.folded) <= 200


def test_unmute_buttons_round_trip_and_refuse_forgeries() -> None:
    assert callbacks.mute_from_data(callbacks.unmute_data(123)) == 123
    assert callbacks.mute_from_data("mu:abc") is None
    assert callbacks.mute_from_data("mu:" + "9" * 30) is None
    items = [views.MuteItem(2**62, "ü" * 60), views.MuteItem(3, "rain")]
    keyboard = views.mutes_keyboard(items)
    buttons = [b for row in keyboard for b in row]
    assert [b.label for b in buttons] == ["✕ " + "ü" * 39 + "…", "✕ rain"]
    assert all(len(b.data.encode()) <= MAX_CALLBACK_BYTES for b in buttons)


def test_the_list_and_its_empty_form() -> None:
    items = [views.MuteItem(1, "football"), views.MuteItem(2, "<b>x</b> & y")]
    text = views.mutes_text(T, items)
    assert "• “football”" in text and esc("“<b>x</b> & y”") in text
    assert text.startswith("<b>Muted words</b>")
    assert "/mute football" in views.mutes_text(T, [])


def test_the_longest_list_fits_one_message() -> None:
    items = [views.MuteItem(n, "😀" * PHRASE_MAX_CHARS) for n in range(50)]
    text = views.mutes_text(translator("ru"), items)
    assert visible_length(text) <= TELEGRAM_LIMIT
    assert text.count("😀") > 50 * 25  # shortened, not dropped
    short = views.mutes_text(T, [views.MuteItem(1, "😀" * PHRASE_MAX_CHARS)])
    assert short.count("😀") == PHRASE_MAX_CHARS


def test_the_digest_footer_counts_in_the_readers_plural() -> None:
    assert views.muted_footer(T, 1) == "1 story muted · /mutes"
    assert views.muted_footer(T, 2) == "2 stories muted · /mutes"
    assert views.muted_footer(T, 1234) == "1,234 stories muted · /mutes"


def test_replies_quote_the_phrase_safely_and_briefly() -> None:
    long = "<" * 60
    for text in (
        views.muted_text(T, long, already=False),
        views.muted_text(T, long, already=True),
        views.unmuted_text(T, long, removed=True),
        views.unmuted_text(T, long, removed=False),
        views.too_many_mutes_text(T, 50),
    ):
        assert "<<" not in text and visible_length(text) < 400
    assert views.removed_answer(T, None) == "Already unmuted."
    assert views.removed_answer(T, views.MuteItem(1, "rain")) == "Unmuted “rain”"
