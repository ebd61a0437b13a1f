"""The sender's pacing and its reading of Bot API errors (bot.delivery.sender), with no I/O."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.delivery.sender import Limits, Outcome, Pacer, classify
from tests.support.digest_world import FakeClock, utc


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc(2026, 6, 1, 7, 30))


def test_slots_keep_the_overall_rate_and_one_a_second_per_private_chat(clock: FakeClock) -> None:
    pacer = Pacer(Limits(overall_per_second=25), clock)
    slots = [pacer.reserve(chat, "private") for chat in range(50)]
    assert all(abs((b - a) - 0.04) < 1e-9 for a, b in itertools.pairwise(slots))
    again = pacer.reserve(0, "private")
    assert again - slots[0] >= 1.0 - 1e-9
    group = [pacer.reserve(-1, "group") for _ in range(3)]
    assert all(b - a >= 3.0 - 1e-9 for a, b in itertools.pairwise(group))


def test_a_pause_moves_every_later_slot_past_it_without_a_burst(clock: FakeClock) -> None:
    pacer = Pacer(Limits(overall_per_second=10), clock)
    start = pacer.reserve(1, "private")
    pacer.pause(30)
    after = [pacer.reserve(chat, "private") for chat in range(2, 6)]
    assert after[0] >= start + 30
    assert all(abs((b - a) - 0.1) < 1e-9 for a, b in itertools.pairwise(after))


async def test_acquire_waits_for_its_slot_and_limits_off_never_wait(clock: FakeClock) -> None:
    pacer = Pacer(Limits(overall_per_second=2), clock)
    await pacer.acquire(1, "private")
    await pacer.acquire(2, "private")
    assert clock.slept == [0.5]
    free = Pacer(Limits.off(), clock)
    for _ in range(100):
        await free.acquire(1, "private")
    assert clock.slept == [0.5]


def _caused(error: TelegramError, cause: Exception) -> TelegramError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RetryAfter(timedelta(seconds=3)), Outcome.RATE_LIMITED),
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.GONE),
        (BadRequest("Bad Request: chat not found"), Outcome.GONE),
        (BadRequest("Bad Request: can't parse entities"), Outcome.REFUSED),
        (NetworkError("Internal Server Error (500)"), Outcome.TRANSIENT),
        (_caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("no")), Outcome.TRANSIENT),
        (_caused(TimedOut("Pool timeout"), httpx.PoolTimeout("busy")), Outcome.TRANSIENT),
        (_caused(NetworkError("httpx.ProxyError"), httpx.ProxyError("407")), Outcome.TRANSIENT),
        (ChatMigrated(-1001234), Outcome.MIGRATED),
        # The request may have reached Telegram: never resent.
        (_caused(TimedOut(), httpx.ReadTimeout("slow")), Outcome.UNCERTAIN),
        (_caused(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), Outcome.UNCERTAIN),
    ],
)
def test_each_error_says_whether_the_message_may_have_arrived(
    error: TelegramError, outcome: Outcome
) -> None:
    assert classify(error).outcome is outcome


def test_retry_after_carries_its_wait() -> None:
    verdict = classify(RetryAfter(timedelta(seconds=12)))
    assert (verdict.kind, verdict.retry_after) == ("429", 12.0)


def test_a_migrated_group_names_its_new_chat() -> None:
    verdict = classify(ChatMigrated(-1001234))
    assert (verdict.outcome, verdict.new_chat_id) == (Outcome.MIGRATED, -1001234)


class SteppedClock:
    """Monotonic time that moves only when the test steps it; sleepers wake in order."""

    def __init__(self) -> None:
        self.t = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return utc(2026, 6, 1, 7, 30)

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.t + seconds, next(self._order), future))
        await future

    async def run(self) -> None:
        """Wake every sleeper in time order until none is left."""
        for _ in range(10):
            await asyncio.sleep(0)
        while self._sleepers:
            self._sleepers.sort()
            wake, _n, future = self._sleepers.pop(0)
            self.t = max(self.t, wake)
            future.set_result(None)
            for _ in range(10):
                await asyncio.sleep(0)


async def test_replies_jump_the_digest_queue_but_share_its_budget() -> None:
    """Replies and digests together: never more than the overall rate in any second."""
    clock = SteppedClock()
    pacer = Pacer(Limits(overall_per_second=10, private_interval=0.0), clock)
    granted: list[tuple[float, str]] = []

    async def digest(chat_id: int) -> None:
        granted.append((await pacer.acquire(chat_id, "private"), "digest"))

    async def reply() -> None:
        granted.append((await pacer.acquire_priority(), "reply"))

    # 40 digests book 4 s of slots; 5 replies arrive then and are answered at once.
    digests = [asyncio.create_task(digest(n)) for n in range(40)]
    for _ in range(5):
        await asyncio.sleep(0)
    start = clock.monotonic()
    await asyncio.gather(*(reply() for _ in range(5)))
    assert [t for t, kind in granted if kind == "reply"] == [start] * 5
    await clock.run()
    await asyncio.gather(*digests)
    times = sorted(t for t, _kind in granted)
    assert len(times) == 45
    for first in range(len(times) - 10):
        assert times[first + 10] - times[first] >= 1.0 - 1e-9, "more than 10 in a second"
    # Nobody lost their message: the five displaced digests went at the end.
    assert max(times) - start == pytest.approx(4.4)
