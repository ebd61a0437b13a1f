"""OPML import and export: real-world exports, damaged files, hostile files, round trips."""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.opml import (
    OpmlError,
    OpmlImport,
    OpmlSource,
    is_filler,
    parse_opml,
    render_opml,
    slugify,
)
from storage import Source
from storage.topics import TopicSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "opml"

CATALOGUE = [
    TopicSpec("world", "World", ("united nations", "diplomat")),
    TopicSpec("politics", "Politics", ("election", "parliament")),
    TopicSpec("business", "Business", ("economy", "markets")),
    TopicSpec("technology", "Technology", ("software", "ai", "artificial intelligence")),
    TopicSpec("science", "Science", ("space", "physics")),
    TopicSpec("health", "Health", ("nhs", "medicine")),
    TopicSpec("sport", "Sport", ("football", "tennis")),
    TopicSpec("entertainment", "Entertainment", ("film", "music")),
]


def _read(name: str) -> OpmlImport:
    return parse_opml((FIXTURES / name).read_bytes(), CATALOGUE)


def _topics(result: OpmlImport) -> dict[str, tuple[str, ...]]:
    return {s.url: s.topics for s in result.sources}


# --- Real-world exports ---------------------------------------------------------------------


def test_feedly_folders_map_to_catalogue_topics_and_a_feed_in_two_folders_is_merged() -> None:
    result = _read("feedly.opml")
    assert result.title == "Jane subscriptions in feedly Cloud"
    assert _topics(result) == {
        "https://www.theverge.com/rss/index.xml": ("technology",),
        "https://feeds.arstechnica.com/arstechnica/index": ("technology", "science"),
        "https://hnrss.org/frontpage": ("technology",),
        "https://feeds.bbci.co.uk/news/world/rss.xml": ("world",),
        "https://www.aljazeera.com/xml/rss/all.xml": ("world",),
        "https://www.quantamagazine.org/feed/": ("technology", "science"),
        "https://www.seriouseats.com/feeds/all": ("cooking",),
    }
    assert result.duplicates == 1
    assert result.new_topics == (TopicSpec("cooking", "Cooking"),)
    assert result.warnings == ()
    verge = result.sources[0]
    assert verge.name == "The Verge"
    assert verge.site_url == "https://www.theverge.com/"


def test_inoreader_plurals_keywords_words_and_uncategorized() -> None:
    result = _read("inoreader.xml")
    assert _topics(result) == {
        "https://feeds.bbci.co.uk/sport/football/rss.xml": ("sport",),  # "Sports"
        "https://www.espn.com/espn/rss/news": ("sport",),
        "https://www.theguardian.com/football/rss": ("sport",),  # keyword "football"
        "https://rss.politico.com/politics-news.xml": ("politics",),  # "US Politics"
        "https://feeds.kottke.org/main": (),  # "Uncategorized" is no category
    }
    assert result.new_topics == ()


def test_netnewswire_top_level_feeds_missing_titles_and_feed_scheme() -> None:
    result = _read("netnewswire.opml")
    by_url = {s.url: s for s in result.sources}
    assert by_url["https://daringfireball.net/feeds/main"].topics == ()
    # No title nor text: the site's host names the feed.
    assert by_url["https://www.nhs.uk/news/feed.xml"].name == "nhs.uk"
    assert by_url["https://www.nhs.uk/news/feed.xml"].topics == ("health",)
    # feed://… is how some readers write an http feed.
    assert by_url["http://variety.com/feed/"].topics == ("entertainment",)


def test_miniflux_languages_accents_other_scripts_and_category_attributes() -> None:
    result = _read("miniflux.opml")
    by_url = {s.url: s for s in result.sources}
    assert by_url["https://www.lemonde.fr/rss/une.xml"].language == "fr"
    assert by_url["https://www.lemonde.fr/rss/une.xml"].topics == ()  # folder "All"
    assert by_url["https://services.lesechos.fr/rss/les-echos-economie.xml"].topics == ("economie",)
    meduza = by_url["https://meduza.io/rss/all"]
    assert meduza.language == "ru"
    assert meduza.topics[0].startswith("topic-")
    # category="/Business/Markets,/World" adds its labels to the folder's.
    assert by_url["https://www.ft.com/rss/home"].topics == ("world", "business")
    assert by_url["https://www.ft.com/rss/home"].labels == ("Business", "Markets", "World")
    assert [(t.slug, t.name) for t in result.new_topics] == [
        ("economie", "Économie"),
        (meduza.topics[0], "Новости"),
    ]


def test_the_old_reader_escaped_urls_and_untitled_feeds() -> None:
    result = _read("theoldreader.opml")
    assert _topics(result) == {
        "https://www.reutersagency.com/feed/?best-topics=business-finance&post_type=best": (
            "business",
        ),
        "https://www.economist.com/finance-and-economics/rss.xml": ("business",),
        "http://collieclub.example.org/feed": ("border-collies",),
    }
    assert result.sources[1].name == "economist.com"


def test_thunderbird_windows_1252_nested_folders_and_namespaced_attributes() -> None:
    result = _read("thunderbird.opml")
    assert result.title == "Thunderbird OPML Export - Blogs & News Feeds"
    assert [(s.name, s.topics) for s in result.sources] == [
        ("Import AI", ("technology",)),  # Blogs & News Feeds › Tech › AI
        ("Café Babel – Sciences", ("cafe-scientifique",)),
        ("Nature News", ()),  # directly in the account folder
    ]
    assert result.sources[0].labels == ("Blogs & News Feeds", "Tech", "AI")
    assert result.warnings == ()


def test_a_multi_byte_encoding_is_read() -> None:
    result = _read("shift_jis.opml")
    assert result.title == "購読リスト"
    assert [s.name for s in result.sources] == ["ITmedia NEWS", "ナショナル ジオグラフィック"]
    assert result.sources[1].topics == ("science",)
    assert result.new_topics[0].name == "テクノロジー"
    assert result.warnings == ()


def test_a_damaged_export_is_repaired_and_every_skipped_outline_is_named() -> None:
    result = _read("broken.opml")
    assert result.title == "Exported by Some Reader — résumé"
    assert _topics(result) == {
        # Bare '&' in the URL, XMLURL in capitals, in two folders (host case differs).
        "https://news.example.com/search?q=ai&lang=en&sort=new": ("world", "technology"),
        "https://deco.example.fr/rss": ("technology",),  # feed:https://…
    }
    assert result.sources[1].name == "Café déco"
    assert result.duplicates == 1
    assert result.warnings == (
        "the file says it is UTF-8 but is not; it was read as cp1252",
        "HTML entities such as &nbsp; were read as the characters they name",
        "4 bare '&' (as in unescaped URLs) were read as '&amp;'",
        'line 7: "Podcast page" is a link, not a feed; skipped',
        'line 8: "Bookmarklet" has no http(s) feed address (javascript:alert(1)); skipped',
        'line 9: "Relative" has no http(s) feed address (/feeds/local.xml); skipped',
        'line 10: "Empty" has no http(s) feed address ((empty)); skipped',
    )


# --- Hostile and hopeless files ---------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="2.0"><head><title>&lol3;</title></head><body/></opml>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/rss"/></body></opml>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<opml version="2.0"><body/></opml>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, PARAMETER_ENTITY])
def test_entity_declarations_are_refused_whole(data: bytes) -> None:
    with pytest.raises(OpmlError, match=r"declares XML entities .* refused"):
        parse_opml(data, CATALOGUE)


def test_a_doctype_without_entities_is_fine_and_nothing_is_fetched() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE opml SYSTEM "http://127.0.0.1:9/opml.dtd">
<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>
"""
    assert [s.url for s in parse_opml(data).sources] == ["https://a.example/rss"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"name,url\nBBC,https://bbc.co.uk/rss\n", "not a readable OPML file: syntax error"),
        (b"<html><body><p>Log in</p></body></html>", "not an OPML file: the document is <html>"),
        (b"<opml><body><outline text='x'></body></opml>", "not a readable OPML file: mismatched"),
    ],
)
def test_unreadable_files_get_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError) as caught:
        parse_opml(data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_file_over_the_limit_is_refused_before_parsing() -> None:
    with pytest.raises(OpmlError, match="the limit is 1,000"):
        parse_opml(b"<opml>" + b" " * 1000 + b"</opml>", max_bytes=1000)


def test_a_file_without_feeds_says_so() -> None:
    result = parse_opml(b"<opml version='2.0'><head/><body><outline text='Empty'/></body></opml>")
    assert result.sources == ()
    assert result.warnings == ("the file lists no feeds (outlines with an xmlUrl)",)


# --- Folder names to topics -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("World", ("world",)),
        ("world news", ("world",)),
        ("Sports", ("sport",)),
        ("Football", ("sport",)),
        ("AI", ("technology",)),
        ("Tech", ("technology",)),
        ("Tech News", ("technology",)),
        ("Artificial Intelligence", ("technology",)),
        ("US Politics", ("politics",)),
        ("Science & Tech", ("technology", "science")),
        ("Science/Health", ("science", "health")),
        ("Border Collies", ("border-collies",)),
        ("News", ()),
        ("Uncategorized", ()),
        ("Blogs & News Feeds", ()),
    ],
)
def test_folder_labels_to_topics(label: str, expected: tuple[str, ...]) -> None:
    data = (
        f'<opml version="2.0"><body><outline text="{label.replace("&", "&amp;")}">'
        '<outline text="Feed" xmlUrl="https://feed.example/rss"/></outline></body></opml>'
    ).encode()
    assert parse_opml(data, CATALOGUE).sources[0].topics == expected


def test_the_innermost_folder_names_a_new_topic_when_none_matches() -> None:
    data = b"""<opml version="2.0"><body><outline text="Hobbies"><outline text="Woodwork">
<outline text="Feed" xmlUrl="https://wood.example/rss"/></outline></outline></body></opml>"""
    result = parse_opml(data, CATALOGUE)
    assert result.sources[0].topics == ("woodwork",)
    assert result.new_topics == (TopicSpec("woodwork", "Woodwork"),)


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Border Collies", "border-collies"),
        ("Économie & Finances", "economie-finances"),
        ("  C++ / Rust!  ", "c-rust"),
        ("x" * 100, "x" * 64),
    ],
)
def test_slugs_of_new_topics(label: str, slug: str) -> None:
    assert slugify(label) == slug


def test_labels_in_another_script_get_a_stable_hashed_slug() -> None:
    assert slugify("Новости") == slugify(" новости ")
    assert slugify("Новости") != slugify("Спорт")
    assert slugify("Новости").startswith("topic-")


def test_filler_labels() -> None:
    assert is_filler("All") and is_filler("Blogs & News Feeds") and is_filler("")
    assert not is_filler("Tech News")


# --- Export and round trip --------------------------------------------------------------------


def test_export_groups_by_topic_in_catalogue_order_and_is_valid_opml_2() -> None:
    sources = [
        OpmlSource("https://b.example/rss", 'Beta <& "Co">', ("technology", "world"), "en"),
        OpmlSource("https://a.example/rss", "alpha", ("world",), site_url="https://a.example/"),
        OpmlSource("https://c.example/rss", "Loose", ()),
        OpmlSource("https://d.example/rss", "Delta", ("woodwork",)),
    ]
    now = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    data = render_opml(sources, CATALOGUE, now=now)
    root = ET.fromstring(data)
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/dateCreated") == "Wed, 25 Nov 2026 07:30:00 GMT"
    body = root.find("body")
    assert body is not None
    folders = [(o.get("text"), [c.get("text") for c in o]) for o in body if len(o)]
    assert folders == [
        ("World", ["alpha", 'Beta <& "Co">']),
        ("Technology", ['Beta <& "Co">']),
        ("woodwork", ["Delta"]),
    ]
    assert [o.get("xmlUrl") for o in body if not len(o)] == ["https://c.example/rss"]
    beta = body[0][1]
    assert beta.attrib == {
        "type": "rss",
        "text": 'Beta <& "Co">',
        "title": 'Beta <& "Co">',
        "xmlUrl": "https://b.example/rss",
        "language": "en",
    }
    assert body[0][0].get("htmlUrl") == "https://a.example/"


def test_export_of_stored_sources() -> None:
    stored = Source(url="https://s.example/feed", name="Stored", topics=["health"], language=None)
    parsed = parse_opml(render_opml([stored], CATALOGUE), CATALOGUE)
    assert [(s.url, s.name, s.topics) for s in parsed.sources] == [
        ("https://s.example/feed", "Stored", ("health",))
    ]


def _comparable(result: OpmlImport) -> list[tuple[object, ...]]:
    return sorted((s.url, s.name, s.topics, s.language, s.site_url) for s in result.sources)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_every_fixture_round_trips(name: str) -> None:
    first = _read(name)
    exported = render_opml(first.sources, [*CATALOGUE, *first.new_topics])
    again = parse_opml(exported, CATALOGUE)
    assert _comparable(again) == _comparable(first)
    assert again.warnings == ()
    assert {t.slug for t in again.new_topics} == {t.slug for t in first.new_topics}


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(" \t\n&<>\"'"),
    min_size=1,
    max_size=40,
).filter(lambda n: n.strip())
_slugs = st.sampled_from([t.slug for t in CATALOGUE] + ["woodwork", "border-collies"])
_paths = st.text(alphabet=string.ascii_letters + string.digits + "-_/.?=&%", max_size=30)
_sources = st.builds(
    OpmlSource,
    url=st.builds(lambda host, path: f"https://{host}.example/{path}", st.uuids(), _paths),
    name=_names,
    topics=st.lists(_slugs, unique=True, max_size=3).map(tuple),
    language=st.sampled_from([None, "en", "fr", "pt"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_sources, max_size=8, unique_by=lambda s: s.url))
def test_any_sources_round_trip(sources: list[OpmlSource]) -> None:
    parsed = parse_opml(render_opml(sources, CATALOGUE), CATALOGUE)
    order = [t.slug for t in CATALOGUE]

    def expected_topics(topics: tuple[str, ...]) -> tuple[str, ...]:
        known = [t for t in order if t in topics]
        return (*known, *sorted(set(topics) - set(known)))

    assert {s.url: s.topics for s in parsed.sources} == {
        s.url: expected_topics(s.topics) for s in sources
    }
    names = {s.url: s.name for s in parsed.sources}
    assert names == {s.url: " ".join(s.name.split()) for s in sources}


def test_characters_xml_cannot_hold_are_dropped_from_exported_names() -> None:
    source = OpmlSource("https://x.example/rss", "Bad\x00\x1b Name\ufffe", ("world",))
    (parsed,) = parse_opml(render_opml([source]), CATALOGUE).sources
    assert parsed.name == "Bad Name"


def test_feed_addresses_keep_everything_but_the_case_of_scheme_and_host() -> None:
    data = b"""<opml version="2.0"><body>
<outline text="A" xmlUrl="HTTPS://User:Pw@Feeds.Example.COM:8443/Path/RSS?Q=1#Top"/>
<outline text="B" xmlUrl="https://b.example/?"/>
</body></opml>"""
    assert [s.url for s in parse_opml(data).sources] == [
        "https://User:Pw@feeds.example.com:8443/Path/RSS?Q=1#Top",
        "https://b.example/?",
    ]
