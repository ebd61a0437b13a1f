"""Replies about when the digest comes: time, zone, pause, length, and their buttons.

Times of day are written ``HH:MM`` in every language: it is how readers type them back
(``/settime 07:30``). Zones keep their tz database names, which readers can type too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.parsing.timezones import COMMON_ZONES, utc_offset_label, zone_label
from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows
from bot.views.topics import listing

COMMON_TIMES = (time(6), time(7), time(7, 30), time(8), time(9), time(12), time(18), time(21))
#: The sentences per summary a reader may choose (``/length``).
LENGTHS = range(1, 6)


def _hhmm(at: time | datetime) -> str:
    return at.strftime("%H:%M")


def next_digest_line(t: Translator, next_at: datetime | None, zone: str, now: datetime) -> str:
    """When the next digest comes, in the reader's zone: today, tomorrow or a date."""
    if next_at is None:
        return ""
    tz = ZoneInfo(zone)
    local, today = next_at.astimezone(tz), now.astimezone(tz).date()
    at = bold(_hhmm(local))
    if local.date() == today:
        return t.html("Next one: today at {time}.", time=at)
    if local.date() == today + timedelta(days=1):
        return t.html("Next one: tomorrow at {time}.", time=at)
    day = t.short_date(local.date(), with_year=local.year != today.year)
    return t.html("Next one: {day} at {time}.", day=esc(day), time=at)


def schedule_text(
    t: Translator, *, zone: str, at: time, next_at: datetime | None, paused: bool, now: datetime
) -> str:
    """Where the reader's schedule stands now."""
    values = {
        "time": bold(_hhmm(at)),
        "zone": esc(zone_label(zone)),
        "offset": utc_offset_label(zone, now),
    }
    if paused:
        return t.html(
            "Your daily digest is paused (it would come at {time}, {zone}, {offset}). "
            "/resume to get it again.",
            **values,
        )
    text = t.html("Your digest comes every day at {time} ({zone}, {offset}).", **values)
    following = next_digest_line(t, next_at, zone, now)
    return f"{text} {following}" if following else text


def time_keyboard() -> Keyboard:
    return rows([Button(_hhmm(at), callbacks.time_data(at)) for at in COMMON_TIMES], 4)


def zone_keyboard(t: Translator) -> Keyboard:
    """Common zones, labelled with their cities in the reader's language."""
    return rows(
        [Button(t.gettext(label), callbacks.zone_data(zone)) for label, zone in COMMON_ZONES], 3
    )


def length_keyboard(t: Translator, current: int) -> Keyboard:
    return (
        tuple(
            Button(f"✓ {t.number(n)}" if n == current else t.number(n), callbacks.length_data(n))
            for n in LENGTHS
        ),
    )


def ask_time_text(t: Translator, current: time) -> str:
    return t.html(
        "Your digest comes at {time}. Choose another time, or send it like {example}.",
        time=bold(_hhmm(current)),
        example=code("/settime 07:30"),
    )


def ask_zone_text(t: Translator, current: str, now: datetime) -> str:
    return t.html(
        "Your time zone is {zone} ({offset}). Choose one below, or send a zone, a city or an "
        "offset, like {city_example} or {offset_example}.",
        zone=bold(zone_label(current)),
        offset=utc_offset_label(current, now),
        city_example=code("/timezone Tokyo"),
        offset_example=code("/timezone UTC+5:30"),
    )


def unknown_zone_text(t: Translator, typed: str, suggestions: Sequence[str]) -> str:
    if suggestions:
        names = listing(t, [zone_label(z) for z in suggestions], alternatives=True)
        first = t.html(
            "I don't know the time zone {typed}. Did you mean {zones}?",
            typed=bold(echo(typed)),
            zones=bold(names),
        )
    else:
        first = t.html("I don't know the time zone {typed}.", typed=bold(echo(typed)))
    examples = ("/timezone Europe/Berlin", "/timezone Tokyo", "/timezone UTC+3")
    hint = t.html(
        "Use a zone name, a big city or an offset: {examples}",
        examples=", ".join(t.isolate(code(example)) for example in examples),
    )
    return f"{first}\n\n{hint}"


def ask_length_text(t: Translator, current: int) -> str:
    return t.nhtml(
        "Summaries show up to {count} sentence. How many would you like?",
        "Summaries show up to {count} sentences. How many would you like?",
        current,
        count=bold(t.number(current)),
    )


def length_text(t: Translator, sentences: int) -> str:
    if sentences == 1:
        return t.html("Summaries will show one sentence from now on.")
    # The summariser stops early rather than add a weak sentence, so "up to".
    return t.nhtml(
        "Summaries will show up to {count} sentence from now on "
        "(fewer when a story is told in less).",
        "Summaries will show up to {count} sentences from now on "
        "(fewer when a story is told in less).",
        sentences,
        count=bold(t.number(sentences)),
    )


def already_paused_text(t: Translator) -> str:
    return t.html("Your digest is already paused. /resume to get it again.")


def already_running_text(t: Translator) -> str:
    return t.html("Your digest is already on.")


def quiet_text(t: Translator, start: time | None, end: time | None) -> str:
    """The reader's quiet hours, after a change or when asked."""
    if start is None or end is None:
        return t.html(
            "No quiet hours: your digest comes at its time. Set some with {example}.",
            example="/quiet 22:00-07:00",
        )
    return t.html(
        "Quiet hours: {start} to {end}, your time. A digest due in them (after downtime, say) "
        "waits until they end. /quiet off removes them.",
        start=bold(_hhmm(start)),
        end=bold(_hhmm(end)),
    )


def digest_at_answer(t: Translator, at: time) -> str:
    """The short note on a pressed time button."""
    return t.gettext("Digest at {time}", time=_hhmm(at))


def zone_saved_answer(t: Translator) -> str:
    return t.gettext("Time zone saved")


def saved_answer(t: Translator) -> str:
    return t.gettext("Saved")
