"""/stats, for the operators named in NEWSBOT_ADMIN_IDS."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import reply
from bot.views.stats import stats_text
from storage.stats import collect_stats


async def stats_command(update: Update, context: BotContext) -> None:
    """Readers, subscriptions, articles, the last ingest and the last day's digests."""
    now = context.now()
    async with context.services.db.sessions() as session:
        stats = await collect_stats(session, now)
    await reply(update, stats_text(context.t, stats, now))
