"""/stop: the confirmation, and what happened."""

from __future__ import annotations

from bot.i18n import Translator
from bot.telegram import callbacks
from bot.views.html import bold
from bot.views.keyboard import Button, Keyboard


def confirm_text(t: Translator, group: bool) -> str:
    sure = bold(t.gettext("Are you sure?"))
    if group:
        return t.html(
            "This deletes this group's topics, schedule and history, and stops all messages. "
            "{are_you_sure}",
            are_you_sure=sure,
        )
    return t.html(
        "This deletes your topics, schedule and history, and stops all messages. {are_you_sure}",
        are_you_sure=sure,
    )


def confirm_keyboard(t: Translator) -> Keyboard:
    return (
        (
            Button(t.gettext("Yes, forget me"), callbacks.FORGET_YES),
            Button(t.gettext("Cancel"), callbacks.FORGET_NO),
        ),
    )


def forgotten_text(t: Translator) -> str:
    return t.html(
        "Done: everything about this chat is deleted and I won't write again. /start to come back."
    )


def nothing_to_forget_text(t: Translator) -> str:
    return t.html("I don't have anything about this chat. /start to begin.")


def kept_text(t: Translator) -> str:
    return t.html("Nothing was deleted.")


def forgotten_answer(t: Translator) -> str:
    return t.gettext("Forgotten")
