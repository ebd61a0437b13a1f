"""The summariser as ingest uses it: cleaning, and five sentences to store.

Kept apart so the pipeline and its tests can pass other callables, and so the worker
processes import the summariser (and its language models) once, at start.
"""

from __future__ import annotations

from collections.abc import Sequence

import summarizer

#: Sentences stored per article; readers choose to see 1 to 5 of them.
STORED_SENTENCES = 5


def clean(text: str) -> str:
    """The summariser's cleaning: page furniture and boilerplate removed."""
    return summarizer.clean_text(text)


def summarise(text: str, title: str | None, language: str | None) -> Sequence[tuple[int, str]]:
    """Up to five (position, sentence) pairs, best first.

    The first k of them are the k-sentence summary (``summarizer.shorten`` guarantees
    that a prefix of the ranking is what a shorter summary would pick); the positions
    put any prefix back in reading order.
    """
    result = summarizer.summarize(
        text, title=title, language=language or "english", sentences=STORED_SENTENCES
    )
    return [(i, result.sentences[i]) for i in result.ranking]


def warm_up() -> None:
    """Load the summariser's models in this process (a worker's start-up)."""
    summarise(
        "Warming up the summariser. It loads its sentence models once. Then it is fast.",
        "Warm up",
        "en",
    )
