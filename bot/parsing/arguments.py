"""Reading what readers type after a command: pure functions, no Telegram objects.

Each parser returns the value or raises :class:`ArgumentError` with a short reason; the
handler answers with that reason (in the reader's language: ``bot.views.help.argument_reason``),
the right form of the command and an example.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from bot.i18n import N_
from storage.articles import query_words, term_of

LATEST_DEFAULT = 5
LATEST_MAX = 10
SUMMARY_LENGTHS = range(1, 6)
#: Keyword subscriptions: at most this many words, as search matches them.
QUERY_MAX_WORDS = 6
QUERY_MAX_CHARS = 100

_QUOTES = "\"'“”„‟«»‹›「」『』"
_QUOTED = re.compile(rf"^[{_QUOTES}](?P<inner>.*?)[{_QUOTES}]?$", re.DOTALL)
_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})?)?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?$"
)
_TIME_COMPACT = re.compile(r"^(?P<hour>\d{2})(?P<minute>\d{2})$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BARE_LINK = re.compile(r"^[\w.-]+\.[a-z]{2,24}(?::\d{1,5})?(?:/\S*)?$", re.IGNORECASE)
_URL_ANYWHERE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


class ArgumentError(ValueError):
    """What is wrong with an argument, in words a reader understands.

    ``message`` is an English sentence marked with ``N_`` with named ``{placeholders}``,
    ``values`` fill them; a view translates it (``t.gettext(error.message, **error.values)``).
    ``str(error)`` is the English sentence, for logs and tests.
    """

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format_map(values) if values else message)
        self.message = message
        self.values = values


def command_argument(text: str | None) -> str:
    """Everything after the command word (``/cmd@bot``), whitespace trimmed, quotes kept."""
    if not text:
        return ""
    parts = text.strip().split(maxsplit=1)
    if not parts or not parts[0].startswith("/"):
        return text.strip()
    return parts[1].strip() if len(parts) > 1 else ""


def parse_time_of_day(text: str) -> time:
    """A time of day: 07:30, 7:30, 7.30, 0730, 7, 7am, 7:30 pm, 19h30."""
    value = " ".join(text.strip().lower().split())
    if not value:
        raise ArgumentError(N_("Give the time of day."))
    compact = _TIME_COMPACT.match(value)
    match = compact or _TIME.match(value)
    if match is None:
        # Translators: {typed} is what the reader sent.
        raise ArgumentError(N_("“{typed}” is not a time of day."), typed=_clip(text))
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    half = None if compact else match.group("half")
    if half:
        if not 1 <= hour <= 12:
            raise ArgumentError(N_("With am or pm, the hour is between 1 and 12."))
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ArgumentError(
            # Translators: {typed} is what the reader sent.
            N_("“{typed}” is not a time of day (00:00 to 23:59)."),
            typed=_clip(text),
        )
    return time(hour, minute)


_QUIET_OFF = {"off", "none", "no", "0"}
_QUIET_SEPARATOR = re.compile(r"\s*(?:-|–|—|to|until)\s*")


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """Quiet hours as (start, end), e.g. "22:00-07:00" or "22 to 7"; None for "off"."""
    value = " ".join(text.strip().lower().split())
    if value in _QUIET_OFF:
        return None
    parts = _QUIET_SEPARATOR.split(value)
    if len(parts) != 2 or not all(parts):
        # Translators: {typed} is what the reader sent.
        raise ArgumentError(N_("“{typed}” is not two times like 22:00-07:00."), typed=_clip(text))
    start, end = parse_time_of_day(parts[0]), parse_time_of_day(parts[1])
    if start == end:
        raise ArgumentError(N_("Quiet hours must start and end at different times."))
    return start, end


def parse_summary_length(text: str) -> int:
    value = text.strip()
    if not value:
        raise ArgumentError(N_("Give a number of sentences."))
    if not value.isdecimal() or int(value) not in SUMMARY_LENGTHS:
        raise ArgumentError(
            N_("The number of sentences is between {least} and {most}."),
            least=SUMMARY_LENGTHS[0],
            most=SUMMARY_LENGTHS[-1],
        )
    return int(value)


@dataclass(frozen=True)
class LatestRequest:
    topic: str | None
    count: int


def parse_latest(text: str) -> LatestRequest:
    """``[topic] [n]``: a topic name (may be several words) and/or a count."""
    words = text.split()
    count = LATEST_DEFAULT
    if words and words[-1].isdecimal():
        count = int(words.pop())
        if not 1 <= count <= LATEST_MAX:
            raise ArgumentError(N_("Ask for 1 to {most} stories."), most=LATEST_MAX)
    elif words and re.fullmatch(r"[+-]?\d+", words[-1]):
        raise ArgumentError(N_("Ask for 1 to {most} stories."), most=LATEST_MAX)
    topic = " ".join(words).strip()
    return LatestRequest(topic=topic or None, count=count)


@dataclass(frozen=True)
class SubscriptionTarget:
    """A catalogue topic (``kind="topic"``, the name as typed) or keywords (normalised)."""

    kind: str
    value: str


def parse_subscription(text: str) -> SubscriptionTarget:
    """``topic`` or ``"some words"`` (any common quote marks)."""
    value = text.strip()
    if not value:
        raise ArgumentError(N_("Say which topic, or which words in quotes."))
    quoted = _QUOTED.match(value)
    if quoted:
        return SubscriptionTarget("query", normalise_query(quoted.group("inner")))
    if len(value) > QUERY_MAX_CHARS:
        raise ArgumentError(N_("That is too long for a topic name."))
    return SubscriptionTarget("topic", " ".join(value.split()))


def normalise_query(text: str) -> str:
    """Keywords as they are stored and matched: lower-case words, single spaces."""
    words = query_words(text, max_words=QUERY_MAX_WORDS + 1)
    if not words:
        raise ArgumentError(N_("Put at least one word between the quotes."))
    if len(words) > QUERY_MAX_WORDS:
        raise ArgumentError(N_("Follow at most {most} words at once."), most=QUERY_MAX_WORDS)
    if all(term_of(word) is None for word in words):
        raise ArgumentError(
            N_("Those words are too common to pick out any story; add a rarer one.")
        )
    query = " ".join(words)
    if len(query) > QUERY_MAX_CHARS:
        raise ArgumentError(N_("Those words are too long to follow."))
    return query


def message_link(text: str | None) -> str | None:
    """The link when a message is nothing but a link (what a reader pastes to summarise)."""
    if not text:
        return None
    value = text.strip()
    if len(value) > 2048 or not _URL.match(value):
        return None
    return value


def command_link(text: str) -> str | None:
    """The link given to /summarize: ``https://…``, ``www.…`` or ``example.com/page``."""
    value = text.strip()
    if not value or len(value) > 2048 or len(value.split()) != 1:
        return None
    if _URL.match(value) or _BARE_LINK.match(value) or "://" in value:
        return value
    return None


def first_link(text: str | None) -> str | None:
    """The first http(s) link anywhere in a text (a replied-to or forwarded message)."""
    if not text:
        return None
    match = _URL_ANYWHERE.search(text)
    return match.group(0).rstrip(".,;:!?)»”'") if match else None


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topic_list(parts: Sequence[str]) -> list[str]:
    """Topic slugs typed after a command, separated by spaces or commas, lower-cased."""
    return [t.lower() for part in parts for t in re.split(r"[,\s]+", part) if t]
