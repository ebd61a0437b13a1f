"""/mute, /unmute, /mutes: the replies, the list with its ✕ buttons, the digest's footer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator
from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows

REMOVE = "✕"
LABEL_MAX = 40
#: What the list's phrases may take of a message together (Telegram allows 4096 UTF-16
#: units): 50 phrases of 60 emoji would not fit, so long ones are shortened to share it.
LIST_BUDGET = 3600


@dataclass(frozen=True)
class MuteItem:
    id: int
    phrase: str
    """As the reader typed it."""


def _quoted(t: Translator, phrase: str) -> str:
    """A phrase as the reader's language quotes a reader's words (“…”, «…», „…“)."""
    return t.gettext("“{words}”", words=echo(phrase))


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _clip_units(text: str, units: int) -> str:
    """``text`` in at most ``units`` UTF-16 code units (how Telegram counts), with "…"."""
    if len(text.encode("utf-16-le")) // 2 <= units:
        return text
    kept, used = [], 1
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def muted_text(t: Translator, phrase: str, *, already: bool) -> str:
    if already:
        return t.html(
            "You had muted {phrase} already. /mutes shows everything you muted.",
            phrase=bold(_quoted(t, phrase)),
        )
    return t.html(
        "Muted {phrase}: stories that say it are left out of your digest, /latest and "
        "/search. /unmute {example} brings them back.",
        phrase=bold(_quoted(t, phrase)),
        example=esc(echo(phrase)),
    )


def too_many_mutes_text(t: Translator, limit: int) -> str:
    return t.nhtml(
        "You have muted {count} phrase, the most there can be; unmute one with /mutes first.",
        "You have muted {count} phrases, the most there can be; unmute one with /mutes first.",
        limit,
        count=t.number(limit),
    )


def unmuted_text(t: Translator, phrase: str, *, removed: bool) -> str:
    if removed:
        return t.html(
            "Unmuted {phrase}: its stories can reach you again.", phrase=bold(_quoted(t, phrase))
        )
    return t.html(
        "You had not muted {phrase}. /mutes shows what you muted.", phrase=bold(_quoted(t, phrase))
    )


def mutes_text(t: Translator, items: Sequence[MuteItem]) -> str:
    """The list /mutes shows (and /unmute without a phrase), or how to mute something."""
    if not items:
        return t.html(
            "You have muted nothing. To leave out the stories that say a word, send {example}",
            example=code(t.gettext("/mute football")),
        )
    # Each line also holds a bullet, a space, two quotes and a line break.
    room = max(8, LIST_BUDGET // len(items) - 5)
    lines = [bold(t.gettext("Muted words"))]
    lines += [f"• {esc(_quoted(t, _clip_units(item.phrase, room)))}" for item in items]
    lines.append("")
    lines.append(t.html("Stories that say these are left out. Tap a button to unmute one."))
    return "\n".join(lines)


def mutes_keyboard(items: Sequence[MuteItem]) -> Keyboard:
    """One ✕ button per muted phrase, two to a row (the phrases are the only words)."""
    buttons = [
        Button(f"{REMOVE} {_clip(item.phrase)}", callbacks.unmute_data(item.id)) for item in items
    ]
    return rows(buttons, 2)


def removed_answer(t: Translator, item: MuteItem | None) -> str:
    """The pop-up after a ✕ button."""
    if item is None:
        return t.gettext("Already unmuted.")
    return t.gettext("Unmuted “{phrase}”", phrase=_clip(item.phrase))


def muted_footer(t: Translator, count: int) -> str:
    """The digest's last line when muted words left stories out of it."""
    return t.nhtml(
        "{count} story muted · /mutes",
        "{count} stories muted · /mutes",
        count,
        count=t.number(count),
    )
