"""A digest as Telegram HTML: a dated header, then each followed topic with its stories.

Items look exactly like /latest's (:func:`bot.views.stories.render_story`); a topic's
heading travels with its first story, so a message never ends on a lone heading.
Rendering is pure; :class:`ItemCache` lets the digest tick render a story once per
summary length for all the readers who get it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.views.html import bold, esc
from bot.views.pack import pack_messages, visible_length
from bot.views.stories import render_story
from digest.compose import Composition
from stories import Story


def digest_header(now: datetime, zone: str, item_count: int) -> str:
    """The first line: the date where the reader lives, and how many stories follow."""
    local = now.astimezone(ZoneInfo(zone))
    return _header(f"{local:%A} {local.day} {local:%B %Y}", item_count)


def _header(date: str, item_count: int) -> str:
    stories = f"{item_count} stor{'y' if item_count == 1 else 'ies'}"
    return f"{bold('Your digest · ' + date)}\n{esc(stories)}"


class ItemCache:
    """What many readers' digests share at one instant, rendered once.

    Items by (article, sentences) — most readers of a topic get the same stories — their
    visible lengths for packing, and the date line by zone.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._items: dict[tuple[int, int, bool], str] = {}
        self._lengths: dict[str, int] = {}
        self._dates: dict[str, str] = {}

    def render(self, candidate: Story, sentences: int) -> str:
        key = (candidate.article_id, sentences, candidate.is_update)
        item = self._items.get(key)
        if item is None:
            item = render_story(candidate, sentences=sentences, now=self.now)
            self._items[key] = item
        return item

    def length(self, fragment: str) -> int:
        """:func:`visible_length`, remembered (items recur across readers)."""
        found = self._lengths.get(fragment)
        if found is None:
            found = self._lengths[fragment] = visible_length(fragment)
        return found

    def header(self, zone: str, item_count: int) -> str:
        date = self._dates.get(zone)
        if date is None:
            local = self.now.astimezone(ZoneInfo(zone))
            date = self._dates[zone] = f"{local:%A} {local.day} {local:%B %Y}"
        return _header(date, item_count)


def render_digest(
    composition: Composition, *, zone: str, sentences: int, items: ItemCache
) -> list[str]:
    """The digest's messages, each at most 4096 characters, split only between stories."""
    rendered: list[str] = []
    for title, candidates in composition.sections:
        for position, candidate in enumerate(candidates):
            item = items.render(candidate, sentences)
            rendered.append(f"{bold(title)}\n\n{item}" if position == 0 else item)
    header = items.header(zone, composition.item_count)
    return pack_messages(rendered, header=header, measure=items.length)


def nothing_new_text(*, follows_anything: bool) -> str:
    """The one-line note sent when a digest has nothing new."""
    if not follows_anything:
        return (
            "Your daily digest is empty because you follow nothing yet: choose topics with "
            '/topics, or follow words with /subscribe "words".'
        )
    return "Nothing new on your topics since your last digest. /latest shows the newest stories."


def section_title_for_query(query: str) -> str:
    """How a keyword subscription is titled in the digest."""
    return f"“{query}”"
