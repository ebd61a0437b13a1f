"""Sending within Telegram's limits: pacing, and what each Bot API error means for us.

:class:`Pacer` hands out send slots: an overall rate (``NEWSBOT_SEND_RATE_PER_SECOND``),
about one message a second per private chat and twenty a minute per group, and a pause
for everyone when Telegram answers 429 — after which slots restart at the normal pace,
never as a burst. Slots are reserved before waiting, so concurrent senders queue fairly.

:func:`classify` turns a python-telegram-bot error into an :class:`Outcome` that says
whether the message certainly did not arrive (safe to retry), may have arrived (never
resend: there is no idempotency key), or will never arrive (blocked, refused).

Pacing happens *before* the caller marks a message in flight, so a crash while waiting
for a slot leaves nothing uncertain behind.
"""

from __future__ import annotations

import asyncio
import enum
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

#: Telegram's documented pace per chat: about 1 message a second in a private chat,
#: 20 a minute in a group or channel.
PRIVATE_CHAT_INTERVAL = 1.0
GROUP_CHAT_INTERVAL = 3.0


class Clock(Protocol):
    """Time for the digest engine: wall clock for the ledger, monotonic for pacing."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ClockWithNow(RealClock):
    """Real time for pacing; "now" from ``now``: the application's clock (tests set it),
    or a fixed instant (a benchmark, a test's worker process)."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now()


@dataclass(frozen=True)
class Limits:
    """The sending ceiling. ``None``/0 turn a limit off (benchmarks, a local Bot API)."""

    overall_per_second: float | None
    private_interval: float = PRIVATE_CHAT_INTERVAL
    group_interval: float = GROUP_CHAT_INTERVAL

    @classmethod
    def off(cls) -> Limits:
        return cls(overall_per_second=None, private_interval=0.0, group_interval=0.0)


def is_group(chat_type: str) -> bool:
    return chat_type != "private"


class Pacer:
    """Send slots under an overall rate, a per-chat interval and 429 pauses."""

    def __init__(self, limits: Limits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        rate = limits.overall_per_second
        self._spacing = 1.0 / rate if rate else 0.0
        self._next_overall = 0.0
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0

    def _interval(self, chat_type: str) -> float:
        if is_group(chat_type):
            return self.limits.group_interval
        return self.limits.private_interval

    def reserve(self, chat_id: int, chat_type: str) -> float:
        """Book the earliest slot for ``chat_id`` (a monotonic time) and return it."""
        now = self._clock.monotonic()
        start = max(now, self._next_overall, self._paused_until)
        start = max(start, self._chat_next.get(chat_id, 0.0))
        self._next_overall = start + self._spacing
        interval = self._interval(chat_type)
        if interval:
            self._chat_next[chat_id] = start + interval
        return start

    async def acquire(self, chat_id: int, chat_type: str) -> float:
        """Wait for a slot to send one message to ``chat_id``; return the slot's time."""
        while True:
            start = self.reserve(chat_id, chat_type)
            now = self._clock.monotonic()
            if start > now:
                await self._clock.sleep(start - now)
            if self._paused_until <= max(start, self._clock.monotonic()):
                return start
            # Telegram asked everyone to wait while this slot was pending: take a new one.

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: nobody sends for ``seconds``, then the normal pace resumes."""
        until = self._clock.monotonic() + seconds
        self._paused_until = max(self._paused_until, until)
        # Slots restart from the end of the pause one spacing apart: no burst afterwards.
        self._next_overall = max(self._next_overall, self._paused_until)

    def forget_idle_chats(self) -> None:
        """Drop per-chat state that no longer constrains anything (bounded memory)."""
        now = self._clock.monotonic()
        self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}


class Outcome(enum.Enum):
    SENT = "sent"
    #: Certainly not delivered and worth retrying soon (5xx, connection refused).
    TRANSIENT = "transient"
    #: Telegram asked us to slow down (429); certainly not delivered.
    RATE_LIMITED = "rate_limited"
    #: The request may have reached Telegram (read timeout, connection lost mid-request).
    UNCERTAIN = "uncertain"
    #: The chat is gone for us: blocked, kicked, deleted, migrated.
    GONE = "gone"
    #: Telegram refused this message (bad HTML, too long): resending cannot help.
    REFUSED = "refused"


@dataclass(frozen=True)
class Classified:
    outcome: Outcome
    #: The metrics label: 429, 403, 400, 5xx, network, timeout.
    kind: str
    detail: str
    retry_after: float = 0.0


_GONE_MARKERS = ("chat not found", "user not found", "peer_id_invalid", "bot was kicked")
#: httpx failures that happen before a request leaves: nothing can have arrived.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify(error: TelegramError) -> Classified:
    """What a Bot API error means for the message that caused it."""
    detail = str(error) or type(error).__name__
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return Classified(Outcome.RATE_LIMITED, "429", detail, retry_after=seconds)
    if isinstance(error, Forbidden):
        return Classified(Outcome.GONE, "403", detail)
    if isinstance(error, ChatMigrated):
        return Classified(Outcome.GONE, "400", f"the group became chat {error.new_chat_id}")
    if isinstance(error, BadRequest):
        gone = any(marker in detail.lower() for marker in _GONE_MARKERS)
        return Classified(Outcome.GONE if gone else Outcome.REFUSED, "400", detail)
    if isinstance(error, InvalidToken):
        # Every send fails the same way until the operator fixes the token; keep the work.
        return Classified(Outcome.TRANSIENT, "401", detail)
    if isinstance(error, TimedOut):
        if isinstance(error.__cause__, _NOT_SENT):
            return Classified(Outcome.TRANSIENT, "timeout", detail)
        return Classified(Outcome.UNCERTAIN, "timeout", detail)
    if isinstance(error, NetworkError):
        cause = error.__cause__
        if cause is None:  # an HTTP error status (5xx) answered by Telegram
            return Classified(Outcome.TRANSIENT, "5xx", detail)
        if isinstance(cause, _NOT_SENT):
            return Classified(Outcome.TRANSIENT, "network", detail)
        return Classified(Outcome.UNCERTAIN, "network", detail)
    return Classified(Outcome.REFUSED, "other", detail)


class Transport(Protocol):
    """Sends one HTML message with link previews off; raises ``TelegramError`` on failure."""

    async def send_html(self, chat_id: int, text: str) -> None: ...

    async def close(self) -> None:
        """Let go of idle connections (the engine calls it when a batch is done)."""


class BotApiTransport:
    """A lean Bot API client for the digest send loop: keep-alive HTTP/1.1, JSON bodies.

    python-telegram-bot's request stack (httpx) costs about a millisecond of CPU per
    message and slows down with many concurrent requests, which also delays the ledger's
    commits sharing the event loop; the digest send loop needs far less. It also keeps
    the library's rate limiter (for interactive replies) out of the window between the
    in-flight marker and the send: the :class:`Pacer` has already waited. This client
    does only ``sendMessage``: it writes a JSON POST on a pooled connection and reads the
    answer (``Content-Length`` or chunked). Errors are raised as python-telegram-bot's own
    exceptions, so :func:`classify` reads them exactly as it reads the library's: a
    failure before the request was written counts as "not sent" (ConnectError cause),
    one after it as "may have arrived".
    """

    #: Idle connections older than this are not reused (a server may have closed them).
    IDLE_SECONDS = 20.0

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connections: int = 32,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(f"{base_url.rstrip('/')}{token}/sendMessage")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not a Bot API URL: {base_url}")
        self._host = parts.hostname
        self._tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._tls else 80)
        self._path = parts.path
        self._head = (
            f"POST {self._path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: "
        ).encode()
        self._slots = asyncio.Semaphore(connections)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout

    async def send_html(self, chat_id: int, text: str) -> None:
        body = json.dumps(
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            },
            ensure_ascii=False,
        ).encode()
        request = self._head + str(len(body)).encode() + b"\r\n\r\n" + body
        async with self._slots:
            reader, writer = await self._connection()
            try:
                writer.write(request)
                await writer.drain()
            except OSError as error:
                writer.close()
                raise NetworkError(f"sending failed: {error!r}") from error
            try:
                async with asyncio.timeout(self._read_timeout):
                    status, payload, keep = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as error:
                writer.close()
                # The request left: Telegram may have it. classify() says "uncertain".
                raise NetworkError(f"no answer from the Bot API: {error!r}") from error
            if keep:
                self._idle.append((reader, writer, time.monotonic()))
            else:
                writer.close()
        _raise_for_answer(status, payload)

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        now = time.monotonic()
        while self._idle:
            reader, writer, since = self._idle.pop()
            if now - since < self.IDLE_SECONDS and not reader.at_eof():
                return reader, writer
            writer.close()
        try:
            async with asyncio.timeout(self._connect_timeout):
                return await asyncio.open_connection(
                    self._host,
                    self._port,
                    ssl=ssl.create_default_context() if self._tls else None,
                )
        except (OSError, TimeoutError) as error:
            # Nothing was sent: safe to retry (classify() reads the ConnectError cause).
            raise NetworkError(f"cannot connect to the Bot API: {error!r}") from httpx.ConnectError(
                str(error)
            )

    async def close(self) -> None:
        for _reader, writer, _since in self._idle:
            writer.close()
        self._idle.clear()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection may be reused."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            chunks.append(chunk[:-2])
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, body, headers.get("connection") != "close"


def _raise_for_answer(status: int, payload: bytes) -> None:
    """Raise what python-telegram-bot raises for a Bot API error answer."""
    try:
        data = json.loads(payload)
    except ValueError:
        data = {}
    if 200 <= status <= 299 and data.get("ok"):
        return
    description = str(data.get("description") or f"HTTP {status}")
    parameters = data.get("parameters") or {}
    if parameters.get("migrate_to_chat_id"):
        raise ChatMigrated(int(parameters["migrate_to_chat_id"]))
    if parameters.get("retry_after"):
        raise RetryAfter(timedelta(seconds=int(parameters["retry_after"])))
    if status == 403:
        raise Forbidden(description)
    if status == 400:
        raise BadRequest(description)
    if status in (401, 404):
        raise InvalidToken(description)
    raise NetworkError(description)
