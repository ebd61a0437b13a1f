"""Which language this update is answered in, decided once before any command runs.

The chat's row says (``Reader.language``); a chat without one is answered in the
sender's Telegram language. A private chat whose reader never chose a language follows
Telegram's: switching the app's language switches the bot's (see
``bot.actions.languages.chat_language``). The handler group comes after the throttle, so
a dropped update costs no query, and before every command.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.actions.languages import chat_language
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import reader_of

#: Handler group: after the throttle (-2), before the commands (0).
GROUP = -1


async def use_chat_locale(update: Update, context: BotContext) -> None:
    """Set ``context.t`` for this update from the chat's language."""
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    code = await chat_language(
        context.services.db,
        reader_of(update),
        follows_user=chat.type == ChatType.PRIVATE,
        telegram=user.language_code if user is not None else None,
    )
    context.use_locale(code)
