"""Replies about when the digest comes: time, zone, pause, length, and their buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.parsing.timezones import COMMON_ZONES, utc_offset_label, zone_label
from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows

COMMON_TIMES = (time(6), time(7), time(7, 30), time(8), time(9), time(12), time(18), time(21))


def next_digest_line(next_at: datetime | None, zone: str) -> str:
    if next_at is None:
        return ""
    local = next_at.astimezone(ZoneInfo(zone))
    return f"Next one: {local.strftime('%a %-d %b, %H:%M')}."


def schedule_text(
    *, zone: str, at: time, next_at: datetime | None, paused: bool, now: datetime
) -> str:
    """Where the reader's schedule stands now."""
    where = f"{esc(zone_label(zone))}, {utc_offset_label(zone, now)}"
    if paused:
        return (
            f"Your daily digest is paused (it would come at {bold(at.strftime('%H:%M'))}, "
            f"{where}). /resume to get it again."
        )
    return (
        f"Your digest comes every day at {bold(at.strftime('%H:%M'))} ({where}). "
        + next_digest_line(next_at, zone)
    )


def time_keyboard() -> Keyboard:
    return rows([Button(t.strftime("%H:%M"), callbacks.time_data(t)) for t in COMMON_TIMES], 4)


def zone_keyboard() -> Keyboard:
    return rows([Button(label, callbacks.zone_data(zone)) for label, zone in COMMON_ZONES], 3)


def length_keyboard(current: int) -> Keyboard:
    return (
        tuple(
            Button(f"✓ {n}" if n == current else str(n), callbacks.length_data(n))
            for n in range(1, 6)
        ),
    )


def ask_time_text(current: time) -> str:
    return (
        f"Your digest comes at {bold(current.strftime('%H:%M'))}. Choose another time, or send "
        f"it like {code('/settime 07:30')}."
    )


def ask_zone_text(current: str, now: datetime) -> str:
    return (
        f"Your time zone is {bold(zone_label(current))} ({utc_offset_label(current, now)}). "
        f"Choose one below, or send a zone, a city or an offset, like {code('/timezone Tokyo')} "
        f"or {code('/timezone UTC+5:30')}."
    )


def unknown_zone_text(typed: str, suggestions: Sequence[str]) -> str:
    text = f"I don't know the time zone {bold(echo(typed))}."
    if suggestions:
        text += " Did you mean " + " or ".join(bold(zone_label(z)) for z in suggestions) + "?"
    return (
        text
        + "\n\nUse a zone name, a big city or an offset: "
        + ", ".join(
            code(x) for x in ("/timezone Europe/Berlin", "/timezone Tokyo", "/timezone UTC+3")
        )
    )


def ask_length_text(current: int) -> str:
    return (
        f"Summaries show up to {bold(str(current))} sentence{'s' if current != 1 else ''}. "
        "How many would you like?"
    )


def length_text(sentences: int) -> str:
    if sentences == 1:
        return f"Summaries will show {bold('1')} sentence from now on."
    # The summariser stops early rather than add a weak sentence, so "up to".
    return (
        f"Summaries will show up to {bold(str(sentences))} sentences from now on "
        "(fewer when a story is told in less)."
    )


def already_paused_text() -> str:
    return "Your digest is already paused. /resume to get it again."


def already_running_text() -> str:
    return "Your digest is already on."


def quiet_text(start: time | None, end: time | None) -> str:
    """The reader's quiet hours, after a change or when asked."""
    if start is None or end is None:
        return "No quiet hours: your digest comes at its time. Set some with /quiet 22:00-07:00."
    return (
        f"Quiet hours: {bold(start.strftime('%H:%M'))} to {bold(end.strftime('%H:%M'))}, your "
        "time. A digest due in them (after downtime, say) waits until they end. "
        "/quiet off removes them."
    )


def digest_at_answer(at: time) -> str:
    """The short note on a pressed time button."""
    return f"Digest at {at.strftime('%H:%M')}"


def zone_saved_answer() -> str:
    return "Time zone saved"


def saved_answer() -> str:
    return "Saved"
