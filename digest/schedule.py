"""When a reader's next digest is due: pure functions of the clock and the reader's choice."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def next_digest_at(now: datetime, zone: str, at: time) -> datetime:
    """The first instant after ``now`` when it is ``at`` o'clock in ``zone``, in UTC.

    Daylight-saving changes:
    - a local time that does not exist that day (clocks jump from 02:00 to 03:00 and the
      reader chose 02:30) moves forward by the jump, to 03:30;
    - a local time that happens twice (clocks fall back) fires at its first occurrence
      only; the second is never returned because the next candidate is the next day.

    After downtime this returns the next future occurrence, so a reader who missed
    several days gets one digest, not one per missed day.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = ZoneInfo(zone)
    wall = at.replace(tzinfo=None, fold=0)
    day = now.astimezone(tz).date()
    # Two candidates always suffice (today's and tomorrow's); the loop bound is a guard.
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), wall, tzinfo=tz)
        candidate_utc = candidate.astimezone(UTC)
        if candidate_utc > now:
            return candidate_utc
    raise AssertionError("unreachable: a local time recurs within three days")  # pragma: no cover
