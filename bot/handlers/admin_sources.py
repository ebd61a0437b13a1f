"""Admin commands about sources: /addsource, /removesource, /sources.

Only Telegram users listed in ``NEWSBOT_ADMIN_IDS`` may use them; anyone else gets a
polite refusal. /addsource fetches the feed once before adding it, so a typo or a page
that is not a feed is answered at once with the reason instead of failing later.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from bot.services import Services
from bot.views import sources as views
from ingest import FeedError, FetchError, check_feed
from ingest.canonical import host_of
from ingest.sources_file import is_feed_url
from storage.sources import SourceSpec, add_source, disable_source, find_source, list_sources
from storage.topics import list_topics

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Handler = Callable[[Update, Any], Coroutine[Any, Any, None]]


async def _say(update: Update, text: str) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=_NO_PREVIEW)


def _admin_only(services: Services, handler: Handler) -> Handler:
    async def guarded(update: Update, context: Any) -> None:
        user = update.effective_user
        if user is None or user.id not in services.settings.admin_ids:
            await _say(update, views.NOT_ADMIN)
            return
        await handler(update, context)

    return guarded


def _now(context: Any) -> datetime:
    """The bot's clock (``BotContext.now``, replaceable in tests), else the wall clock."""
    now = getattr(context, "now", None)
    return now() if callable(now) else datetime.now(UTC)


def register(application: Any, services: Services) -> None:
    """Register /addsource, /removesource and /sources."""

    async def add(update: Update, context: Any) -> None:
        """/addsource <url> [topics]: check the feed once, then add it."""
        args: list[str] = list(context.args or [])
        if not args or not is_feed_url(args[0]):
            await _say(update, views.ADD_USAGE)
            return
        url = args[0]
        wanted = [t.lower() for part in args[1:] for t in re.split(r"[,\s]+", part) if t]
        async with services.db.sessions() as session:
            known = [t.slug for t in await list_topics(session)]
        unknown = [t for t in wanted if t not in known]
        if unknown:
            await _say(update, views.unknown_topics_message(unknown, known))
            return
        try:
            check = await check_feed(services.feed_fetcher(), services.ingest_analyser(), url)
        except (FetchError, FeedError) as error:
            await _say(update, views.add_failed_message(url, str(error)))
            return
        spec = SourceSpec(
            name=(check.title or host_of(url) or url)[:200],
            url=url,
            topics=tuple(dict.fromkeys(wanted)),
            language=check.language,
        )
        user_id = update.effective_user.id if update.effective_user else None
        async with services.db.sessions.begin() as session:
            source, created = await add_source(session, spec, added_by=user_id, now=_now(context))
        log.info("admin %s added source #%s %s", user_id, source.id, url)
        await _say(
            update,
            views.added_message(
                source,
                created=created,
                title=check.title,
                entries=check.entries,
                newest=check.newest_title,
            ),
        )

    async def remove(update: Update, context: Any) -> None:
        """/removesource <id|url>: stop fetching a source (its articles stay)."""
        args: list[str] = list(context.args or [])
        if len(args) != 1:
            await _say(update, views.REMOVE_USAGE)
            return
        user_id = update.effective_user.id if update.effective_user else None
        async with services.db.sessions.begin() as session:
            source = await find_source(session, args[0])
            if source is None:
                await _say(update, views.not_found_message(args[0]))
                return
            await disable_source(session, source.id, reason=f"removed by admin {user_id}")
        log.info("admin %s removed source #%s %s", user_id, source.id, source.url)
        await _say(update, views.removed_message(source))

    async def show(update: Update, context: Any) -> None:
        """/sources: every source with its health."""
        async with services.db.sessions() as session:
            sources = await list_sources(session)
        for text in views.sources_messages(sources, _now(context)):
            await _say(update, text)

    application.add_handler(CommandHandler("addsource", _admin_only(services, add)))
    application.add_handler(CommandHandler("removesource", _admin_only(services, remove)))
    application.add_handler(CommandHandler("sources", _admin_only(services, show)))
