"""The bot's own membership: removed from a group or blocked in a private chat; groups
that became supergroups (a new chat id)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.telegram.context import BotContext
from storage.readers import mark_chat_blocked, move_reader

log = logging.getLogger(__name__)

_GONE = {ChatMember.LEFT, ChatMember.BANNED}
#: Service messages are handled before every other group's handlers can claim the update,
#: the per-reader throttle (group -2) included: a move is never dropped as a flood.
MIGRATION_GROUP = -3


async def on_my_membership(update: Update, context: BotContext) -> None:
    """Stop scheduling digests for a chat that removed or blocked the bot (every forum
    topic of it too)."""
    change, chat = update.my_chat_member, update.effective_chat
    if change is None or chat is None or change.new_chat_member.status not in _GONE:
        return
    async with context.services.db.sessions.begin() as session:
        await mark_chat_blocked(session, chat.id, context.now())


async def on_migration(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its readers (settings, topics, ledger; every forum
    topic's, should it have any) move to its id.

    Telegram says it twice, ``migrate_to_chat_id`` in the old group and
    ``migrate_from_chat_id`` in the new one; the move happens once (it is idempotent),
    and a digest that meets the old id first moves the reader the same way.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with context.services.db.sessions.begin() as session:
        moved = await move_reader(session, old, new)
    if moved:
        log.info("chat %d became supergroup %d: reader moved", old, new)
