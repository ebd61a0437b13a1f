"""/settime, /timezone, /pause, /resume, /length, /quiet and their buttons.

The changes themselves (and the recomputed due time) are ``bot.actions.schedule``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from telegram import Update

from bot.actions import schedule
from bot.parsing.arguments import (
    ArgumentError,
    command_argument,
    parse_quiet_hours,
    parse_summary_length,
    parse_time_of_day,
)
from bot.parsing.timezones import parse_timezone, suggest_timezones
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    chat_ref,
    edit,
    reply,
    reply_usage,
)
from bot.views import schedule as views
from bot.views.help import argument_reason, button_expired_text
from bot.views.keyboard import Keyboard
from storage.models import Reader


async def _reschedule(
    update: Update,
    context: BotContext,
    *,
    zone: str | None = None,
    at: time | None = None,
    paused: bool | None = None,
) -> str:
    """Store the new choice with its recomputed due time; the reply describing it."""
    chat = update.effective_chat
    assert chat is not None
    reader = await schedule.reschedule(
        context.services,
        chat_ref(update, context.t.code),
        context.now(),
        zone=zone,
        at=at,
        paused=paused,
    )
    return _describe(reader, context)


def _describe(reader: Reader, context: BotContext) -> str:
    return views.schedule_text(
        context.t,
        zone=reader.timezone,
        at=reader.digest_time,
        next_at=reader.next_digest_at,
        paused=reader.paused,
        now=context.now(),
    )


async def _current(update: Update, context: BotContext) -> Reader:
    chat = update.effective_chat
    assert chat is not None
    return await schedule.current(context.services, chat_ref(update, context.t.code), context.now())


async def _argument_or_ask(
    update: Update, context: BotContext, ask: Callable[[Reader], tuple[str, Keyboard]]
) -> str | None:
    """The command's argument, if the sender may change settings. Without an argument,
    the current choice is shown with buttons (``ask``) and None returned."""
    message = update.effective_message
    if message is None:
        return None
    argument = command_argument(message.text)
    if not argument:
        text, keyboard = ask(await _current(update, context))
        await reply(update, text, keyboard=keyboard)
        return None
    return argument


async def settime_command(update: Update, context: BotContext) -> None:
    """/settime HH:MM (without it: buttons with common times)."""
    argument = await _argument_or_ask(
        update,
        context,
        lambda r: (views.ask_time_text(context.t, r.digest_time), views.time_keyboard()),
    )
    if argument is None:
        return
    try:
        at = parse_time_of_day(argument)
    except ArgumentError as error:
        await reply_usage(update, context.t, command("settime"), argument_reason(context.t, error))
        return
    await reply(update, await _reschedule(update, context, at=at))


async def timezone_command(update: Update, context: BotContext) -> None:
    """/timezone <zone | city | UTC±h> (without it: buttons with common zones)."""
    argument = await _argument_or_ask(
        update,
        context,
        lambda r: (
            views.ask_zone_text(context.t, r.timezone, context.now()),
            views.zone_keyboard(context.t),
        ),
    )
    if argument is None:
        return
    zone = parse_timezone(argument, context.now())
    if zone is None:
        text = views.unknown_zone_text(context.t, argument, suggest_timezones(argument))
        await reply(update, text)
        return
    await reply(update, await _reschedule(update, context, zone=zone))


async def pause_command(update: Update, context: BotContext) -> None:
    """/pause: no digests until /resume."""
    if (await _current(update, context)).paused:
        await reply(update, views.already_paused_text(context.t))
        return
    await reply(update, await _reschedule(update, context, paused=True))


async def resume_command(update: Update, context: BotContext) -> None:
    """/resume: digests again, from the next chosen time (no burst of missed ones)."""
    if not (await _current(update, context)).paused:
        await reply(update, views.already_running_text(context.t))
        return
    await reply(update, await _reschedule(update, context, paused=False))


async def quiet_command(update: Update, context: BotContext) -> None:
    """/quiet HH:MM-HH:MM or /quiet off (without an argument: the current quiet hours)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    argument = command_argument(message.text)
    if not argument:
        reader = await _current(update, context)
        await reply(update, views.quiet_text(context.t, reader.quiet_start, reader.quiet_end))
        return
    try:
        hours = parse_quiet_hours(argument)
    except ArgumentError as error:
        await reply_usage(update, context.t, command("quiet"), argument_reason(context.t, error))
        return
    start, end = hours if hours is not None else (None, None)
    await schedule.set_quiet(
        context.services, chat_ref(update, context.t.code), context.now(), start, end
    )
    await reply(update, views.quiet_text(context.t, start, end))


async def length_command(update: Update, context: BotContext) -> None:
    """/length <1-5>: sentences per summary (without it: buttons)."""
    chat = update.effective_chat
    argument = await _argument_or_ask(
        update,
        context,
        lambda r: (
            views.ask_length_text(context.t, r.summary_length),
            views.length_keyboard(context.t, r.summary_length),
        ),
    )
    if argument is None or chat is None:
        return
    try:
        sentences = parse_summary_length(argument)
    except ArgumentError as error:
        await reply_usage(update, context.t, command("length"), argument_reason(context.t, error))
        return
    await schedule.set_length(
        context.services, chat_ref(update, context.t.code), context.now(), sentences
    )
    await reply(update, views.length_text(context.t, sentences))


async def on_time_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    at = callbacks.time_from_data(query.data or "")
    if at is None:
        await query.answer(button_expired_text(context.t), show_alert=True)
        return
    text = await _reschedule(update, context, at=at)
    await query.answer(views.digest_at_answer(context.t, at))
    await edit(update, text)


async def on_zone_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    # Callback data can be forged: only a zone the tz database knows is accepted.
    zone = parse_timezone((query.data or "").removeprefix(callbacks.ZONE), context.now())
    if zone is None:
        await query.answer(button_expired_text(context.t), show_alert=True)
        return
    text = await _reschedule(update, context, zone=zone)
    await query.answer(views.zone_saved_answer(context.t))
    await edit(update, text)


async def on_length_button(update: Update, context: BotContext) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    sentences = callbacks.length_from_data(query.data or "")
    if sentences is None:
        await query.answer(button_expired_text(context.t), show_alert=True)
        return
    await schedule.set_length(
        context.services, chat_ref(update, context.t.code), context.now(), sentences
    )
    await query.answer(views.saved_answer(context.t))
    await edit(update, views.length_text(context.t, sentences))
