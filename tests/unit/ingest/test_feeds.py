"""Feed formats and their quirks, parsed without any network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.feeds import FeedError, corrected_content_type, parse_feed

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Old Feed</title><language>en-us</language>
<item><title>Caf\xe9 opens</title><link>http://old.test/cafe?utm_source=x</link>
<description>A new caf\xe9 opened.</description></item>
</channel></rss>"""

RDF_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://dw.test/"><title>RDF News</title><dc:language>de</dc:language></channel>
<item rdf:about="http://dw.test/a1"><title>Erste Meldung</title><link>http://dw.test/a1</link>
<dc:date>2026-11-25T10:30:00+01:00</dc:date><dc:subject>Politik</dc:subject>
<description>Text</description></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:feed</id>
<updated>2026-11-25T09:00:00Z</updated>
<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; move</title><id>urn:entry:1</id>
<link rel="alternate" href="https://atom.test/1#top"/><updated>2026-11-25T09:00:00Z</updated>
<summary>Short</summary><content type="html">&lt;p&gt;Long text&lt;/p&gt;</content></entry>
<entry><title>No link at all</title><id>urn:entry:2</id>
<updated>2026-11-25T08:00:00Z</updated></entry>
</feed>"""


def test_rss_091_with_a_latin1_declaration_and_no_dates() -> None:
    feed = parse_feed(RSS_091, url="http://old.test/rss")
    (entry,) = feed.entries
    assert (feed.title, feed.language) == ("Old Feed", "en")
    assert entry.title == "Café opens"
    assert entry.url == "http://old.test/cafe"
    assert entry.published_at is None  # no feed date: never guessed from the text


def test_rss_10_rdf_with_dublin_core_dates_and_subjects() -> None:
    feed = parse_feed(RDF_10, url="http://dw.test/rdf")
    (entry,) = feed.entries
    assert entry.published_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert entry.categories == ("Politik",)
    assert entry.language == "de"


def test_atom_prefers_content_strips_title_markup_and_skips_entries_without_links() -> None:
    feed = parse_feed(ATOM, url="https://atom.test/feed")
    (entry,) = feed.entries
    assert entry.title == "A bold move"
    assert entry.url == "https://atom.test/1"
    assert entry.guid == "urn:entry:1"
    assert "Long text" in entry.content
    assert feed.skipped == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"   ", "empty body"),
        (b"<html><body><p>Welcome</p></body></html>", "returns an HTML page"),
        (b'{"items": []}', "not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_says_why(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body, url="https://x.test/")


def test_a_lying_charset_declaration_is_corrected() -> None:
    utf8 = "Zürich".encode()
    assert corrected_content_type(utf8, "text/xml; charset=iso-8859-1") == (
        "text/xml; charset=utf-8",
        "declared charset iso-8859-1 but the body is UTF-8",
    )
    latin1 = "Zürich".encode("latin-1")
    fixed, note = corrected_content_type(latin1, "text/xml; charset=utf-8")
    assert fixed == "text/xml"
    assert note == "declared charset utf-8 but the body is not UTF-8"
    assert corrected_content_type(b"ascii", "text/xml; charset=utf-8") == (
        "text/xml; charset=utf-8",
        None,
    )


def test_pages_carrying_the_same_article_all_keep_their_text() -> None:
    from ingest.extract import extract_page

    paragraphs = "".join(
        f"<p>Paragraph {i} of the wire story about the harbour reopening after the storm, "
        "with enough words to count as article text for the extractor.</p>"
        for i in range(6)
    )
    page = (
        f'<html lang="en"><body><article><h1>Harbour reopens</h1>{paragraphs}</article>'
        "</body></html>"
    ).encode()
    # Several outlets run the same wire copy: each must keep the whole text.
    pages = [extract_page(page, url=f"https://outlet{n}.test/a") for n in range(5)]
    assert pages[0].language == "en"
    assert "Paragraph 5" in pages[0].text
    assert all(p.text == pages[0].text for p in pages)
