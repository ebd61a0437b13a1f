"""Feed titles are stored as the text a reader should see: every character, decoded once.

feedparser undoes the XML escaping and says whether a title is text or markup; only
markup loses its tags. Each case is an RSS 2.0 or Atom title as publishers write them.
"""

from __future__ import annotations

import pytest

from ingest.feeds import parse_feed, plain


def _rss(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><item><title>{title}</title>"
        "<link>https://rss.test/1</link><description>Body</description></item>"
        "</channel></rss>"
    ).encode()


def _atom(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>x</title><id>urn:feed</id><entry>{title}<id>urn:e:1</id>"
        '<link href="https://atom.test/1"/><updated>2026-11-25T09:00:00Z</updated>'
        "<summary>Body</summary></entry></feed>"
    ).encode()


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        # Escaped once: the text itself, angle brackets and ampersands included.
        ("Plan for a &lt;park&gt;", "Plan for a <park>"),
        ("AT&amp;T buys a rival", "AT&T buys a rival"),
        ("5 &lt; 6 &amp; 7 &gt; 3", "5 < 6 & 7 > 3"),
        ("Q&amp;A: &lt;script&gt; tags &amp; you", "Q&A: <script> tags & you"),
        ("<![CDATA[5 < 6 & AT&T]]>", "5 < 6 & AT&T"),
        # Escaped twice, or markup in CDATA: HTML, decoded once more and tags removed.
        ("AT&amp;amp;T and 5 &amp;lt; 6", "AT&T and 5 < 6"),
        ("A &lt;b&gt;bold&lt;/b&gt; move", "A bold move"),
        ("<![CDATA[Tom &amp; Jerry <b>return</b>]]>", "Tom & Jerry return"),
        ("<![CDATA[<b>Big</b>gest <i>ever</i>: 5 < 6]]>", "Biggest ever: 5 < 6"),
        ("Price&amp;nbsp;rise &amp;amp; fall", "Price rise & fall"),
        ("  Spaced\n  out  ", "Spaced out"),
    ],
)
def test_rss_titles_keep_every_character_a_reader_should_see(title: str, shown: str) -> None:
    feed = parse_feed(_rss(title), url="https://rss.test/feed")
    assert feed.entries[0].title == shown
    assert feed.title == shown  # the channel's own title is read the same way


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ('<title type="text">Plan for a &lt;park&gt;</title>', "Plan for a <park>"),
        ("<title>AT&amp;T &amp;amp; 5 &lt; 6</title>", "AT&T &amp; 5 < 6"),  # text by default
        ('<title type="text"><![CDATA[Tom & Jerry <b>x</b>]]></title>', "Tom & Jerry <b>x</b>"),
        (
            '<title type="html">A &lt;b&gt;bold&lt;/b&gt; move &amp;amp; a &amp;lt;park&amp;gt;'
            "</title>",
            "A bold move & a <park>",
        ),
        (
            '<title type="html"><![CDATA[AT&amp;T <em>wins</em> &lt;x&gt;]]></title>',
            "AT&T wins <x>",
        ),
        (
            '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "A <b>bold</b> &amp; &lt;odd&gt; move</div></title>",
            "A bold & <odd> move",
        ),
    ],
)
def test_atom_titles_follow_their_declared_type(title: str, shown: str) -> None:
    feed = parse_feed(_atom(title), url="https://atom.test/feed")
    assert feed.entries[0].title == shown


def test_plain_removes_tags_but_not_comparisons() -> None:
    assert plain("<p>One</p><p>two</p> 3 < 4 > 2 <br/>five") == "One two 3 < 4 > 2 five"
    assert plain("<!-- note -->Hi&nbsp;there &amp;lt;") == "Hi there &lt;"
