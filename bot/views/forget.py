"""/stop: the confirmation, and what happened."""

from __future__ import annotations

from bot.telegram import callbacks
from bot.views.html import bold
from bot.views.keyboard import Button, Keyboard


def confirm_text(group: bool) -> str:
    whose = "this group's" if group else "your"
    return (
        f"This deletes {whose} topics, schedule and history, and stops all messages. "
        f"{bold('Are you sure?')}"
    )


def confirm_keyboard() -> Keyboard:
    return (
        (Button("Yes, forget me", callbacks.FORGET_YES), Button("Cancel", callbacks.FORGET_NO)),
    )


def forgotten_text() -> str:
    return (
        "Done: everything about this chat is deleted and I won't write again. /start to come back."
    )


def nothing_to_forget_text() -> str:
    return "I don't have anything about this chat. /start to begin."


def kept_text() -> str:
    return "Nothing was deleted."


def forgotten_answer() -> str:
    return "Forgotten"
