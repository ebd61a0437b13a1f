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
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
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
from telegram.ext import AIORateLimiter

from bot.views.keyboard import Keyboard

#: What the library's rate limiter hands back (its own alias is private).
JSONDict = dict[str, Any]

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
        #: Booked digest slots given to replies (:meth:`acquire_priority`): that many
        #: digest senders give theirs up when they wake and book again at the back.
        self._lent = 0

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
            if self._lent > 0:
                # A reply took this slot's place in the overall budget: book again.
                self._lent -= 1
                continue
            if self._paused_until <= max(start, self._clock.monotonic()):
                return start
            # Telegram asked everyone to wait while this slot was pending: take a new one.

    async def acquire_priority(self) -> float:
        """Wait for an overall slot for an interactive reply, ahead of booked digests.

        A reader waiting for an answer should not queue behind a digest burst's booked
        slots. When digests have booked ahead, the reply takes a slot now and the next
        digest sender to wake gives its own up (books again at the back), so replies and
        digests together never exceed the overall rate. Only as many replies jump ahead
        as there are booked slots to give up; the rest queue like everyone else.
        """
        while True:
            now = self._clock.monotonic()
            if self._paused_until > now:
                await self._clock.sleep(self._paused_until - now)
                continue
            booked = (self._next_overall - now) / self._spacing if self._spacing else 0.0
            if booked >= self._lent + 1:
                self._lent += 1
                return now
            start = max(now, self._next_overall)
            self._next_overall = start + self._spacing
            if start > now:
                await self._clock.sleep(start - now)
            if self._paused_until <= max(start, self._clock.monotonic()):
                return start

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
    #: The chat is gone for us: blocked, kicked, deleted.
    GONE = "gone"
    #: The forum topic is gone (deleted) or closed; the chat and its other topics are not.
    THREAD_GONE = "thread_gone"
    #: The group became a supergroup with a new id; certainly not delivered (send there).
    MIGRATED = "migrated"
    #: Telegram refused this message (bad HTML, too long): resending cannot help.
    REFUSED = "refused"


@dataclass(frozen=True)
class Classified:
    outcome: Outcome
    #: The metrics label: 429, 403, 400, 5xx, network, timeout.
    kind: str
    detail: str
    retry_after: float = 0.0
    #: The new chat id of a group that became a supergroup (MIGRATED).
    new_chat_id: int | None = None


_GONE_MARKERS = ("chat not found", "user not found", "peer_id_invalid", "bot was kicked")
#: What Telegram answers (400) for a send to a forum topic that was deleted ("message
#: thread not found") or closed ("TOPIC_CLOSED"; "TOPIC_DELETED" for some deletions).
_THREAD_GONE_MARKERS = ("message thread not found", "topic_closed", "topic closed", "topic_deleted")
#: httpx failures that happen before a request leaves: nothing can have arrived. A
#: ProxyError is a proxy refusing the tunnel (CONNECT, SOCKS) before any byte went on.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


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
        return Classified(
            Outcome.MIGRATED,
            "400",
            f"the group became chat {error.new_chat_id}",
            new_chat_id=int(error.new_chat_id),
        )
    if isinstance(error, BadRequest):
        if any(marker in detail.lower() for marker in _THREAD_GONE_MARKERS):
            return Classified(Outcome.THREAD_GONE, "400", detail)
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


def inline_markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The library's inline markup for a keyboard built by a view (None: no keyboard)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


class Transport(Protocol):
    """Sends one HTML message with link previews off; raises ``TelegramError`` on failure.

    ``thread_id`` is the forum topic (``message_thread_id``) to post in; 0 for the chat;
    ``keyboard`` the inline buttons under the message ("Read here").
    """

    async def send_html(
        self, chat_id: int, text: str, *, keyboard: Keyboard | None = None, thread_id: int = 0
    ) -> None: ...


_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class BotTransport:
    """Digest messages through python-telegram-bot: a ``telegram.Bot`` and its own request.

    The bot is a plain ``Bot`` over the digest sender's ``HTTPXRequest``
    (:func:`bot.telegram.connections.digest_bot`): the same proxies, timeouts and HTTP client as
    every other Bot API call, no rate limiter of its own (the :class:`Pacer` has already
    waited, and a limiter's retries inside the window between the in-flight marker and
    the send would blur what the ledger knows). Errors are the library's, so
    :func:`classify` reads them and their httpx causes.

    ``paid_broadcast`` sends with ``allow_paid_broadcast``: Telegram then accepts up to
    1,000 messages a second and charges Stars for those beyond the free 30.
    """

    def __init__(self, bot: Bot, *, connections: int, paid_broadcast: bool = False) -> None:
        self.bot = bot
        self.paid_broadcast = paid_broadcast
        # At most as many requests as the pool has connections reach httpx: waiting
        # here costs nothing, waiting inside httpx's pool costs CPU for every request.
        self._slots = asyncio.Semaphore(connections)
        self._closed = False

    async def send_html(
        self, chat_id: int, text: str, *, keyboard: Keyboard | None = None, thread_id: int = 0
    ) -> None:
        async with self._slots:
            await self.bot.send_message(
                chat_id,
                text,
                message_thread_id=thread_id or None,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=inline_markup(keyboard),
                allow_paid_broadcast=True if self.paid_broadcast else None,
            )

    async def close(self) -> None:
        """Close the connections for good (at shutdown); idempotent."""
        if not self._closed:
            self._closed = True
            # Not Bot.shutdown(): that only acts on a bot initialised with getMe, which
            # the sender never needs.
            await self.bot.request.shutdown()


class SharedRateLimiter(AIORateLimiter):
    """python-telegram-bot's rate limiter for replies, drawing on the digest pacer's budget.

    The library's limiter keeps its per-group limit (20 a minute) and its retry on 429;
    its own overall limit is off, replaced by :meth:`Pacer.acquire_priority` on the one
    :class:`Pacer` the digest sender also uses, so replies and digests together stay
    under the ceiling. A 429 answered to a reply pauses the digests too.
    """

    def __init__(self, pacer: Pacer, *, group_per_minute: float) -> None:
        super().__init__(overall_max_rate=0, group_max_rate=group_per_minute, group_time_period=60)
        self.pacer = pacer

    async def _run_request(
        self,
        chat: bool,
        group: str | int | bool,
        allow_paid_broadcast: bool,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | JSONDict | list[JSONDict]:
        if chat:
            await self.pacer.acquire_priority()
        try:
            return await super()._run_request(
                chat, group, allow_paid_broadcast, callback, args, kwargs
            )
        except RetryAfter as error:
            self.pacer.pause(classify(error).retry_after)
            raise
