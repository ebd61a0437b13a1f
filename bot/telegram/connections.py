"""Every connection to Telegram: python-telegram-bot's ``HTTPXRequest``, one proxy setting.

The application (replies, webhook set-up, file downloads), its long poll and the digest
sender each get a request object of their own, sized for what they do, all through
``NEWSBOT_TELEGRAM_PROXY`` when it is set. Without it httpx does what it documents: a
direct connection, or the standard ``HTTPS_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY``
variables (``trust_env``).
"""

from __future__ import annotations

import math

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.runtime.settings import Settings

#: Replies and other calls of the handlers at once (``CONCURRENT_UPDATES`` plus the
#: ingest job's and post_init's few): enough that none waits for a connection.
COMMAND_CONNECTIONS = 96
#: Requests the digest sender keeps in flight: its rate times a slow round trip to
#: Telegram, within these bounds. More is slower, not faster: httpx's pool does work in
#: proportion to its connections and waiting requests on every request (measured with
#: bench/digest.py: 8 connections send more per CPU second than 32, and 256 far fewer).
DIGEST_ROUND_TRIP = 0.2
MIN_DIGEST_CONNECTIONS = 4
MAX_DIGEST_CONNECTIONS = 64
#: With the limits off (a local Bot API server, benchmarks) the round trip is short.
UNLIMITED_DIGEST_CONNECTIONS = 8
#: Seconds. A digest message waits this long for a free connection (it has not left yet,
#: so the ledger retries it), to connect, and for Telegram's answer (after which it "may
#: have arrived" and is never resent: a generous read timeout means fewer such messages).
DIGEST_POOL_TIMEOUT = 30.0
DIGEST_CONNECT_TIMEOUT = 10.0
DIGEST_READ_TIMEOUT = 30.0
DIGEST_WRITE_TIMEOUT = 10.0


def telegram_proxy(settings: Settings) -> str | None:
    return settings.telegram_proxy.get_secret_value() if settings.telegram_proxy else None


def command_request(settings: Settings) -> HTTPXRequest:
    """The application's requests: replies, callbacks, setWebhook, file downloads."""
    return HTTPXRequest(
        connection_pool_size=COMMAND_CONNECTIONS,
        proxy=telegram_proxy(settings),
    )


def updates_request(settings: Settings) -> HTTPXRequest:
    """getUpdates: one long poll at a time (the library adds the poll time to the read)."""
    return HTTPXRequest(connection_pool_size=1, proxy=telegram_proxy(settings))


def digest_connections(rate: float | None) -> int:
    """How many requests the digest sender keeps in flight at ``rate`` messages a second."""
    if not rate:
        return UNLIMITED_DIGEST_CONNECTIONS
    wanted = math.ceil(rate * DIGEST_ROUND_TRIP)
    return max(MIN_DIGEST_CONNECTIONS, min(MAX_DIGEST_CONNECTIONS, wanted))


def digest_request(settings: Settings, connections: int) -> HTTPXRequest:
    """The digest sender's own connections."""
    return HTTPXRequest(
        connection_pool_size=connections,
        connect_timeout=DIGEST_CONNECT_TIMEOUT,
        read_timeout=DIGEST_READ_TIMEOUT,
        write_timeout=DIGEST_WRITE_TIMEOUT,
        pool_timeout=DIGEST_POOL_TIMEOUT,
        proxy=telegram_proxy(settings),
    )


def digest_bot(settings: Settings, connections: int) -> Bot:
    """A plain ``telegram.Bot`` (no rate limiter: the digest pacer has already waited)."""
    return Bot(
        settings.token(),
        base_url=settings.telegram_base_url or "https://api.telegram.org/bot",
        base_file_url=settings.telegram_base_file_url or "https://api.telegram.org/file/bot",
        request=digest_request(settings, connections),
    )
