"""Sentence splitting: Punkt's decisions, repaired where news text shows them wrong."""

from __future__ import annotations

import pytest

from summarizer import METHODS, OfflineTokenizer, summarize
from summarizer._tokenize import is_quote_fragment

SPLIT = OfflineTokenizer("english").to_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Blues legend B.B. King was hospitalized for dehydration. He is better now.",
            (
                "Blues legend B.B. King was hospitalized for dehydration.",
                "He is better now.",
            ),
        ),
        (
            "Kansas Gov. Sam Brownback signed it on Tuesday. Sen. John Smith objected.",
            ("Kansas Gov. Sam Brownback signed it on Tuesday.", "Sen. John Smith objected."),
        ),
        (
            "The team is No. 1 in the league. The match starts at 5 p.m. Monday in town.",
            ("The team is No. 1 in the league.", "The match starts at 5 p.m. Monday in town."),
        ),
        # A known abbreviation at the end of a sentence still ends it.
        (
            "The company is based in the U.S. It has offices in London too.",
            ("The company is based in the U.S.", "It has offices in London too."),
        ),
    ],
)
def test_abbreviations_and_initials(text: str, expected: tuple[str, ...]) -> None:
    assert SPLIT(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'She said: "I would not work at a place like this. Makes my skin crawl." '
            "Then she left.",
            (
                'She said: "I would not work at a place like this. Makes my skin crawl."',
                "Then she left.",
            ),
        ),
        (
            "He said: 'We will pay on time. We are ready to pay on April 9.' Sources doubted it.",
            (
                "He said: 'We will pay on time. We are ready to pay on April 9.'",
                "Sources doubted it.",
            ),
        ),
        (
            "‘I asked the coach why. Maybe I was tired.’ The coach said nothing.",
            ("‘I asked the coach why. Maybe I was tired.’", "The coach said nothing."),
        ),
    ],
)
def test_a_quotation_is_not_cut_into_pieces(text: str, expected: tuple[str, ...]) -> None:
    assert SPLIT(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Apostrophes are not quotation marks.
        "Rock 'n' roll was like hula hoops in the '50s. The students' union agreed.",
        # A new quotation opens before the old one closes: the old one never closed.
        '"You are a good man. "And I know my son appreciates it," he said.',
    ],
)
def test_apostrophes_and_unmatched_marks_do_not_join_sentences(text: str) -> None:
    assert len(SPLIT(text)) == 2


def test_a_scare_quote_closes_where_it_ends() -> None:
    # Otherwise the first sentence would look open and swallow the next two.
    text = "He called them 'his children' on Monday. Deputies disagreed. They are fine,' she said."
    assert len(SPLIT(text)) == 3


def test_quote_fragments_are_recognised() -> None:
    assert is_quote_fragment('Makes my skin crawl even being here."')
    assert is_quote_fragment("We are ready to pay on April 9.'")
    assert not is_quote_fragment('"I am fine," he said on Monday.')
    assert not is_quote_fragment("The Joneses' house was sold on Monday.")
    assert not is_quote_fragment("A plain sentence with no quotation marks at all.")
    # Scare quotes in lower case open and close within the sentence.
    assert not is_quote_fragment(
        "He called the technical teams 'completely useless,' according to the paper."
    )
    assert not is_quote_fragment("She said it was 'close to the end' for the talks.")


def test_a_fragment_of_a_quotation_is_never_picked_alone() -> None:
    # The opening mark is in the previous paragraph, as in multi-paragraph quotes.
    text = (
        'The minister spoke to reporters outside the hospital on Monday. "It was bad.\n\n'
        'Makes my skin crawl even being here, honestly, truly." The visit lasted an hour '
        "and ended with a short tour of the new children's ward."
    )
    for method in METHODS:
        summary = summarize(text, sentences=5, method=method, max_words=None)
        assert summary.sentences, method
        assert not any(s.startswith("Makes my skin") for s in summary.sentences), method
