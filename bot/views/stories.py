"""Stories as readers see them in /latest and /search: title link, summary, source, age.

One story is one item; :func:`story_messages` packs items into messages of at most 4096
characters without splitting any item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import Translator, translator
from bot.views.html import bold, bold_link, echo, esc, italic
from bot.views.keyboard import Button, Keyboard
from bot.views.pack import pack_messages, truncate_text
from bot.views.updates import update_marker
from stories import Story

#: Room for one story: the title, the reader's sentences and a footer, well under 4096.
TITLE_MAX = 300
SENTENCE_MAX = 600


def relative_time(when: datetime, now: datetime) -> str:
    """How long ago, as people say it: "just now", "5 min ago", "3 h ago", "2 days ago"."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return when.strftime("%-d %b %Y") if when.year != now.year else when.strftime("%-d %b")


def render_story(
    story: Story, *, sentences: int, now: datetime, t: Translator | None = None
) -> str:
    """One story as Telegram HTML: bold linked title, ``sentences`` of summary, a footer.

    A story coming back because it grew (``story.is_update``) is marked "Update:".
    """
    title = truncate_text(" ".join(story.title.split()) or story.url, TITLE_MAX)
    lines = [bold_link(story.url, title)]
    if story.is_update:
        lines[0] = update_marker(t or translator("en"), lines[0])
    summary = " ".join(truncate_text(s.strip(), SENTENCE_MAX) for s in story.summary_for(sentences))
    if summary:
        lines.append(esc(summary))
    footer = [story.source or "", relative_time(story.published_at, now)]
    if story.more_sources:
        footer.append(f"+{story.more_sources} more source{'s' if story.more_sources > 1 else ''}")
    lines.append(italic(" · ".join(part for part in footer if part)))
    return "\n".join(lines)


def story_messages(
    stories: Sequence[Story], *, heading: str, sentences: int, now: datetime
) -> list[str]:
    """``heading`` (plain text) then the stories, packed into as few messages as fit."""
    items = [render_story(s, sentences=sentences, now=now) for s in stories]
    return pack_messages(items, header=bold(heading))


def no_stories_text(what: str) -> str:
    return f"Nothing {esc(what)} yet. New stories arrive every few minutes; try again later."


def more_keyboard(data: str) -> Keyboard:
    """The button under a listing that has more stories."""
    return ((Button("More ▸", data),),)


def no_more_stories_text() -> str:
    return "No more stories here. /latest shows the newest."


def no_latest_text(topic_name: str | None) -> str:
    """/latest found nothing (of one topic, or at all)."""
    return no_stories_text(f"in {topic_name}" if topic_name else "stored")


def latest_heading(topic_name: str | None, *, continued: bool) -> str:
    heading = f"Latest in {topic_name}" if topic_name else "Latest news"
    return heading + ", continued" if continued else heading


def topic_gone_text() -> str:
    return "That topic is gone. /topics lists the current ones."


def search_problem_text(problem: str) -> str:
    """Why a /search cannot run (see ``bot.actions.news.search_problem``)."""
    return {
        "empty": "say which words to look for",
        "no_words": "search needs letters or digits",
    }.get(problem, "those words are too common to search for; add a more specific one")


def no_matches_text(query: str) -> str:
    return no_stories_text(f"matches “{echo(query)}”")


def search_heading(query: str) -> str:
    return f"Stories matching “{echo(query)}”"
