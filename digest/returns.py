"""Stories a reader already received: skip them, or send them once more as an update.

Pure decisions, the clock passed in. The digest composer asks :func:`decide` about every
candidate story the deliveries ledger says the reader already got (by its own story id,
or through an earlier story it is linked to across days, see ``docs/delivery.md``).

A story comes back at most once (:data:`MAX_UPDATES`), marked "Update:", and only when
it clearly grew since the reader got it:

- **more outlets**: at least :data:`NEW_OUTLETS` outlets tell it that did not when the
  reader got it (a story linked across days counts all its outlets as new), or
- **a new headline with new facts**: the item it would show now has a title sharing at
  most :data:`SAME_TITLE` of its words with the title the reader got (Jaccard of title
  words), *and* at least :data:`NEW_SENTENCES` of its summary sentences are new (fewer
  than :data:`KNOWN_SENTENCE` of a sentence's words appeared in what the reader got).

And never sooner than :data:`UPDATE_GAP` after the story last reached the reader: 24
hours of elapsed time, not a calendar day, so a story received at 23:50 local time that
grows at 00:10 waits until 23:50 the next day, in every zone and across daylight-saving
changes.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from stories import Story

#: Outlets that must join a story before it comes back as an update.
NEW_OUTLETS = 3
#: A headline sharing at most this share of its words with the one sent is a new headline.
SAME_TITLE = 0.34
#: A summary sentence is known when at least this share of its words was already sent.
KNOWN_SENTENCE = 0.5
#: New summary sentences a new headline must bring to count as new facts.
NEW_SENTENCES = 1
#: The least time between two sends of one story to one reader.
UPDATE_GAP = timedelta(hours=24)
#: How many times a story may come back as an update.
MAX_UPDATES = 1
#: How far back the ledger is read for stories a reader received.
RECEIVED_LOOKBACK = timedelta(days=7)
#: A digest sent at most this long after its due time counts as sent at its due time.
ON_TIME = timedelta(minutes=10)

# Letters and digits in any script; numbers count ("10 dead" → "50 dead" is news).
_WORD = re.compile(r"\w+")


class Verdict(enum.Enum):
    NEW = "new"  # the reader never got it: send as usual
    SKIP = "skip"  # the reader got it and it did not grow enough (or not long enough ago)
    UPDATE = "update"  # send once more, marked "Update:"


@dataclass(frozen=True, slots=True)
class Received:
    """What a reader got of a story (all its sends, merged)."""

    #: When the story last reached the reader (the due time of that digest).
    last_sent_at: datetime
    #: Outlets the story had when it was sent (0 when the reader got an earlier story
    #: linked to this one; None when unknown, for sends recorded before this was kept).
    outlets: int | None
    #: The title and summary sentences of the item the reader got (empty when unknown).
    title: str = ""
    summary: tuple[str, ...] = ()
    #: How many of the sends were updates.
    updates: int = 0


def digest_moment(due_at: datetime | None, at: datetime) -> datetime:
    """When a digest counts as sent (or, composing, as sending): its due time if on time.

    The tick runs once a minute, so yesterday's 07:30 digest may have gone at 07:30:40 and
    today's compose at 07:30:05; measured between due times, 24 hours later is today's
    digest, not tomorrow's. A digest sent late (after downtime) counts from when it went.
    """
    if due_at is not None and timedelta(0) <= at - due_at <= ON_TIME:
        return due_at
    return at


def words(text: str) -> frozenset[str]:
    """The words of ``text``, case-folded; single letters say nothing about a story."""
    return frozenset(w for w in _WORD.findall(text.casefold()) if len(w) > 1 or w.isdigit())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def new_sentences(summary: Iterable[str], known: frozenset[str]) -> int:
    """How many of ``summary``'s sentences say mostly what ``known`` does not."""
    count = 0
    for sentence in summary:
        mine = words(sentence)
        if len(mine) >= 3 and len(mine & known) < KNOWN_SENTENCE * len(mine):
            count += 1
    return count


def new_headline_with_new_facts(received: Received, story: Story) -> bool:
    """The story's item now has a different headline and sentences the reader lacks."""
    if not received.title:
        return False  # what the reader got is unknown: nothing to compare with
    if _jaccard(words(story.title), words(received.title)) > SAME_TITLE:
        return False
    known = words(received.title).union(*(words(s) for s in received.summary))
    return new_sentences(story.summary, known) >= NEW_SENTENCES


def grew(received: Received, story: Story) -> bool:
    """The story clearly grew since the reader got it."""
    if received.outlets is not None and story.outlets - received.outlets >= NEW_OUTLETS:
        return True
    return new_headline_with_new_facts(received, story)


def decide(received: Received | None, story: Story, now: datetime) -> Verdict:
    """Whether ``story`` goes to a reader who got ``received`` of it, at ``now``."""
    if received is None:
        return Verdict.NEW
    if received.updates >= MAX_UPDATES:
        return Verdict.SKIP
    if now - received.last_sent_at < UPDATE_GAP:
        return Verdict.SKIP
    return Verdict.UPDATE if grew(received, story) else Verdict.SKIP


def merge(sends: Iterable[tuple[Received, bool]]) -> Received | None:
    """One :class:`Received` from several sends of a story (and of stories linked to it).

    Each send comes with whether it was of this very story (False: of a linked one, whose
    outlets were other articles, so they count as 0). The newest send gives the title and
    summary compared with; outlets are the most the reader saw of this story.
    """
    merged: Received | None = None
    for send, same in sends:
        outlets = send.outlets if same else 0
        if merged is None:
            merged = Received(send.last_sent_at, outlets, send.title, send.summary, send.updates)
            continue
        newer = send if send.last_sent_at > merged.last_sent_at else merged
        known = outlets is not None and merged.outlets is not None
        most = max(outlets or 0, merged.outlets or 0) if known else None
        merged = Received(
            last_sent_at=newer.last_sent_at,
            outlets=most,
            title=newer.title,
            summary=newer.summary,
            updates=merged.updates + send.updates,
        )
    return merged
