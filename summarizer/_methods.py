"""The selectable methods: ours, the lead baseline, and every sumy summariser.

Every method is used through one operation, `rank(method, document, language)`,
which returns the indices of the document's sentences best first. sumy's
summarisers only return their top sentences in document order, but they all
pick them with `AbstractSummarizer._get_best_sentences`, which accepts a
callable as the sentence count and hands it the sentences sorted by rating.
Passing a recorder there gives the full ranking of any sumy summariser without
touching its algorithm, so the stock methods stay stock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from ._languages import Language
from ._rank import LeadSummarizer, NewsSummarizer

__all__ = ["DEFAULT_METHOD", "METHODS", "rank", "rank_news"]

DEFAULT_METHOD = "news"

#: Every method `summarize` accepts, the default first.
METHODS: tuple[str, ...] = (
    DEFAULT_METHOD,
    "lead",
    "lexrank",
    "textrank",
    "lsa",
    "luhn",
    "edmundson",
    "sumbasic",
    "kl",
)

# Cue words for Edmundson's cue method, which needs both lists non-empty.
# Words that signal the point of a news story, and words that signal an aside
# or furniture. English only; in other languages they simply never match.
_BONUS = ("announced", "confirmed", "found", "killed", "revealed", "said", "says", "will")
_STIGMA = ("advertisement", "click", "cookie", "newsletter", "subscribe", "share")


class _QuietLsaSummarizer(LsaSummarizer):  # type: ignore[misc]
    """sumy's LSA without its warning for documents with few distinct words.

    The warning fires on short articles, which are normal here; the ranking is
    still the stock one. Suppressing it per call with `warnings.catch_warnings`
    would not be thread-safe.
    """

    def _create_matrix(self, document: Any, dictionary: dict[str, int]) -> Any:
        import numpy

        matrix = numpy.zeros((len(dictionary), len(document.sentences)))
        for col, sentence in enumerate(document.sentences):
            for word in map(self.stem_word, sentence.words):
                row = dictionary.get(word)
                if row is not None:
                    matrix[row, col] += 1
        return matrix


class _SafeLexRankSummarizer(LexRankSummarizer):  # type: ignore[misc]
    """sumy's LexRank, without dividing by zero when no two sentences share a word.

    sumy's idf is log(N / (1 + df)), so in a two-sentence article every word that
    appears once weighs nothing, the similarity matrix is all zeros, and the
    power method divides zero by zero (a RuntimeWarning, then NaN scores). All
    sentences are equally central then, which is the uniform vector.
    """

    @staticmethod
    def power_method(matrix: Any, epsilon: float) -> Any:
        import numpy

        if not numpy.any(matrix):
            return numpy.full(len(matrix), 1.0 / max(1, len(matrix)))
        return LexRankSummarizer.power_method(matrix, epsilon)


def _with_stop_words(summarizer: Any, language: Language) -> Any:
    summarizer.stop_words = language.stop_words
    return summarizer


def _edmundson(language: Language, document: Any) -> Any:
    summarizer = EdmundsonSummarizer(language.stem, cue_weight=1.0, key_weight=1.0)
    summarizer.bonus_words = _BONUS
    summarizer.stigma_words = _STIGMA
    # The null words are the stop words; it insists on a non-empty set.
    summarizer.null_words = language.stop_words or frozenset({"\x00"})
    return summarizer


_FACTORIES: dict[str, Callable[[Language, Any], Any]] = {
    "news": lambda lang, _doc: NewsSummarizer(lang),
    "lead": lambda lang, _doc: LeadSummarizer(lang.stem),
    "lexrank": lambda lang, _doc: _with_stop_words(_SafeLexRankSummarizer(lang.stem), lang),
    "textrank": lambda lang, _doc: _with_stop_words(TextRankSummarizer(lang.stem), lang),
    "lsa": lambda lang, _doc: _with_stop_words(_QuietLsaSummarizer(lang.stem), lang),
    "luhn": lambda lang, _doc: _with_stop_words(LuhnSummarizer(lang.stem), lang),
    "edmundson": _edmundson,
    "sumbasic": lambda lang, _doc: _with_stop_words(SumBasicSummarizer(lang.stem), lang),
    "kl": lambda lang, _doc: _with_stop_words(KLSummarizer(lang.stem), lang),
}


class _RankingRecorder:
    """A sentence count for sumy that keeps every sentence and remembers the order."""

    def __init__(self) -> None:
        self.order: list[int] = []

    def __call__(self, infos: Sequence[Any]) -> Sequence[Any]:
        self.order = [info.order for info in infos]
        return infos


def rank(method: str, document: Any, language: Language) -> list[int]:
    """Indices of `document.sentences`, best first, according to `method`."""
    if not document.sentences:
        return []
    summarizer = _FACTORIES[method](language, document)
    recorder = _RankingRecorder()
    summarizer(document, recorder)
    # Defensive: a summariser that rated only some sentences still yields a
    # complete ranking, the unrated ones last in document order.
    seen = set(recorder.order)
    return recorder.order + [i for i in range(len(document.sentences)) if i not in seen]


def rank_news(document: Any, language: Language) -> tuple[list[int], Callable[[int], bool]]:
    """The default method's ranking, and which sentences are too weak to add.

    Same order as `rank("news", ...)` (best first, ties in document order),
    computed without sumy's bookkeeping; the predicate is true for a sentence
    scoring under `NewsSummarizer.min_score`.
    """
    ranker = NewsSummarizer(language)
    scores = ranker.rate_document(document) if document.sentences else []
    # A stable sort: equal scores keep document order, as in sumy.
    ranking = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
    floor = ranker.min_score
    return ranking, lambda index: scores[index] < floor
