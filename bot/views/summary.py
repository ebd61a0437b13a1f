"""Replies to /summarize: the summary of a page or a text, or why there is none."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.views.html import bold, bold_link, esc, italic
from bot.views.pack import pack_messages, truncate_text

TITLE_MAX = 300
SENTENCE_MAX = 1000


def summary_messages(sentences: Sequence[str], *, title: str | None, url: str | None) -> list[str]:
    """The summary as bullet points under the (linked) title, in as few messages as fit."""
    heading = truncate_text(" ".join((title or "").split()), TITLE_MAX)
    header = bold_link(url, heading or _host(url)) if url else bold(heading or "Summary")
    items = [f"• {esc(truncate_text(' '.join(s.split()), SENTENCE_MAX))}" for s in sentences]
    if url:
        items.append(italic(_host(url)))
    return pack_messages(items, header=header, separator="\n")


def link_refused_text(reason: str) -> str:
    return f"I can't summarise that link: {esc(reason)}."


def nothing_to_summarise_text() -> str:
    return "I found no article text on that page to summarise."


def too_short_text() -> str:
    return "That text is already short; there is nothing to condense."


def still_working_text() -> str:
    return "I'm still reading the previous one; send this again in a moment."


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def not_a_link_reason() -> str:
    return "that is not a link"


def what_to_summarise_reason() -> str:
    return "send a link, or use /summarize in reply to a message with a link or a text"
