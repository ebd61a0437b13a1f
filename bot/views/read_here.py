""" "Read here": the buttons under stories, the Telegraph page of an article, the replies.

The page is shared by every reader who presses the button of that article, so its few
words (the credit at the top, "Continue at the source") are in the *article's* language
when the bot ships it, else in English: a reader of a Russian article reads Russian,
whoever pressed first. Buttons and replies are in the reader's language.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.i18n import DEFAULT_LOCALE, Translator, is_shipped, translator
from bot.links.telegraph import (
    AUTHOR_NAME_MAX,
    CONTENT_MAX_BYTES,
    TITLE_MAX,
    Node,
    PageDraft,
    content_bytes,
)
from bot.telegram import callbacks
from bot.views.html import bold_link
from bot.views.keyboard import Button, Keyboard
from storage.telegraph import ArticleText
from stories import Story

#: Characters of the title a button shows; Telegram clips long labels on phones anyway.
LABEL_TITLE_MAX = 28
#: Room kept under Telegraph's 64 KB for the "Continue at the source" link after a cut.
_CONTENT_BUDGET = CONTENT_MAX_BYTES - 2048
#: Stands for the outlet's link while the credit sentence is translated, then split on.
_MARK = "\ue000"


# --------------------------------------------------------------------------------------
# Buttons
# --------------------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut at a word when one is near."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:–-") + "…"


def read_button(t: Translator, story: Story) -> Button:
    title = clip(story.title or story.source or story.url, LABEL_TITLE_MAX)
    # Translators: a button under a story; it opens the article's full text inside
    # Telegram. {title} is the start of the story's title.
    return Button(t.gettext("📖 Read: {title}", title=title), callbacks.read_data(story.article_id))


def read_keyboard(
    t: Translator, stories: Sequence[Story], *, last_row: Keyboard = ()
) -> Keyboard | None:
    """One "Read here" button per story, in the order shown, then ``last_row`` (More ▸)."""
    keyboard = tuple((read_button(t, s),) for s in stories) + tuple(last_row)
    return keyboard or None


def stories_per_message(messages: Sequence[str], stories: Sequence[Story]) -> list[list[Story]]:
    """Which of ``stories`` (in order, packed whole) each of ``messages`` holds.

    Items are packed in order and never split, so each message holds the next stories
    whose article link it contains.
    """
    found: list[list[Story]] = []
    position = 0
    for message in messages:
        here: list[Story] = []
        while position < len(stories) and _title_link(stories[position]) in message:
            here.append(stories[position])
            position += 1
        found.append(here)
    return found


def _title_link(story: Story) -> str:
    # The href of the story's title link, as bot.views.html.link escapes it: whatever
    # markup surrounds the title, the item links its article's URL.
    return f'href="{html.escape(story.url, quote=True)}"'


def message_keyboards(
    t: Translator,
    messages: Sequence[str],
    stories: Sequence[Story],
    *,
    last_row: Keyboard = (),
    enabled: bool = True,
) -> list[Keyboard | None]:
    """Each message's keyboard: its stories' buttons (when ``enabled``: the operator set
    a Telegraph token); ``last_row`` under the last message."""
    per_message = stories_per_message(messages, stories if enabled else ())
    return [
        read_keyboard(t, here, last_row=last_row if index == len(messages) - 1 else ())
        for index, here in enumerate(per_message)
    ]


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


def page_translator(language: str | None) -> Translator:
    """The page's words: the article's language when shipped, else English."""
    code = (language or "").replace("-", "_")
    for candidate in (code, code.split("_")[0]):
        if candidate and is_shipped(candidate):
            return translator(candidate)
    return translator(DEFAULT_LOCALE)


def page_draft(article: ArticleText) -> PageDraft:
    """The Telegraph page of ``article``: title, outlet as author, credit, full text."""
    t = page_translator(article.language)
    outlet = " ".join((article.source or "").split()) or _host(article.url)
    credit = _sentence_with_link(
        # Translators: the first line of a page with an article's full text; {source} is
        # the outlet's name, linked to the original article.
        t.gettext("Source: {source}", source=_MARK),
        {"tag": "a", "attrs": {"href": article.url}, "children": [outlet]},
    )
    head: list[Node] = [{"tag": "p", "children": credit}]
    # Translators: the last line of a page cut short (Telegraph pages are limited in
    # size); links to the original article.
    more = t.gettext("Continue reading at the source")
    tail: Node = {
        "tag": "p",
        "children": [{"tag": "a", "attrs": {"href": article.url}, "children": [more]}],
    }
    title = clip(article.title, TITLE_MAX) or outlet
    return PageDraft(
        title=title,
        author_name=clip(outlet, AUTHOR_NAME_MAX),
        author_url=article.url,
        content=fit_content(head, paragraphs(article.text), tail),
    )


def paragraphs(text: str) -> list[str]:
    """The stored full text's paragraphs (one per line), blank lines dropped."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def fit_content(
    head: list[Node], texts: Sequence[str], tail: Node, *, budget: int = _CONTENT_BUDGET
) -> list[Node]:
    """``head`` then one paragraph per text, within ``budget`` bytes of JSON; when the
    text does not fit, it stops at a paragraph boundary (a single huge paragraph is cut
    at a word) and ``tail`` (the link to the source) follows."""
    content = list(head)
    used = content_bytes(content)
    for index, text in enumerate(texts):
        node: Node = {"tag": "p", "children": [text]}
        size = content_bytes([node]) + 1
        if used + size > budget:
            if index == 0 or not content[len(head) :]:
                cut = _cut_words(text, budget - used)
                if cut:
                    content.append({"tag": "p", "children": [cut]})
            content.append(tail)
            return content
        content.append(node)
        used += size
    return content


def _cut_words(text: str, room: int) -> str:
    """The longest start of ``text`` ending at a word whose paragraph fits ``room`` bytes."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if content_bytes([{"tag": "p", "children": [text[:middle] + "…"]}]) + 1 <= room:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut).rstrip() + "…" if cut else ""


def _sentence_with_link(sentence: str, link: Node) -> list[Node]:
    before, _, after = sentence.partition(_MARK)
    return [part for part in (before, link, after) if part]


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0]


# --------------------------------------------------------------------------------------
# Replies
# --------------------------------------------------------------------------------------


def page_link_text(t: Translator, url: str, title: str) -> str:
    """The reply with the page: Telegram shows it as Instant View (preview on)."""
    return t.html("Full text: {page}", page=bold_link(url, clip(title, 200) or url))


def read_problem_text(t: Translator, problem: str, retry_after: int | None = None) -> str:
    """Why no page could be shown (``bot.actions.read_here.ReadProblem``); the button
    keeps working."""
    if problem == "gone":
        return t.gettext(
            "That article is no longer stored, so its full text cannot be shown. "
            "/latest shows the newest stories."
        )
    if problem == "no_text":
        return t.gettext(
            "I have no full text of that article; the title link opens it at the source."
        )
    if problem == "flood" and retry_after:
        return t.ngettext(
            "Telegraph asks me to slow down. Press the button again in {count} second.",
            "Telegraph asks me to slow down. Press the button again in {count} seconds.",
            retry_after,
            count=retry_after,
        )
    return t.gettext(
        "Telegraph, which shows full texts, did not answer as expected. "
        "Press the button again in a minute; the title link opens the article at the source."
    )


def read_off_text(t: Translator) -> str:
    """A "Read here" button pressed while the operator has switched Telegraph off."""
    return t.gettext("Full texts inside Telegram are switched off on this bot.")
