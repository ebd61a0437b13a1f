"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot.parsing.timezones import zone_label
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    is_group,
    is_operator,
    reader_of,
    reader_transaction,
    reply,
)
from bot.views import help as views
from bot.views.topics import TopicItem, topic_keyboard
from storage.subscriptions import subscribed_topic_slugs
from storage.topics import list_topics


async def start(update: Update, context: BotContext) -> None:
    """Register the chat (or welcome it back) and offer the topic picker."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    async with reader_transaction(context, update, touch=True) as (session, reader, created):
        topics = [TopicItem(t.slug, t.name) for t in await list_topics(session)]
        chosen = await subscribed_topic_slugs(session, reader_of(update))
    t = context.t
    text = views.welcome_text(
        t,
        name=None if is_group(chat) or user is None else user.first_name,
        created=created,
        zone_label=zone_label(reader.timezone),
        at=reader.digest_time,
        group=is_group(chat),
        has_topics=bool(topics),
    )
    await reply(update, text, keyboard=topic_keyboard(t, topics, chosen) if topics else None)


async def help_command(update: Update, context: BotContext) -> None:
    """Every command with an example; the operators' commands for operators only."""
    admin = is_operator(update, context.services.settings)
    await reply(update, views.help_text(context.t, admin=admin))
