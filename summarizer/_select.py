"""Choosing sentences from a ranking: count, word budget, redundancy, weakness.

Shared by every method, so "3 sentences within about 80 words" means the same
whichever ranking produced the order. The walk is greedy over the ranking and
never looks ahead, and no rule depends on how many sentences were asked for,
so the choice for k sentences is always the first k of the choice for k + 1: a
summary computed once with 5 sentences can be shortened to any k and gives
what `summarize(..., sentences=k)` would have.

When a candidate does not fit the budget, the walk goes on to the next ones
rather than stopping; a summary ends up shorter than asked only when no
remaining sentence fits, is new, and (for the default method) is strong enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["DEFAULT_MAX_WORDS", "select", "word_budget"]

#: Budget of a summary of up to three sentences, in words.
DEFAULT_MAX_WORDS = 80


def word_budget(slots: int, max_words: float | None) -> float:
    """Words allowed for a summary of `slots` sentences.

    `max_words` is the budget of a three-sentence summary, and of any shorter
    one; each sentence beyond the third adds a third of it, so readers who ask
    for five sentences get five. `None` means no limit.
    """
    if max_words is None:
        return float("inf")
    return max_words * max(1.0, slots / 3)


def select(
    ranking: Sequence[int],
    lengths: Sequence[int],
    count: int,
    max_words: float | None,
    redundant: Callable[[int, Sequence[int]], bool] | None = None,
    weak: Callable[[int], bool] | None = None,
) -> list[int]:
    """Pick up to `count` sentence indices from `ranking`, in the order picked.

    `lengths` and `max_words` are in the same unit: words, or characters for
    scripts written without spaces.

    A sentence is skipped when it would take the summary over its budget,
    (when `redundant` is given) repeats one already picked, or (when `weak` is
    given) is too weak to add to a summary that already has a sentence. If
    nothing fits the budget at all, the best-ranked sentence is taken alone, so
    a non-empty article never gets an empty summary.
    """
    chosen: list[int] = []
    words = 0
    for index in ranking:
        if len(chosen) >= count:
            break
        if words + lengths[index] > word_budget(len(chosen) + 1, max_words):
            continue
        if chosen and weak is not None and weak(index):
            continue
        if redundant is not None and chosen and redundant(index, chosen):
            continue
        chosen.append(index)
        words += lengths[index]
    if not chosen and ranking and count > 0:
        chosen.append(ranking[0])
    return chosen
