"""The one error handler: log what failed, tell the reader, keep serving."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import thread_of
from bot.views.help import error_text

log = logging.getLogger(__name__)


def _kind(error: BaseException) -> str | None:
    """The metrics label of a Bot API failure; None for our own bugs."""
    if isinstance(error, RetryAfter):
        return "429"
    if isinstance(error, Forbidden):
        return "403"
    if isinstance(error, BadRequest):
        return "400"
    if isinstance(error, NetworkError):
        return "network"
    return None


def _unreachable(error: BaseException | None) -> bool:
    """Whether the chat cannot be written to now (so an apology would fail as well)."""
    if isinstance(error, BadRequest):
        return False  # our message was refused; a plain apology still goes through
    return isinstance(error, Forbidden | RetryAfter | NetworkError)


async def on_error(update: object, context: BotContext) -> None:
    """Log with the update's ids (never its text); apologise in the chat when we can."""
    error = context.error
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handling update %s (chat %s) failed: %r",
        update_id,
        chat_id,
        error,
        exc_info=error,
    )
    if error is not None:
        kind = _kind(error)
        if kind is not None:
            context.bot_data.services.metrics.telegram_errors.labels(kind=kind).inc()
    if chat_id is None or _unreachable(error):
        return  # the chat is unreachable right now; another message would fail too
    thread_id = thread_of(update) if isinstance(update, Update) else 0
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(
            chat_id,
            error_text(context.t),
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_id or None,
        )
