"""Packing rendered items into Telegram messages of at most 4096 characters.

Telegram counts a message's length after parsing its entities, in UTF-16 code units:
tags and the URLs inside ``href`` do not count, ``&amp;`` counts as one. Measuring
that way (rather than the raw HTML) fits about a third more text per message.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")


def visible_length(fragment: str) -> int:
    """Length of Telegram HTML as Telegram counts it (UTF-16 units, tags removed)."""
    return _utf16_len(html.unescape(_TAG.sub("", fragment)))


def pack_messages(
    items: Sequence[str],
    *,
    header: str = "",
    separator: str = "\n\n",
    limit: int = TELEGRAM_LIMIT,
    measure: Callable[[str], int] = visible_length,
) -> list[str]:
    """Join ``items`` into as few messages as fit, splitting only between items.

    ``header`` starts the first message. Every item must already fit in one message on
    its own (see :func:`truncate_html_item`); an item that does not raises ValueError,
    because cutting Telegram HTML blindly would break its tags. ``measure`` may be a
    cached :func:`visible_length` (the digest tick packs the same items for many readers).
    """
    messages: list[str] = []
    current = header
    current_len = measure(header)
    sep_len = measure(separator)
    for item in items:
        item_len = measure(item)
        if item_len > limit:
            raise ValueError(f"an item of {item_len} characters cannot fit in one message")
        joiner = separator if current else ""
        joiner_len = sep_len if current else 0
        if current and current_len + joiner_len + item_len > limit:
            messages.append(current)
            current, current_len = item, item_len
        else:
            current += joiner + item
            current_len += joiner_len + item_len
    if current:
        messages.append(current)
    return messages


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def truncate_text(text: str, max_chars: int) -> str:
    """Shorten plain text to at most ``max_chars`` (UTF-16 units), on a word boundary."""
    if _utf16_len(text) <= max_chars:
        return text
    budget = max_chars - 1  # room for the ellipsis
    kept: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > budget:
            break
        kept.append(char)
        used += width
    cut = "".join(kept)
    space = cut.rfind(" ")
    if space > budget // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
