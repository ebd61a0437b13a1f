"""The per-reader token bucket and link slots: pure decisions, the time passed in."""

from __future__ import annotations

from bot.telegram.fairness import KEEP_USERS, ReaderLimiter, UserSlots, Verdict, take


def test_a_burst_is_allowed_then_one_warning_then_silence_until_a_token_is_back() -> None:
    bucket = None
    verdicts = []
    for _ in range(6):
        verdict, bucket = take(bucket, now=100.0, burst=3, per_second=0.5)
        verdicts.append(verdict)
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]
    verdict, bucket = take(bucket, now=101.0, burst=3, per_second=0.5)  # half a token
    assert verdict is Verdict.DROP
    verdict, bucket = take(bucket, now=102.0, burst=3, per_second=0.5)  # one token
    assert verdict is Verdict.ALLOW
    # Over again: the warning is earned afresh.
    assert take(bucket, now=102.0, burst=3, per_second=0.5)[0] is Verdict.WARN


def test_a_clock_that_goes_back_adds_no_tokens() -> None:
    verdict, bucket = take(None, now=50.0, burst=1, per_second=1.0)
    assert verdict is Verdict.ALLOW
    assert take(bucket, now=10.0, burst=1, per_second=1.0)[0] is Verdict.WARN


def test_a_refill_never_exceeds_the_burst() -> None:
    limiter = ReaderLimiter(burst=2, per_minute=60)
    assert limiter.check(1, 0.0) is Verdict.ALLOW
    verdicts = [limiter.check(1, 3600.0) for _ in range(3)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]


def test_idle_readers_are_forgotten_and_limited_ones_are_not() -> None:
    limiter = ReaderLimiter(burst=1, per_minute=1)
    limiter.check(0, 0.0)  # empty now, and for a minute
    for user in range(1, KEEP_USERS + 1):
        limiter.check(user, 30.0)
    # Reader 0 is still limited half a minute later: still remembered, still warned.
    assert limiter.check(0, 30.0) is Verdict.WARN


def test_link_slots_are_per_user_and_come_back() -> None:
    slots = UserSlots(2)
    with slots.holding(5) as first, slots.holding(5) as second, slots.holding(5) as third:
        assert (first, second, third) == (True, True, False)
        with slots.holding(6) as other:
            assert other
    with slots.holding(5) as again:
        assert again
