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

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.telegram.context import BotContext
from bot.telegram.handlers.common import is_operator, reply
from bot.views import sources as views
from ingest import FeedError, FetchError, check_feed
from ingest.canonical import host_of
from ingest.opml import OpmlError
from ingest.opml_sources import export_opml, import_opml
from ingest.sources_file import is_feed_url
from storage.sources import SourceSpec, add_source, disable_source, find_source, list_sources
from storage.topics import list_topics

log = logging.getLogger(__name__)

#: A document the bot reads as OPML: by its name or by its type.
OPML_DOCUMENT = (
    filters.Document.FileExtension("opml")
    | filters.Document.FileExtension("xml")
    | filters.Document.MimeType("text/x-opml")
    | filters.Document.MimeType("application/xml")
    | filters.Document.MimeType("text/xml")
)


async def addsource_command(update: Update, context: BotContext) -> None:
    """/addsource <url> [topics]: check the feed once, then add it."""
    args: list[str] = list(context.args or [])
    if not args or not is_feed_url(args[0]):
        await reply(update, views.ADD_USAGE)
        return
    url = args[0]
    wanted = [t.lower() for part in args[1:] for t in re.split(r"[,\s]+", part) if t]
    async with context.services.db.sessions() as session:
        known = [t.slug for t in await list_topics(session)]
    unknown = [t for t in wanted if t not in known]
    if unknown:
        await reply(update, views.unknown_topics_message(unknown, known))
        return
    try:
        check = await check_feed(
            context.services.feed_fetcher(), context.services.ingest_analyser(), url
        )
    except (FetchError, FeedError) as error:
        await reply(update, views.add_failed_message(url, str(error)))
        return
    spec = SourceSpec(
        name=(check.title or host_of(url) or url)[:200],
        url=url,
        topics=tuple(dict.fromkeys(wanted)),
        language=check.language,
    )
    user_id = update.effective_user.id if update.effective_user else None
    async with context.services.db.sessions.begin() as session:
        source, created = await add_source(session, spec, added_by=user_id, now=context.now())
    log.info("admin %s added source #%s %s", user_id, source.id, url)
    await reply(
        update,
        views.added_message(
            source,
            created=created,
            title=check.title,
            entries=check.entries,
            newest=check.newest_title,
        ),
    )


async def removesource_command(update: Update, context: BotContext) -> None:
    """/removesource <id|url>: stop fetching a source (its articles stay)."""
    args: list[str] = list(context.args or [])
    if len(args) != 1:
        await reply(update, views.REMOVE_USAGE)
        return
    user_id = update.effective_user.id if update.effective_user else None
    async with context.services.db.sessions.begin() as session:
        source = await find_source(session, args[0])
        if source is None:
            await reply(update, views.not_found_message(args[0]))
            return
        await disable_source(session, source.id, reason=views.removed_reason(user_id))
    log.info("admin %s removed source #%s %s", user_id, source.id, source.url)
    await reply(update, views.removed_message(source))


async def sources_command(update: Update, context: BotContext) -> None:
    """/sources: every source with its health."""
    async with context.services.db.sessions() as session:
        sources = await list_sources(session)
    for text in views.sources_messages(sources, context.now()):
        await reply(update, text)


async def opml_document(update: Update, context: BotContext) -> None:
    """An OPML document from an admin: download it (size-capped) and import its feeds."""
    message, user = update.effective_message, update.effective_user
    document = message.document if message is not None else None
    if document is None or user is None:
        return
    if not is_operator(update, context.services.settings):
        await reply(update, views.IMPORT_NOT_ADMIN)
        return
    if document.file_size is not None and document.file_size > views.MAX_UPLOAD_BYTES:
        await reply(update, views.import_too_big_message(document.file_size))
        return
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.warning("admin %s: could not download %s: %s", user.id, document.file_id, error)
        await reply(update, views.import_download_failed_message(str(error)))
        return
    try:
        report = await import_opml(
            context.services.db,
            data,
            added_by=user.id,
            now=context.now(),
            max_bytes=views.MAX_UPLOAD_BYTES,
            screen=context.services.outbound_policy(for_feeds=True).refusal,
        )
    except OpmlError as error:
        await reply(update, views.import_failed_message(str(error)))
        return
    log.info("admin %s imported %s: %s", user.id, document.file_name, report.summary())
    for text in views.import_messages(report):
        await reply(update, text)


async def importsources_command(update: Update, context: BotContext) -> None:
    """/importsources: how to import (the file itself comes as a document)."""
    await reply(update, views.IMPORT_HOW)


async def exportsources_command(update: Update, context: BotContext) -> None:
    """/exportsources: the enabled sources as an OPML document, grouped by topic."""
    message = update.effective_message
    if message is None:
        return
    now = context.now()
    data, count = await export_opml(context.services.db, now=now)
    name = views.export_file_name(now)
    await message.reply_document(
        InputFile(data, filename=name), caption=views.export_caption(count)
    )
