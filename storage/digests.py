"""Digest queries: candidate stories for composition, and the delivery ledger protocol.

The ledger (``digests`` and ``deliveries``) is what makes sending exactly-once in effect;
the protocol is described in the README ("Exactly-once delivery"). In short, each digest
row moves ``pending`` → (``sending`` → ``pending``)* → ``sent``, one message at a time:
``sending`` is committed *before* message ``messages_sent`` goes out and cleared (with
``messages_sent`` incremented) right after Telegram answers. Every state change is a
compare-and-set on ``claimed_by``, so a worker whose claim was taken over stops at once.

Functions take a session and never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import ignoring_conflicts
from storage.articles import in_news_languages
from storage.keys import ReaderKey, ReaderRef, reader_key
from storage.models import Article, ArticleTopic, Delivery, Digest, Reader, Source, Subscription
from stories import Story

#: Digest states. ``pending``: nothing in flight, message ``messages_sent`` goes next.
#: ``sending``: message ``messages_sent`` may be in flight. ``sent``, ``failed``: final.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
UNFINISHED = (PENDING, SENDING)

#: Rows per INSERT statement, well under SQLite's bound-parameter limit.
_CHUNK = 1000


class StoryStats(NamedTuple):
    """A story as seen inside one topic's time window, for ranking before loading text."""

    story_id: int
    outlets: int
    newest: datetime


@dataclass(frozen=True, slots=True)
class Follow:
    """One subscription of a reader: a catalogue topic or a keyword query."""

    topic_slug: str | None
    query: str | None


# --------------------------------------------------------------------------------------
# Composition inputs
# --------------------------------------------------------------------------------------


async def topic_story_stats(
    session: AsyncSession,
    slug: str,
    *,
    since: datetime,
    languages: Collection[str] | None = None,
) -> list[StoryStats]:
    """Every story of topic ``slug`` published since ``since``: outlets and newest time.

    An index range scan on (topic, published_at); only ids, counts and times come back,
    so ranking a busy topic costs no article text. ``languages``: only articles in these
    (or of unknown language); None: any.
    """
    story = func.coalesce(Article.story_id, Article.id)
    query = (
        select(story, func.count(func.distinct(Article.source_id)), func.max(Article.published_at))
        .select_from(ArticleTopic)
        .join(Article, Article.id == ArticleTopic.article_id)
        .where(ArticleTopic.topic_slug == slug, ArticleTopic.published_at >= since)
        .group_by(story)
    )
    if languages is not None:
        query = query.where(in_news_languages(languages))
    return [
        StoryStats(int(story_id), max(1, int(outlets)), newest)
        for story_id, outlets, newest in await session.execute(query)
    ]


async def representative_stories(
    session: AsyncSession,
    story_ids: Iterable[int],
    *,
    languages: Collection[str] | None = None,
) -> list[Story]:
    """The newest article of each story (one with a summary when there is one).

    ``outlets`` counts the distinct sources of the whole story. ``languages``: the
    article shown is one in these (or of unknown language); None: any.
    """
    ids = sorted(set(story_ids))
    if not ids:
        return []
    columns = (
        Article.id,
        func.coalesce(Article.story_id, Article.id),
        Article.title,
        Article.url,
        Article.summary,
        Source.name,
        Article.published_at,
        Article.source_id,
        Article.summary_positions,
    )
    by_story: dict[int, list[Any]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = (
            select(*columns)
            .outerjoin(Source, Source.id == Article.source_id)
            .where(
                or_(
                    Article.story_id.in_(chunk),
                    and_(Article.story_id.is_(None), Article.id.in_(chunk)),
                )
            )
        )
        if languages is not None:
            query = query.where(in_news_languages(languages))
        for row in await session.execute(query):
            by_story[int(row[1])].append(row)
    chosen: list[Story] = []
    for story_id, rows in by_story.items():
        # Newest with a summary; a story whose articles all lack one still shows its title.
        best = max(rows, key=lambda r: (bool(r[4]), r[6], r[0]))
        outlets = len({r[7] for r in rows if r[7] is not None}) or 1
        chosen.append(
            Story(
                article_id=int(best[0]),
                story_id=story_id,
                title=best[2],
                url=best[3],
                summary=tuple(best[4] or ()),
                summary_positions=tuple(best[8] or ()),
                source=best[5],
                published_at=best[6],
                outlets=outlets,
            )
        )
    return chosen


async def stories_of_articles(session: AsyncSession, article_ids: Sequence[int]) -> list[int]:
    """The story ids of ``article_ids`` (keyword matches come back as article ids)."""
    if not article_ids:
        return []
    query = select(func.coalesce(Article.story_id, Article.id)).where(
        Article.id.in_(list(article_ids))
    )
    return [int(s) for s in (await session.scalars(query)).all()]


def _chats(readers: Sequence[ReaderKey]) -> list[int]:
    """The distinct chats of ``readers``: rows are read per chat (an index prefix on
    both databases) and sorted to their forum topics here."""
    return sorted({r.chat_id for r in readers})


async def follows_of(
    session: AsyncSession, readers: Sequence[ReaderKey]
) -> dict[ReaderKey, list[Follow]]:
    """Each reader's subscriptions, queries after topics (topic order is the caller's)."""
    found: dict[ReaderKey, list[Follow]] = {key: [] for key in readers}
    chats = _chats(readers)
    for start in range(0, len(chats), _CHUNK):
        chunk = chats[start : start + _CHUNK]
        query = (
            select(
                Subscription.chat_id,
                Subscription.thread_id,
                Subscription.topic_slug,
                Subscription.query,
            )
            .where(Subscription.chat_id.in_(chunk))
            .order_by(
                Subscription.chat_id,
                Subscription.thread_id,
                Subscription.query.is_not(None),
                Subscription.id,
            )
        )
        for chat_id, thread_id, slug, text in await session.execute(query):
            follows = found.get(ReaderKey(int(chat_id), int(thread_id)))
            if follows is not None:
                follows.append(Follow(slug, text))
    return found


async def delivered_to(
    session: AsyncSession, readers: Sequence[ReaderKey], *, since: datetime
) -> dict[ReaderKey, list[tuple[int, int | None]]]:
    """What each reader received since ``since``: (article id, story id) pairs.

    Three integers a row: the ledger of a whole batch of readers is read on every tick.
    ``storage.story_returns.sends_of`` reads the details of the few items a decision needs.
    """
    found: dict[ReaderKey, list[tuple[int, int | None]]] = {key: [] for key in readers}
    chats = _chats(readers)
    for start in range(0, len(chats), _CHUNK):
        chunk = chats[start : start + _CHUNK]
        query = select(
            Delivery.chat_id, Delivery.thread_id, Delivery.article_id, Delivery.story_id
        ).where(Delivery.chat_id.in_(chunk), Delivery.delivered_at >= since)
        for chat_id, thread_id, article_id, story_id in await session.execute(query):
            seen = found.get(ReaderKey(int(chat_id), int(thread_id)))
            if seen is not None:
                seen.append((int(article_id), None if story_id is None else int(story_id)))
    return found


# --------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------


class DeliveredItem(NamedTuple):
    """One item of a digest, for the deliveries ledger."""

    article_id: int
    story_id: int
    #: Outlets telling the story when it was sent.
    outlets: int | None = None
    is_update: bool = False


@dataclass(frozen=True, slots=True)
class NewDigest:
    """A composed, rendered digest to record in the claim transaction."""

    chat_id: int
    due_at: datetime
    messages: Sequence[str]
    #: Every item, for the deliveries ledger.
    items: Sequence[DeliveredItem]
    #: Each message's inline keyboard as JSON (rows of [label, data]), or None for all.
    keyboards: Sequence[Any] | None = None
    #: The forum topic the digest goes to (0: the chat itself).
    thread_id: int = 0


async def record_digests(
    session: AsyncSession, digests: Sequence[NewDigest], *, worker: str, now: datetime
) -> list[Digest]:
    """Insert digests claimed by ``worker`` and their deliveries; return the rows.

    A digest with no message (nothing new, and the operator wants silence) is recorded
    as ``sent`` at once, so the ledger still shows the reader was served.
    """
    rows = [
        Digest(
            chat_id=d.chat_id,
            thread_id=d.thread_id,
            due_at=d.due_at,
            status=PENDING if d.messages else SENT,
            attempts=1 if d.messages else 0,
            claimed_at=now if d.messages else None,
            claimed_by=worker if d.messages else None,
            messages=list(d.messages),
            keyboards=list(d.keyboards) if d.keyboards else None,
            messages_sent=0,
            item_count=len(d.items),
            sent_at=None if d.messages else now,
            created_at=now,
        )
        for d in digests
    ]
    session.add_all(rows)
    await session.flush()
    deliveries = [
        {
            "chat_id": d.chat_id,
            "thread_id": d.thread_id,
            "article_id": item.article_id,
            "story_id": item.story_id,
            "digest_id": row.id,
            "delivered_at": now,
            "outlets": item.outlets,
            "is_update": item.is_update,
        }
        for d, row in zip(digests, rows, strict=True)
        for item in d.items
    ]
    if deliveries:
        statement = ignoring_conflicts(session, Delivery)
        await session.execute(statement, deliveries)
    return rows


@dataclass(frozen=True, slots=True)
class ClaimedDigest:
    """An unfinished digest this worker now owns, with what sending it needs."""

    id: int
    chat_id: int
    chat_type: str
    messages: tuple[str, ...]
    messages_sent: int
    #: True when the worker that owned it stopped with message ``messages_sent`` in flight.
    interrupted: bool
    attempts: int
    #: Each message's stored keyboard (rows of [label, data]) or None: resent as it was.
    keyboards: tuple[Any, ...] | None = None

    def keyboard(self, index: int) -> Any:
        """The stored keyboard of message ``index`` (None: none)."""
        if not self.keyboards or index >= len(self.keyboards):
            return None
        return self.keyboards[index]

    #: The forum topic it goes to (``message_thread_id``); 0 for the chat itself.
    thread_id: int = 0

    @property
    def reader(self) -> ReaderKey:
        return ReaderKey(self.chat_id, self.thread_id)


async def claim_unfinished_digests(
    session: AsyncSession, *, now: datetime, lease: timedelta, worker: str, limit: int
) -> list[ClaimedDigest]:
    """Take over up to ``limit`` unfinished digests whose claim is older than ``lease``.

    That is how a digest left by a crashed or stopped worker is resumed (by any worker,
    after the lease). Rows are locked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
    workers never take over the same digest.
    """
    query = (
        select(Digest)
        .where(
            Digest.status.in_(UNFINISHED),
            or_(Digest.claimed_at.is_(None), Digest.claimed_at < now - lease),
        )
        .order_by(Digest.due_at, Digest.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    digests = list((await session.scalars(query)).all())
    if not digests:
        return []
    # A chat's type is the same for each of its forum topics.
    types = dict(
        (
            await session.execute(
                select(Reader.chat_id, Reader.chat_type)
                .where(Reader.chat_id.in_(sorted({d.chat_id for d in digests})))
                .distinct()
            )
        ).all()
    )
    for digest in digests:
        digest.claimed_by = worker
        digest.claimed_at = now
        digest.attempts += 1
    return [
        ClaimedDigest(
            id=d.id,
            chat_id=d.chat_id,
            chat_type=str(types.get(d.chat_id, "private")),
            messages=tuple(d.messages),
            messages_sent=d.messages_sent,
            interrupted=d.status == SENDING,
            attempts=d.attempts,
            keyboards=tuple(d.keyboards) if d.keyboards else None,
            thread_id=d.thread_id,
        )
        for d in digests
    ]


async def confirm_sent(
    session: AsyncSession,
    digest_ids: Sequence[int],
    *,
    finished: bool,
    worker: str,
    now: datetime,
    note: str | None = None,
) -> set[int]:
    """The in-flight message of each digest is settled: count it; return the ids updated.

    ``finished`` digests become ``sent``; the others go back to ``pending`` for their
    next message. ``note`` is kept in ``error`` (e.g. "message 2 may not have arrived").
    """
    if not digest_ids:
        return set()
    values: dict[str, Any] = {
        "status": SENT if finished else PENDING,
        "messages_sent": Digest.messages_sent + 1,
        "claimed_at": now,
    }
    if finished:
        values["sent_at"] = now
    if note is not None:
        values["error"] = note
    statement = (
        update(Digest)
        .where(
            Digest.id.in_(list(digest_ids)),
            Digest.claimed_by == worker,
            Digest.status == SENDING,
        )
        .values(**values)
        .returning(Digest.id)
    )
    return {int(i) for i in (await session.scalars(statement)).all()}


async def advance_digests(
    session: AsyncSession,
    *,
    begin: Sequence[int] = (),
    confirm: Sequence[int] = (),
    finish: Sequence[int] = (),
    cancel: Sequence[int] = (),
    worker: str,
    now: datetime,
) -> set[int]:
    """Several digests' protocol steps in one statement; return the ids still owned.

    - ``begin``: ``pending`` → ``sending``: the next message is about to go out. Committed
      before it does, so a crash after this leaves "this message may have arrived".
    - ``confirm`` / ``finish``: Telegram accepted the in-flight message: count it, back to
      ``pending`` for the next one (``finish``: ``sent``, it was the last).
    - ``cancel``: Telegram certainly refused it (429, 5xx): back to ``pending``, committed
      before waiting to retry, so a crash during the wait resends it safely.

    The busy send loop commits every ready step of every digest this way, in one round
    trip, which is what lets it keep up with a fast Bot API.
    """
    if not (begin or confirm or finish or cancel):
        return set()
    begin_ids, done_ids = Digest.id.in_(list(begin)), Digest.id.in_([*confirm, *finish])
    finish_ids, cancel_ids = Digest.id.in_(list(finish)), Digest.id.in_(list(cancel))
    statement = (
        update(Digest)
        .where(
            Digest.claimed_by == worker,
            or_(
                and_(begin_ids, Digest.status == PENDING),
                and_(or_(done_ids, cancel_ids), Digest.status == SENDING),
            ),
        )
        .values(
            status=case((begin_ids, SENDING), (finish_ids, SENT), else_=PENDING),
            messages_sent=Digest.messages_sent + case((done_ids, 1), else_=0),
            sent_at=case((finish_ids, now), else_=Digest.sent_at),
            claimed_at=now,
        )
        .returning(Digest.id)
        .execution_options(synchronize_session=False)
    )
    return {int(i) for i in (await session.scalars(statement)).all()}


async def settle_interrupted(
    session: AsyncSession, digest: ClaimedDigest, *, worker: str, now: datetime
) -> bool:
    """Resolve a digest taken over mid-message: the uncertain message counts as sent.

    Telegram has no idempotency key, so a message whose send started but was never
    confirmed is not sent again (a reader never gets it twice); ``error`` records it.
    Returns True when that was the digest's last message (it is now ``sent``).
    """
    finished = digest.messages_sent + 1 >= len(digest.messages)
    note = (
        f"message {digest.messages_sent + 1} of {len(digest.messages)} may not have arrived: "
        "the worker sending it stopped before Telegram's answer was recorded; not resent"
    )
    await confirm_sent(session, [digest.id], finished=finished, worker=worker, now=now, note=note)
    return finished


async def release_digest(
    session: AsyncSession,
    digest_id: int,
    *,
    worker: str,
    now: datetime,
    error: str,
    give_up: bool,
) -> None:
    """Stop working on a digest that could not be sent now.

    ``give_up`` marks it ``failed`` (blocked reader, message refused, too many attempts);
    otherwise it goes back to ``pending`` and any worker retries it after the lease.
    A failed digest that sent nothing gives its stories back to the reader's next digest.
    """
    digest = await session.get(Digest, digest_id, with_for_update=True)
    if digest is None or digest.claimed_by != worker or digest.status not in UNFINISHED:
        return
    digest.error = error
    if give_up:
        digest.status = FAILED
        if digest.messages_sent == 0:
            await session.execute(delete(Delivery).where(Delivery.digest_id == digest_id))
    else:
        digest.status = PENDING
        digest.claimed_at = now


async def digests_of(session: AsyncSession, reader: ReaderRef, *, limit: int = 10) -> list[Digest]:
    """A reader's latest digests, newest first (for operators and tests)."""
    key = reader_key(reader)
    query = (
        select(Digest)
        .where(Digest.chat_id == key.chat_id, Digest.thread_id == key.thread_id)
        .order_by(Digest.due_at.desc(), Digest.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def free_due_times(
    session: AsyncSession, wanted: Mapping[ReaderKey, datetime]
) -> dict[ReaderKey, datetime]:
    """Each reader's wanted due time, or just after their latest digest if that is as late.

    Digests are unique per (reader, due time): a /digest at the very instant a scheduled
    digest is due (or twice at once under a frozen clock) takes the next microsecond
    instead of failing the whole claim.
    """
    if not wanted:
        return {}
    earliest = min(wanted.values())
    rows = await session.execute(
        select(Digest.chat_id, Digest.thread_id, func.max(Digest.due_at))
        .where(Digest.chat_id.in_(_chats(list(wanted))), Digest.due_at >= earliest)
        .group_by(Digest.chat_id, Digest.thread_id)
    )
    latest = {ReaderKey(int(chat), int(thread)): due for chat, thread, due in rows}
    free: dict[ReaderKey, datetime] = {}
    for key, due in wanted.items():
        last = latest.get(key)
        free[key] = due if last is None or last < due else last + timedelta(microseconds=1)
    return free


async def oldest_waiting_due(session: AsyncSession, now: datetime) -> datetime | None:
    """The due time of the oldest active reader whose digest is overdue (for the lag gauge)."""
    query = select(func.min(Reader.next_digest_at)).where(
        Reader.next_digest_at <= now, Reader.paused.is_(False), Reader.blocked_at.is_(None)
    )
    return await session.scalar(query)


async def count_digests(session: AsyncSession) -> Mapping[str, int]:
    """Digests by status, for /stats and operators."""
    rows = await session.execute(select(Digest.status, func.count()).group_by(Digest.status))
    return {str(status): int(count) for status, count in rows}
