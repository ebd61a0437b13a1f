"""Our rankings, as sumy summarisers: the lead baseline and the news ranker.

`NewsSummarizer` is the default. News is written as an inverted pyramid, so the
first sentences carry most of what a summary needs; sumy's centrality methods
ignore that and fall 5-10 ROUGE points below simply taking the first three
sentences. The news ranker starts from position and lets content move a
sentence up or down:

- position: a decaying prior on the sentence's place in the article;
- forward centrality: how much of what the sentence says the sentences after
  it take up again (the sum of its tf-idf cosine similarities to every later
  sentence, as in PacSum, Zheng and Lapata 2019). A news story states its
  point and then elaborates it, so the sentence the later paragraphs keep
  returning to is the point; similarity to earlier sentences is left out,
  because a sentence that repeats what came before adds nothing new;
- title overlap, when a title is known;
- form: a sentence that opens with a quotation is someone's words rather than
  the news, and an overlong sentence makes a poor summary sentence.

The scores also say when to stop: a sentence scoring below `min_score` is not
added to a summary that already has a sentence, because a weak sentence costs
the reader more than it tells them (and, measured, lowers ROUGE precision more
than it raises recall). Redundancy and the word budget are handled when
sentences are selected (`summarizer._select`), so the same ranking serves 1 to
5 sentences.
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
    """Position-aware ranking for news: lead prior, forward centrality, title, form."""

    # Weights were chosen on the development splits of ../shared/data (CNN/DM,
    # XSum, BBC) from a handful of round values, not fitted, and checked with
    # cross-validation: see the README.

    #: Decay of the position prior, in sentences: exp(-i / position_scale).
    position_scale = 5.0
    #: Weight of forward centrality (scaled to 0..1 within the article).
    forward_weight = 1.0
    #: Weight of the share of title words a sentence contains.
    title_weight = 0.5
    #: A sentence that opens with a quotation mark is someone's words, not the news.
    quote_penalty = 0.3
    #: Sentences longer than this many words lose score in proportion.
    long_sentence = 40
    #: Below this score a sentence is not added to a summary that has one. The
    #: opening sentence of a story scores about 2; the first three sentences
    #: reach 0.6 on their place alone (exp(-2/5) = 0.67) unless overlong or a
    #: quotation; a later sentence needs the sentences after it to take it up.
    min_score = 0.6

    def __init__(self, language: Language) -> None:
        super().__init__(language.stem)
        self._language = language

    @property
    def stop_words(self) -> frozenset[str]:
        return self._language.stop_words

    def content_terms(self, words: Sequence[str]) -> list[str]:
        """Stemmed, lower-cased words that are not stop words."""
        return self._language.content_terms(words)

    def rate_document(self, document: Any) -> list[float]:
        """The score of each of `document.sentences`, in document order."""
        sentences = document.sentences
        return self.scores(
            [s.words for s in sentences],
            [str(s) for s in sentences],
            [w for h in document.headings for w in h.words],
        )

    def rate_sentences(self, document: Any) -> dict[Any, float]:
        return dict(zip(document.sentences, self.rate_document(document), strict=True))

    def scores(
        self,
        sentence_words: Sequence[Sequence[str]],
        sentence_texts: Sequence[str],
        title_words: Sequence[str] = (),
    ) -> list[float]:
        """Score each sentence; higher is better. Pure function of its input."""
        terms = [frozenset(self.content_terms(words)) for words in sentence_words]
        title = set(self.content_terms(title_words))
        language = self._language
        if language.stop_words_in_centrality:
            forward = _forward_centrality(terms)
        else:
            # A long stop-word list holds content words too ("kasus", "jumlah",
            # "pihak" in Indonesian); tf-idf weighs true function words down by
            # itself, so centrality reads every word (see `Language`).
            forward = _forward_centrality(
                [frozenset(language.all_terms(words)) for words in sentence_words]
            )
        top = max(forward, default=0.0) or 1.0
        result = []
        for index, (sentence_terms, text, words) in enumerate(
            zip(terms, sentence_texts, sentence_words, strict=True)
        ):
            score = math.exp(-index / self.position_scale)
            score += self.forward_weight * forward[index] / top
            if title:
                score += self.title_weight * len(title.intersection(sentence_terms)) / len(title)
            if len(words) > self.long_sentence:
                score -= (len(words) - self.long_sentence) / self.long_sentence
            if text[:1] in _OPENING_QUOTES:
                score -= self.quote_penalty
            result.append(score)
        return result

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        ratings = iter(self.rate_document(document))
        sentences = document.sentences
        return tuple(self._get_best_sentences(sentences, sentences_count, lambda _s: next(ratings)))


def _forward_centrality(terms: Sequence[frozenset[str]]) -> list[float]:
    """For each sentence, the sum of its cosine similarities to every later sentence.

    Sentences are tf-idf vectors over their distinct content terms, with
    idf = log((n + 1) / df) over the article's n sentences. The sum over later
    sentences j of u_i . u_j (unit vectors) is u_i . (u_{i+1} + ... + u_n), so
    one pass from the end with a running sum costs linear time, not quadratic.
    """
    count = len(terms)
    frequency: Counter[str] = Counter()
    for sentence_terms in terms:
        frequency.update(sentence_terms)
    log_count = math.log(count + 1)
    weight = {t: log_count - math.log(n) for t, n in frequency.items()}
    later = dict.fromkeys(weight, 0.0)
    result = [0.0] * count
    for index in range(count - 1, -1, -1):
        sentence_terms = terms[index]
        if not sentence_terms:
            continue
        weights = [weight[t] for t in sentence_terms]
        norm = math.sqrt(sum(w * w for w in weights))
        total = 0.0
        # The terms of one sentence are distinct, so each `later[t]` is read
        # before this sentence adds to it.
        for t, w in zip(sentence_terms, weights, strict=True):
            total += w * later[t]
            later[t] += w / norm
        result[index] = total / norm
    return result
