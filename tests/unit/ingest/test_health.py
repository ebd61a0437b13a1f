"""Back-off and disabling: pure decisions with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingest.source_health import (
    DISABLE_AFTER,
    DISABLE_MIN_FAILURES,
    MAX_BACKOFF,
    after_failure,
    after_success,
    backoff,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)


def test_backoff_doubles_from_one_interval_and_is_capped() -> None:
    delays = [backoff(n, INTERVAL) for n in range(1, 10)]
    assert delays[:4] == [INTERVAL, 2 * INTERVAL, 4 * INTERVAL, 8 * INTERVAL]
    assert delays[-1] == MAX_BACKOFF
    assert backoff(1000, INTERVAL) == MAX_BACKOFF


def test_a_failure_counts_and_schedules_the_next_try() -> None:
    outcome = after_failure(
        now=NOW, error="HTTP 500", failures_before=2, healthy_since=NOW, interval=INTERVAL
    )
    assert outcome.consecutive_failures == 3
    assert outcome.next_fetch_at == NOW + 4 * INTERVAL
    assert outcome.error == "HTTP 500"
    assert outcome.disable_reason is None


def test_only_a_source_failing_for_days_and_many_times_is_disabled() -> None:
    long_ago = NOW - DISABLE_AFTER
    many = DISABLE_MIN_FAILURES - 1
    # Days of failure but few tries (the machine was off): not yet.
    few = after_failure(
        now=NOW, error="x", failures_before=1, healthy_since=long_ago, interval=INTERVAL
    )
    assert few.disable_reason is None
    # Many tries in a short time (a brief outage): not yet.
    brief = after_failure(
        now=NOW, error="x", failures_before=many, healthy_since=NOW, interval=INTERVAL
    )
    assert brief.disable_reason is None
    both = after_failure(
        now=NOW,
        error="HTTP 410 Gone",
        failures_before=many,
        healthy_since=long_ago,
        interval=INTERVAL,
    )
    assert both.disable_reason == (
        f"failing for 3 days ({DISABLE_MIN_FAILURES} tries in a row); last error: HTTP 410 Gone"
    )


def test_success_resets_and_remembers_validators() -> None:
    outcome = after_success(now=NOW, etag='"abc"', last_modified="Wed, 25 Nov 2026 08:00:00 GMT")
    assert (outcome.succeeded, outcome.consecutive_failures, outcome.next_fetch_at) == (
        True,
        0,
        None,
    )
    assert outcome.etag == '"abc"'
