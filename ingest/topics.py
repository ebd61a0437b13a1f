"""Which catalogue topics an article belongs to: the source's, plus keyword rules.

A keyword (a word or a phrase) counts when it appears as whole words, without regard to
case. An article joins a topic when its title has one of the topic's keywords, when two
different keywords appear in its opening, or when one of its feed categories names the
topic. The source's own topics always apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.topics import TopicSpec

#: How much of the text counts as "the opening" for keyword rules.
OPENING_WORDS = 120
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _ngrams(words: Sequence[str], longest: int) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for size in range(1, longest + 1):
        for i in range(len(words) - size + 1):
            grams.add(tuple(words[i : i + size]))
    return grams


@dataclass(frozen=True)
class TopicRules:
    """The catalogue compiled for matching (picklable: it travels to the workers)."""

    keywords: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    names: tuple[tuple[str, str], ...]
    longest: int

    @classmethod
    def from_catalogue(cls, catalogue: Iterable[TopicSpec]) -> TopicRules:
        keywords: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        names: list[tuple[str, str]] = []
        longest = 1
        for spec in catalogue:
            phrases = tuple(tuple(_words(k)) for k in spec.keywords if _words(k))
            longest = max([longest, *(len(p) for p in phrases)])
            keywords.append((spec.slug, phrases))
            names.append((spec.slug, spec.slug))
            names.append((spec.slug, spec.name.casefold()))
        return cls(keywords=tuple(keywords), names=tuple(names), longest=longest)

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(slug for slug, _ in self.keywords)

    def topics_for(
        self,
        *,
        title: str,
        text: str,
        categories: Iterable[str] = (),
        source_topics: Iterable[str] = (),
    ) -> tuple[str, ...]:
        """The article's topic slugs, in catalogue order."""
        known = self.slugs
        chosen = {t for t in source_topics if t in known}
        title_grams = _ngrams(_words(title), self.longest)
        opening_grams = _ngrams(_words(text)[:OPENING_WORDS], self.longest)
        category_names = {c.strip().casefold() for c in categories}
        for slug, phrases in self.keywords:
            if slug in chosen:
                continue
            if (
                any(p in title_grams for p in phrases)
                or sum(1 for p in phrases if p in opening_grams) >= 2
            ):
                chosen.add(slug)
        for slug, name in self.names:
            if name in category_names:
                chosen.add(slug)
        return tuple(slug for slug, _ in self.keywords if slug in chosen)
