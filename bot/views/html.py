"""Building Telegram HTML safely: every piece of text from a reader or a feed goes through here.

Telegram's HTML accepts only a few tags and needs ``<``, ``>`` and ``&`` escaped in text;
inside ``href`` quotes must be escaped too. A single unescaped character makes Telegram
refuse the whole message, so nothing user- or feed-supplied is ever concatenated raw.
"""

from __future__ import annotations

import html

#: What a reader typed is quoted back at most this long, so an answer never outgrows
#: Telegram's 4096 characters however long the question.
ECHO_MAX = 60


def echo(text: str) -> str:
    """Reader-typed text to quote back: one line, at most :data:`ECHO_MAX` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= ECHO_MAX else flat[: ECHO_MAX - 1].rstrip() + "…"


def esc(text: str) -> str:
    """Text as Telegram HTML (quotes may stay: they are only special inside attributes)."""
    return html.escape(text, quote=False)


def bold(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def italic(text: str) -> str:
    return f"<i>{esc(text)}</i>"


def code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def link(url: str, text: str) -> str:
    """A link; the URL is escaped for the attribute, the label as text."""
    return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'


def bold_link(url: str, text: str) -> str:
    """A bold link, how titles of stories and pages are shown."""
    return f"<b>{link(url, text)}</b>"
