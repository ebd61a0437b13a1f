"""A source's health after a fetch: when to try again, and when to give up.

Pure decisions with the clock passed in. A failing source is retried after an
exponentially growing delay (one ingest interval, then 2, 4, … capped at
:data:`MAX_BACKOFF`); a source that has not fetched successfully for
:data:`DISABLE_AFTER` (and failed at least :data:`DISABLE_MIN_FAILURES` times in a
row) is disabled with the reason, for the operator to see and fix.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.sources import FetchOutcome

MAX_BACKOFF = timedelta(hours=12)
DISABLE_AFTER = timedelta(days=3)
DISABLE_MIN_FAILURES = 8


def backoff(failures: int, interval: timedelta) -> timedelta:
    """Delay before the next try after ``failures`` consecutive failures (≥ 1)."""
    exponent = min(max(failures - 1, 0), 20)
    return min(interval * (1 << exponent), MAX_BACKOFF)


def after_success(*, now: datetime, etag: str | None, last_modified: str | None) -> FetchOutcome:
    """A fetch worked (200 or 304): due again next cycle, validators remembered."""
    return FetchOutcome(
        fetched_at=now,
        succeeded=True,
        next_fetch_at=None,
        consecutive_failures=0,
        etag=etag,
        last_modified=last_modified,
    )


def after_failure(
    *,
    now: datetime,
    error: str,
    failures_before: int,
    healthy_since: datetime,
    interval: timedelta,
) -> FetchOutcome:
    """A fetch failed: back off, or disable when it has failed for too long.

    ``healthy_since`` is the last success (or when the source was added).
    """
    failures = failures_before + 1
    reason: str | None = None
    if failures >= DISABLE_MIN_FAILURES and now - healthy_since >= DISABLE_AFTER:
        days = (now - healthy_since).days
        reason = f"failing for {days} days ({failures} tries in a row); last error: {error}"
    return FetchOutcome(
        fetched_at=now,
        succeeded=False,
        next_fetch_at=now + backoff(failures, interval),
        consecutive_failures=failures,
        error=error,
        disable_reason=reason,
    )
