"""What every handler needs: replying in HTML, keyboards, group permissions, the reader row."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    Bot,
    Chat,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.actions import readers
from bot.actions.readers import ChatRef
from bot.delivery.sender import inline_markup
from bot.i18n import DEFAULT_LOCALE, Translator
from bot.parsing.arguments import ArgumentError, command_argument
from bot.runtime.settings import Settings
from bot.telegram.commands import Command
from bot.telegram.commands import command as command_named
from bot.telegram.context import BotContext
from bot.views import help as help_views
from bot.views.keyboard import Keyboard
from storage.keys import ReaderKey
from storage.models import Reader

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
T = TypeVar("T")
_GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
#: Telegram shows "typing…" for about five seconds; renew it a little before.
TYPING_RENEW_SECONDS = 4.5


def is_group(chat: Chat) -> bool:
    return chat.type in _GROUPS


async def reply(
    update: Update, text: str, *, keyboard: Keyboard | None = None, preview: bool = False
) -> Message | None:
    """Answer in the update's chat, in HTML (in groups, as a reply to the command)."""
    message = update.effective_message
    options = None if preview else NO_PREVIEW
    if message is not None:
        return await message.reply_text(
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=options,
            reply_markup=inline_markup(keyboard),
            # A command deleted meanwhile must not cost the reader the answer.
            allow_sending_without_reply=True,
        )
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text,
        parse_mode=ParseMode.HTML,
        link_preview_options=options,
        reply_markup=inline_markup(keyboard),
        message_thread_id=thread_of(update) or None,
    )


async def reply_all(
    update: Update,
    texts: Sequence[str],
    *,
    keyboard: Keyboard | None = None,
    keyboards: Sequence[Keyboard | None] | None = None,
) -> None:
    """Send several messages in order; ``keyboard`` goes under the last one, or each
    message gets its own of ``keyboards`` (one per text)."""
    for position, text in enumerate(texts):
        if keyboards is not None:
            chosen = keyboards[position]
        else:
            chosen = keyboard if position == len(texts) - 1 else None
        await reply(update, text, keyboard=chosen)


async def reply_usage(
    update: Update, t: Translator, command: Command, reason: str | None = None
) -> None:
    """The right form of the command, with an example, after what was wrong (``reason``:
    already in the reader's language)."""
    await reply(update, help_views.usage_text(t, command, reason))


async def parsed_argument(
    update: Update, t: Translator, name: str, parse: Callable[[str], T]
) -> T | None:
    """The argument of the command ``name``, read by ``parse``; None, after a reply showing
    the command's right form and what was wrong, when ``parse`` raises ArgumentError."""
    message = update.effective_message
    if message is None:
        return None
    try:
        return parse(command_argument(message.text))
    except ArgumentError as error:
        await reply_usage(update, t, command_named(name), help_views.argument_reason(t, error))
        return None


async def edit(
    update: Update, text: str | None = None, *, keyboard: Keyboard | None = None
) -> None:
    """Change the message a button was pressed under: its text (and keyboard), or only the
    keyboard. Pressing twice quickly asks for the same content; Telegram refuses that with
    "message is not modified", which is no error for the reader."""
    query = update.callback_query
    if query is None:
        return
    try:
        if text is None:
            await query.edit_message_reply_markup(inline_markup(keyboard))
        else:
            await query.edit_message_text(
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=inline_markup(keyboard),
            )
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def may_change_settings(update: Update, context: BotContext) -> bool:
    """In a private chat, the reader; in a group, only the group's admins."""
    chat = update.effective_chat
    if chat is None:
        return False
    if not is_group(chat):
        return True
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        # An anonymous admin writes as the group itself.
        return message.sender_chat.id == chat.id
    user = update.effective_user
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in _ADMINS


async def require_settings_permission(update: Update, context: BotContext) -> bool:
    """True when the sender may change this chat's settings; otherwise says why."""
    if await may_change_settings(update, context):
        return True
    t = context.t
    if update.callback_query is not None:
        await update.callback_query.answer(help_views.not_group_admin_answer(t), show_alert=True)
    else:
        await reply(update, help_views.not_group_admin_text(t))
    return False


def is_operator(update: Update, settings: Settings) -> bool:
    user = update.effective_user
    return user is not None and user.id in settings.admin_ids


def thread_of(update: Update) -> int:
    """The forum topic an update happened in (its ``message_thread_id``), or 0.

    Only a topic of a forum supergroup counts: in a plain group a reply chain also has a
    ``message_thread_id``, which is no place of its own. For a button, the topic is the
    one of the message the button is under. A forum's General topic is 0, the chat itself.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or not chat.is_forum or not message.is_topic_message:
        return 0
    return message.message_thread_id or 0


def chat_ref(update: Update, language: str = DEFAULT_LOCALE) -> ChatRef:
    """The reader an update comes from, as the actions know it: its chat, and inside a
    forum supergroup the topic it was written in. ``language`` (pass ``context.t.code``)
    is what a new reader row starts with."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("an update without a chat has no reader")
    return ChatRef(
        id=chat.id,
        type=chat.type,
        group=is_group(chat),
        title=chat.title,
        thread_id=thread_of(update),
        language=language,
    )


def reader_of(update: Update) -> ReaderKey:
    """The key of the reader an update comes from (chat and forum topic)."""
    return chat_ref(update).key


@asynccontextmanager
async def reader_transaction(
    context: BotContext, update: Update, *, touch: bool = False
) -> AsyncIterator[tuple[AsyncSession, Reader, bool]]:
    """A write transaction with the update's reader row (created if new)."""
    ref = chat_ref(update, context.t.code)
    async with readers.reader_transaction(context.services, ref, context.now(), touch=touch) as (
        session,
        reader,
        created,
    ):
        yield session, reader, created


@asynccontextmanager
async def typing(bot: Bot, chat_id: int, thread_id: int = 0) -> AsyncIterator[None]:
    """Show "typing…" in the chat (or its forum topic) until the block ends (renewed while
    it lasts)."""

    async def show() -> None:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(
                chat_id, ChatAction.TYPING, message_thread_id=thread_id or None
            )

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_RENEW_SECONDS)
            await show()

    await show()
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
