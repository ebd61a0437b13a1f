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

from telegram import Document, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.actions import sources
from bot.actions.sources import CheckFailed, UnknownTopics
from bot.parsing.arguments import topic_list
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import is_operator, reply
from bot.views import sources as views
from ingest.opml import OpmlError
from ingest.opml_sources import export_opml
from ingest.sources_file import is_feed_url

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
        await reply(update, views.add_usage_text(context.t))
        return
    url, topics = args[0], topic_list(args[1:])
    user_id = update.effective_user.id if update.effective_user else None
    result = await sources.add(context.services, url, topics, user_id, context.now())
    if isinstance(result, UnknownTopics):
        text = views.unknown_topics_message(context.t, result.unknown, result.known)
    elif isinstance(result, CheckFailed):
        text = views.add_failed_message(context.t, url, result.reason)
    else:
        text = views.added_message(
            context.t,
            result.source,
            created=result.created,
            title=result.title,
            entries=result.entries,
            newest=result.newest,
        )
    await reply(update, text)


async def removesource_command(update: Update, context: BotContext) -> None:
    """/removesource <id|url>: stop fetching a source (its articles stay)."""
    args: list[str] = list(context.args or [])
    if len(args) != 1:
        await reply(update, views.remove_usage_text(context.t))
        return
    user_id = update.effective_user.id if update.effective_user else None
    reason = views.removed_reason(user_id)
    source = await sources.remove(context.services, args[0], user_id, reason)
    if source is None:
        await reply(update, views.not_found_message(context.t, args[0]))
        return
    await reply(update, views.removed_message(context.t, source))


async def sources_command(update: Update, context: BotContext) -> None:
    """/sources: every source with its health."""
    every = await sources.every_source(context.services)
    for text in views.sources_messages(context.t, every, context.now()):
        await reply(update, text)


async def opml_document(update: Update, context: BotContext) -> None:
    """An OPML document from an admin: download it (size-capped) and import its feeds."""
    message, user = update.effective_message, update.effective_user
    document = message.document if message is not None else None
    if document is None or user is None:
        return
    if not is_operator(update, context.services.settings):
        await reply(update, views.import_not_admin_text(context.t))
        return
    data = await _download(update, context, document, user.id)
    if data is None:
        return
    now, limit = context.now(), views.MAX_UPLOAD_BYTES
    try:
        report = await sources.import_file(context.services, data, user.id, now, limit)
    except OpmlError as error:
        await reply(update, views.import_failed_message(context.t, str(error)))
        return
    log.info("admin %s imported %s: %s", user.id, document.file_name, report.summary())
    for text in views.import_messages(context.t, report):
        await reply(update, text)


async def _download(
    update: Update, context: BotContext, document: Document, user_id: int
) -> bytes | None:
    """The document's bytes (size-capped); None, with the reason said, when it fails."""
    if document.file_size is not None and document.file_size > views.MAX_UPLOAD_BYTES:
        await reply(update, views.import_too_big_message(context.t, document.file_size))
        return None
    try:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.warning("admin %s: could not download %s: %s", user_id, document.file_id, error)
        await reply(update, views.import_download_failed_message(context.t, str(error)))
        return None


async def importsources_command(update: Update, context: BotContext) -> None:
    """/importsources: how to import (the file itself comes as a document)."""
    await reply(update, views.import_how_text(context.t))


async def exportsources_command(update: Update, context: BotContext) -> None:
    """/exportsources: the enabled sources as an OPML document, grouped by topic."""
    message = update.effective_message
    if message is None:
        return
    now = context.now()
    data, count = await export_opml(context.services.db, now=now)
    name = views.export_file_name(now)
    await message.reply_document(
        InputFile(data, filename=name), caption=views.export_caption(context.t, count)
    )
