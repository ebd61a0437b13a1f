"""A digest as Telegram HTML: a dated header, then each followed topic with its stories.

Items look exactly like /latest's (:func:`bot.views.stories.render_story`); a topic's
heading travels with its first story, so a message never ends on a lone heading.
Each reader's digest is in their language (``translator(reader.language)``): the date
in full as their locale writes it, "3 stories" in its plural forms, the stories' ages.
Rendering is pure; :class:`ItemCache` lets the digest tick render a story once per
locale and summary length for all the readers who get it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.views.html import bold
from bot.views.mutes import muted_footer
from bot.views.pack import pack_messages, visible_length
from bot.views.stories import render_story
from digest.compose import Composition
from stories import Story


def local_day(now: datetime, zone: str) -> date:
    """The reader's calendar day at ``now``, in their zone."""
    return now.astimezone(ZoneInfo(zone)).date()


def digest_header(t: Translator, now: datetime, zone: str, item_count: int) -> str:
    """The first line: the date where the reader lives, and how many stories follow."""
    return _header(t, t.long_date(local_day(now, zone)), item_count)


def _header(t: Translator, full_date: str, item_count: int) -> str:
    # Translators: the first line of a digest, followed by the full date ("Tuesday, June 2,
    # 2026") in the reader's time zone.
    title = t.gettext("Your digest · {date}", date=full_date)
    # Translators: the second line of a digest: how many stories it holds.
    count = t.nhtml("{count} story", "{count} stories", item_count, count=t.number(item_count))
    return f"{bold(title)}\n{count}"


class ItemCache:
    """What many readers' digests share at one instant, rendered once.

    Items by (locale, article, sentences) — most readers of a topic get the same stories,
    and readers of one language the same words — their visible lengths for packing, and
    the date line by (locale, zone).
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._items: dict[tuple[str, int, int, bool], str] = {}
        self._lengths: dict[str, int] = {}
        self._dates: dict[tuple[str, str], str] = {}

    def render(self, t: Translator, candidate: Story, sentences: int) -> str:
        key = (t.code, candidate.article_id, sentences, candidate.is_update)
        item = self._items.get(key)
        if item is None:
            item = render_story(t, candidate, sentences=sentences, now=self.now)
            self._items[key] = item
        return item

    def length(self, fragment: str) -> int:
        """:func:`visible_length`, remembered (items recur across readers)."""
        found = self._lengths.get(fragment)
        if found is None:
            found = self._lengths[fragment] = visible_length(fragment)
        return found

    def header(self, t: Translator, zone: str, item_count: int) -> str:
        key = (t.code, zone)
        full_date = self._dates.get(key)
        if full_date is None:
            full_date = self._dates[key] = t.long_date(local_day(self.now, zone))
        return _header(t, full_date, item_count)


def render_digest(
    t: Translator, composition: Composition, *, zone: str, sentences: int, items: ItemCache
) -> list[str]:
    """The digest's messages, each at most 4096 characters, split only between stories."""
    rendered: list[str] = []
    for title, candidates in composition.sections:
        for position, candidate in enumerate(candidates):
            item = items.render(t, candidate, sentences)
            rendered.append(f"{bold(title)}\n\n{item}" if position == 0 else item)
    if composition.muted:
        rendered.append(muted_footer(t, composition.muted))
    header = items.header(t, zone, composition.item_count)
    return pack_messages(rendered, header=header, measure=items.length)


def nothing_new_text(t: Translator, *, follows_anything: bool, muted: int = 0) -> str:
    """The note sent when a digest has nothing new (and, when muted words left stories
    out, how many: otherwise "nothing new" would hide that there was news)."""
    if not follows_anything:
        return t.html(
            "Your daily digest is empty because you follow nothing yet: choose topics with "
            '/topics, or follow words with /subscribe "words".'
        )
    note = t.html(
        "Nothing new on your topics since your last digest. /latest shows the newest stories."
    )
    return f"{note}\n{muted_footer(t, muted)}" if muted else note


def section_title_for_query(t: Translator, query: str) -> str:
    """How a keyword subscription is titled in the digest (plain text; kept as typed)."""
    # Translators: a digest section of stories matching words a reader follows.
    return t.gettext("“{words}”", words=query)
