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
    t = context.t
    await reply(update, views.confirm_text(t, is_group(chat)), keyboard=views.confirm_keyboard(t))


async def on_forget_button(update: Update, context: BotContext) -> None:
    """Yes: delete the chat's reader row and everything hanging off it. Cancel: keep all."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    t = context.t
    if query.data != callbacks.FORGET_YES:
        await query.answer()
        await edit(update, views.kept_text(t))
        return
    async with context.services.db.sessions.begin() as session:
        forgotten = await forget_reader(session, reader_of(update))
    await query.answer(views.forgotten_answer(t) if forgotten else None)
    await edit(update, views.forgotten_text(t) if forgotten else views.nothing_to_forget_text(t))
