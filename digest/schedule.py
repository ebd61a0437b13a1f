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


def quiet_hours_end(
    now: datetime, zone: str, start: time | None, end: time | None
) -> datetime | None:
    """When the reader's quiet hours end (UTC), if ``now`` falls inside them; else None.

    Quiet hours are a local wall-clock window ``[start, end)`` that may cross midnight
    (22:00–07:00). A digest whose moment falls inside them waits until they end: quiet
    means quiet, whether it is a catch-up after downtime or a digest time chosen inside
    the window. Equal or missing bounds mean no quiet hours. An end that does not exist
    that day (a daylight-saving gap) moves forward like a digest time does.
    """
    if start is None or end is None or start == end:
        return None
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    wall = local.time().replace(tzinfo=None)
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    day = local.date()
    if start < end:
        if not start <= wall < end:
            return None
    elif end <= wall < start:
        return None
    elif wall >= start:
        day += timedelta(days=1)  # inside the part before midnight: ends tomorrow
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
