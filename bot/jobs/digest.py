"""The digest tick and /digest inside `newsbot run`.

``install`` builds the process's one :class:`~bot.digest_delivery.DigestEngine` (one
pacer: the tick and /digest share the sending ceiling), runs its tick every minute on the
application's JobQueue, and answers /digest through the same engine.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.digest_delivery import DigestEngine
from bot.handlers.common import reader_transaction
from bot.sender import BotApiTransport, Clock, ClockWithNow
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0


def install(
    application: BotApplication, services: Services, *, clock: Clock | None = None
) -> DigestEngine:
    """Schedule the digest tick every minute and register /digest; return the engine."""
    engine = DigestEngine(
        services,
        transport_for(services.settings),
        clock=clock or ClockWithNow(application.bot_data.clock),
    )
    ticking = _TickGuard(engine)
    job_queue = application.job_queue
    if job_queue is None:  # pragma: no cover - the job-queue extra is a dependency
        raise RuntimeError("python-telegram-bot's job queue is missing: install its extra")
    now = engine.clock.now()
    # Start on the next whole minute, so "07:30" means 07:30:0x and not 07:30:59.
    first = TICK_SECONDS - now.second - now.microsecond / 1e6 + 0.5
    job_queue.run_repeating(ticking.run, interval=TICK_SECONDS, first=first, name="digest")

    async def digest_command(update: Update, context: BotContext) -> None:
        """/digest: the reader's digest now, with what is new since the last one."""
        chat = update.effective_chat
        if chat is None:
            return
        async with reader_transaction(context, chat):
            pass  # a reader writing for the first time gets a row (and the default schedule)
        await engine.digest_now(chat.id)

    application.add_handler(
        CommandHandler("digest", digest_command, filters=filters.UpdateType.MESSAGE)
    )
    return engine


def transport_for(settings: Settings) -> BotApiTransport:
    """The digest sender's Bot API client: Telegram's, or ``TELEGRAM_BASE_URL``'s."""
    base_url = settings.telegram_base_url or "https://api.telegram.org/bot"
    return BotApiTransport(base_url, settings.token())


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
