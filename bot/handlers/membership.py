"""The bot's own membership: removed from a group or blocked in a private chat."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.context import BotApplication, BotContext
from storage.readers import mark_blocked

_GONE = {ChatMember.LEFT, ChatMember.BANNED}


async def on_my_membership(update: Update, context: BotContext) -> None:
    """Stop scheduling digests for a chat that removed or blocked the bot."""
    change, chat = update.my_chat_member, update.effective_chat
    if change is None or chat is None or change.new_chat_member.status not in _GONE:
        return
    async with context.services.db.sessions.begin() as session:
        await mark_blocked(session, chat.id, context.now())


def register(application: BotApplication) -> None:
    application.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
