"""The topic picker, the list of a reader's subscriptions, and subscription replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows

CHECK = "✓"
REMOVE = "✕"
LABEL_MAX = 40


@dataclass(frozen=True)
class TopicItem:
    slug: str
    name: str


@dataclass(frozen=True)
class SubscriptionItem:
    id: int
    topic: str | None
    """The topic's name, for a topic subscription."""
    query: str | None
    """The words, for a keyword subscription."""

    @property
    def label(self) -> str:
        return self.topic if self.topic is not None else f"“{self.query}”"


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def topic_keyboard(topics: Sequence[TopicItem], chosen: set[str]) -> Keyboard:
    """Two topics to a row, ✓ on the chosen ones, and a Done button."""
    buttons = [
        Button(
            f"{CHECK} {_clip(t.name)}" if t.slug in chosen else _clip(t.name),
            callbacks.topic_data(t.slug),
        )
        for t in topics
    ]
    return (*rows(buttons, 2), (Button("Done", callbacks.TOPICS_DONE),))


def topics_prompt_text(chosen_count: int) -> str:
    chosen = f" You follow {chosen_count} now." if chosen_count else ""
    return f"Tap a topic to follow it, tap again to stop.{chosen}"


def no_topics_text() -> str:
    return "No topics are set up yet. You can follow words meanwhile, e.g. " + code(
        '/subscribe "climate change"'
    )


def subscriptions_text(items: Sequence[SubscriptionItem]) -> str:
    if not items:
        return "You follow nothing yet. Choose with /topics, or follow words with " + code(
            '/subscribe "words"'
        )
    lines = [bold("You follow")]
    lines += [f"• {esc(item.label)}" for item in items]
    lines.append("\nTap a button to stop following it.")
    return "\n".join(lines)


def subscriptions_keyboard(items: Sequence[SubscriptionItem]) -> Keyboard:
    buttons = [
        Button(f"{REMOVE} {_clip(item.label)}", callbacks.unsubscribe_data(item.id))
        for item in items
    ]
    return rows(buttons, 2)


def done_text(items: Sequence[SubscriptionItem]) -> str:
    if not items:
        return "You follow nothing yet. /topics when you're ready."
    names = ", ".join(esc(item.label) for item in items)
    return f"Saved. You follow: {names}.\n/latest shows the newest stories now; /mysubs to review."


def subscribed_text(label: str, *, already: bool, now_command: str) -> str:
    """``now_command`` is what shows the matching stories right away."""
    if already:
        return f"You already follow {bold(echo(label))}."
    return (
        f"Now following {bold(echo(label))}. It will be in your digest; "
        f"{esc(echo(now_command))} shows it now."
    )


def unsubscribed_text(label: str) -> str:
    return f"Stopped following {bold(echo(label))}."


def not_following_text(label: str) -> str:
    return f"You don't follow {bold(echo(label))}. /mysubs shows what you follow."


def unknown_topic_text(typed: str, topics: Sequence[TopicItem], suggestion: str | None) -> str:
    lines = [f"There is no topic called {bold(echo(typed))}."]
    if suggestion:
        lines[0] += f" Did you mean {bold(suggestion)}?"
    if topics:
        lines.append("Topics: " + ", ".join(esc(t.name) for t in topics) + ".")
    return "\n".join(lines)


def quotes_hint(typed: str) -> str:
    return "To follow words instead, put them in quotes: " + code(f'/subscribe "{echo(typed)}"')


def unknown_topic_example_text(
    typed: str, topics: Sequence[TopicItem], suggestion: str | None, example: str
) -> str:
    """An unknown topic in a command's argument, with the command's example."""
    return f"{unknown_topic_text(typed, topics, suggestion)}\nExample: {code(example)}"


def words_label(words: str) -> str:
    """Keywords as the reader sees them named: in quotes."""
    return f"“{words}”"


def subscribed_topic_text(topic: TopicItem, *, already: bool) -> str:
    return subscribed_text(topic.name, already=already, now_command=f"/latest {topic.slug}")


def subscribed_words_text(words: str, *, already: bool) -> str:
    return subscribed_text(words_label(words), already=already, now_command=f"/search {words}")


def unknown_topic_to_follow_text(
    typed: str, topics: Sequence[TopicItem], suggestion: str | None
) -> str:
    """/subscribe with a topic that does not exist: the topics, and how to follow words."""
    return unknown_topic_text(typed, topics, suggestion) + "\n" + quotes_hint(typed)


def too_many_queries_text(limit: int) -> str:
    return f"You already follow {limit} sets of words; remove one with /mysubs first."


def unsubscribe_result_text(label: str, *, words: bool, removed: bool) -> str:
    shown = words_label(label) if words else label
    return unsubscribed_text(shown) if removed else not_following_text(shown)


def unsubscribe_what_reason() -> str:
    return "say which topic or words to stop following"


def topic_gone_answer() -> str:
    return "That topic no longer exists."


def toggled_answer(name: str, *, following: bool) -> str:
    return f"Following {name}" if following else f"Stopped following {name}"


def removed_answer(item: SubscriptionItem | None) -> str:
    return f"Stopped following {item.label}" if item is not None else "Already removed."
