"""Per-reader fairness: a token bucket per user, and link-fetch slots per user.

One chat sending hundreds of commands must not delay every other reader's reply, and
one person in several groups must not hold every link-fetch slot. The decisions are
pure (:func:`take`, with the time passed in); :class:`ReaderLimiter` and
:class:`UserSlots` only keep the per-user state between updates. The composition root
(``bot.app``) builds them from the settings and installs the check before every other
handler; docs/limits.md gives the defaults.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: Users whose buckets are kept before idle (full) ones are forgotten.
KEEP_USERS = 10_000


class Verdict(enum.Enum):
    #: Handle the update.
    ALLOW = "allow"
    #: Over the limit for the first time since the last allowed update: say so, once.
    WARN = "warn"
    #: Still over the limit and already told: drop it silently.
    DROP = "drop"


@dataclass(frozen=True)
class Bucket:
    tokens: float
    #: When ``tokens`` was computed, in seconds (any epoch, as long as it is one clock).
    at: float
    warned: bool = False


def refilled(bucket: Bucket, *, now: float, burst: int, per_second: float) -> float:
    """The tokens ``bucket`` holds at ``now`` (a clock that went back adds nothing)."""
    return min(float(burst), bucket.tokens + max(0.0, now - bucket.at) * per_second)


def take(
    bucket: Bucket | None, *, now: float, burst: int, per_second: float
) -> tuple[Verdict, Bucket]:
    """One update from a user: the verdict, and the user's bucket after it.

    A new user starts with a full bucket of ``burst`` tokens; each update takes one, and
    ``per_second`` flow back in. Without a token, the first update is answered with a
    "slow down" (:attr:`Verdict.WARN`), the following ones are dropped until a token is
    back; then the next warning is earned afresh.
    """
    if bucket is None:
        bucket = Bucket(tokens=float(burst), at=now)
    tokens = refilled(bucket, now=now, burst=burst, per_second=per_second)
    if tokens >= 1.0:
        return Verdict.ALLOW, Bucket(tokens=tokens - 1.0, at=now)
    if not bucket.warned:
        return Verdict.WARN, Bucket(tokens=tokens, at=now, warned=True)
    return Verdict.DROP, Bucket(tokens=tokens, at=now, warned=True)


class ReaderLimiter:
    """Every user's bucket, in memory (a restart forgives everybody, which is fine)."""

    def __init__(self, *, burst: int, per_minute: float) -> None:
        self.burst = burst
        self.per_second = per_minute / 60.0
        self._buckets: dict[int, Bucket] = {}

    def check(self, user_id: int, now: float) -> Verdict:
        verdict, bucket = take(
            self._buckets.get(user_id), now=now, burst=self.burst, per_second=self.per_second
        )
        self._buckets[user_id] = bucket
        if len(self._buckets) > KEEP_USERS:
            self._forget_idle(now)
        return verdict

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled: forgetting them changes no decision."""
        full = float(self.burst)
        for user_id in [
            u
            for u, b in self._buckets.items()
            if refilled(b, now=now, burst=self.burst, per_second=self.per_second) >= full
        ]:
            del self._buckets[user_id]


class UserSlots:
    """At most ``limit`` things at once per user (link fetches for /summarize)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held: dict[int, int] = {}

    def take(self, user_id: int) -> bool:
        held = self._held.get(user_id, 0)
        if held >= self.limit:
            return False
        self._held[user_id] = held + 1
        return True

    def release(self, user_id: int) -> None:
        held = self._held.get(user_id, 0) - 1
        if held > 0:
            self._held[user_id] = held
        else:
            self._held.pop(user_id, None)

    @contextmanager
    def holding(self, user_id: int) -> Iterator[bool]:
        """``with slots.holding(user) as got:``: a slot while inside, when one was free."""
        got = self.take(user_id)
        try:
            yield got
        finally:
            if got:
                self.release(user_id)
