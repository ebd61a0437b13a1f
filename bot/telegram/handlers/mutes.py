"""/mute, /unmute, /mutes and the ✕ buttons under the list."""

from __future__ import annotations

from telegram import Update

from bot.actions import mutes
from bot.actions.mutes import TooManyMutes
from bot.parsing.arguments import command_argument
from bot.parsing.mutes import parse_mute_phrase
from bot.telegram import callbacks
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import chat_ref, edit, parsed_argument, reply
from bot.views import mutes as views


async def mute_command(update: Update, context: BotContext) -> None:
    """/mute <word or phrase>: leave its stories out of digests, /latest and /search."""
    chat = update.effective_chat
    wanted = await parsed_argument(update, context.t, "mute", parse_mute_phrase)
    if wanted is None or chat is None:
        return
    result = await mutes.mute(
        context.services, chat_ref(update, context.t.code), context.now(), wanted
    )
    if isinstance(result, TooManyMutes):
        await reply(update, views.too_many_mutes_text(context.t, result.limit))
        return
    await reply(update, views.muted_text(context.t, result.phrase, already=result.already))


async def unmute_command(update: Update, context: BotContext) -> None:
    """/unmute <word or phrase> (without one: the list, with buttons)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    if not command_argument(message.text):
        await mutes_command(update, context)
        return
    wanted = await parsed_argument(update, context.t, "unmute", parse_mute_phrase)
    if wanted is None:
        return
    result = await mutes.unmute(context.services.db, chat_ref(update, context.t.code), wanted)
    await reply(update, views.unmuted_text(context.t, result.phrase, removed=result.removed))


async def mutes_command(update: Update, context: BotContext) -> None:
    """The muted phrases, each with a button to unmute it."""
    chat = update.effective_chat
    if chat is None:
        return
    ref = chat_ref(update, context.t.code)
    items = await mutes.mutes(context.services.db, ref.id, ref.thread_id)
    await reply(update, views.mutes_text(context.t, items), keyboard=views.mutes_keyboard(items))


async def on_unmute_button(update: Update, context: BotContext) -> None:
    """Unmute the pressed phrase and redraw the list in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    wanted = callbacks.mute_from_data(query.data or "")
    result = await mutes.remove_by_id(context.services.db, chat_ref(update, context.t.code), wanted)
    await query.answer(views.removed_answer(context.t, result.removed))
    left = result.left
    await edit(update, views.mutes_text(context.t, left), keyboard=views.mutes_keyboard(left))
