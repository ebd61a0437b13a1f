"""/summarize <link>, a message that is only a link, and forwarded or replied-to texts."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Message, Update

from bot.links.fetch import LinkError
from bot.links.summary import NothingToSummarise, PageSummary, summarise_page, summarise_text
from bot.parsing.arguments import command_argument, command_link, first_link, message_link
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import reader_of, reply, reply_all, reply_usage, typing
from bot.views import limits as limit_views
from bot.views import summary as views
from bot.views.help import plain_text_hint
from storage.keys import ReaderKey
from storage.readers import get_reader

DEFAULT_SENTENCES = 3
#: A forwarded or replied-to text with a link and fewer words than this is about the link.
LINK_POST_WORDS = 40


async def _sentences(context: BotContext, key: ReaderKey) -> int:
    async with context.services.db.sessions() as session:
        reader = await get_reader(session, key)
    return reader.summary_length if reader is not None else DEFAULT_SENTENCES


async def _summarise(
    update: Update,
    context: BotContext,
    produce: Callable[[int], Awaitable[PageSummary]],
    *,
    empty_text: str,
) -> None:
    """Show "typing…" while ``produce`` makes a summary of the reader's length; answer."""
    chat = update.effective_chat
    if chat is None:
        return
    busy = context.bot_data.summarising
    if chat.id in busy:
        # One at a time per chat: a burst of links must not become a burst of fetches.
        await reply(update, views.still_working_text(context.t))
        return
    busy.add(chat.id)
    try:
        summary = await _produce(update, context, chat.id, produce, empty_text)
    finally:
        busy.discard(chat.id)
    if summary is not None:
        texts = views.summary_messages(
            context.t, summary.sentences, title=summary.title, url=summary.url
        )
        await reply_all(update, texts)


async def _produce(
    update: Update,
    context: BotContext,
    chat_id: int,
    produce: Callable[[int], Awaitable[PageSummary]],
    empty_text: str,
) -> PageSummary | None:
    """The summary, made while "typing…" shows; None when the reader was told why not."""
    key = reader_of(update)
    sentences = await _sentences(context, key)
    async with typing(context.bot, chat_id, key.thread_id):
        try:
            return await produce(sentences)
        except LinkError as error:
            await reply(update, views.link_refused_text(context.t, error.reason))
        except NothingToSummarise:
            await reply(update, empty_text)
    return None


async def summarize_link(update: Update, context: BotContext, link: str) -> None:
    """Fetch ``link`` under the untrusted-URL rules, summarise it, answer."""

    async def produce(sentences: int) -> PageSummary:
        page = await context.links.fetch(link)
        return await asyncio.to_thread(summarise_page, page, sentences=sentences)

    # A few fetches at once per person, whatever chats they send from: one reader in
    # several groups must not hold every fetch slot the bot has.
    user = update.effective_user
    chat = update.effective_chat
    holder = user.id if user is not None else chat.id if chat is not None else 0
    slots = context.bot_data.link_slots
    with slots.holding(holder) as got:
        if not got:
            await reply(update, limit_views.too_many_links_text(context.t, slots.limit))
            return
        await _summarise(
            update, context, produce, empty_text=views.nothing_to_summarise_text(context.t)
        )


async def summarize_text(update: Update, context: BotContext, text: str) -> None:
    """Summarise a text the reader gave us (forwarded, replied to, pasted)."""

    async def produce(sentences: int) -> PageSummary:
        return await asyncio.to_thread(summarise_text, text, sentences=sentences)

    await _summarise(update, context, produce, empty_text=views.too_short_text(context.t))


async def _summarise_message(update: Update, context: BotContext, source: Message) -> bool:
    """Summarise what ``source`` holds: a link, or its own text. False when nothing."""
    text = source.text or source.caption or ""
    link = message_link(text) or (first_link(text) if len(text.split()) < LINK_POST_WORDS else None)
    if link is not None:
        await summarize_link(update, context, link)
        return True
    if text.strip():
        await summarize_text(update, context, text)
        return True
    return False


async def summarize_command(update: Update, context: BotContext) -> None:
    """/summarize <link>, or /summarize in reply to a message."""
    message = update.effective_message
    if message is None:
        return
    argument = command_argument(message.text)
    if argument:
        link = command_link(argument)
        if link is not None:
            await summarize_link(update, context, link)
        elif len(argument.split()) >= LINK_POST_WORDS:
            await summarize_text(update, context, argument)
        else:
            await reply_usage(
                update, context.t, command("summarize"), views.not_a_link_reason(context.t)
            )
        return
    replied = message.reply_to_message
    if replied is not None and await _summarise_message(update, context, replied):
        return
    await reply_usage(
        update, context.t, command("summarize"), views.what_to_summarise_reason(context.t)
    )


async def private_message(update: Update, context: BotContext) -> None:
    """A private message that is not a command: a link or a forwarded text to summarise."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or message.caption or ""
    link = message_link(text)
    if link is not None:
        await summarize_link(update, context, link)
    elif message.forward_origin is not None and await _summarise_message(update, context, message):
        return
    elif len(text.split()) >= LINK_POST_WORDS:
        await summarize_text(update, context, text)
    else:
        await reply(update, plain_text_hint(context.t))
