"""/topics (the picker), /subscribe, /unsubscribe, /mysubs and their buttons."""

from __future__ import annotations

import difflib

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.parsing.arguments import (
    ArgumentError,
    command_argument,
    normalise_query,
    parse_subscription,
)
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    edit,
    reader_transaction,
    reply,
    reply_usage,
)
from bot.views import help as help_views
from bot.views import topics as views
from bot.views.topics import SubscriptionItem, TopicItem
from storage.models import Topic
from storage.subscriptions import (
    list_subscriptions,
    subscribe_query,
    subscribe_topic,
    subscribed_topic_slugs,
    toggle_topic,
    unsubscribe_by_id,
    unsubscribe_query,
    unsubscribe_topic,
)
from storage.topics import find_topic, list_topics

#: Keyword subscriptions each cost a lookup per digest; a generous cap keeps digests fast.
MAX_QUERIES = 20


async def subscription_items(session: AsyncSession, chat_id: int) -> list[SubscriptionItem]:
    """The reader's subscriptions with topic names, topics in catalogue order first."""
    topics = await list_topics(session)
    order = {t.slug: i for i, t in enumerate(topics)}
    names = {t.slug: t.name for t in topics}
    subs = await list_subscriptions(session, chat_id)
    subs.sort(key=lambda s: (s.query is not None, order.get(s.topic_slug or "", 0), s.query or ""))
    return [
        SubscriptionItem(
            id=s.id,
            topic=names.get(s.topic_slug, s.topic_slug) if s.topic_slug is not None else None,
            query=s.query,
        )
        for s in subs
    ]


def closest_topic(typed: str, topics: list[Topic]) -> str | None:
    """The topic name a misspelling most likely meant."""
    names = {t.name.lower(): t.name for t in topics} | {t.slug: t.name for t in topics}
    close = difflib.get_close_matches(typed.lower(), list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else None


async def topics_command(update: Update, context: BotContext) -> None:
    """The topic picker: one button per topic, ✓ on those followed."""
    chat = update.effective_chat
    if chat is None:
        return
    async with context.services.db.sessions() as session:
        topics = [TopicItem(t.slug, t.name) for t in await list_topics(session)]
        chosen = await subscribed_topic_slugs(session, chat.id)
    if not topics:
        await reply(update, views.no_topics_text())
        return
    await reply(
        update, views.topics_prompt_text(len(chosen)), keyboard=views.topic_keyboard(topics, chosen)
    )


async def on_topic_button(update: Update, context: BotContext) -> None:
    """Toggle the pressed topic and redraw the keyboard in place; Done closes the picker."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    data = query.data or ""
    if data == callbacks.TOPICS_DONE:
        async with context.services.db.sessions() as session:
            items = await subscription_items(session, chat.id)
        await query.answer()
        await edit(update, views.done_text(items))
        return
    async with reader_transaction(context, chat) as (session, _reader, _created):
        catalogue = await list_topics(session)
        slug = callbacks.topic_from_data(data, [t.slug for t in catalogue])
        if slug is not None:
            following = await toggle_topic(session, chat.id, slug, context.now())
            chosen = await subscribed_topic_slugs(session, chat.id)
    if slug is None:
        await query.answer("That topic no longer exists.", show_alert=True)
        return
    name = next(t.name for t in catalogue if t.slug == slug)
    await query.answer(f"Following {name}" if following else f"Stopped following {name}")
    topics = [TopicItem(t.slug, t.name) for t in catalogue]
    await edit(update, keyboard=views.topic_keyboard(topics, chosen))


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe <topic> or /subscribe "words"."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    try:
        target = parse_subscription(command_argument(message.text))
    except ArgumentError as error:
        await reply_usage(update, command("subscribe"), str(error))
        return
    async with reader_transaction(context, chat) as (session, _reader, _created):
        if target.kind == "topic":
            topic = await find_topic(session, target.value)
            if topic is None:
                catalogue = await list_topics(session)
                text = views.unknown_topic_text(
                    target.value,
                    [TopicItem(t.slug, t.name) for t in catalogue],
                    closest_topic(target.value, catalogue),
                )
                text += "\n" + views.quotes_hint(target.value)
            else:
                added = await subscribe_topic(session, chat.id, topic.slug, context.now())
                text = views.subscribed_text(
                    topic.name, already=not added, now_command=f"/latest {topic.slug}"
                )
        else:
            label = f"“{target.value}”"
            current = await list_subscriptions(session, chat.id)
            queries = {s.query for s in current if s.query is not None}
            if target.value not in queries and len(queries) >= MAX_QUERIES:
                text = (
                    f"You already follow {MAX_QUERIES} sets of words; remove one with /mysubs "
                    "first."
                )
            else:
                added = await subscribe_query(session, chat.id, target.value, context.now())
                text = views.subscribed_text(
                    label, already=not added, now_command=f"/search {target.value}"
                )
    await reply(update, text)


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe <topic> or /unsubscribe "words" (without either: the list, as buttons)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    argument = command_argument(message.text)
    if not argument:
        async with context.services.db.sessions() as session:
            items = await subscription_items(session, chat.id)
        reason = "say which topic or words to stop following"
        text = help_views.usage_text(command("unsubscribe"), reason)
        await reply(update, text, keyboard=views.subscriptions_keyboard(items))
        return
    try:
        target = parse_subscription(argument)
    except ArgumentError as error:
        await reply_usage(update, command("unsubscribe"), str(error))
        return
    async with reader_transaction(context, chat) as (session, _reader, _created):
        removed, label = False, target.value
        if target.kind == "topic":
            topic = await find_topic(session, target.value)
            if topic is not None:
                label = topic.name
                removed = await unsubscribe_topic(session, chat.id, topic.slug)
        if not removed:
            # Words typed without quotes still find the keyword subscription they name.
            try:
                words = normalise_query(target.value)
            except ArgumentError:
                words = None
            if words is not None and await unsubscribe_query(session, chat.id, words):
                removed, label = True, f"“{words}”"
    await reply(
        update, views.unsubscribed_text(label) if removed else views.not_following_text(label)
    )


async def mysubs_command(update: Update, context: BotContext) -> None:
    """What the chat follows, each with a button to stop."""
    chat = update.effective_chat
    if chat is None:
        return
    async with context.services.db.sessions() as session:
        items = await subscription_items(session, chat.id)
    await reply(
        update, views.subscriptions_text(items), keyboard=views.subscriptions_keyboard(items)
    )


async def on_unsubscribe_button(update: Update, context: BotContext) -> None:
    """Remove the pressed subscription and redraw the list in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    wanted = callbacks.subscription_from_data(query.data or "")
    async with context.services.db.sessions.begin() as session:
        before = await subscription_items(session, chat.id)
        item = next((i for i in before if i.id == wanted), None)
        # The id must be one of this chat's own: callback data can be forged.
        removed = wanted is not None and await unsubscribe_by_id(session, chat.id, wanted)
        after = [i for i in before if i.id != wanted]
    if removed and item is not None:
        await query.answer(f"Stopped following {item.label}")
    else:
        await query.answer("Already removed.")
    await edit(
        update, views.subscriptions_text(after), keyboard=views.subscriptions_keyboard(after)
    )
