"""Time zones as readers type them: names, cities, abbreviations, UTC offsets."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.timezones import (
    COMMON_ZONES,
    parse_timezone,
    suggest_timezones,
    utc_offset_label,
    zone_label,
)

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("St. Petersburg", "Europe/Moscow"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("kiev", "Europe/Kyiv"),
        ("Germany", "Europe/Berlin"),
        ("PST", "America/Los_Angeles"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+0", "UTC"),
    ],
)
def test_names_cities_and_abbreviations(text: str, zone: str) -> None:
    assert parse_timezone(text, WINTER) == zone


@pytest.mark.parametrize(
    ("text", "zone", "offset"),
    [
        ("UTC+3", "Etc/GMT-3", "UTC+03:00"),
        ("gmt-5", "Etc/GMT+5", "UTC-05:00"),
        ("+02:00", "Etc/GMT-2", "UTC+02:00"),
        ("UTC −4", "Etc/GMT+4", "UTC-04:00"),
        ("UTC+14", "Etc/GMT-14", "UTC+14:00"),
        ("UTC+5:30", "Asia/Kolkata", "UTC+05:30"),
        ("utc+3.30", "Asia/Tehran", "UTC+03:30"),
        ("+0545", "Asia/Kathmandu", "UTC+05:45"),
    ],
)
def test_utc_offsets_become_zones_with_that_offset(text: str, zone: str, offset: str) -> None:
    found = parse_timezone(text, WINTER)
    assert found == zone
    assert utc_offset_label(found, WINTER) == offset


def test_fixed_offsets_read_the_way_people_write_them() -> None:
    assert zone_label("Etc/GMT-3") == "UTC+3"
    assert zone_label("Etc/GMT+5") == "UTC-5"
    assert zone_label("America/New_York") == "America/New York"


def test_an_offset_no_zone_has_on_that_date_is_not_guessed() -> None:
    # St John's is UTC−3:30 in winter and UTC−2:30 in summer.
    assert parse_timezone("UTC-3:30", WINTER) == "America/St_Johns"
    assert parse_timezone("UTC-3:30", SUMMER) is None
    assert parse_timezone("UTC+5:15", WINTER) is None


@pytest.mark.parametrize("text", ["", "nonsense", "UTC+15", "UTC-13", "UTC+3:75", "x" * 100])
def test_unknown_zones(text: str) -> None:
    assert parse_timezone(text, WINTER) is None


def test_misspellings_get_suggestions() -> None:
    assert suggest_timezones("Berlni") == ["Europe/Berlin"]
    assert suggest_timezones("") == []


def test_the_common_zone_buttons_are_real_zones() -> None:
    for _label, zone in COMMON_ZONES:
        ZoneInfo(zone)
        assert parse_timezone(zone, WINTER) == zone


@given(st.text(max_size=100))
def test_whatever_is_typed_gives_a_real_zone_or_none(text: str) -> None:
    zone = parse_timezone(text, WINTER)
    if zone is not None:
        ZoneInfo(zone)
    suggest_timezones(text)
