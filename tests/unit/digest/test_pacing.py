"""The sender's pacing and its reading of Bot API errors (bot.sender), with no I/O."""

from __future__ import annotations

import itertools
from datetime import timedelta

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.sender import Limits, Outcome, Pacer, classify
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


def _caused(error: Exception, cause: Exception) -> Exception:
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
        # The request may have reached Telegram: never resent.
        (_caused(TimedOut(), httpx.ReadTimeout("slow")), Outcome.UNCERTAIN),
        (_caused(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), Outcome.UNCERTAIN),
    ],
)
def test_each_error_says_whether_the_message_may_have_arrived(
    error: Exception, outcome: Outcome
) -> None:
    assert classify(error).outcome is outcome  # type: ignore[arg-type]


def test_retry_after_carries_its_wait() -> None:
    verdict = classify(RetryAfter(timedelta(seconds=12)))
    assert (verdict.kind, verdict.retry_after) == ("429", 12.0)
