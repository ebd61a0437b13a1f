"""What nothing else answered: unknown commands and buttons that no longer work.

Registered last (``bot.app``), after every other module's handlers, so a command
another module handles never reaches these.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.telegram.commands import is_known
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import is_group, reply
from bot.views.help import stale_button_text, unknown_command_text

_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,64})(?:@(?P<bot>[A-Za-z0-9_]+))?")


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point to /help; in groups only when the command was addressed to us by name."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not message.text:
        return
    match = _COMMAND.match(message.text)
    if match is None:
        return
    addressed_to = match.group("bot")
    if addressed_to is not None and addressed_to.lower() != (context.bot.username or "").lower():
        return  # another bot's command in a group
    if is_group(chat) and addressed_to is None:
        return  # likely meant for another bot in the group
    if is_known(match.group("name")):
        return  # a command of ours whose module answered nothing (e.g. not installed)
    await reply(update, unknown_command_text(context.t, match.group("name")))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message whose action no longer exists."""
    query = update.callback_query
    if query is not None:
        await query.answer(stale_button_text(context.t), show_alert=True)
