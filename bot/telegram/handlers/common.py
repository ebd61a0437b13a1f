"""What every handler needs: replying in HTML, keyboards, group permissions, the reader row."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    Bot,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.runtime.settings import Settings
from bot.telegram.commands import Command
from bot.telegram.context import BotContext
from bot.views import help as help_views
from bot.views.keyboard import Keyboard
from digest.schedule import next_digest_at
from storage.models import Reader
from storage.readers import get_reader, register_reader

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
#: Telegram shows "typing…" for about five seconds; renew it a little before.
TYPING_RENEW_SECONDS = 4.5


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """The library's inline markup for a keyboard built by a view."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


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
            reply_markup=markup(keyboard),
            # A command deleted meanwhile must not cost the reader the answer.
            allow_sending_without_reply=True,
        )
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, link_preview_options=options, reply_markup=markup(keyboard)
    )


async def reply_all(
    update: Update, texts: Sequence[str], *, keyboard: Keyboard | None = None
) -> None:
    """Send several messages in order; the keyboard goes under the last one."""
    for position, text in enumerate(texts):
        await reply(update, text, keyboard=keyboard if position == len(texts) - 1 else None)


async def reply_usage(update: Update, command: Command, reason: str | None = None) -> None:
    """The right form of the command, with an example, after what was wrong."""
    await reply(update, help_views.usage_text(command, reason))


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
            await query.edit_message_reply_markup(markup(keyboard))
        else:
            await query.edit_message_text(
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup(keyboard),
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
    text = help_views.not_group_admin_text()
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)
    return False


def is_operator(update: Update, settings: Settings) -> bool:
    user = update.effective_user
    return user is not None and user.id in settings.admin_ids


async def ensure_reader(
    session: AsyncSession, context: BotContext, chat: Chat, *, touch: bool = False
) -> tuple[Reader, bool]:
    """The chat's reader row, created with the operator's default schedule if new.

    ``touch`` (for /start) also refreshes the title and unblocks a reader who comes back.
    Returns the reader and whether it was created.
    """
    existing = await get_reader(session, chat.id)
    if existing is not None and not touch:
        return existing, False
    was_blocked = existing is not None and existing.blocked_at is not None
    settings = context.services.settings
    now = context.now()
    zone, at = settings.default_timezone, settings.default_digest_time
    reader, created = await register_reader(
        session,
        chat_id=chat.id,
        chat_type=chat.type,
        title=chat.title if is_group(chat) else None,
        timezone=zone,
        digest_time=at,
        next_digest_at=next_digest_at(now, zone, at),
        now=now,
    )
    if was_blocked and reader.next_digest_at is not None and reader.next_digest_at <= now:
        # Back after blocking the bot: the due time went stale while nothing could be
        # sent; the next digest comes at the reader's own time, not at once.
        reader.next_digest_at = next_digest_at(now, reader.timezone, reader.digest_time)
    return reader, created


@asynccontextmanager
async def reader_transaction(
    context: BotContext, chat: Chat, *, touch: bool = False
) -> AsyncIterator[tuple[AsyncSession, Reader, bool]]:
    """A write transaction with the chat's reader row (created if new)."""
    async with context.services.db.sessions.begin() as session:
        reader, created = await ensure_reader(session, context, chat, touch=touch)
        yield session, reader, created


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block ends (renewed while it lasts)."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_RENEW_SECONDS)
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)

    with contextlib.suppress(TelegramError):
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
