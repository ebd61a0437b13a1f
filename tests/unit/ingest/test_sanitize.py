"""Text from publishers at the parser boundary: cleaned, capped on a word boundary."""

from __future__ import annotations

from ingest.feeds import parse_feed
from ingest.sanitize import clean_text, clean_title, cut, defuse_references, first_terms


def test_controls_nul_and_lone_surrogates_go_tab_and_newline_stay() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x85e\ud800f\tg\nh\r\ni") == "abcdef\tg\nh\ni"
    assert clean_text("plain ASCII, untouched") == "plain ASCII, untouched"
    assert clean_text("Überall “quotes” 😀") == "Überall “quotes” 😀"


def test_titles_also_lose_bidi_overrides_and_isolates() -> None:
    assert clean_title("abc\u202edcba\u202c and \u2067x\u2069") == "abcdcba and x"
    assert clean_text("abc\u202e") == "abc\u202e"  # article text keeps them (RTL scripts)


def test_a_capped_field_is_cut_after_a_whole_word() -> None:
    assert cut("one two three", 9) == "one two"
    assert cut("one two", 7) == "one two"
    assert cut("x" * 50, 10) == "x" * 10  # one enormous word: cut at the limit


def test_unsafe_character_references_are_removed_before_parsing() -> None:
    body = b"&#xD800;&#0;&#7;&#x85;&#65;&#x263A;&#9;&#10;&#13;&#x110000;"
    assert defuse_references(body) == b"&#65;&#x263A;&#9;&#10;&#13;"


def test_the_first_terms_are_kept_in_order() -> None:
    assert first_terms(["b", "a", "b", "c"], 2) == frozenset({"b", "a"})


def test_one_bad_entry_is_skipped_and_counted_and_its_neighbours_kept() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Lone &#xD800; one</title><link>http://a.test/1</link></item>"
        b"<item><title>Bad</title><link>http://a.test/2\x01</link></item>"
        b"<item><title>Fine</title><link>http://a.test/3</link></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url="http://a.test/feed", content_type="application/rss+xml")
    assert [e.title for e in feed.entries] == ["Lone one", "Fine"]
    assert feed.invalid == 1
