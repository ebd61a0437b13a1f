"""The next digest time, across zones and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.schedule import next_digest_at


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # 07:30 in Tehran (UTC+3:30, no DST since 2022) is 04:00 UTC.
        ("Asia/Tehran", utc(2026, 11, 26, 1, 0), utc(2026, 11, 26, 4, 0)),
        # Already past today: tomorrow.
        ("Asia/Tehran", utc(2026, 11, 26, 4, 0), utc(2026, 11, 27, 4, 0)),
        # Chicago in winter is UTC-6.
        ("America/Chicago", utc(2026, 11, 26, 1, 0), utc(2026, 11, 26, 13, 30)),
        # Chicago in summer is UTC-5.
        ("America/Chicago", utc(2026, 7, 1, 1, 0), utc(2026, 7, 1, 12, 30)),
        # Kathmandu has a quarter-hour offset (UTC+5:45).
        ("Asia/Kathmandu", utc(2026, 5, 1, 0, 0), utc(2026, 5, 1, 1, 45)),
        # Auckland is ahead of UTC across the date line: its 07:30 is yesterday in UTC.
        ("Pacific/Auckland", utc(2026, 1, 10, 12, 0), utc(2026, 1, 10, 18, 30)),
    ],
)
def test_next_digest_is_the_chosen_local_time(zone: str, now: datetime, expected: datetime) -> None:
    assert next_digest_at(now, zone, time(7, 30)) == expected


def test_time_skipped_by_spring_forward_moves_forward() -> None:
    # Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    due = next_digest_at(utc(2026, 3, 28, 23, 0), "Europe/Berlin", time(2, 30))
    assert due == utc(2026, 3, 29, 1, 30)
    assert due.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)
    # The day after, 02:30 exists again (CEST, UTC+2).
    assert next_digest_at(due, "Europe/Berlin", time(2, 30)) == utc(2026, 3, 30, 0, 30)


def test_time_repeated_by_fall_back_fires_once() -> None:
    # New York, 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and at 06:30 UTC (EST).
    first = next_digest_at(utc(2026, 11, 1, 4, 0), "America/New_York", time(1, 30))
    assert first == utc(2026, 11, 1, 5, 30)
    # Right after it fired, the next one is tomorrow, not the repeat an hour later.
    assert next_digest_at(first, "America/New_York", time(1, 30)) == utc(2026, 11, 2, 6, 30)


def test_downtime_yields_one_next_digest_not_one_per_missed_day() -> None:
    back_after_a_week = utc(2026, 6, 8, 9, 0)
    assert next_digest_at(back_after_a_week, "UTC", time(7, 30)) == utc(2026, 6, 9, 7, 30)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_digest_at(datetime(2026, 1, 1), "UTC", time(7, 30))


ZONES = ["UTC", "Europe/Berlin", "America/Chicago", "Asia/Tehran", "Australia/Lord_Howe"]


@given(
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    zone=st.sampled_from(ZONES),
    at=st.times(),
)
def test_next_digest_is_always_in_the_next_day_and_a_bit(
    now: datetime, zone: str, at: time
) -> None:
    due = next_digest_at(now, zone, at)
    assert now < due <= now + timedelta(hours=25)
    assert due.tzinfo is UTC


# --- quiet hours ------------------------------------------------------------------------


def test_quiet_hours_across_midnight_end_the_next_morning() -> None:
    from digest.schedule import quiet_hours_end

    # 23:10 in Berlin (CEST, UTC+2) inside 22:00–07:00: ends at 07:00 Berlin the next day.
    assert quiet_hours_end(
        utc(2026, 6, 1, 21, 10), "Europe/Berlin", time(22, 0), time(7, 0)
    ) == utc(2026, 6, 2, 5, 0)
    # 06:59 the next morning: still quiet, same end.
    assert quiet_hours_end(utc(2026, 6, 2, 4, 59), "Europe/Berlin", time(22, 0), time(7, 0)) == utc(
        2026, 6, 2, 5, 0
    )
    # 07:00 sharp is outside (the end is exclusive), and so is the afternoon.
    assert quiet_hours_end(utc(2026, 6, 2, 5, 0), "Europe/Berlin", time(22, 0), time(7, 0)) is None
    assert quiet_hours_end(utc(2026, 6, 2, 13, 0), "Europe/Berlin", time(22, 0), time(7, 0)) is None


def test_quiet_hours_within_one_day_and_none_set() -> None:
    from digest.schedule import quiet_hours_end

    lunch = (time(12, 0), time(14, 0))
    assert quiet_hours_end(utc(2026, 6, 1, 12, 30), "UTC", *lunch) == utc(2026, 6, 1, 14, 0)
    assert quiet_hours_end(utc(2026, 6, 1, 11, 59), "UTC", *lunch) is None
    assert quiet_hours_end(utc(2026, 6, 1, 12, 30), "UTC", None, None) is None
    assert quiet_hours_end(utc(2026, 6, 1, 12, 30), "UTC", time(9), time(9)) is None
