"""/topics (the picker), /subscribe, /unsubscribe, /mysubs and their buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.actions import subscriptions
from bot.actions.subscriptions import Subscribed, TooManyQueries
from bot.actions.topics_lookup import UnknownTopic
from bot.i18n import Translator
from bot.parsing.arguments import (
    ArgumentError,
    SubscriptionTarget,
    command_argument,
    parse_subscription,
)
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    chat_ref,
    edit,
    parsed_argument,
    reader_of,
    reply,
    reply_usage,
)
from bot.views import help as help_views
from bot.views import topic_names
from bot.views import topics as views


async def topics_command(update: Update, context: BotContext) -> None:
    """The topic picker: one button per topic, ✓ on those followed."""
    chat = update.effective_chat
    if chat is None:
        return
    t = context.t
    picker = await subscriptions.picker(context.services.db, reader_of(update))
    if not picker.topics:
        await reply(update, views.no_topics_text(t))
        return
    keyboard = views.topic_keyboard(t, picker.topics, picker.chosen)
    await reply(update, views.topics_prompt_text(t, len(picker.chosen)), keyboard=keyboard)


async def on_topic_button(update: Update, context: BotContext) -> None:
    """Toggle the pressed topic and redraw the keyboard in place; Done closes the picker."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    t, data = context.t, query.data or ""
    if data == callbacks.TOPICS_DONE:
        items = await subscriptions.subscriptions(context.services.db, reader_of(update))
        await query.answer()
        await edit(update, views.done_text(t, items))
        return
    toggled = await subscriptions.toggle(
        context.services, chat_ref(update, context.t.code), context.now(), data
    )
    if toggled is None:
        await query.answer(views.topic_gone_answer(t), show_alert=True)
        return
    await query.answer(views.toggled_answer(t, toggled.name, following=toggled.following))
    picker = toggled.picker
    await edit(update, keyboard=views.topic_keyboard(t, picker.topics, picker.chosen))


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe <topic> or /subscribe "words"."""
    chat = update.effective_chat
    target = await parsed_argument(update, context.t, "subscribe", parse_subscription)
    if target is None or chat is None:
        return
    target = _in_catalogue_names(context.t, target)
    result = await subscriptions.subscribe(
        context.services, chat_ref(update, context.t.code), context.now(), target
    )
    await reply(update, _subscribed_text(context.t, result))


def _in_catalogue_names(t: Translator, target: SubscriptionTarget) -> SubscriptionTarget:
    """A topic typed in the reader's language, as the catalogue names it."""
    if target.kind != "topic":
        return target
    return replace(target, value=topic_names.catalogue_name(t, target.value))


def _subscribed_text(t: Translator, result: Subscribed | UnknownTopic | TooManyQueries) -> str:
    if isinstance(result, UnknownTopic):
        return views.unknown_topic_to_follow_text(
            t, result.typed, result.catalogue, result.suggestion
        )
    if isinstance(result, TooManyQueries):
        return views.too_many_queries_text(t, result.limit)
    if result.topic is not None:
        return views.subscribed_topic_text(t, result.topic, already=result.already)
    return views.subscribed_words_text(t, result.words or "", already=result.already)


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe <topic> or /unsubscribe "words" (without either: the list, as buttons)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    t, argument = context.t, command_argument(message.text)
    if not argument:
        items = await subscriptions.subscriptions(context.services.db, reader_of(update))
        text = help_views.usage_text(t, command("unsubscribe"), views.unsubscribe_what_reason(t))
        await reply(update, text, keyboard=views.subscriptions_keyboard(t, items))
        return
    try:
        target = parse_subscription(argument)
    except ArgumentError as error:
        await reply_usage(update, t, command("unsubscribe"), help_views.argument_reason(t, error))
        return
    result = await subscriptions.unsubscribe(
        context.services,
        chat_ref(update, context.t.code),
        context.now(),
        _in_catalogue_names(context.t, target),
    )
    text = views.unsubscribe_result_text(
        t, result.label, words=result.words, removed=result.removed
    )
    await reply(update, text)


async def mysubs_command(update: Update, context: BotContext) -> None:
    """What the chat follows, each with a button to stop."""
    chat = update.effective_chat
    if chat is None:
        return
    t = context.t
    items = await subscriptions.subscriptions(context.services.db, reader_of(update))
    await reply(
        update, views.subscriptions_text(t, items), keyboard=views.subscriptions_keyboard(t, items)
    )


async def on_unsubscribe_button(update: Update, context: BotContext) -> None:
    """Remove the pressed subscription and redraw the list in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    wanted = callbacks.subscription_from_data(query.data or "")
    result = await subscriptions.remove_by_id(context.services.db, reader_of(update), wanted)
    t = context.t
    await query.answer(views.removed_answer(t, result.removed))
    left = result.left
    await edit(
        update, views.subscriptions_text(t, left), keyboard=views.subscriptions_keyboard(t, left)
    )
