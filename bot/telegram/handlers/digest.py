"""/digest: the reader's digest now, through the process's one digest engine."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import reader_of, reader_transaction


async def digest_command(update: Update, context: BotContext) -> None:
    """The reader's digest now, with what is new since the last one."""
    chat = update.effective_chat
    if chat is None:
        return
    async with reader_transaction(context, update):
        pass  # a reader writing for the first time gets a row (and the default schedule)
    await context.bot_data.digests.digest_now(reader_of(update))
