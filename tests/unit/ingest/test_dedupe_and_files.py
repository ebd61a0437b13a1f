"""Content hashes, story similarity, and the operator's TOML files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.dedupe import band_keys, content_hash, minhash, same_story, story_words
from ingest.sources_file import SourcesFileError, parse_catalogue, parse_sources

STORY = (
    "Rescue teams in northern Italy pulled three climbers alive from an avalanche near "
    "Bormio on Sunday, officials in Lombardy said, after a night-long search in heavy snow."
)


def test_the_same_text_under_another_url_has_the_same_hash_short_teasers_do_not() -> None:
    body = STORY * 3
    assert content_hash(title="A", text=body, url="https://a.test/1") == content_hash(
        title="B", text="  " + body.upper(), url="https://b.test/2"
    )
    teaser = "Click to read more."
    assert content_hash(title="A", text=teaser, url="https://a.test/1") != content_hash(
        title="B", text=teaser, url="https://a.test/2"
    )


def test_retellings_are_one_story_and_unrelated_news_is_not() -> None:
    ours = story_words("Three climbers rescued from Bormio avalanche", STORY)
    theirs = story_words(
        "Avalanche near Bormio: three climbers found alive",
        "Three climbers were pulled alive from an avalanche near Bormio in northern Italy "
        "on Sunday after a night-long search in heavy snow, Lombardy officials said.",
    )
    other = story_words(
        "Central bank holds interest rates",
        "The central bank kept its main interest rate unchanged on Thursday, citing "
        "persistent inflation in services and a weaker outlook for exports.",
    )
    assert same_story(ours, theirs)
    assert not same_story(ours, other)
    assert set(band_keys(minhash(ours))) & set(band_keys(minhash(theirs)))
    assert not same_story(frozenset({"live"}), frozenset({"live"}))  # too few words to tell


def test_signatures_are_stable_across_processes() -> None:
    # Keys are stored: they must not depend on PYTHONHASHSEED or the run.
    assert (
        band_keys(minhash({"bormio", "avalanche"}))[:2]
        == band_keys(minhash({"avalanche", "bormio"}))[:2]
    )
    assert minhash(set()) == [] and band_keys([]) == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]\n", "not valid TOML"),
        ('[[source]]\nurl = "https://x.test/rss"\n', 'source #1: name is missing (name = "'),
        ('[[source]]\nname = "X"\nurl = "x.test/rss"\n', 'source "X": url must be an http(s)'),
        (
            '[[source]]\nname = "X"\nurl = "https://x.test/"\ntopics = ["cooking"]\n',
            "unknown topic 'cooking' (known: sport, world)",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.test/"\nlanguage = "English"\n',
            'language must be a code such as "en"',
        ),
        ('[[source]]\nname = "X"\nurl = "https://x.test/"\nlimit = 3\n', "unknown field 'limit'"),
        (
            '[[source]]\nname = "X"\nurl = "https://x.test/"\n'
            '[[source]]\nname = "Y"\nurl = "https://x.test/"\n',
            "is listed twice",
        ),
    ],
)
def test_a_bad_sources_file_is_one_line_naming_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourcesFileError) as raised:
        parse_sources(path, known_topics={"world", "sport"})
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(path))
    assert "\n" not in str(raised.value)


def test_the_bundled_files_are_valid_and_cover_every_topic() -> None:
    catalogue = parse_catalogue()
    slugs = {t.slug for t in catalogue}
    assert {"world", "politics", "business", "technology", "science", "health", "sport"} | {
        "entertainment"
    } <= slugs
    default = Path(__file__).resolve().parents[3] / "ingest" / "default_sources.toml"
    sources = parse_sources(default, known_topics=slugs)
    covered = {t for s in sources for t in s.topics}
    assert covered == slugs
    assert all(s.url.startswith("https://") and s.language == "en" for s in sources)
    assert len({s.url for s in sources}) == len(sources)


def test_a_missing_sources_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="no such file"):
        parse_sources(tmp_path / "nope.toml")


def test_a_huge_article_is_stored_and_summarised_as_a_bounded_prefix() -> None:
    from datetime import UTC, datetime

    from ingest.analyse import MAX_TEXT_CHARS, Candidate, analyse
    from ingest.topics import TopicRules

    seen: list[int] = []

    def summarise(text: str, title: str | None, language: str | None) -> list[tuple[int, str]]:
        seen.append(len(text))
        return [(0, "First.")]

    candidate = Candidate(
        url="https://live.test/blog",
        guid=None,
        title="Live blog",
        published_at=datetime(2026, 11, 25, tzinfo=UTC),
        content="<p>" + "Another update arrives. " * 20_000 + "</p>",
        categories=(),
        source_topics=(),
        declared_languages=("en",),
    )
    result = analyse(candidate, rules=TopicRules.from_catalogue([]), summarise=summarise, clean=str)
    # Cut after the last whole word that fits, never inside one.
    assert MAX_TEXT_CHARS - 10 < len(result.text) <= MAX_TEXT_CHARS
    assert result.text.endswith("Another update")
    assert seen == [len(result.text)]
    assert result.summary == ("First.",) and result.summary_positions == (0,)


def test_a_failing_summariser_falls_back_to_the_first_sentences() -> None:
    from datetime import UTC, datetime

    from ingest.analyse import Candidate, analyse
    from ingest.topics import TopicRules

    def broken(text: str, title: str | None, language: str | None) -> list[tuple[int, str]]:
        raise RuntimeError("model missing")

    candidate = Candidate(
        url="https://a.test/1",
        guid="1",
        title="Bridge reopens",
        published_at=datetime(2026, 11, 25, tzinfo=UTC),
        content="<p>The bridge reopened on Monday. Traffic flowed at once.</p><p>More later.</p>",
        categories=(),
        source_topics=(),
        declared_languages=("en",),
    )
    result = analyse(candidate, rules=TopicRules.from_catalogue([]), summarise=broken, clean=str)
    assert result.summary == (
        "The bridge reopened on Monday.",
        "Traffic flowed at once.",
        "More later.",
    )
    assert result.summary_positions == (0, 1, 2)
    assert result.problem == "summariser failed: RuntimeError: model missing"
