"""Replies about the per-reader limits (bot.telegram.fairness, docs/limits.md)."""

from __future__ import annotations

from bot.i18n import Translator


def slow_down_text(t: Translator) -> str:
    return t.gettext(
        "You're sending messages faster than I can answer fairly. Please slow down: "
        "I'll answer again in a minute."
    )


def too_many_links_text(t: Translator, limit: int) -> str:
    return t.ngettext(
        "I'm already reading a link for you; send this one again when it is done.",
        "I'm already reading {count} links for you; send this one again when they are done.",
        limit,
        count=limit,
    )
