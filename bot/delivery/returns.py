"""What readers already received of the stories a digest tick considers.

The deliveries ledger says which stories a reader got; two more things make "the same
story" hold across days for that reader:

- **Links across days.** Ingest joins an article to a story only within
  ``ingest.dedupe.STORY_WINDOW`` of the story's newest articles, so a follow-up after a
  quiet spell starts a story of its own. For each story in a ranked pool, its first and
  its newest article are looked up in ``story_keys`` over the last
  :data:`~digest.returns.RECEIVED_LOOKBACK` (one primary-key probe per band, as ingest
  does) and candidates are confirmed with the same Jaccard test ingest uses. A reader who
  got one of the linked stories got this one. Done once per story per tick, shared by
  every reader.
- **What the reader saw.** The title and summary of each delivered article, read once
  per tick however many readers got it, for ``digest.returns``' "new headline with new
  facts" test.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from digest.returns import RECEIVED_LOOKBACK, Received, digest_moment, merge
from ingest.dedupe import same_story, story_words
from storage.story_returns import Sent, article_heads, story_key_neighbours
from stories import Story

#: Characters of an article's text that, with its title, make its story words.
_HEAD_CHARS = 2000


class StoryReturns:
    """Links between stories across days and what readers saw, cached for one tick."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        #: story id → ids of earlier (or parallel) stories it continues.
        self.links: dict[int, frozenset[int]] = {}
        #: story id → ids of pool stories that continue it.
        self.continued_by: dict[int, set[int]] = {}
        #: story id → the article a pool shows for it.
        self.shown: dict[int, int] = {}
        self._words: dict[int, frozenset[str]] = {}
        self._seen: dict[int, tuple[str, tuple[str, ...]]] = {}

    async def link(self, session: AsyncSession, pool: Sequence[Story]) -> None:
        """Find, for each story of ``pool`` not linked yet, the stories it continues."""
        todo = [s for s in pool if s.story_id not in self.links]
        for story in todo:
            self.shown[story.story_id] = story.article_id
        if not todo:
            return
        mine = {s.article_id for s in todo} | {s.story_id for s in todo}
        neighbours = await story_key_neighbours(session, mine, since=self.now - RECEIVED_LOOKBACK)
        # Words only where there is something to compare: most stories have no neighbour.
        others = {a for found in neighbours.values() for a, _story in found}
        compared = {own for own, found in neighbours.items() if found} | others
        await self._load_words(session, compared - self._words.keys())
        for story in todo:
            linked: set[int] = set()
            for own in {story.article_id, story.story_id}:
                words = self._words.get(own, frozenset())
                for theirs, their_story in neighbours.get(own, ()):
                    if their_story == story.story_id or their_story in linked:
                        continue
                    if same_story(words, self._words.get(theirs, frozenset())):
                        linked.add(their_story)
            self.links[story.story_id] = frozenset(linked)
            for earlier in linked:
                self.continued_by.setdefault(earlier, set()).add(story.story_id)

    async def _load_words(self, session: AsyncSession, article_ids: Iterable[int]) -> None:
        heads = await article_heads(session, article_ids, text_chars=_HEAD_CHARS)
        for article_id, (title, _summary, text) in heads.items():
            self._words[article_id] = story_words(title, text)

    async def load_seen(self, session: AsyncSession, sends: Iterable[Sent]) -> None:
        """Read the title and summary of delivered articles not read yet this tick."""
        wanted = {s.article_id for s in sends} - self._seen.keys()
        heads = await article_heads(session, wanted)
        for article_id, (title, summary, _text) in heads.items():
            self._seen[article_id] = (title, summary)
        for article_id in wanted - heads.keys():  # pruned since: compare outlets only
            self._seen[article_id] = ("", ())

    def may_matter(self, article_id: int, story_id: int | None) -> bool:
        """Whether a reader's item may make a pool story come back, so its details count.

        An item of a pooled story whose pool shows that very article cannot (the reader
        has it: ``compose`` skips it by article), nor can an item of an unpooled story
        that no pooled story continues. What is left is stories that grew since.
        """
        if story_id is None:
            return False
        if story_id in self.continued_by:
            return True
        shown = self.shown.get(story_id)
        return shown is not None and shown != article_id

    def received(self, sends: Iterable[Sent]) -> Mapping[int, Received]:
        """What one reader got, by the id of every pool story it stands for.

        Sends of stories in no ranked pool are never asked about and are left out; the
        others are merged only when ``compose`` asks (most candidates are the very
        article the reader got and are skipped before that).
        """
        by_story: dict[int, list[tuple[Sent, bool]]] = {}
        for send in sends:
            story_id = send.story_id
            if story_id is None:
                continue
            if story_id in self.shown:
                by_story.setdefault(story_id, []).append((send, True))
            for later in self.continued_by.get(story_id, ()):
                by_story.setdefault(later, []).append((send, False))
        return _Received(by_story, self._seen)


class _Received(Mapping[int, Received]):
    """One reader's sends by story, merged into a :class:`Received` on first access."""

    def __init__(
        self,
        by_story: dict[int, list[tuple[Sent, bool]]],
        seen: dict[int, tuple[str, tuple[str, ...]]],
    ) -> None:
        self._by_story = by_story
        self._seen = seen
        self._merged: dict[int, Received] = {}

    def get(self, story_id: int, default: Received | None = None) -> Received | None:  # type: ignore[override]
        # Most candidates were never sent: no KeyError raised and caught for each.
        return self[story_id] if story_id in self._by_story else default

    def __getitem__(self, story_id: int) -> Received:
        found = self._merged.get(story_id)
        if found is None:
            merged = merge((self._one(send), same) for send, same in self._by_story[story_id])
            assert merged is not None  # every listed story has at least one send
            found = self._merged[story_id] = merged
        return found

    def _one(self, send: Sent) -> Received:
        title, summary = self._seen.get(send.article_id, ("", ()))
        return Received(
            digest_moment(send.due_at, send.delivered_at),
            send.outlets,
            title,
            summary,
            int(send.is_update),
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self._by_story)

    def __len__(self) -> int:
        return len(self._by_story)
