"""Muted words: whole words, any case and accent, in the summariser's languages; a
substring only in scripts written without spaces; and their effect on a digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from digest.compose import Section, compose
from digest.mutes import MuteMatcher, StoryText, StoryTexts, fold, folded_phrase, unspaced
from stories import Story

NOW = datetime(2026, 12, 6, 7, 30, tzinfo=UTC)


def story(title: str, *summary: str, n: int = 1, story_id: int | None = None) -> Story:
    return Story(
        article_id=n,
        story_id=story_id if story_id is not None else n,
        title=title,
        url=f"https://news.test/{n}",
        summary=summary,
        source="Outlet",
        published_at=NOW - timedelta(hours=1),
    )


def mutes(phrase: str, title: str, *summary: str) -> bool:
    return MuteMatcher([folded_phrase(phrase)]).matches(StoryText.of(story(title, *summary)))


@pytest.mark.parametrize(
    ("phrase", "title"),
    [
        # English: case, possessives, punctuation between the words of a phrase.
        ("football", "FOOTBALL: the final"),
        ("ukraine", "Ukraine’s harvest"),
        ("climate change", "Climate-change talks stall"),
        ("climate-change", "A climate change summit"),
        ("covid-19", "COVID 19 cases fall"),
        ("café", "Cafe owners protest"),
        ("cafe", "Café owners protest"),
        # Turkish: dotted and dotless i, in either case, and suffixes after an apostrophe.
        ("istanbul", "İSTANBUL'da sel"),
        ("İzmir", "izmir limanı"),
        ("ılık", "ILIK bir hafta"),
        ("şeker", "SEKER fiyatları"),
        # German: sharp s and umlauts.
        ("Fußball", "FUSSBALL-Bundesliga"),
        ("strasse", "Die Straße ist gesperrt"),
        ("Müller", "Thomas Muller trifft"),
        # Russian: case and ё written as е.
        ("ёжик", "ЕЖИК в тумане"),
        ("выборы", "Выборы в Думу"),
        # Arabic and Persian: harakat, tatweel, hamza on alef, yeh and kaf forms, digits.
        ("مدرسة", "مَدْرَسَة جديدة"),
        ("كتاب", "کتاب‌ها را بخوانید"),
        ("ایران", "اخبار ايران"),
        ("أحمد", "احمد يفوز"),
        ("2026", "انتخابات ۲۰۲۶"),
        ("جميل", "جمــيل جدا"),
        # Indonesian: a two-word phrase.
        ("sepak bola", "Sepak Bola: Timnas menang"),
        # Chinese, Japanese and Thai: no spaces, so a substring.
        ("東京", "東京都で大雨"),
        ("足球", "中国足球队获胜"),
        ("ฟุตบอล", "ข่าวฟุตบอลวันนี้"),
    ],
)
def test_a_phrase_matches_across_case_accents_and_letter_forms(phrase: str, title: str) -> None:
    assert mutes(phrase, title)


@pytest.mark.parametrize(
    ("phrase", "title"),
    [
        ("rain", "Ukraine war enters its fourth year"),
        ("art", "Smartphones and startups"),
        ("cat", "Education budget"),
        ("ankara", "Ankaralı gençler"),  # a whole word, not a prefix
        ("ball", "Fußball heute"),
        ("Рим", "Примирение сторон"),  # Rome inside "reconciliation"
        ("мой", "Мои друзья"),  # й is a letter of its own, not и with an accent
        ("علم", "العلماء يجتمعون"),
        ("bola", "Bolanos menang"),
        ("climate change", "Climate policy will change"),  # words must be consecutive
        ("change climate", "Climate change talks"),  # and in order
    ],
)
def test_no_hit_inside_a_word_or_out_of_order(phrase: str, title: str) -> None:
    assert not mutes(phrase, title)


def test_the_summary_counts_as_well_as_the_title() -> None:
    assert mutes("penalty", "A quiet evening", "It was decided by a penalty.", "Fans left.")
    assert not mutes("penalty", "A quiet evening", "It was decided by penalties.")
    assert mutes("fans left", "A quiet evening", "It was decided by a penalty.", "Fans left.")


def test_a_phrase_never_runs_from_the_title_into_the_summary() -> None:
    assert not mutes("evening it", "A quiet evening", "It was decided by a penalty.")
    assert not mutes(
        "penalty fans", "A quiet evening", "It was decided by a penalty.", "Fans left."
    )
    assert not mutes("東京大阪", "東京", "大阪の天気")


def test_folding_keeps_letters_of_their_own_and_drops_only_accents() -> None:
    assert fold("Ёжик Йогурт") == "ежик йогурт"
    assert fold("İIıi") == "iiii"
    assert fold("ẞ Straße") == "ss strasse"
    assert fold("ﬁnance ①") == "finance 1"
    # Devanagari vowel signs are letters' parts, not accents: they stay.
    assert fold("हिंदी") == "हिंदी"


def test_a_phrase_is_stored_as_its_folded_words() -> None:
    assert folded_phrase("  Climate—Change!! ") == "climate change"
    assert folded_phrase("!!!") == ""
    assert unspaced(folded_phrase("東京")) and not unspaced(folded_phrase("Tokyo"))


def test_a_matcher_with_several_phrases_and_none() -> None:
    matcher = MuteMatcher(folded_phrase(p) for p in ["football", "climate change", "東京"])
    assert matcher.matches(StoryText.of(story("Football tonight")))
    assert matcher.matches(StoryText.of(story("Talks on climate change")))
    assert matcher.matches(StoryText.of(story("東京の天気")))
    assert not matcher.matches(StoryText.of(story("Basketball tonight")))
    assert not MuteMatcher([]) and not MuteMatcher([""])


def test_a_digest_leaves_muted_stories_out_counts_them_once_and_still_fills_up() -> None:
    world = [
        story("War in the north", n=1),
        story("Football: cup final tonight", n=2),
        story("Elections", n=3),
        story("Football transfer news", n=4),
    ]
    sport = [world[1], story("Tennis", n=5)]  # the muted story in two sections
    texts = StoryTexts()
    matcher = MuteMatcher([folded_phrase("football")])
    composition = compose(
        [Section("World", world), Section("Sport", sport)],
        since=NOW - timedelta(days=1),
        seen_articles=set(),
        seen_stories=set(),
        max_per_topic=5,
        max_items=15,
        muted=lambda s: texts.muted(matcher, s),
    )
    assert [s.article_id for s in composition.items()] == [1, 3, 5]
    assert composition.muted == 2
    unmuted = compose(
        [Section("World", world)],
        since=NOW - timedelta(days=1),
        seen_articles=set(),
        seen_stories=set(),
        max_per_topic=5,
        max_items=15,
    )
    assert unmuted.item_count == 4 and unmuted.muted == 0
