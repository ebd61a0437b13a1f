"""The delivery ledger's side of the engine: new records, fresh claims, who claims, and
the group commit.

Markers and confirmations of concurrent digests share transactions (:class:`GroupCommit`),
so a busy send loop costs a few commits a second, not two per message (the protocol is
told in ``bot.delivery.engine``).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import secrets
import socket
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.delivery.composer import Composed
from bot.delivery.sender import Clock
from bot.runtime.services import Services
from bot.views.keyboard import keyboard_rows
from storage.digests import (
    ClaimedDigest,
    DeliveredItem,
    NewDigest,
    advance_digests,
)

log = logging.getLogger(__name__)

#: A step's answer, awaited by the sender that asked for it.
Pending = asyncio.Future[bool]


# --------------------------------------------------------------------------------------
# Group commit of markers and confirmations
# --------------------------------------------------------------------------------------


class LedgerStep(enum.Enum):
    BEGIN = "begin"
    CONFIRM = "confirm"
    FINISH = "finish"
    CANCEL = "cancel"


class GroupCommit:
    """Ledger steps of concurrent digests, committed together; each caller awaits its own.

    A caller's future resolves only after the transaction holding its step committed, so
    "marker committed before the send" holds for every message.
    """

    def __init__(self, services: Services, worker: str, clock: Clock) -> None:
        self._db = services.db
        self._worker = worker
        self._clock = clock
        self._queue: list[tuple[LedgerStep, int, asyncio.Future[bool]]] = []
        self._task: asyncio.Task[None] | None = None

    async def step(self, op: LedgerStep, digest_id: int) -> bool:
        """Apply ``op`` to ``digest_id``; False when this worker no longer owns it."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((op, digest_id, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        await asyncio.sleep(0)  # let every sender that is ready queue its step first
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                owned = await self._apply(batch)
            except Exception as error:
                for _op, _id, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for _op, digest_id, future in batch:
                if not future.done():
                    future.set_result(digest_id in owned)

    async def _apply(
        self, batch: Sequence[tuple[LedgerStep, int, asyncio.Future[bool]]]
    ) -> set[int]:
        ids: dict[LedgerStep, list[int]] = {op: [] for op in LedgerStep}
        for op, digest_id, _future in batch:
            ids[op].append(digest_id)
        async with self._db.sessions.begin() as session:
            return await advance_digests(
                session,
                begin=ids[LedgerStep.BEGIN],
                confirm=ids[LedgerStep.CONFIRM],
                finish=ids[LedgerStep.FINISH],
                cancel=ids[LedgerStep.CANCEL],
                worker=self._worker,
                now=self._clock.now(),
            )


def worker_name() -> str:
    """Who claims: host, process and a random part (pids repeat across restarts)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def new_digest(composed: Composed, due_at: datetime) -> NewDigest:
    """The ledger row of a composed digest, due at ``due_at``."""
    return NewDigest(
        chat_id=composed.chat_id,
        due_at=due_at,
        messages=composed.messages,
        items=[
            DeliveredItem(c.article_id, c.story_id, c.outlets, c.is_update)
            for c in composed.composition.items()
        ],
        keyboards=[keyboard_rows(k) for k in composed.keyboards] if composed.keyboards else None,
        thread_id=composed.thread_id,
    )


def fresh_claim(
    digest_id: int,
    chat_id: int,
    chat_type: str,
    messages: Iterable[str],
    keyboards: Sequence[Any] | None = None,
    *,
    thread_id: int = 0,
) -> ClaimedDigest:
    """A digest just recorded and claimed by this worker: nothing sent yet."""
    return ClaimedDigest(
        id=digest_id,
        chat_id=chat_id,
        chat_type=chat_type,
        messages=tuple(messages),
        messages_sent=0,
        interrupted=False,
        attempts=1,
        keyboards=tuple(keyboards) if keyboards else None,
        thread_id=thread_id,
    )
