"""/latest and /search: stored summaries, one item per story."""

from __future__ import annotations

from telegram import Update

from bot.actions import news
from bot.actions.news import LatestPage, TopicGone
from bot.actions.topics_lookup import UnknownTopic
from bot.parsing.arguments import LATEST_MAX, command_argument, parse_latest
from bot.telegram import callbacks
from bot.telegram.commands import command
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import (
    edit,
    parsed_argument,
    reader_of,
    reply,
    reply_all,
    reply_usage,
)
from bot.views import read_here as read_views
from bot.views import stories as views
from bot.views import topic_names
from bot.views.help import button_expired_text
from bot.views.keyboard import Keyboard
from bot.views.topics import unknown_topic_example_text
from stories import Story


async def latest_command(update: Update, context: BotContext) -> None:
    """/latest [topic] [n]: the newest stories now."""
    chat = update.effective_chat
    request = await parsed_argument(update, context.t, "latest", parse_latest)
    if request is None or chat is None:
        return
    typed = request.topic and topic_names.catalogue_name(context.t, request.topic)
    topic = await news.find_latest_topic(context.services.db, typed)
    if isinstance(topic, UnknownTopic):
        example = command("latest").example
        text = unknown_topic_example_text(
            context.t, topic.typed, topic.catalogue, topic.suggestion, example
        )
        await reply(update, text)
        return
    page = await news.latest_page(
        context.services.db, reader_of(update), topic, request.count, None, now=context.now()
    )
    await _show(update, context, page, continued=False)


async def on_latest_more(update: Update, context: BotContext) -> None:
    """The "More" button under a /latest listing: its next page, as new messages."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    more = callbacks.latest_more_from_data(query.data or "")
    if more is None or not 1 <= more[0] <= LATEST_MAX:
        await query.answer(button_expired_text(context.t), show_alert=True)
        return
    try:
        page = await news.more_page(
            context.services.db, reader_of(update), *more, now=context.now()
        )
    except TopicGone:
        await query.answer(views.topic_gone_text(context.t))
        return
    await query.answer()
    await edit(update)  # the button has done its job: a second press must not repeat it
    await _show(update, context, page, continued=True)


async def _show(update: Update, context: BotContext, page: LatestPage, *, continued: bool) -> None:
    t = context.t
    if not page.stories:
        empty = (
            views.no_more_stories_text(t) if continued else views.no_latest_text(t, page.topic_name)
        )
        await reply(update, empty)
        return
    data = None
    if page.more_after is not None:
        data = callbacks.latest_more_data(len(page.stories), page.more_after, page.topic_slug)
    heading = views.latest_heading(t, page.topic_name, continued=continued)
    texts = views.story_messages(
        t, page.stories, heading=heading, sentences=page.sentences, now=context.now()
    )
    more = views.more_keyboard(t, data) if data else ()
    await reply_all(update, texts, keyboards=_read_keyboards(context, texts, page.stories, more))


def _read_keyboards(
    context: BotContext, texts: list[str], stories: list[Story], more: Keyboard = ()
) -> list[Keyboard | None]:
    """ "Read here" under each message's stories (with a Telegraph token), then "More"."""
    enabled = context.services.telegraph_enabled
    return read_views.message_keyboards(context.t, texts, stories, last_row=more, enabled=enabled)


async def search_command(update: Update, context: BotContext) -> None:
    """/search <words>: stored stories that contain every word."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    text = command_argument(message.text)
    problem = news.search_problem(text)
    if problem is not None:
        await reply_usage(
            update, context.t, command("search"), views.search_problem_text(context.t, problem)
        )
        return
    result = await news.search(context.services.db, reader_of(update), text, now=context.now())
    if not result.stories:
        await reply(update, views.no_matches_text(context.t, text))
        return
    texts = views.story_messages(
        context.t,
        result.stories,
        heading=views.search_heading(context.t, text),
        sentences=result.sentences,
        now=context.now(),
    )
    await reply_all(update, texts, keyboards=_read_keyboards(context, texts, result.stories))
