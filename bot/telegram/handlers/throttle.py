"""The per-reader rate limit, checked before every other handler (see ``bot.app``).

Commands, messages and button presses from one user take a token each from the user's
bucket (bot.telegram.fairness). Over the limit, the first update gets one polite "slow down" and
every later one is dropped silently until the bucket refills; a dropped update goes no
further (ApplicationHandlerStop), so it costs neither the database nor a reply.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import BotContext
from bot.telegram.fairness import Verdict
from bot.telegram.handlers.common import reply
from bot.views import limits as views

#: Handler group of the check: before the chat's language is looked up (-1) and every
#: command (0).
GROUP = -2


async def throttle(update: Update, context: BotContext) -> None:
    """Let the update through, or answer "slow down" once, or drop it."""
    user = update.effective_user
    if user is None or (update.message is None and update.callback_query is None):
        return  # membership changes and the like: not a reader's request
    verdict = context.bot_data.readers.check(user.id, context.now().timestamp())
    if verdict is Verdict.ALLOW:
        return
    context.services.metrics.throttled_updates.inc()
    if verdict is Verdict.WARN:
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(
                    views.slow_down_text(context.t), show_alert=False
                )
            else:
                await reply(update, views.slow_down_text(context.t))
        except TelegramError:
            pass  # the warning is a courtesy; the update is dropped either way
    raise ApplicationHandlerStop
