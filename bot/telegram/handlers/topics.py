"""/topics (the picker), /subscribe, /unsubscribe, /mysubs and their buttons."""

from __future__ import annotations

from telegram import Update

from bot.actions import subscriptions
from bot.actions.subscriptions import Subscribed, TooManyQueries
from bot.actions.topics_lookup import UnknownTopic
from bot.parsing.arguments import ArgumentError, command_argument, parse_subscription
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import chat_ref, edit, parsed_argument, reply, reply_usage
from bot.views import help as help_views
from bot.views import topics as views


async def topics_command(update: Update, context: BotContext) -> None:
    """The topic picker: one button per topic, ✓ on those followed."""
    chat = update.effective_chat
    if chat is None:
        return
    picker = await subscriptions.picker(context.services.db, chat.id)
    if not picker.topics:
        await reply(update, views.no_topics_text())
        return
    keyboard = views.topic_keyboard(picker.topics, picker.chosen)
    await reply(update, views.topics_prompt_text(len(picker.chosen)), keyboard=keyboard)


async def on_topic_button(update: Update, context: BotContext) -> None:
    """Toggle the pressed topic and redraw the keyboard in place; Done closes the picker."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    data = query.data or ""
    if data == callbacks.TOPICS_DONE:
        items = await subscriptions.subscriptions(context.services.db, chat.id)
        await query.answer()
        await edit(update, views.done_text(items))
        return
    toggled = await subscriptions.toggle(
        context.services, chat_ref(chat, context.t.code), context.now(), data
    )
    if toggled is None:
        await query.answer(views.topic_gone_answer(), show_alert=True)
        return
    await query.answer(views.toggled_answer(toggled.name, following=toggled.following))
    picker = toggled.picker
    await edit(update, keyboard=views.topic_keyboard(picker.topics, picker.chosen))


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe <topic> or /subscribe "words"."""
    chat = update.effective_chat
    target = await parsed_argument(update, "subscribe", parse_subscription)
    if target is None or chat is None:
        return
    result = await subscriptions.subscribe(
        context.services, chat_ref(chat, context.t.code), context.now(), target
    )
    await reply(update, _subscribed_text(result))


def _subscribed_text(result: Subscribed | UnknownTopic | TooManyQueries) -> str:
    if isinstance(result, UnknownTopic):
        return views.unknown_topic_to_follow_text(result.typed, result.catalogue, result.suggestion)
    if isinstance(result, TooManyQueries):
        return views.too_many_queries_text(result.limit)
    if result.topic is not None:
        return views.subscribed_topic_text(result.topic, already=result.already)
    return views.subscribed_words_text(result.words or "", already=result.already)


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe <topic> or /unsubscribe "words" (without either: the list, as buttons)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    argument = command_argument(message.text)
    if not argument:
        items = await subscriptions.subscriptions(context.services.db, chat.id)
        text = help_views.usage_text(command("unsubscribe"), views.unsubscribe_what_reason())
        await reply(update, text, keyboard=views.subscriptions_keyboard(items))
        return
    try:
        target = parse_subscription(argument)
    except ArgumentError as error:
        await reply_usage(update, command("unsubscribe"), str(error))
        return
    result = await subscriptions.unsubscribe(
        context.services, chat_ref(chat, context.t.code), context.now(), target
    )
    text = views.unsubscribe_result_text(result.label, words=result.words, removed=result.removed)
    await reply(update, text)


async def mysubs_command(update: Update, context: BotContext) -> None:
    """What the chat follows, each with a button to stop."""
    chat = update.effective_chat
    if chat is None:
        return
    items = await subscriptions.subscriptions(context.services.db, chat.id)
    await reply(
        update, views.subscriptions_text(items), keyboard=views.subscriptions_keyboard(items)
    )


async def on_unsubscribe_button(update: Update, context: BotContext) -> None:
    """Remove the pressed subscription and redraw the list in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    wanted = callbacks.subscription_from_data(query.data or "")
    result = await subscriptions.remove_by_id(context.services.db, chat.id, wanted)
    await query.answer(views.removed_answer(result.removed))
    left = result.left
    await edit(update, views.subscriptions_text(left), keyboard=views.subscriptions_keyboard(left))
