"""The one story type: what ``storage`` reads, ``digest`` ranks and ``bot`` shows.

A story is told by one or more outlets' articles; :class:`Story` carries its
representative article (the newest with a summary). Frozen data and nothing else: this
package imports nothing of ours, so ``storage`` and ``digest`` may both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Story:
    """One item a reader sees: the representative article of a story."""

    article_id: int
    story_id: int
    title: str
    url: str
    #: Best sentence first (the first k are the k-sentence summary).
    summary: tuple[str, ...]
    #: The outlet's name, when the article came from a known source.
    source: str | None
    published_at: datetime
    #: How many outlets tell the story (1 = only this one).
    outlets: int = 1
    #: Where each summary sentence stands in the article (see :meth:`summary_for`).
    summary_positions: tuple[int, ...] = ()
    #: The catalogue topics of the representative article (empty when not loaded).
    topics: tuple[str, ...] = ()
    #: The reader already received this story and it grew since: shown once more, marked
    #: "Update:" (``digest.returns`` decides; only digests set it).
    is_update: bool = False

    @property
    def more_sources(self) -> int:
        """How many other outlets tell the same story ("+2 more sources")."""
        return max(0, self.outlets - 1)

    def summary_for(self, sentences: int) -> tuple[str, ...]:
        """The ``sentences``-sentence summary in reading order.

        ``summary`` is stored best first, so its first k sentences are the k-sentence
        summary; they are put back in the article's order here.
        """
        chosen = list(enumerate(self.summary[: max(sentences, 0)]))
        if len(self.summary_positions) == len(self.summary):
            chosen.sort(key=lambda item: self.summary_positions[item[0]])
        return tuple(sentence for _, sentence in chosen)
