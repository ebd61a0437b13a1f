"""Understanding the time zone a reader types: "Europe/Berlin", "berlin", "New York", "UTC+3:30".

Pure functions over the tz database shipped with Python (``tzdata``); the clock is passed
in because "which zone is at UTC+3:30" depends on the date (daylight saving).

What is stored is always an IANA name, because ``digest.schedule`` needs one:
- whole-hour offsets become ``Etc/GMT-3`` (the tz database's fixed zones; their sign is
  inverted by POSIX convention, which :func:`zone_label` hides from readers);
- other offsets become a real zone at that offset now, preferring one without daylight
  saving (UTC+5:30 → Asia/Kolkata, UTC+3:30 → Asia/Tehran).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.i18n import N_

_REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

_OFFSET = re.compile(
    r"^(?:utc|gmt|z)?(?P<sign>[+\-−])(?P<hours>\d{1,2})(?:[:.h]?(?P<minutes>\d{2}))?$"
)

#: Names readers use that are not in the tz database: abbreviations, big cities, countries.
ALIASES: dict[str, str] = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "universal": "UTC",
    # Abbreviations (ambiguous ones mapped to their most common meaning).
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "eet": "Europe/Athens",
    "eest": "Europe/Athens",
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "hkt": "Asia/Hong_Kong",
    "sgt": "Asia/Singapore",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    # Cities without a zone of their own.
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "nyc": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "minneapolis": "America/Chicago",
    "salt lake city": "America/Denver",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "saint petersburg": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "kiev": "Europe/Kyiv",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "hanoi": "Asia/Bangkok",
    "saigon": "Asia/Ho_Chi_Minh",
    "abu dhabi": "Asia/Dubai",
    "tel aviv": "Asia/Jerusalem",
    "mecca": "Asia/Riyadh",
    "jeddah": "Asia/Riyadh",
    "cape town": "Africa/Johannesburg",
    "wellington": "Pacific/Auckland",
    # Countries with one zone (or one that almost everyone uses).
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "italy": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "uk": "Europe/London",
    "united kingdom": "Europe/London",
    "england": "Europe/London",
    "ireland": "Europe/Dublin",
    "poland": "Europe/Warsaw",
    "ukraine": "Europe/Kyiv",
    "turkey": "Europe/Istanbul",
    "india": "Asia/Kolkata",
    "china": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "israel": "Asia/Jerusalem",
    "iran": "Asia/Tehran",
    "uae": "Asia/Dubai",
    "nepal": "Asia/Kathmandu",
    "egypt": "Africa/Cairo",
    "nigeria": "Africa/Lagos",
    "kenya": "Africa/Nairobi",
    "south africa": "Africa/Johannesburg",
    "new zealand": "Pacific/Auckland",
}

#: Offsets that are not whole hours, and the zone best known for each (no daylight saving
#: where one exists). Checked against the date: a zone whose offset differs now is skipped.
_FRACTIONAL_OFFSETS: dict[int, str] = {
    -570: "Pacific/Marquesas",
    -210: "America/St_Johns",
    -150: "America/St_Johns",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
    630: "Australia/Adelaide",
    765: "Pacific/Chatham",
}

#: Offered as buttons by /timezone: (label, IANA name). The labels are marked for the
#: catalogs and translated by the view; callback data carry the IANA name (under 64 bytes).
COMMON_ZONES: tuple[tuple[str, str], ...] = (
    ("UTC", "UTC"),
    # Translators: a city (or country) on a /timezone button; use its usual name.
    (N_("London"), "Europe/London"),
    (N_("Berlin"), "Europe/Berlin"),
    (N_("Moscow"), "Europe/Moscow"),
    (N_("Dubai"), "Asia/Dubai"),
    (N_("India"), "Asia/Kolkata"),
    (N_("Shanghai"), "Asia/Shanghai"),
    (N_("Tokyo"), "Asia/Tokyo"),
    (N_("Sydney"), "Australia/Sydney"),
    (N_("New York"), "America/New_York"),
    (N_("Chicago"), "America/Chicago"),
    (N_("Los Angeles"), "America/Los_Angeles"),
    (N_("São Paulo"), "America/Sao_Paulo"),
    (N_("Lagos"), "Africa/Lagos"),
    (N_("Nairobi"), "Africa/Nairobi"),
)


def _fold(text: str) -> str:
    """Lower case, accents removed, underscores and dashes as spaces, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[_\-]+", " ", plain).replace(".", "")
    return " ".join(plain.split())


@cache
def _zones() -> frozenset[str]:
    # "localtime" and "Factory" are not places; keep everything a reader could mean.
    return frozenset(z for z in available_timezones() if z not in {"localtime", "Factory"})


def _preference(zone: str) -> tuple[int, int, str]:
    # Deeper names are the canonical ones when a city appears twice
    # (America/Argentina/Buenos_Aires, not the old link America/Buenos_Aires).
    return (0 if zone.startswith(_REGIONS) else 1, -zone.count("/"), zone)


@cache
def _by_name() -> dict[str, str]:
    """Folded full names ("europe/berlin") and city names ("berlin") to IANA names."""
    index: dict[str, str] = {}
    for zone in sorted(_zones(), key=_preference):
        index.setdefault(_fold(zone), zone)
    for zone in sorted(_zones(), key=_preference):
        if zone.startswith("Etc/"):
            continue
        index.setdefault(_fold(zone.rsplit("/", 1)[-1]), zone)
    for alias, zone in ALIASES.items():
        if zone in _zones():
            index[_fold(alias)] = zone
    return index


def _offset_zone(minutes: int, now: datetime) -> str | None:
    if minutes == 0:
        return "UTC"
    if minutes % 60 == 0:
        hours = minutes // 60
        # POSIX sign convention: Etc/GMT-3 is three hours *ahead* of UTC.
        name = f"Etc/GMT{-hours:+d}"
        return name if name in _zones() else None
    known = _FRACTIONAL_OFFSETS.get(minutes)
    if known is not None and now.astimezone(ZoneInfo(known)).utcoffset() == timedelta(
        minutes=minutes
    ):
        return known
    return _zone_at_offset(minutes, now.date().isoformat())


@cache
def _zone_at_offset(minutes: int, day: str) -> str | None:
    when = datetime.fromisoformat(day + "T12:00:00+00:00")
    wanted = timedelta(minutes=minutes)
    candidates: list[tuple[int, tuple[int, int, str], str]] = []
    for zone in _zones():
        tz = ZoneInfo(zone)
        if when.astimezone(tz).utcoffset() != wanted:
            continue
        half_year = (when + timedelta(days=182)).astimezone(tz).utcoffset()
        candidates.append((0 if half_year == wanted else 1, _preference(zone), zone))
    return min(candidates)[2] if candidates else None


def parse_timezone(text: str, now: datetime) -> str | None:
    """The IANA zone a reader meant, or None when we cannot tell."""
    folded = _fold(text)
    if not folded or len(text) > 64:
        return None
    match = _OFFSET.match("".join(text.casefold().split()))
    if match:
        hours = int(match.group("hours"))
        minutes = int(match.group("minutes") or 0)
        if hours > 14 or minutes >= 60:
            return None
        total = hours * 60 + minutes
        return _offset_zone(-total if match.group("sign") in "-−" else total, now)
    return _by_name().get(folded) or _by_name().get(folded.replace(" ", ""))


def suggest_timezones(text: str, limit: int = 3) -> list[str]:
    """Zones whose names are close to what the reader typed, best first."""
    folded = _fold(text)
    if not folded or len(folded) > 64:
        return []
    index = _by_name()
    close = difflib.get_close_matches(folded, list(index), n=limit * 3, cutoff=0.75)
    return list(dict.fromkeys(index[name] for name in close))[:limit]


def zone_label(zone: str) -> str:
    """A zone as readers read it: "Europe/Berlin", "UTC+3" rather than "Etc/GMT-3"."""
    match = re.fullmatch(r"Etc/GMT([+-])(\d+)", zone)
    if match:
        return f"UTC{'-' if match.group(1) == '+' else '+'}{match.group(2)}"
    if zone in {"Etc/UTC", "Etc/GMT", "UTC", "Etc/Universal", "Etc/Zulu"}:
        return "UTC"
    return zone.replace("_", " ")


def utc_offset_label(zone: str, now: datetime) -> str:
    """The zone's offset at ``now``: "UTC+02:00"."""
    offset = now.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
