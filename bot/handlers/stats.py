"""/stats, for the operators named in NEWSBOT_ADMIN_IDS."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.handlers.common import is_operator, reply
from bot.views.help import admins_only_text
from bot.views.stats import stats_text
from storage.stats import collect_stats


async def stats_command(update: Update, context: BotContext) -> None:
    """Readers, subscriptions, articles, the last ingest and the last day's digests."""
    if not is_operator(update, context.services.settings):
        await reply(update, admins_only_text())
        return
    now = context.now()
    async with context.services.db.sessions() as session:
        stats = await collect_stats(session, now)
    await reply(update, stats_text(stats, now))


def register(application: BotApplication) -> None:
    application.add_handler(
        CommandHandler("stats", stats_command, filters=filters.UpdateType.MESSAGE)
    )
