"""A story coming back once more because it grew: the "Update:" marker on its item.

``digest.returns`` decides when a story a reader already received comes back; its item
looks like any other except for the marker before its title. The marker and the title
are one message, so a translation may place the title where its language wants it.
"""

from __future__ import annotations

from bot.i18n import Translator


def update_marker(t: Translator, title: str) -> str:
    """An item's title line (Telegram HTML ``title``) with the marker before it."""
    # Translators: {title} is the linked headline of a story the reader already received
    # that has grown since (more outlets, or a new headline with new facts).
    return t.html("Update: {title}", title=title)
