"""Our rankings, as sumy summarisers: the lead baseline and the news ranker.

`NewsSummarizer` is the default. News is written as an inverted pyramid, so the
first sentences carry most of what a summary needs; sumy's centrality methods
ignore that and fall 5-10 ROUGE points below simply taking the first three
sentences. The news ranker starts from position and lets content move a
sentence up or down:

- position: a decaying prior on the sentence's place in the article;
- centrality: how much of the sentence's vocabulary recurs elsewhere in the
  article (the words a story keeps coming back to are what it is about);
- title overlap, when a title is known;
- form: a sentence that opens with a quotation is someone's words rather than
  the news, and an overlong sentence makes a poor summary sentence.

Redundancy and the word budget are handled when sentences are selected
(`summarizer._select`), so the same ranking serves 1 to 5 sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sumy.summarizers._summarizer import AbstractSummarizer

from ._languages import Language

__all__ = ["LeadSummarizer", "NewsSummarizer"]

_OPENING_QUOTES = "\"'‘“«„"


class LeadSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """The first sentences, in order: the baseline every news summariser must beat."""

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        # Rated by a counter rather than a dict keyed by sentence, so repeated
        # sentences keep their own places.
        ratings = iter(range(len(document.sentences), 0, -1))
        return tuple(
            self._get_best_sentences(document.sentences, sentences_count, lambda _s: next(ratings))
        )


class NewsSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """Position-aware ranking for news: lead prior, centrality, title, form."""

    # Weights were chosen on the development splits of ../shared/data (CNN/DM,
    # XSum, BBC) from a handful of round values, not fitted: see the README.

    #: Decay of the position prior, in sentences: exp(-i / position_scale).
    position_scale = 5.0
    #: Weight of centrality (scaled to 0..1 within the article) against position.
    centrality_weight = 0.4
    #: Weight of the share of title words a sentence contains.
    title_weight = 0.5
    #: A sentence that opens with a quotation mark is someone's words, not the news.
    quote_penalty = 0.3
    #: Sentences longer than this many words lose score in proportion.
    long_sentence = 40

    def __init__(self, language: Language) -> None:
        super().__init__(language.stem)
        self._language = language

    @property
    def stop_words(self) -> frozenset[str]:
        return self._language.stop_words

    def content_terms(self, words: Sequence[str]) -> list[str]:
        """Stemmed, lower-cased words that are not stop words."""
        return self._language.content_terms(words)

    def rate_sentences(self, document: Any) -> dict[Any, float]:
        sentences = document.sentences
        scores = self.scores(
            [s.words for s in sentences],
            [str(s) for s in sentences],
            [w for h in document.headings for w in h.words],
        )
        return dict(zip(sentences, scores, strict=True))

    def scores(
        self,
        sentence_words: Sequence[Sequence[str]],
        sentence_texts: Sequence[str],
        title_words: Sequence[str] = (),
    ) -> list[float]:
        """Score each sentence; higher is better. Pure function of its input."""
        terms = [self.content_terms(words) for words in sentence_words]
        title = set(self.content_terms(title_words))
        document_frequency: Counter[str] = Counter()
        for sentence_terms in terms:
            document_frequency.update(set(sentence_terms))

        log_frequency = {t: math.log(n) for t, n in document_frequency.items()}
        centrality = [_centrality(t, log_frequency) for t in terms]
        top = max(centrality, default=0.0) or 1.0
        result = []
        for index, (sentence_terms, text, words) in enumerate(
            zip(terms, sentence_texts, sentence_words, strict=True)
        ):
            score = math.exp(-index / self.position_scale)
            score += self.centrality_weight * centrality[index] / top
            if title:
                score += self.title_weight * len(title.intersection(sentence_terms)) / len(title)
            if len(words) > self.long_sentence:
                score -= (len(words) - self.long_sentence) / self.long_sentence
            if text[:1] in _OPENING_QUOTES:
                score -= self.quote_penalty
            result.append(score)
        return result

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        sentences = document.sentences
        ratings = iter(
            self.scores(
                [s.words for s in sentences],
                [str(s) for s in sentences],
                [w for h in document.headings for w in h.words],
            )
        )
        return tuple(self._get_best_sentences(sentences, sentences_count, lambda _s: next(ratings)))


def _centrality(terms: Sequence[str], log_frequency: dict[str, float]) -> float:
    """How much of a sentence's vocabulary recurs in other sentences.

    Sum of log(sentence frequency) over distinct terms, normalised by the square
    root of their number: a word used in one sentence only adds nothing, and a
    long sentence is not central just for being long.
    """
    distinct = set(terms)
    if not distinct:
        return 0.0
    return sum(log_frequency[t] for t in distinct) / math.sqrt(len(distinct))
