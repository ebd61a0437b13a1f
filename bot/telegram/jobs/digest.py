"""The digest tick inside `newsbot run`.

``install`` builds the process's one :class:`~bot.delivery.engine.DigestEngine` (one
pacer: the tick and /digest share the sending ceiling), runs its tick every minute on the
application's JobQueue, and leaves it in ``bot_data`` for /digest
(``bot.telegram.handlers.digest``).
"""

from __future__ import annotations

import logging

from bot.delivery.engine import DigestEngine
from bot.delivery.sender import BotTransport, Clock, ClockWithNow, Limits, Pacer
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.telegram.connections import digest_bot, digest_connections
from bot.telegram.context import BotApplication, BotContext

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0


def install(
    application: BotApplication,
    services: Services,
    *,
    clock: Clock | None = None,
    pacer: Pacer | None = None,
) -> DigestEngine:
    """Schedule the digest tick every minute and share the engine with /digest; return it.

    ``pacer`` is the process's one overall budget, shared with the replies' rate limiter
    (``bot.app``); the digest sender's Bot API client is closed when the application is.
    """
    settings = services.settings
    limits = pacer.limits if pacer else digest_limits(settings)
    transport = transport_for(settings, connections=digest_connections(limits.overall_per_second))
    engine = DigestEngine(
        services,
        transport,
        clock=clock or ClockWithNow(application.bot_data.clock),
        limits=limits,
        pacer=pacer,
    )
    earlier_shutdown = application.post_shutdown

    async def close_transport(app: BotApplication) -> None:
        if earlier_shutdown is not None:
            await earlier_shutdown(app)
        await transport.close()

    application.post_shutdown = close_transport
    ticking = _TickGuard(engine)
    job_queue = application.job_queue
    if job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise RuntimeError("python-telegram-bot's job queue is missing: install its extra")
    now = engine.clock.now()
    # Start on the next whole minute, so "07:30" means 07:30:0x and not 07:30:59.
    first = TICK_SECONDS - now.second - now.microsecond / 1e6 + 0.5
    job_queue.run_repeating(ticking.run, interval=TICK_SECONDS, first=first, name="digest")

    return engine


def digest_limits(settings: Settings) -> Limits:
    """The overall ceiling: NEWSBOT_SEND_RATE_PER_SECOND, or 1,000/s for paid broadcasts."""
    return Limits(overall_per_second=settings.overall_send_rate)


def transport_for(settings: Settings, *, connections: int | None = None) -> BotTransport:
    """The digest sender's Bot API client: python-telegram-bot's, with its own connections
    (by default as many as the configured rate needs), through NEWSBOT_TELEGRAM_PROXY."""
    if connections is None:
        connections = digest_connections(settings.overall_send_rate)
    return BotTransport(
        digest_bot(settings, connections),
        connections=connections,
        paid_broadcast=settings.paid_broadcast,
    )


class _TickGuard:
    """Runs the engine's tick unless the previous one is still sending."""

    def __init__(self, engine: DigestEngine) -> None:
        self.engine = engine
        self.running = False

    async def run(self, _context: BotContext) -> None:
        if self.running:
            log.debug("digest tick skipped: the previous one is still sending")
            return
        self.running = True
        try:
            await self.engine.tick()
        except Exception:
            # The next tick retries; nothing is lost (the ledger says what is unfinished).
            log.exception("digest tick failed")
        finally:
            self.running = False
