"""/latest and /search: stored summaries, one item per story."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.arguments import ArgumentError, command_argument, parse_latest
from bot.commands import command
from bot.context import BotApplication, BotContext
from bot.handlers.common import reply, reply_all, reply_usage
from bot.handlers.topics import closest_topic
from bot.views import stories as views
from bot.views.html import code, echo
from bot.views.topics import TopicItem, unknown_topic_text
from storage.articles import latest_stories, query_terms, query_words, search_stories
from storage.readers import get_reader
from storage.topics import find_topic, list_topics

DEFAULT_SENTENCES = 3
SEARCH_RESULTS = 5


async def latest_command(update: Update, context: BotContext) -> None:
    """/latest [topic] [n]: the newest stories now."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    try:
        request = parse_latest(command_argument(message.text))
    except ArgumentError as error:
        await reply_usage(update, command("latest"), str(error))
        return
    async with context.services.db.sessions() as session:
        topic = None
        if request.topic is not None:
            topic = await find_topic(session, request.topic)
            if topic is None:
                catalogue = await list_topics(session)
                text = unknown_topic_text(
                    request.topic,
                    [TopicItem(t.slug, t.name) for t in catalogue],
                    closest_topic(request.topic, catalogue),
                )
                await reply(update, f"{text}\nExample: {code(command('latest').example)}")
                return
        stories = await latest_stories(
            session, topic_slug=topic.slug if topic else None, limit=request.count
        )
        reader = await get_reader(session, chat.id)
    if not stories:
        await reply(update, views.no_stories_text(f"in {topic.name}" if topic else "stored"))
        return
    heading = f"Latest in {topic.name}" if topic else "Latest news"
    sentences = reader.summary_length if reader is not None else DEFAULT_SENTENCES
    await reply_all(
        update,
        views.story_messages(stories, heading=heading, sentences=sentences, now=context.now()),
    )


async def search_command(update: Update, context: BotContext) -> None:
    """/search <words>: stored stories that contain every word."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    text = command_argument(message.text)
    if not query_terms(text):
        if not text:
            reason = "say which words to look for"
        elif not query_words(text):
            reason = "search needs letters or digits"
        else:  # only words such as "the" or "and", which the index leaves out
            reason = "those words are too common to search for; add a more specific one"
        await reply_usage(update, command("search"), reason)
        return
    async with context.services.db.sessions() as session:
        stories = await search_stories(session, text, limit=SEARCH_RESULTS)
        reader = await get_reader(session, chat.id)
    shown = echo(text)
    if not stories:
        await reply(update, views.no_stories_text(f"matches “{shown}”"))
        return
    sentences = reader.summary_length if reader is not None else DEFAULT_SENTENCES
    await reply_all(
        update,
        views.story_messages(
            stories, heading=f"Stories matching “{shown}”", sentences=sentences, now=context.now()
        ),
    )


def register(application: BotApplication) -> None:
    only_messages = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("latest", latest_command, filters=only_messages))
    application.add_handler(CommandHandler("search", search_command, filters=only_messages))
