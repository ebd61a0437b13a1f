"""/latest and /search: stored summaries, one item per story."""

from __future__ import annotations

from telegram import Update

from bot.parsing.arguments import LATEST_MAX, ArgumentError, command_argument, parse_latest
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import edit, reply, reply_all, reply_usage
from bot.telegram.handlers.topics import closest_topic
from bot.views import stories as views
from bot.views.html import code, echo
from bot.views.topics import TopicItem, unknown_topic_text
from storage.articles import latest_stories, query_terms, query_words, search_stories
from storage.models import Topic
from storage.readers import get_reader
from storage.topics import find_topic, list_topics

DEFAULT_SENTENCES = 3
SEARCH_RESULTS = 5


async def latest_command(update: Update, context: BotContext) -> None:
    """/latest [topic] [n]: the newest stories now."""
    message = update.effective_message
    if message is None:
        return
    try:
        request = parse_latest(command_argument(message.text))
    except ArgumentError as error:
        await reply_usage(update, command("latest"), str(error))
        return
    topic = None
    if request.topic is not None:
        async with context.services.db.sessions() as session:
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
    await _send_latest(update, context, topic, request.count, after_article=None)


async def on_latest_more(update: Update, context: BotContext) -> None:
    """The "More" button under a /latest listing: its next page, as new messages."""
    query = update.callback_query
    if query is None:
        return
    page = callbacks.latest_more_from_data(query.data or "")
    if page is None or not 1 <= page[0] <= LATEST_MAX:
        await query.answer("That button no longer works.", show_alert=True)
        return
    count, after, slug = page
    topic = None
    if slug is not None:
        async with context.services.db.sessions() as session:
            topic = await find_topic(session, slug)
        if topic is None:
            await query.answer("That topic is gone. /topics lists the current ones.")
            return
    await query.answer()
    await edit(update)  # the button has done its job: a second press must not repeat it
    await _send_latest(update, context, topic, count, after_article=after)


async def _send_latest(
    update: Update, context: BotContext, topic: Topic | None, count: int, after_article: int | None
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    async with context.services.db.sessions() as session:
        # One more than shown: whether a "More" button has anything behind it.
        stories = await latest_stories(
            session,
            topic_slug=topic.slug if topic else None,
            limit=count + 1,
            after_article=after_article,
        )
        reader = await get_reader(session, chat.id)
    if not stories:
        if after_article is None:
            await reply(update, views.no_stories_text(f"in {topic.name}" if topic else "stored"))
        else:
            await reply(update, views.no_more_stories_text())
        return
    shown = stories[:count]
    heading = f"Latest in {topic.name}" if topic else "Latest news"
    if after_article is not None:
        heading += ", continued"
    sentences = reader.summary_length if reader is not None else DEFAULT_SENTENCES
    more = None
    if len(stories) > count:
        data = callbacks.latest_more_data(
            count, shown[-1].article_id, topic.slug if topic else None
        )
        more = views.more_keyboard(data) if data else None
    await reply_all(
        update,
        views.story_messages(shown, heading=heading, sentences=sentences, now=context.now()),
        keyboard=more,
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
