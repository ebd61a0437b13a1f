"""summarize(): what a caller sees: order, length, title, budget, determinism."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import METHODS, MIN_WORDS, Summary, shorten, summarize

STORY = """Title line is not here because it is passed separately.

The city council approved a new budget on Monday that raises spending on schools by ten percent.
The budget also cuts funding for road repairs, which angered several councillors from rural wards.
Mayor Anna Berg said the decision reflected the priorities voters expressed in last year's survey.

Opposition councillors said the road budget was too small to fix the damage from last winter.
They proposed moving money from the events fund, but it was rejected by eleven votes to six.

The new budget takes effect in January. Residents can read the full plan on the council website.
Council officials expect the school spending to pay for forty new teachers over the next two years.
"""


def test_sentences_come_in_document_order_and_are_article_sentences() -> None:
    summary = summarize(STORY, sentences=3)
    assert len(summary.sentences) == 3
    positions = [STORY.index(s) for s in summary.sentences]
    assert positions == sorted(positions)
    assert list(summary.positions) == sorted(summary.positions)


def test_a_title_is_a_heading_never_a_summary_sentence() -> None:
    # Scraped text often repeats the headline as its first line, full stop and all.
    title = "Council backs budget that boosts school spending and cuts road repairs."
    text = f"{title}\n\n{STORY}"
    for method in METHODS:
        summary = summarize(text, title=title, sentences=5, method=method, max_words=None)
        assert title not in summary.sentences, method
    # Without being told, it is just another sentence (so the test above can fail).
    assert title in summarize(text, sentences=5, method="lead", max_words=None).sentences


def test_fragments_under_six_words_are_never_picked() -> None:
    text = "Ukraine sends. " * 3 + STORY + " Officials confirm. Nothing more."
    for method in METHODS:
        summary = summarize(text, sentences=5, method=method, max_words=None)
        assert all(len(s.split()) >= MIN_WORDS for s in summary.sentences), method


def test_the_default_summary_stays_within_about_eighty_words() -> None:
    long_sentences = " ".join(
        f"Sentence number {i} describes at some length what happened at the meeting of the "
        f"committee on planning and transport, where members argued for hours about the bypass."
        for i in range(20)
    )
    summary = summarize(long_sentences, sentences=3)
    assert 0 < summary.word_count <= 80
    unlimited = summarize(long_sentences, sentences=3, method="lead", max_words=None)
    assert unlimited.word_count > 80
    assert summarize(long_sentences, sentences=3, method="lead").word_count <= 80


def test_an_overlong_only_sentence_is_still_returned() -> None:
    sentence = " ".join(["word"] * 120) + "."
    assert summarize(sentence).sentences == [sentence]


def test_fewer_sentences_than_asked_returns_what_there_is() -> None:
    text = "Only one real sentence is in this short little article today."
    assert summarize(text, sentences=5).sentences == [text]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Too short.", "<html><body></body></html>"])
def test_nothing_to_summarise_gives_an_empty_summary(text: str) -> None:
    summary = summarize(text)
    assert summary.sentences == []
    assert summary.word_count == 0


def test_html_goes_through_extraction() -> None:
    html = (
        "<html><body><nav>Home | News | Sport | Contact</nav><article>"
        + "".join(f"<p>{line}</p>" for line in STORY.splitlines() if line)
        + "</article><footer>© 2024 Example News. All rights reserved.</footer></body></html>"
    )
    summary = summarize(html)
    assert summary.sentences
    assert all("<" not in s and "©" not in s and "|" not in s for s in summary.sentences)


def test_unknown_method_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="lexrank"):
        summarize(STORY, method="magic")
    with pytest.raises(ValueError, match="at least 1"):
        summarize(STORY, sentences=0)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_deterministic(method: str) -> None:
    first = summarize(STORY, method=method)
    assert first.method == method
    assert first.sentences
    assert all(summarize(STORY, method=method) == first for _ in range(3))


def test_safe_to_call_from_several_threads() -> None:
    texts = [STORY.replace("Monday", day) for day in ("Monday", "Tuesday", "Friday", "Sunday")]
    expected = [summarize(t, language=lang) for t in texts for lang in ("en", "de", "xx")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            jobs = [(t, lang) for t in texts for lang in ("en", "de", "xx")]
            got = list(pool.map(lambda job: summarize(job[0], language=job[1]), jobs))
            assert got == expected


WORDS = [
    *("council", "budget", "school", "road", "mayor", "voters", "winter", "amendment"),
    *("teachers", "plan", "city", "money", "events", "funds", "rural", "repair"),
    *("spending", "survey", "officials", "residents"),
]
words = st.sampled_from(WORDS)
sentence = st.lists(words, min_size=4, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=40, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=14), st.sampled_from(METHODS))
def test_shortening_a_stored_summary_equals_asking_for_fewer(
    sentences: list[str], method: str
) -> None:
    text = " ".join(sentences)
    stored = summarize(text, sentences=5, method=method)
    for k in range(1, 6):
        assert shorten(stored, k) == summarize(text, sentences=k, method=method)


def test_ranked_sentences_and_positions_round_trip() -> None:
    summary = summarize(STORY, sentences=5)
    assert sorted(summary.ranked) == sorted(summary.sentences)
    reordered = [s for _, s in sorted(zip(summary.ranked_positions, summary.ranked, strict=True))]
    assert reordered == summary.sentences
    assert isinstance(shorten(summary, 2), Summary)


@pytest.mark.parametrize("method", METHODS)
def test_two_sentences_sharing_no_word_are_ranked_without_nan(method: str) -> None:
    # sumy's LexRank divides zero by zero here (its idf gives such words no weight).
    text = (
        "The minister spoke to reporters outside the hospital on Monday. "
        "A visit lasted an hour and ended with a short tour of its new ward."
    )
    summary = summarize(text, sentences=2, method=method)
    assert len(summary.sentences) == 2
