"""Every connection to Telegram: python-telegram-bot's ``HTTPXRequest``, one proxy setting.

The application (replies, webhook set-up, file downloads), its long poll and the digest
sender each get a request object of their own, sized for what they do, all through
``NEWSBOT_TELEGRAM_PROXY`` when it is set. Without it httpx does what it documents: a
direct connection, or the standard ``HTTPS_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY``
variables (``trust_env``).
"""

from __future__ import annotations

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.settings import Settings

#: Replies and other calls of the handlers at once (``CONCURRENT_UPDATES`` plus the
#: ingest job's and post_init's few): enough that none waits for a connection.
COMMAND_CONNECTIONS = 96
#: The most HTTP connections the digest sender opens, whatever its concurrency: far more
#: than Telegram's ceiling needs (1,000 messages/s at ~50 ms each is 50 in flight).
MAX_DIGEST_CONNECTIONS = 256
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


def digest_request(settings: Settings, concurrency: int) -> HTTPXRequest:
    """The digest sender's own connections, one per concurrent send up to a cap."""
    return HTTPXRequest(
        connection_pool_size=max(1, min(concurrency, MAX_DIGEST_CONNECTIONS)),
        connect_timeout=DIGEST_CONNECT_TIMEOUT,
        read_timeout=DIGEST_READ_TIMEOUT,
        write_timeout=DIGEST_WRITE_TIMEOUT,
        pool_timeout=DIGEST_POOL_TIMEOUT,
        proxy=telegram_proxy(settings),
    )


def digest_bot(settings: Settings, concurrency: int) -> Bot:
    """A plain ``telegram.Bot`` (no rate limiter: the digest pacer has already waited)."""
    return Bot(
        settings.token(),
        base_url=settings.telegram_base_url or "https://api.telegram.org/bot",
        base_file_url=settings.telegram_base_file_url or "https://api.telegram.org/file/bot",
        request=digest_request(settings, concurrency),
    )
