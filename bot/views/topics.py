"""The topic picker, the list of a reader's subscriptions, and subscription replies.

Catalogue topics are shown in the reader's language (``bot.views.topic_names``); keywords
a reader follows are shown as they were typed, in the quotation marks of the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.lists import format_list

from bot.i18n import Translator
from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows
from bot.views.topic_names import topic_name

CHECK = "✓"
REMOVE = "✕"
LABEL_MAX = 40


@dataclass(frozen=True)
class TopicItem:
    slug: str
    name: str
    """As the catalogue stores it (English for the shipped topics)."""


@dataclass(frozen=True)
class SubscriptionItem:
    id: int
    topic: str | None
    """The topic's name, for a topic subscription."""
    query: str | None
    """The words, for a keyword subscription."""


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def words_label(t: Translator, words: str) -> str:
    """Keywords as the reader sees them named: in quotes."""
    # Translators: words a reader follows (a keyword subscription), quoted. Use your
    # language's quotation marks, e.g. «{words}» or „{words}“.
    return t.gettext("“{words}”", words=words)


def subscription_label(t: Translator, item: SubscriptionItem) -> str:
    """A subscription as text: the topic in the reader's language, or the words quoted."""
    if item.topic is not None:
        return topic_name(t, item.topic)
    return words_label(t, item.query or "")


def listing(t: Translator, names: Sequence[str], *, alternatives: bool = False) -> str:
    """Names as a list in the reader's language: "A, B, and C" (or "A, B, or C" for
    ``alternatives``), with the locale's commas and conjunction (CLDR, through Babel);
    each name kept in its own direction in a right-to-left locale."""
    isolated = [t.isolate(name) for name in names]
    if alternatives:
        return format_list(isolated, style="or", locale=t.code)
    return format_list(isolated, style="standard", locale=t.code)


def typeable_topic(t: Translator, topic: TopicItem) -> str:
    """A topic named so the reader can type it back: its translated name, and the slug
    (which commands understand) when the translation reads differently."""
    shown = topic_name(t, topic.name)
    if shown.casefold() in {topic.name.casefold(), topic.slug}:
        return shown
    # Translators: a topic's name and, in brackets, the word to type in commands.
    return t.gettext("{name} ({slug})", name=shown, slug=topic.slug)


def topic_keyboard(t: Translator, topics: Sequence[TopicItem], chosen: set[str]) -> Keyboard:
    """Two topics to a row, ✓ on the chosen ones, and a Done button."""
    buttons = []
    for topic in topics:
        name = _clip(topic_name(t, topic.name))
        label = f"{CHECK} {name}" if topic.slug in chosen else name
        buttons.append(Button(label, callbacks.topic_data(topic.slug)))
    # Translators: the button that closes the topic picker.
    return (*rows(buttons, 2), (Button(t.gettext("Done"), callbacks.TOPICS_DONE),))


def topics_prompt_text(t: Translator, chosen_count: int) -> str:
    if not chosen_count:
        return t.html("Tap a topic to follow it, tap again to stop.")
    return t.nhtml(
        "Tap a topic to follow it, tap again to stop. You follow {count} topic now.",
        "Tap a topic to follow it, tap again to stop. You follow {count} topics now.",
        chosen_count,
        count=t.number(chosen_count),
    )


def no_topics_text(t: Translator) -> str:
    # Translators: an example command; translate the words in quotes.
    example = t.gettext('/subscribe "climate change"')
    return t.html(
        "No topics are set up yet. You can follow words meanwhile, e.g. {example}",
        example=code(example),
    )


def subscriptions_text(t: Translator, items: Sequence[SubscriptionItem]) -> str:
    if not items:
        # Translators: the form of the command; translate "words", keep the quotes.
        form = t.gettext('/subscribe "words"')
        return t.html(
            "You follow nothing yet. Choose with /topics, or follow words with {example}",
            example=code(form),
        )
    # Translators: the heading of the list of what a reader follows.
    lines = [bold(t.gettext("You follow"))]
    lines += [f"• {esc(subscription_label(t, item))}" for item in items]
    lines.append("\n" + t.html("Tap a button to stop following it."))
    return "\n".join(lines)


def subscriptions_keyboard(t: Translator, items: Sequence[SubscriptionItem]) -> Keyboard:
    buttons = [
        Button(
            f"{REMOVE} {_clip(subscription_label(t, item))}", callbacks.unsubscribe_data(item.id)
        )
        for item in items
    ]
    return rows(buttons, 2)


def done_text(t: Translator, items: Sequence[SubscriptionItem]) -> str:
    if not items:
        return t.html("You follow nothing yet. /topics when you're ready.")
    names = listing(t, [subscription_label(t, item) for item in items])
    return t.html(
        "Saved. You follow: {names}.\n/latest shows the newest stories now; /mysubs to review.",
        names=esc(names),
    )


def subscribed_text(t: Translator, label: str, *, already: bool, now_command: str) -> str:
    """``label`` as the reader should read it (translated, quoted); ``now_command`` is what
    shows the matching stories right away."""
    if already:
        return t.html("You already follow {name}.", name=bold(echo(label)))
    return t.html(
        "Now following {name}. It will be in your digest; {command} shows it now.",
        name=bold(echo(label)),
        command=esc(echo(now_command)),
    )


def unsubscribed_text(t: Translator, label: str) -> str:
    return t.html("Stopped following {name}.", name=bold(echo(label)))


def not_following_text(t: Translator, label: str) -> str:
    return t.html("You don't follow {name}. /mysubs shows what you follow.", name=bold(echo(label)))


def unknown_topic_text(
    t: Translator, typed: str, topics: Sequence[TopicItem], suggestion: str | None
) -> str:
    """``suggestion`` is a catalogue topic's name (as stored)."""
    meant = next((topic for topic in topics if topic.name == suggestion), None)
    if meant is not None:
        first = t.html(
            "There is no topic called {typed}. Did you mean {topic}?",
            typed=bold(echo(typed)),
            topic=bold(typeable_topic(t, meant)),
        )
    elif suggestion:
        first = t.html(
            "There is no topic called {typed}. Did you mean {topic}?",
            typed=bold(echo(typed)),
            topic=bold(topic_name(t, suggestion)),
        )
    else:
        first = t.html("There is no topic called {typed}.", typed=bold(echo(typed)))
    if not topics:
        return first
    names = listing(t, [typeable_topic(t, topic) for topic in topics])
    return first + "\n" + t.html("Topics: {topics}.", topics=esc(names))


def quotes_hint(t: Translator, typed: str) -> str:
    return t.html(
        "To follow words instead, put them in quotes: {example}",
        example=code(f'/subscribe "{echo(typed)}"'),
    )


def unknown_topic_example_text(
    t: Translator, typed: str, topics: Sequence[TopicItem], suggestion: str | None, example: str
) -> str:
    """An unknown topic in a command's argument, with the command's example (its
    untranslated form from the command table: it is translated here)."""
    example_line = t.html("Example: {example}", example=code(t.gettext(example)))
    return f"{unknown_topic_text(t, typed, topics, suggestion)}\n{example_line}"


def subscribed_topic_text(t: Translator, topic: TopicItem, *, already: bool) -> str:
    return subscribed_text(
        t, topic_name(t, topic.name), already=already, now_command=f"/latest {topic.slug}"
    )


def subscribed_words_text(t: Translator, words: str, *, already: bool) -> str:
    return subscribed_text(
        t, words_label(t, words), already=already, now_command=f"/search {words}"
    )


def unknown_topic_to_follow_text(
    t: Translator, typed: str, topics: Sequence[TopicItem], suggestion: str | None
) -> str:
    """/subscribe with a topic that does not exist: the topics, and how to follow words."""
    return unknown_topic_text(t, typed, topics, suggestion) + "\n" + quotes_hint(t, typed)


def too_many_queries_text(t: Translator, limit: int) -> str:
    return t.nhtml(
        "You already follow {count} set of words; remove one with /mysubs first.",
        "You already follow {count} sets of words; remove one with /mysubs first.",
        limit,
        count=t.number(limit),
    )


def unsubscribe_result_text(t: Translator, label: str, *, words: bool, removed: bool) -> str:
    """``label`` is the topic's stored name (or what was typed), or the words."""
    shown = words_label(t, label) if words else topic_name(t, label)
    return unsubscribed_text(t, shown) if removed else not_following_text(t, shown)


def unsubscribe_what_reason(t: Translator) -> str:
    return t.gettext("Say which topic or words to stop following.")


def topic_gone_answer(t: Translator) -> str:
    return t.gettext("That topic no longer exists.")


def toggled_answer(t: Translator, name: str, *, following: bool) -> str:
    """The pop-up after a topic button: ``name`` is the topic's stored name."""
    shown = topic_name(t, name)
    if following:
        return t.gettext("Following {topic}", topic=shown)
    return t.gettext("Stopped following {topic}", topic=shown)


def removed_answer(t: Translator, item: SubscriptionItem | None) -> str:
    if item is None:
        return t.gettext("Already removed.")
    return t.gettext("Stopped following {name}", name=subscription_label(t, item))
