"""/start, /help, usage replies and the other short texts about the bot itself."""

from __future__ import annotations

from datetime import time

from bot.telegram.commands import ADMIN_COMMANDS, READER_COMMANDS, Command
from bot.views import sources as sources_views
from bot.views.html import bold, code, esc, italic


def _command_line(command: Command) -> str:
    line = f"{esc(command.usage)} — {esc(command.description)}"
    if command.example == command.usage:
        return line  # nothing to show beyond the command itself
    return f"{line}\n    {italic('e.g.')} {code(command.example)}"


def help_text(*, admin: bool) -> str:
    """Every command with its form and an example; the operators' ones for admins only."""
    parts = [
        bold("Get News Fast"),
        "Short summaries of the news, and a daily digest of the topics you choose, at your "
        "local time. Send me any link and I reply with its summary.",
        "\n".join(_command_line(c) for c in READER_COMMANDS),
    ]
    if admin:
        parts.append(
            bold("For operators") + "\n" + "\n".join(_command_line(c) for c in ADMIN_COMMANDS)
        )
    parts.append(italic("In groups, anyone can read; only the group's admins change its settings."))
    return "\n\n".join(parts)


def welcome_text(
    *, name: str | None, created: bool, zone_label: str, at: time, group: bool, has_topics: bool
) -> str:
    greeting = f"Welcome{', ' + esc(name) if name else ''}!" if created else "Welcome back!"
    who = "this group" if group else "you"
    lines = [
        bold(greeting),
        f"I send {who} a short digest of the chosen topics every day at "
        f"{bold(at.strftime('%H:%M'))} ({esc(zone_label)}). Change it with /settime and /timezone.",
        "Ask for /latest news at any moment, or send me a link to summarise it. /help lists "
        "everything.",
    ]
    if has_topics:
        lines.append("Choose topics below (tap again to remove):")
    else:
        lines.append('No topics are set up yet; follow words with /subscribe "words" meanwhile.')
    return "\n\n".join(lines)


def usage_text(command: Command, reason: str | None = None) -> str:
    """The right form of ``command`` with an example, after what was wrong."""
    head = f"{esc(_capitalise(reason))}.\n\n" if reason else ""
    return f"{head}Use: {code(command.usage)}\nExample: {code(command.example)}"


def unknown_command_text(name: str) -> str:
    return f"I don't know the command {code('/' + name)}. Send /help to see what I can do."


def not_group_admin_text() -> str:
    return (
        "Only this group's admins can change its settings. "
        "Anyone can use /latest, /search and /summarize."
    )


def admins_only_text() -> str:
    return "That command is for the bot's operators."


#: The operators' commands about sources, refused with words of their own.
_SOURCE_COMMANDS = {"addsource", "removesource", "sources", "importsources", "exportsources"}


def operators_only_text(command: str) -> str:
    """What a reader gets for an operator's command."""
    return sources_views.NOT_ADMIN if command in _SOURCE_COMMANDS else admins_only_text()


def plain_text_hint() -> str:
    return (
        "Send me a link and I'll summarise the page, or forward me a long text. "
        "/latest shows the newest stories; /help lists everything."
    )


def stale_button_text() -> str:
    return "This button no longer works; send the command again."


def error_text() -> str:
    return "Sorry, something went wrong on my side. Please try again in a minute."


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def button_expired_text() -> str:
    """A button of ours whose data no longer make sense (an old page, a zone gone)."""
    return "That button no longer works."
