"""/start, /help, usage replies and the other short texts about the bot itself."""

from __future__ import annotations

from datetime import time

from bot.i18n import Translator
from bot.parsing.arguments import ArgumentError
from bot.telegram.commands import ADMIN_COMMANDS, READER_COMMANDS, Command
from bot.views.html import bold, code, esc, italic

#: What ends a sentence in the shipped languages (Arabic and Persian: "؟").
_SENTENCE_ENDS = ".!?…؟。"


def _command_line(t: Translator, command: Command) -> str:
    usage, example = t.gettext(command.usage), t.gettext(command.example)
    # The usage is isolated so a right-to-left description still sets the line's direction.
    line = f"{t.isolate(esc(usage))} — {esc(t.gettext(command.description))}"
    if command.example == command.usage:
        return line  # nothing to show beyond the command itself
    # Translators: "for example", before a command's example in /help; keep it short.
    for_example = italic(t.gettext("e.g."))
    return f"{line}\n    {for_example} {t.isolate(code(example))}"


def help_text(t: Translator, *, admin: bool) -> str:
    """Every command with its form and an example; the operators' ones for admins only."""
    parts = [
        bold("Get News Fast"),
        t.html(
            "Short summaries of the news, and a daily digest of the topics you choose, at "
            "your local time. Send me any link and I reply with its summary."
        ),
        "\n".join(_command_line(t, c) for c in READER_COMMANDS),
    ]
    if admin:
        # Translators: the heading of the operators' commands in /help.
        heading = bold(t.gettext("For operators"))
        parts.append(heading + "\n" + "\n".join(_command_line(t, c) for c in ADMIN_COMMANDS))
    parts.append(
        italic(
            t.gettext("In groups, anyone can read; only the group's admins change its settings.")
        )
    )
    return "\n\n".join(parts)


def _greeting(t: Translator, *, name: str | None, created: bool) -> str:
    if not created:
        return t.gettext("Welcome back!")
    if name:
        return t.gettext("Welcome, {name}!", name=name)
    return t.gettext("Welcome!")


def welcome_text(
    t: Translator,
    *,
    name: str | None,
    created: bool,
    zone_label: str,
    at: time,
    group: bool,
    has_topics: bool,
) -> str:
    values = {"time": bold(at.strftime("%H:%M")), "zone": esc(zone_label)}
    if group:
        schedule = t.html(
            "I send this group a short digest of the chosen topics every day at {time} "
            "({zone}). Change it with /settime and /timezone.",
            **values,
        )
    else:
        schedule = t.html(
            "I send you a short digest of the chosen topics every day at {time} ({zone}). "
            "Change it with /settime and /timezone.",
            **values,
        )
    lines = [
        bold(_greeting(t, name=name, created=created)),
        schedule,
        t.html(
            "Ask for /latest news at any moment, or send me a link to summarise it. /help "
            "lists everything."
        ),
    ]
    if has_topics:
        lines.append(t.html("Choose topics below (tap again to remove):"))
    else:
        # Translators: the form of the command; translate "words", keep the quotes.
        form = t.gettext('/subscribe "words"')
        lines.append(
            t.html(
                "No topics are set up yet; follow words with {example} meanwhile.",
                example=esc(form),
            )
        )
    return "\n\n".join(lines)


def argument_reason(t: Translator, error: ArgumentError) -> str:
    """What was wrong with a command's argument, in the reader's language."""
    return t.gettext(error.message, **error.values)


def _sentence(text: str) -> str:
    """A reason as a sentence: capitalised and ending with a full stop. Ours are written
    that way; a clause ("give a link") gets both."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith(tuple(_SENTENCE_ENDS)) else text + "."


def usage_text(t: Translator, command: Command, reason: str | None = None) -> str:
    """The right form of ``command`` with an example, after what was wrong (``reason``,
    already in the reader's language)."""
    form = "\n".join(
        (
            t.html("Use: {usage}", usage=code(t.gettext(command.usage))),
            t.html("Example: {example}", example=code(t.gettext(command.example))),
        )
    )
    return f"{esc(_sentence(reason))}\n\n{form}" if reason else form


def unknown_command_text(t: Translator, name: str) -> str:
    return t.html(
        "I don't know the command {command}. Send /help to see what I can do.",
        command=code("/" + name),
    )


def not_group_admin_text(t: Translator) -> str:
    return t.html(
        "Only this group's admins can change its settings. "
        "Anyone can use /latest, /search and /summarize."
    )


def not_group_admin_answer(t: Translator) -> str:
    """:func:`not_group_admin_text` as the pop-up of a pressed button (plain text)."""
    return t.gettext(
        "Only this group's admins can change its settings. "
        "Anyone can use /latest, /search and /summarize."
    )


def admins_only_text(t: Translator) -> str:
    return t.html("That command is for the bot's operators.")


#: The operators' commands about sources, refused with words of their own.
_SOURCE_COMMANDS = {"addsource", "removesource", "sources", "importsources", "exportsources"}


def operators_only_text(t: Translator, command: str) -> str:
    """What a reader gets for an operator's command."""
    if command in _SOURCE_COMMANDS:
        # The same words as bot.views.sources' refusal (one message in the catalogs).
        return t.html("Sorry, only the bot's admins can manage sources.")
    return admins_only_text(t)


def plain_text_hint(t: Translator) -> str:
    return t.html(
        "Send me a link and I'll summarise the page, or forward me a long text. "
        "/latest shows the newest stories; /help lists everything."
    )


def stale_button_text(t: Translator) -> str:
    return t.gettext("This button no longer works; send the command again.")


def error_text(t: Translator) -> str:
    return t.html("Sorry, something went wrong on my side. Please try again in a minute.")


def button_expired_text(t: Translator) -> str:
    """A button of ours whose data no longer make sense (an old page, a zone gone)."""
    return t.gettext("That button no longer works.")
