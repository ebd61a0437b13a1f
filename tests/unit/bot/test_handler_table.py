"""The one registration table: every command answered, each behind the rules its entry in
the command table sets, and the groups in the order the per-reader throttle relies on."""

from __future__ import annotations

from typing import Any

from telegram.ext import CommandHandler, MessageHandler, TypeHandler

from bot.app import handler_table
from bot.telegram.commands import ALIASES, ALL_COMMANDS, command
from bot.telegram.handlers import locale, membership, throttle


def _commands() -> dict[str, CommandHandler[Any, Any]]:
    found: dict[str, CommandHandler[Any, Any]] = {}
    for _group, handler in handler_table():
        if isinstance(handler, CommandHandler):
            for name in handler.commands:
                assert name not in found, f"/{name} registered twice"
                found[name] = handler
    return found


def test_every_command_of_the_menu_and_every_alias_has_one_handler() -> None:
    assert set(_commands()) == {c.name for c in ALL_COMMANDS} | set(ALIASES)


def test_the_permission_rules_come_from_the_command_table() -> None:
    for name, handler in _commands().items():
        spec = command(ALIASES.get(name, name))
        wrapper = handler.callback.__name__
        if spec.changes_settings:
            assert wrapper == "for_settings_changers", name
        elif spec.admin:
            assert wrapper == "for_operators", name
        else:
            assert not wrapper.startswith("for_"), name


def test_migrations_then_the_throttle_then_the_chat_language_then_commands() -> None:
    table = handler_table()
    type_handlers = [(g, h.callback) for g, h in table if isinstance(h, TypeHandler)]
    assert type_handlers == [
        (throttle.GROUP, throttle.throttle),
        (locale.GROUP, locale.use_chat_locale),
    ]
    assert (throttle.GROUP, locale.GROUP) == (-2, -1)
    first_message_handler = next(g for g, h in table if isinstance(h, MessageHandler))
    assert first_message_handler == membership.MIGRATION_GROUP == -3
    assert {g for g, h in table if isinstance(h, CommandHandler)} == {0}
