"""Replies about the per-reader limits (bot.telegram.fairness, docs/limits.md)."""

from __future__ import annotations


def slow_down_text() -> str:
    return (
        "You're sending messages faster than I can answer fairly. Please slow down: "
        "I'll answer again in a minute."
    )


def too_many_links_text(limit: int) -> str:
    links = "link" if limit == 1 else f"{limit} links"
    return f"I'm already reading {links} for you; send this one again when they are done."
