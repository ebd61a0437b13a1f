"""Turning the command table into the library's handlers, with the permission rules.

The two rules about who may do what are enforced here, once, when a handler is built
for the registration table in ``bot.app``, never by hand inside a handler:

- an operator's command (``Command.admin``) answers anyone not listed in
  ``NEWSBOT_ADMIN_IDS`` with a refusal and goes no further;
- a command that changes the chat's settings (``Command.changes_settings``), and every
  button that does, runs in a group only for the group's admins (anyone in a private
  chat); the others get one line saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.telegram.commands import ALIASES, Command
from bot.telegram.commands import command as command_named
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import is_operator, reply, require_settings_permission
from bot.views.help import operators_only_text

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
Handler = BaseHandler[Update, BotContext, None]


def operators_only(command: Command, callback: Callback) -> Callback:
    """``callback`` for the operators; everyone else gets the command's refusal."""

    async def for_operators(update: Update, context: BotContext) -> None:
        if not is_operator(update, context.services.settings):
            await reply(update, operators_only_text(context.t, command.name))
            return
        await callback(update, context)

    return for_operators


def settings_changers_only(callback: Callback) -> Callback:
    """``callback`` for whoever may change the chat's settings (in groups: its admins)."""

    async def for_settings_changers(update: Update, context: BotContext) -> None:
        if await require_settings_permission(update, context):
            await callback(update, context)

    return for_settings_changers


def guarded(command: Command, callback: Callback) -> Callback:
    """``callback`` behind the rules the command table sets for ``command``."""
    if command.admin:
        callback = operators_only(command, callback)
    if command.changes_settings:
        callback = settings_changers_only(callback)
    return callback


def command(name: str, callback: Callback) -> Handler:
    """The handler of the command ``name`` (and its aliases), by the command table's rules."""
    names = [name, *(alias for alias, meant in ALIASES.items() if meant == name)]
    return CommandHandler(
        names, guarded(command_named(name), callback), filters=filters.UpdateType.MESSAGE
    )


def button(pattern: str, callback: Callback) -> Handler:
    """The handler of the buttons whose data match ``pattern``; anyone may press them."""
    return CallbackQueryHandler(callback, pattern=pattern)


def settings_button(pattern: str, callback: Callback) -> Handler:
    """The handler of buttons that change the chat's settings (in groups: admins only)."""
    return CallbackQueryHandler(settings_changers_only(callback), pattern=pattern)
