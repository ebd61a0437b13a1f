"""Stories as readers see them in /latest and /search: title link, summary, source, age.

One story is one item; :func:`story_messages` packs items into messages of at most 4096
characters without splitting any item. Every word goes through the reader's
:class:`~bot.i18n.Translator`: the age ("2 hr. ago") and the "+3 more sources" plural
are the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import Translator
from bot.views.html import bold, bold_link, echo, esc, italic
from bot.views.keyboard import Button, Keyboard
from bot.views.pack import pack_messages, truncate_text
from bot.views.updates import update_marker
from stories import Story

#: Room for one story: the title, the reader's sentences and a footer, well under 4096.
TITLE_MAX = 300
SENTENCE_MAX = 600


def render_story(t: Translator, story: Story, *, sentences: int, now: datetime) -> str:
    """One story as Telegram HTML: bold linked title, ``sentences`` of summary, a footer.

    A story coming back because it grew (``story.is_update``) is marked "Update:".
    """
    title = truncate_text(" ".join(story.title.split()) or story.url, TITLE_MAX)
    lines = [bold_link(story.url, title)]
    if story.is_update:
        lines[0] = update_marker(t, lines[0])
    summary = " ".join(truncate_text(s.strip(), SENTENCE_MAX) for s in story.summary_for(sentences))
    if summary:
        lines.append(esc(summary))
    lines.append(italic(story_footer(t, story, now=now)))
    return "\n".join(lines)


def story_footer(t: Translator, story: Story, *, now: datetime) -> str:
    """Where a story comes from and when, as plain text: "Source · 2 hr. ago · +2 more
    sources" (the parts a story lacks are left out, each arrangement a whole message)."""
    age = t.relative(story.published_at, now)
    source = story.source
    more = story.more_sources
    if source and more:
        # Translators: a story's footer: the outlet, how long ago, and how many other
        # outlets told the same story. "·" separates the parts.
        return t.ngettext(
            "{source} · {age} · +{count} more source",
            "{source} · {age} · +{count} more sources",
            more,
            source=source,
            age=age,
            count=t.number(more),
        )
    if more:
        # Translators: a story's footer when its outlet has no name: how long ago, and
        # how many other outlets told the same story.
        return t.ngettext(
            "{age} · +{count} more source",
            "{age} · +{count} more sources",
            more,
            age=age,
            count=t.number(more),
        )
    if source:
        # Translators: a story's footer: the outlet, then how long ago ("2 hr. ago").
        return t.gettext("{source} · {age}", source=source, age=age)
    return age


def story_messages(
    t: Translator, stories: Sequence[Story], *, heading: str, sentences: int, now: datetime
) -> list[str]:
    """``heading`` (plain text) then the stories, packed into as few messages as fit."""
    items = [render_story(t, s, sentences=sentences, now=now) for s in stories]
    return pack_messages(items, header=bold(heading))


def more_keyboard(t: Translator, data: str) -> Keyboard:
    """The button under a listing that has more stories."""
    # Translators: the button under a list of stories that shows the next ones.
    return ((Button(t.gettext("More ▸"), data),),)


def no_more_stories_text(t: Translator) -> str:
    return t.html("No more stories here. /latest shows the newest.")


def no_latest_text(t: Translator, topic_name: str | None) -> str:
    """/latest found nothing (of one topic, or at all)."""
    if topic_name:
        return t.html(
            "Nothing in {topic} yet. New stories arrive every few minutes; try again later.",
            topic=esc(topic_name),
        )
    return t.html("Nothing stored yet. New stories arrive every few minutes; try again later.")


def latest_heading(t: Translator, topic_name: str | None, *, continued: bool) -> str:
    """The heading of a /latest listing, as plain text (the caller makes it bold)."""
    if topic_name and continued:
        # Translators: the heading of the next page of a topic's newest stories.
        return t.gettext("Latest in {topic}, continued", topic=topic_name)
    if topic_name:
        return t.gettext("Latest in {topic}", topic=topic_name)
    if continued:
        return t.gettext("Latest news, continued")
    return t.gettext("Latest news")


def topic_gone_text(t: Translator) -> str:
    return t.gettext("That topic is gone. /topics lists the current ones.")


def search_problem_text(t: Translator, problem: str) -> str:
    """Why a /search cannot run (see ``bot.actions.news.search_problem``)."""
    # Each reason is shown as a sentence of its own, capitalised and with a full stop
    # added, before how to use /search (``bot.views.help.usage_text``).
    if problem == "empty":
        # Translators: shown as a sentence of its own (capitalised, full stop added).
        return t.gettext("say which words to look for")
    if problem == "no_words":
        # Translators: shown as a sentence of its own (capitalised, full stop added).
        return t.gettext("search needs letters or digits")
    # Translators: shown as a sentence of its own (capitalised, full stop added).
    return t.gettext("those words are too common to search for; add a more specific one")


def no_matches_text(t: Translator, query: str) -> str:
    return t.html(
        "Nothing matches “{words}” yet. New stories arrive every few minutes; try again later.",
        words=esc(echo(query)),
    )


def search_heading(t: Translator, query: str) -> str:
    """The heading of /search's results, as plain text (the caller makes it bold)."""
    return t.gettext("Stories matching “{words}”", words=echo(query))
