"""Admin commands about sources: /addsource, /removesource, /sources, and OPML files.

Only Telegram users listed in ``NEWSBOT_ADMIN_IDS`` may use them; anyone else gets a
polite refusal. /addsource fetches the feed once before adding it, so a typo or a page
that is not a feed is answered at once with the reason instead of failing later.

An OPML file sent as a document in a private chat is imported by the rules of
``ingest.opml_sources`` (the same as `newsbot sources import`); a non-admin who sends one
gets a polite refusal, and documents in groups are left alone (files shared there are
for people). /exportsources sends the sources back as an OPML document; /importsources
says how to import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import InputFile, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.services import Services
from bot.views import sources as views
from ingest import FeedError, FetchError, check_feed
from ingest.canonical import host_of
from ingest.opml import OpmlError
from ingest.opml_sources import export_opml, import_opml
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


#: A document the bot reads as OPML: by its name or by its type.
OPML_DOCUMENT = (
    filters.Document.FileExtension("opml")
    | filters.Document.FileExtension("xml")
    | filters.Document.MimeType("text/x-opml")
    | filters.Document.MimeType("application/xml")
    | filters.Document.MimeType("text/xml")
)


def register(application: Any, services: Services) -> None:
    """Register /addsource, /removesource, /sources, OPML uploads and /exportsources."""

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

    async def import_file(update: Update, context: Any) -> None:
        """An OPML document from an admin: download it (size-capped) and import its feeds."""
        message, user = update.effective_message, update.effective_user
        document = message.document if message is not None else None
        if document is None or user is None:
            return
        if user.id not in services.settings.admin_ids:
            await _say(update, views.IMPORT_NOT_ADMIN)
            return
        if document.file_size is not None and document.file_size > views.MAX_UPLOAD_BYTES:
            await _say(update, views.import_too_big_message(document.file_size))
            return
        try:
            file = await document.get_file()
            data = bytes(await file.download_as_bytearray())
        except TelegramError as error:
            log.warning("admin %s: could not download %s: %s", user.id, document.file_id, error)
            await _say(update, views.import_download_failed_message(str(error)))
            return
        try:
            report = await import_opml(
                services.db,
                data,
                added_by=user.id,
                now=_now(context),
                max_bytes=views.MAX_UPLOAD_BYTES,
                screen=services.outbound_policy(for_feeds=True).refusal,
            )
        except OpmlError as error:
            await _say(update, views.import_failed_message(str(error)))
            return
        log.info("admin %s imported %s: %s", user.id, document.file_name, report.summary())
        for text in views.import_messages(report):
            await _say(update, text)

    async def how_to_import(update: Update, context: Any) -> None:
        """/importsources: how to import (the file itself comes as a document)."""
        await _say(update, views.IMPORT_HOW)

    async def export(update: Update, context: Any) -> None:
        """/exportsources: the enabled sources as an OPML document, grouped by topic."""
        message = update.effective_message
        if message is None:
            return
        now = _now(context)
        data, count = await export_opml(services.db, now=now)
        name = f"newsbot-sources-{now:%Y-%m-%d}.opml"
        await message.reply_document(
            InputFile(data, filename=name), caption=views.export_caption(count)
        )

    application.add_handler(CommandHandler("addsource", _admin_only(services, add)))
    application.add_handler(CommandHandler("removesource", _admin_only(services, remove)))
    application.add_handler(CommandHandler("sources", _admin_only(services, show)))
    application.add_handler(CommandHandler("importsources", _admin_only(services, how_to_import)))
    application.add_handler(CommandHandler("exportsources", _admin_only(services, export)))
    # Before the private-message fallback (bot.app registers it last): a document with a
    # caption would otherwise be read as a link to summarise.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & OPML_DOCUMENT, import_file
        )
    )
