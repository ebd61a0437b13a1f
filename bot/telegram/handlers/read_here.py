""" "Read here": a press under a story answers with its Telegraph page (Instant View)."""

from __future__ import annotations

from telegram import Update

from bot.actions import read_here
from bot.actions.read_here import ReadProblem
from bot.telegram import callbacks
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import reply
from bot.views import read_here as views
from bot.views.help import button_expired_text


async def on_read_here(update: Update, context: BotContext) -> None:
    """The page's link as a reply under the stories, with the preview on: Telegram shows
    it as Instant View. The button stays: every reader of the message may press it."""
    query = update.callback_query
    if query is None:
        return
    article_id = callbacks.read_from_data(query.data or "")
    client = context.services.telegraph_client()
    if article_id is None or client is None:
        text = (
            button_expired_text(context.t) if article_id is None else views.read_off_text(context.t)
        )
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    result = await read_here.open_page(
        context.services, client, article_id, now=context.now(), draft=views.page_draft
    )
    if isinstance(result, ReadProblem):
        await reply(update, views.read_problem_text(context.t, result.problem, result.retry_after))
        return
    await reply(update, views.page_link_text(context.t, result.url, result.title), preview=True)
