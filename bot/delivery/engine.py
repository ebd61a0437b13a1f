"""The digest engine: claim due readers, compose, record, and send by the ledger protocol.

:class:`DigestEngine` is what the JobQueue tick, ``/digest`` and ``newsbot digest`` call;
tests and the crash tests' worker drive it with a simulated clock. One engine per process
(one pacer, so the tick and /digest share the sending ceiling).

The protocol, step by step (the README's "Exactly-once delivery" tells it for operators):

1. *Claim* (one transaction): lock due readers (``FOR UPDATE SKIP LOCKED``), compose and
   render each digest, insert it (``pending``, with its messages) and its deliveries,
   move the reader's ``next_digest_at`` forward. Nothing is sent yet.
2. *For each message k*: wait for a send slot; commit ``sending`` (the in-flight marker);
   call Telegram; commit ``messages_sent = k + 1`` (``sent`` after the last one).
3. *Recovery*: a digest whose claim is older than the lease is taken over by any worker.
   ``pending`` resumes at message ``messages_sent``; ``sending`` means message
   ``messages_sent`` may have arrived: it is not resent, and the ledger and the log say so.

Markers and confirmations of concurrent digests share transactions (:class:`GroupCommit`),
so a busy send loop costs a few commits a second, not two per message.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from telegram.error import TelegramError

from bot.delivery.composer import Composer, valid_zone
from bot.delivery.ledger import GroupCommit, LedgerStep, fresh_claim, new_digest, worker_name
from bot.delivery.report import TickReport
from bot.delivery.sender import Clock, Limits, Outcome, Pacer, RealClock, Transport, classify
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.views.keyboard import keyboard_from_rows
from digest.schedule import next_digest_at, quiet_hours_end
from storage import Reader
from storage.digests import (
    ClaimedDigest,
    claim_unfinished_digests,
    confirm_sent,
    free_due_times,
    oldest_waiting_due,
    record_digests,
    release_digest,
    settle_interrupted,
)
from storage.keys import ReaderKey, ReaderRef, reader_key
from storage.readers import (
    get_reader,
    lock_due_readers,
    mark_blocked,
    mark_chat_blocked,
    move_reader,
)

log = logging.getLogger(__name__)

#: A claim older than this is taken over by another worker (or this one after a restart).
#: Every marker and confirmation renews it, so only a stopped worker's claims expire.
LEASE = timedelta(minutes=2)
#: Claims of one digest before it is marked failed (each release waits a lease).
MAX_ATTEMPTS = 5
#: Waits before each retry of a message that certainly did not arrive (5xx, refused
#: connection); after the last, the digest is released and retried after the lease.
TRANSIENT_BACKOFF: tuple[float, ...] = (1.0, 2.0, 4.0)
#: 429 answers tolerated for one message before the digest is released for later.
MAX_RATE_LIMITED = 10
#: Moves to a new chat id for one message (a group migrates once; a loop is a bug).
MAX_MIGRATIONS = 2

Event = Literal["claimed", "marked", "sent", "confirmed"]
#: Called at each protocol step: (event, digest id, message index). The crash tests stop
#: the process there; production passes none.
Observer = Callable[[Event, int, int], None]


# --------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------


def send_concurrency(limits: Limits) -> int:
    """Digests sent at once: enough to keep every send slot busy while chats wait their turn."""
    rate = limits.overall_per_second
    slowest = max(limits.private_interval, limits.group_interval, 1.0)
    return max(8, min(1000, int(rate * slowest * 2))) if rate else 256


class _Result(enum.Enum):
    DELIVERED = "delivered"
    UNCERTAIN = "uncertain"
    STOPPED = "stopped"


@dataclass
class DigestEngine:
    """Claims, composes, records and sends digests for one process."""

    services: Services
    transport: Transport
    clock: Clock = field(default_factory=RealClock)
    limits: Limits | None = None
    worker: str = field(default_factory=worker_name)
    #: Readers claimed per transaction; None = what the send rate empties in about 30 s.
    batch_size: int | None = None
    #: Digests sent at once; None = enough to keep every send slot busy.
    concurrency: int | None = None
    observer: Observer | None = None
    #: The process's pacer; None = one built from ``limits``.
    pacer: Pacer | None = None

    def __post_init__(self) -> None:
        settings = self.services.settings
        if self.limits is None:
            self.limits = Limits(overall_per_second=settings.overall_send_rate)
        self._pacer = self.pacer or Pacer(self.limits, self.clock)
        self.commits = GroupCommit(self.services, self.worker, self.clock)
        rate = self.limits.overall_per_second
        if self.batch_size is None:
            self.batch_size = max(10, min(1000, int(rate * 30))) if rate else 500
        if self.concurrency is None:
            self.concurrency = send_concurrency(self.limits)
        self._waiting = 0

    @property
    def metrics(self) -> Metrics:
        return self.services.metrics

    def _composer(self, now: datetime) -> Composer:
        return Composer.from_settings(self.services.settings, now)

    def _notify(self, event: Event, digest_id: int, index: int) -> None:
        if self.observer is not None:
            self.observer(event, digest_id, index)

    # --- the tick -------------------------------------------------------------------------
    async def tick(self) -> TickReport:
        """Resume abandoned digests, then claim and send every due reader's, in batches."""
        report = TickReport()
        resumed = await self._claim_unfinished()
        report.resumed = len(resumed)
        await self._send_all(resumed, report)
        composer = self._composer(self.clock.now())
        while True:
            claimed = await self._claim_due(composer, report)
            if claimed is None:
                break
            await self._send_all(claimed, report)
        await self._update_lag()
        self._pacer.forget_idle_chats()
        if report.claimed or report.resumed:
            log.info(
                "digest tick: %d due, %d held by quiet hours, %d digests (%d empty), "
                "%d resumed, %d sent, %d messages, %d failed, %d released, %d uncertain",
                report.claimed,
                report.held_quiet,
                report.digests,
                report.empty,
                report.resumed,
                report.sent,
                report.messages,
                report.failed,
                report.released,
                report.uncertain,
            )
        return report

    async def _claim_unfinished(self) -> list[ClaimedDigest]:
        async with self.services.db.sessions.begin() as session:
            return await claim_unfinished_digests(
                session,
                now=self.clock.now(),
                lease=LEASE,
                worker=self.worker,
                limit=self.batch_size or 500,
            )

    async def _claim_due(
        self, composer: Composer, report: TickReport
    ) -> list[ClaimedDigest] | None:
        """One claim transaction; None when no reader is due any more."""
        now = self.clock.now()
        async with self.services.db.sessions.begin() as session:
            readers = await lock_due_readers(session, now, limit=self.batch_size or 500)
            if not readers:
                return None
            report.claimed += len(readers)
            ready: list[Reader] = []
            for reader in readers:
                hold = quiet_hours_end(
                    now, valid_zone(reader), reader.quiet_start, reader.quiet_end
                )
                if hold is not None:
                    reader.next_digest_at = hold
                    report.held_quiet += 1
                else:
                    ready.append(reader)
            composed = await composer.compose(session, ready)
            due = await free_due_times(
                session,
                {ReaderKey(r.chat_id, r.thread_id): r.next_digest_at or now for r in ready},
            )
            rows = await record_digests(
                session,
                [new_digest(c, due[c.reader]) for c in composed],
                worker=self.worker,
                now=now,
            )
            for reader in ready:
                reader.last_digest_at = now
                reader.next_digest_at = next_digest_at(now, valid_zone(reader), reader.digest_time)
            types = {r.chat_id: r.chat_type for r in ready}
        claimed = [
            fresh_claim(
                row.id,
                row.chat_id,
                types[row.chat_id],
                row.messages,
                row.keyboards,
                thread_id=row.thread_id,
            )
            for row in rows
            if row.messages
        ]
        report.digests += len(composed)
        report.empty += sum(1 for c in composed if not c.composition.item_count)
        for c in composed:
            if not c.messages:
                self.metrics.digests_sent.labels("empty").inc()
        for digest in claimed:
            self._notify("claimed", digest.id, 0)
        return claimed

    async def _update_lag(self) -> None:
        now = self.clock.now()
        async with self.services.db.sessions() as session:
            oldest = await oldest_waiting_due(session, now)
        self.metrics.digest_lag_seconds.set((now - oldest).total_seconds() if oldest else 0.0)

    # --- on demand ------------------------------------------------------------------------
    async def digest_now(self, reader: ReaderRef) -> TickReport | None:
        """Compose, record and send a reader's digest now (/digest); None if unknown.

        The reader row is locked while composing, so two /digest at once (or /digest
        during the tick) never put the same story in two digests. The scheduled digest
        stays due as planned and holds only what is new by then.
        """
        now = self.clock.now()
        report = TickReport()
        key = reader_key(reader)
        async with self.services.db.sessions.begin() as session:
            row = await get_reader(session, key, for_update=True)
            if row is None:
                return None
            composed = await self._composer(now).compose(session, [row], always_note=True)
            due = await free_due_times(session, {key: now})
            rows = await record_digests(
                session,
                [new_digest(c, due[c.reader]) for c in composed],
                worker=self.worker,
                now=now,
            )
            row.last_digest_at = now
            chat_type = row.chat_type
        report.digests = 1
        report.empty = sum(1 for c in composed if not c.composition.item_count)
        await self._send_all(
            [
                fresh_claim(
                    row.id,
                    row.chat_id,
                    chat_type,
                    row.messages,
                    row.keyboards,
                    thread_id=row.thread_id,
                )
                for row in rows
                if row.messages
            ],
            report,
        )
        return report

    # --- sending --------------------------------------------------------------------------
    async def _send_all(self, digests: Sequence[ClaimedDigest], report: TickReport) -> None:
        if not digests:
            return
        limit = asyncio.Semaphore(self.concurrency or 1)
        self._waiting += sum(len(d.messages) - d.messages_sent for d in digests)
        self.metrics.send_queue_depth.set(self._waiting)

        async def one(digest: ClaimedDigest) -> None:
            async with limit:
                await self._send_digest(digest, report)

        await asyncio.gather(*(one(d) for d in digests))

    def _dequeue(self, count: int = 1) -> None:
        self._waiting = max(0, self._waiting - count)
        self.metrics.send_queue_depth.set(self._waiting)

    async def _send_digest(self, digest: ClaimedDigest, report: TickReport) -> None:
        total = len(digest.messages)
        index = digest.messages_sent
        if digest.interrupted:
            async with self.services.db.sessions.begin() as session:
                finished = await settle_interrupted(
                    session, digest, worker=self.worker, now=self.clock.now()
                )
            log.warning(
                "digest %d to chat %d: message %d of %d may not have arrived (its sender "
                "stopped before Telegram's answer was recorded); not resending it",
                digest.id,
                digest.chat_id,
                index + 1,
                total,
            )
            report.uncertain += 1
            self._dequeue()
            index += 1
            if finished:
                report.sent += 1
                self.metrics.digests_sent.labels("uncertain").inc()
                return
        uncertain = False
        while index < total:
            result, digest = await self._send_message(digest, index, report)
            if result is _Result.STOPPED:
                self._dequeue(total - index)
                return
            uncertain = uncertain or result is _Result.UNCERTAIN
            self._dequeue()
            index += 1
        report.sent += 1
        self.metrics.digests_sent.labels("uncertain" if uncertain else "sent").inc()

    async def _send_message(
        self, digest: ClaimedDigest, index: int, report: TickReport
    ) -> tuple[_Result, ClaimedDigest]:
        """Send message ``index``; the result and the digest (its chat may have moved)."""
        last = index + 1 == len(digest.messages)
        done = LedgerStep.FINISH if last else LedgerStep.CONFIRM
        transient = rate_limited = migrated = 0
        while True:
            await self._pacer.acquire(digest.chat_id, digest.chat_type)
            if not await self.commits.step(LedgerStep.BEGIN, digest.id):
                return self._lost(digest), digest
            self._notify("marked", digest.id, index)
            try:
                await self.transport.send_html(
                    digest.chat_id,
                    digest.messages[index],
                    keyboard=keyboard_from_rows(digest.keyboard(index)),
                    thread_id=digest.thread_id,
                )
            except TelegramError as error:
                verdict = classify(error)
                self.metrics.telegram_errors.labels(verdict.kind).inc()
                if verdict.outcome is Outcome.UNCERTAIN:
                    return await self._uncertain(digest, index, verdict.detail, report), digest
                if verdict.outcome is Outcome.RATE_LIMITED and rate_limited < MAX_RATE_LIMITED:
                    rate_limited += 1
                    self._pacer.pause(verdict.retry_after)
                    log.warning(
                        "Telegram asked to wait %.0f s (429); pausing all sends",
                        verdict.retry_after,
                    )
                    if not await self.commits.step(LedgerStep.CANCEL, digest.id):
                        return self._lost(digest), digest
                    continue
                if verdict.outcome is Outcome.TRANSIENT and transient < len(TRANSIENT_BACKOFF):
                    if not await self.commits.step(LedgerStep.CANCEL, digest.id):
                        return self._lost(digest), digest
                    await self.clock.sleep(TRANSIENT_BACKOFF[transient])
                    transient += 1
                    continue
                if (
                    verdict.outcome is Outcome.MIGRATED
                    and verdict.new_chat_id is not None
                    and migrated < MAX_MIGRATIONS
                ):
                    # Telegram refused before delivering: the message goes to the new chat.
                    migrated += 1
                    if not await self.commits.step(LedgerStep.CANCEL, digest.id):
                        return self._lost(digest), digest
                    digest = await self._migrate(digest, verdict.new_chat_id)
                    continue
                outcome = Outcome.GONE if verdict.outcome is Outcome.MIGRATED else verdict.outcome
                await self._give_up(digest, outcome, verdict.detail, report)
                return _Result.STOPPED, digest
            self._notify("sent", digest.id, index)
            if not await self.commits.step(done, digest.id):
                return self._lost(digest), digest
            self._notify("confirmed", digest.id, index)
            report.messages += 1
            self.metrics.messages_sent.inc()
            return _Result.DELIVERED, digest

    async def _migrate(self, digest: ClaimedDigest, new_chat_id: int) -> ClaimedDigest:
        """Move the reader to the supergroup's new id (one transaction); the digest there."""
        async with self.services.db.sessions.begin() as session:
            moved = await move_reader(session, digest.chat_id, new_chat_id)
        log.info(
            "chat %d became supergroup %d: %s; digest %d goes there",
            digest.chat_id,
            new_chat_id,
            "reader moved" if moved else "already moved",
            digest.id,
        )
        return replace(digest, chat_id=new_chat_id, chat_type="supergroup")

    async def _uncertain(
        self, digest: ClaimedDigest, index: int, detail: str, report: TickReport
    ) -> _Result:
        total = len(digest.messages)
        note = f"message {index + 1} of {total} may not have arrived ({detail}); not resent"
        async with self.services.db.sessions.begin() as session:
            await confirm_sent(
                session,
                [digest.id],
                finished=index + 1 == total,
                worker=self.worker,
                now=self.clock.now(),
                note=note,
            )
        log.warning("digest %d to chat %d: %s", digest.id, digest.chat_id, note)
        report.uncertain += 1
        return _Result.UNCERTAIN

    def _lost(self, digest: ClaimedDigest) -> _Result:
        log.warning(
            "digest %d to chat %d was taken over by another worker (our claim expired); "
            "leaving it to them",
            digest.id,
            digest.chat_id,
        )
        return _Result.STOPPED

    async def _give_up(
        self, digest: ClaimedDigest, outcome: Outcome, detail: str, report: TickReport
    ) -> None:
        now = self.clock.now()
        gone = outcome in (Outcome.GONE, Outcome.THREAD_GONE)
        final = gone or outcome is Outcome.REFUSED or digest.attempts >= MAX_ATTEMPTS
        async with self.services.db.sessions.begin() as session:
            await release_digest(
                session, digest.id, worker=self.worker, now=now, error=detail, give_up=final
            )
            if outcome is Outcome.GONE:
                # The chat blocked or removed the bot: every topic of it is gone too.
                await mark_chat_blocked(session, digest.chat_id, now)
            elif outcome is Outcome.THREAD_GONE:
                await mark_blocked(session, digest.reader, now)
        if outcome is Outcome.GONE:
            log.info("chat %d is gone for the bot (%s): no more digests", digest.chat_id, detail)
        elif outcome is Outcome.THREAD_GONE:
            log.warning(
                "forum topic %d of chat %d is deleted or closed (%s): no more digests to "
                "that topic until /start, /digest or a setting is sent in it; the chat's "
                "other topics keep theirs",
                digest.thread_id,
                digest.chat_id,
                detail,
            )
        if gone:
            report.failed += 1
            self.metrics.digests_sent.labels("blocked").inc()
        elif final:
            log.error("digest %d to chat %d failed: %s", digest.id, digest.chat_id, detail)
            report.failed += 1
            self.metrics.digests_sent.labels("failed").inc()
        else:
            log.warning(
                "digest %d to chat %d: %s; retrying after %s",
                digest.id,
                digest.chat_id,
                detail,
                LEASE,
            )
            report.released += 1
