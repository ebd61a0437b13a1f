"""Which stories a reader's digest holds, and in what order: pure functions, no I/O.

The digest tick loads each topic's candidate stories once (``rank`` orders them, shared by
every reader of that topic) and then, per reader, :func:`compose` walks those lists
skipping what the reader already received. One item per story, at most N per topic and M
in all; every followed topic gets its best story before any topic gets a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from digest.returns import Received, Verdict, decide
from stories import Story

#: A story loses half its weight every 12 hours: this morning's four-outlet story beats
#: yesterday's, and a story told by four outlets beats a fresh one told by one.
HALF_LIFE = timedelta(hours=12)
#: The first digest looks back one day.
FIRST_WINDOW = timedelta(days=1)
#: Articles can arrive after the last digest with an earlier publication time (slow
#: feeds, clock skew); the window reaches back this far before the last digest and the
#: deliveries ledger keeps anything already sent out.
LATE_ARRIVAL_SLACK = timedelta(hours=6)
#: A reader back after a long pause gets the best of the last days, not of a month.
MAX_LOOKBACK = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class Section:
    """Something the reader follows (a topic or a keyword query) and its ranked stories."""

    title: str
    candidates: Sequence[Story]


@dataclass(frozen=True, slots=True)
class Composition:
    """What one digest holds: sections in the reader's order, each with its stories."""

    sections: tuple[tuple[str, tuple[Story, ...]], ...]
    #: Stories left out because they say a phrase the reader muted (``digest.mutes``):
    #: those met while filling the digest, each counted once.
    muted: int = 0

    @property
    def item_count(self) -> int:
        return sum(len(items) for _title, items in self.sections)

    def items(self) -> Iterator[Story]:
        for _title, items in self.sections:
            yield from items


def window_start(now: datetime, last_digest_at: datetime | None) -> datetime:
    """The oldest publication time a digest composed at ``now`` considers."""
    if last_digest_at is None:
        return now - FIRST_WINDOW
    return max(last_digest_at - LATE_ARRIVAL_SLACK, now - MAX_LOOKBACK)


def weight(outlets: int, published_at: datetime, now: datetime) -> float:
    """Outlets telling a story, halved for every ``HALF_LIFE`` of age."""
    age = max(0.0, (now - published_at).total_seconds())
    decay: float = 0.5 ** (age / HALF_LIFE.total_seconds())
    return outlets * decay


def score(candidate: Story, now: datetime) -> float:
    return weight(candidate.outlets, candidate.published_at, now)


def best_stories(
    stats: Iterable[tuple[int, int, datetime]], now: datetime, limit: int
) -> list[int]:
    """The ids of the ``limit`` best stories from (story id, outlets, newest time) rows.

    Ranks a topic's whole window cheaply, before any article text is loaded.
    """
    ranked = sorted(stats, key=lambda s: (-weight(s[1], s[2], now), -s[2].timestamp(), s[0]))
    return [story_id for story_id, _outlets, _newest in ranked[:limit]]


def rank(candidates: Iterable[Story], now: datetime) -> list[Story]:
    """Best first, one candidate per story (the first of a story in ``candidates`` wins).

    Ties go to the newer article, then the lower id, so the order is deterministic.
    """
    by_story: dict[int, Story] = {}
    for candidate in candidates:
        by_story.setdefault(candidate.story_id, candidate)
    return sorted(
        by_story.values(),
        key=lambda c: (-score(c, now), -c.published_at.timestamp(), c.article_id),
    )


def compose(
    sections: Sequence[Section],
    *,
    since: datetime,
    seen_articles: Set[int],
    seen_stories: Set[int],
    max_per_topic: int,
    max_items: int,
    muted: Callable[[Story], bool] | None = None,
    received: Mapping[int, Received] | None = None,
    now: datetime | None = None,
) -> Composition:
    """Pick the reader's stories from ranked sections.

    Skips candidates published before ``since`` and anything in the reader's ledger (by
    article or by story); a story followed through two topics appears once, under the
    first. Round robin over the sections, so M items are shared fairly among topics.
    A story ``muted`` says yes to is skipped like a seen one, and counted.

    ``received`` says what the reader got of stories (by candidate story id, links across
    days resolved by the caller): :func:`digest.returns.decide` at ``now`` lets a story
    that clearly grew come back once, flagged ``is_update``, in its ranked place.
    """
    judged = received or {}
    picked: list[list[Story]] = [[] for _ in sections]
    cursors = [0] * len(sections)
    taken: set[int] = set()
    silenced: set[int] = set()
    total = 0
    progress = True
    while progress and total < max_items:
        progress = False
        for index, section in enumerate(sections):
            if total >= max_items:
                break
            if len(picked[index]) >= max_per_topic:
                continue
            candidates = section.candidates
            cursor = cursors[index]
            while cursor < len(candidates):
                candidate = candidates[cursor]
                cursor += 1
                if (
                    candidate.published_at < since
                    or candidate.story_id in taken
                    or candidate.article_id in seen_articles
                ):
                    continue
                got = judged.get(candidate.story_id)
                if got is not None and now is not None:
                    verdict = decide(got, candidate, now)
                    if verdict is Verdict.SKIP:
                        continue
                    if verdict is Verdict.UPDATE:
                        candidate = replace(candidate, is_update=True)
                elif candidate.story_id in seen_stories:
                    continue
                if candidate.story_id in silenced:
                    continue
                if muted is not None and muted(candidate):
                    silenced.add(candidate.story_id)
                    continue
                picked[index].append(candidate)
                taken.add(candidate.story_id)
                total += 1
                progress = True
                break
            cursors[index] = cursor
    return Composition(
        tuple(
            (section.title, tuple(items))
            for section, items in zip(sections, picked, strict=True)
            if items
        ),
        muted=len(silenced),
    )
