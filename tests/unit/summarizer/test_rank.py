"""The news ranker: forward centrality, and the floor under which nothing is added."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import summarize
from summarizer._rank import _forward_centrality


def _quadratic(terms: list[frozenset[str]]) -> list[float]:
    """The definition: sum of tf-idf cosine similarities to every later sentence."""
    n = len(terms)
    df = {t: sum(t in s for s in terms) for s in terms for t in s}
    idf = {t: math.log((n + 1) / c) for t, c in df.items()}

    def cosine(a: frozenset[str], b: frozenset[str]) -> float:
        if not a or not b:
            return 0.0
        dot = sum(idf[t] ** 2 for t in a & b)
        return dot / math.sqrt(sum(idf[t] ** 2 for t in a) * sum(idf[t] ** 2 for t in b))

    return [sum(cosine(terms[i], terms[j]) for j in range(i + 1, n)) for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.frozensets(st.sampled_from("abcdefghij"), max_size=6), max_size=12))
def test_forward_centrality_in_linear_time_equals_the_definition(
    terms: list[frozenset[str]],
) -> None:
    fast = _forward_centrality(terms)
    slow = _quadratic(terms)
    assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(fast, slow, strict=True))


STORY = (
    "The river burst its banks in Millbrook on Sunday, flooding two hundred homes overnight. "
    "A brass band played at the annual summer fete in a neighbouring village on Saturday. "
    "Millbrook residents said the flood water reached the first floor of their homes. "
    "The council opened a rest centre for families whose homes were flooded in Millbrook. "
    "Engineers said the river flood defences in Millbrook had not been repaired since 2015. "
    "The Millbrook flood is the third in the town in ten years, the council said."
)


def test_the_sentence_later_sentences_take_up_outranks_an_early_aside() -> None:
    summary = summarize(STORY, sentences=2)
    assert summary.sentences[0].startswith("The river burst its banks")
    assert not any("brass band" in s for s in summary.sentences)


def test_weak_sentences_do_not_pad_a_summary() -> None:
    # A strong lead, then sentences nothing else in the article takes up.
    text = (
        "The central bank raised its main interest rate to five percent on Thursday morning. "
        "The bank said the rate rise was needed because prices kept rising faster than wages. "
        "Bank economists expect the rate to stay at five percent until prices slow down. "
        "Gardeners in the north planted tulips early after a mild and sunny February. "
        "A local choir performed carols for patients at the hospital before Christmas. "
        "The town's football club signed a young goalkeeper from a rival team yesterday. "
        "Tourists visiting the old castle can now buy tickets online from next week."
    )
    summary = summarize(text, sentences=5, max_words=None)
    assert summary.sentences[0].startswith("The central bank raised")
    assert len(summary.sentences) < 5
    assert not any(word in s for s in summary.sentences for word in ("tulips", "choir", "castle"))
    # Every method without a floor fills all five places.
    assert len(summarize(text, sentences=5, method="lead", max_words=None).sentences) == 5
