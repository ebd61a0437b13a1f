"""Callback data of our inline buttons: short prefixed strings, always within 64 bytes.

Buttons carry what to do, not who may do it: every press is re-checked (the reader's own
subscription id, the group's admins) by the handler, because callback data can be forged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import time

from bot.views.keyboard import MAX_CALLBACK_BYTES

TOPIC = "tp:"
TOPIC_HASHED = "tp#"
TOPICS_DONE = "tp!"
UNSUBSCRIBE = "us:"
ZONE = "tz:"
TIME = "tm:"
LENGTH = "ln:"
LATEST_MORE = "lt:"
FORGET_YES = "st:yes"
LANGUAGE = "lg:"
NEWS_LANGUAGE = "nl:"
NEWS_LANGUAGES_DONE = "nl!"
FORGET_NO = "st:no"
UNMUTE = "mu:"

#: Regular expressions for the library's CallbackQueryHandler(pattern=…).
PATTERN_TOPIC = r"^tp[:#!]"
PATTERN_UNSUBSCRIBE = r"^us:"
PATTERN_ZONE = r"^tz:"
PATTERN_TIME = r"^tm:"
PATTERN_LENGTH = r"^ln:"
PATTERN_FORGET = r"^st:"
PATTERN_LATEST_MORE = r"^lt:"
PATTERN_UNMUTE = r"^mu:"
PATTERN_LANGUAGE = r"^lg:"
PATTERN_NEWS_LANGUAGE = r"^nl[:!]"


def _hash(slug: str) -> str:
    return hashlib.sha256(slug.encode()).hexdigest()[:20]


def topic_data(slug: str) -> str:
    """Toggle ``slug``; a slug too long for 64 bytes travels as a hash of itself."""
    data = TOPIC + slug
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else TOPIC_HASHED + _hash(slug)


def topic_from_data(data: str, slugs: Iterable[str]) -> str | None:
    """The slug a topic button meant, among ``slugs`` (None when it is gone)."""
    known = list(slugs)
    if data.startswith(TOPIC):
        slug = data[len(TOPIC) :]
        return slug if slug in known else None
    if data.startswith(TOPIC_HASHED):
        wanted = data[len(TOPIC_HASHED) :]
        return next((s for s in known if _hash(s) == wanted), None)
    return None


def unsubscribe_data(subscription_id: int) -> str:
    return f"{UNSUBSCRIBE}{subscription_id}"


def subscription_from_data(data: str) -> int | None:
    value = data.removeprefix(UNSUBSCRIBE)
    return int(value) if value.isdecimal() and len(value) < 19 else None


def zone_data(zone: str) -> str:
    return ZONE + zone


def time_data(at: time) -> str:
    return f"{TIME}{at.hour:02d}{at.minute:02d}"


def time_from_data(data: str) -> time | None:
    value = data.removeprefix(TIME)
    if len(value) != 4 or not value.isdecimal():
        return None
    hour, minute = int(value[:2]), int(value[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def length_data(sentences: int) -> str:
    return f"{LENGTH}{sentences}"


def length_from_data(data: str) -> int | None:
    value = data.removeprefix(LENGTH)
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def latest_more_data(count: int, after_article: int, topic_slug: str | None) -> str | None:
    """The next page of a /latest listing; None when it cannot fit in 64 bytes."""
    data = f"{LATEST_MORE}{count}:{after_article}:{topic_slug or ''}"
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else None


def latest_more_from_data(data: str) -> tuple[int, int, str | None] | None:
    """(stories per page, the last article shown, the topic or None) of a "More" button."""
    count, _, rest = data.removeprefix(LATEST_MORE).partition(":")
    after, _, slug = rest.partition(":")
    if not (count.isdecimal() and len(count) <= 2 and after.isdecimal() and len(after) < 19):
        return None
    return int(count), int(after), slug or None


def unmute_data(mute_id: int) -> str:
    """Unmute one phrase (by its row id: a phrase itself may not fit in 64 bytes)."""
    return f"{UNMUTE}{mute_id}"


def mute_from_data(data: str) -> int | None:
    value = data.removeprefix(UNMUTE)
    return int(value) if value.isdecimal() and len(value) < 19 else None


# "Read here" (bot.telegram.handlers.read_here): the article whose full text to show.
READ = "read:"
PATTERN_READ = r"^read:"


def read_data(article_id: int) -> str:
    return f"{READ}{article_id}"


def read_from_data(data: str) -> int | None:
    """The article id of a "Read here" button, or None when the data make no sense."""
    value = data.removeprefix(READ)
    return int(value) if value.isdecimal() and len(value) < 19 else None


def language_data(locale_code: str) -> str:
    """Switch the interface to ``locale_code`` (a shipped locale: ``pt_BR``)."""
    return LANGUAGE + locale_code


def language_from_data(data: str) -> str | None:
    """The locale a /language button names (None for anything else: checked by the
    caller against the shipped locales, since data can be forged)."""
    value = data.removeprefix(LANGUAGE)
    return value if data.startswith(LANGUAGE) and value else None


def news_language_data(language: str) -> str:
    """Toggle the news language ``language`` (ISO 639-1, at most 16 characters)."""
    return NEWS_LANGUAGE + language


def news_language_from_data(data: str) -> str | None:
    value = data.removeprefix(NEWS_LANGUAGE)
    return value if data.startswith(NEWS_LANGUAGE) and value else None
