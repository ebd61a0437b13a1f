"""The "Update:" marker on a story that comes back because it grew."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.i18n import translator
from bot.views.digest import ItemCache
from bot.views.stories import render_story
from stories import Story

NOW = datetime(2026, 6, 2, 7, 30, tzinfo=UTC)
STORY = Story(
    article_id=9,
    story_id=1,
    title="Quake <toll> rises",
    url="https://news.test/9",
    summary=("Rescuers reached families.",),
    source="Wire",
    published_at=NOW,
    outlets=4,
)


def test_an_update_is_marked_before_its_title_and_nothing_else_is() -> None:
    plain = render_story(translator("en"), STORY, sentences=1, now=NOW)
    marked = render_story(translator("en"), replace(STORY, is_update=True), sentences=1, now=NOW)
    assert not plain.startswith("Update:")
    assert marked == "Update: " + plain
    assert '<b><a href="https://news.test/9">Quake &lt;toll&gt; rises</a></b>' in marked


def test_readers_sharing_an_item_get_the_marker_only_when_it_is_their_update() -> None:
    items = ItemCache(NOW)
    first = items.render(translator("en"), replace(STORY, is_update=True), 1)
    second = items.render(translator("en"), STORY, 1)
    assert first.startswith("Update: ")
    assert not second.startswith("Update:")
