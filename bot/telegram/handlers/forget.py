"""/stop: forget the chat, after a confirmation button."""

from __future__ import annotations

from telegram import Update

from bot.telegram import callbacks
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import edit, is_group, reader_of, reply
from bot.views import forget as views
from storage.readers import forget_reader


async def stop_command(update: Update, context: BotContext) -> None:
    """Ask before deleting anything."""
    chat = update.effective_chat
    if chat is None:
        return
    await reply(update, views.confirm_text(is_group(chat)), keyboard=views.confirm_keyboard())


async def on_forget_button(update: Update, context: BotContext) -> None:
    """Yes: delete the chat's reader row and everything hanging off it. Cancel: keep all."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    if query.data != callbacks.FORGET_YES:
        await query.answer()
        await edit(update, views.kept_text())
        return
    async with context.services.db.sessions.begin() as session:
        forgotten = await forget_reader(session, reader_of(update))
    await query.answer(views.forgotten_answer() if forgotten else None)
    await edit(update, views.forgotten_text() if forgotten else views.nothing_to_forget_text())
