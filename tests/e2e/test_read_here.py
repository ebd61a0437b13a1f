""" "Read here": full texts as Telegraph pages, through the fake Bot API and a fake Telegraph."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from storage.digests import digests_of
from storage.models import Article
from tests.e2e.conftest import OPERATOR
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.databases import BACKENDS
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, Message
from tests.support.fake_telegraph import FakeTelegraph

READER = Chat(42)
GROUP = Chat(-100500, type="supergroup", title="Newsroom")
TEXT = (
    "The central bank cut its main rate by half a point on Monday.\n\n"
    "Shares rose across Europe within minutes of the decision.\n"
    "Analysts had expected a smaller cut."
)


@pytest.fixture
async def telegraph() -> AsyncIterator[FakeTelegraph]:
    with FakeTelegraph() as server:
        yield server


@pytest.fixture(params=BACKENDS)
async def reading_bot(
    request: pytest.FixtureRequest, tmp_path: Path, telegraph: FakeTelegraph
) -> AsyncIterator[RunningBot]:
    """The bot with a Telegraph token, against the fake Telegraph (SQLite, PostgreSQL)."""
    async with running_bot(
        tmp_path,
        request.param,
        admin_ids={OPERATOR},
        telegraph_token=telegraph.token,
        telegraph_url=telegraph.url,
    ) as running:
        yield running
        running.assert_no_errors()


async def _world(bot: RunningBot, text: str = TEXT) -> list[int]:
    """Two stories; the newest (first shown) has a stored full text."""
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 2, now)
        [rates] = await add_story(
            session,
            title="Central bank cuts rates by half a point in a surprise move",
            topics=["business"],
            sources=sources[:1],
            published_at=now - timedelta(minutes=10),
        )
        [cup] = await add_story(
            session,
            title="Cup final ends in a draw",
            topics=["sport"],
            sources=sources[1:],
            published_at=now - timedelta(hours=2),
        )
        await session.execute(update(Article).where(Article.id == rates).values(text=text))
    return [rates, cup]


def _page_url(reply: Message) -> str:
    [url] = re.findall(r'href="([^"]+)"', reply.text)
    return html.unescape(url)


def _labels(message: Message) -> list[str]:
    return [b["text"] for row in message.buttons for b in row]


def _data(message: Message) -> list[str]:
    return [b["callback_data"] for row in message.buttons for b in row]


async def _press_read(bot: RunningBot, chat: Chat, message: Message, **kw: Any) -> Message:
    before = len(bot.fake.messages(chat.id))
    answer = await bot.press(chat, message, "Central bank", **kw)
    assert answer.get("show_alert") is not True
    [reply] = bot.fake.messages(chat.id)[before:]
    return reply


async def test_latest_has_a_read_button_per_story_that_opens_the_full_text(
    reading_bot: RunningBot, telegraph: FakeTelegraph
) -> None:
    bot = reading_bot
    rates, cup = await _world(bot)
    listing = await bot.send(READER, "/latest")
    assert _labels(listing) == [
        "📖 Read: Central bank cuts rates by…",
        "📖 Read: Cup final ends in a draw",
    ]
    assert _data(listing) == [f"read:{rates}", f"read:{cup}"]

    reply = await _press_read(bot, READER, listing)
    assert reply.plain_text.startswith("Full text: Central bank cuts rates")
    assert reply.link_preview_options is None  # preview on: Telegram shows Instant View
    page = telegraph.page(_page_url(reply))
    assert page.title == "Central bank cuts rates by half a point in a surprise move"
    assert page.author_name == "Outlet 0"
    article_url = page.author_url
    assert article_url.startswith("https://news.test/")
    lines = page.text.splitlines()
    assert lines[0] == "Source: Outlet 0"
    assert page.links()[0] == article_url  # the credit links to the original
    assert lines[1:] == [
        "The central bank cut its main rate by half a point on Monday.",
        "Shares rose across Europe within minutes of the decision.",
        "Analysts had expected a smaller cut.",
    ]
    assert telegraph.requests[0]["return_content"] == "false"

    # A second press, by anyone, shows the same page: no new createPage.
    again = await _press_read(bot, READER, listing)
    assert again.text == reply.text
    assert telegraph.create_calls == 1
    # The buttons stay usable under the listing.
    [listed] = [m for m in bot.fake.messages(42) if m.message_id == listing.message_id]
    assert _data(listed) == [f"read:{rates}", f"read:{cup}"]


async def test_no_token_no_buttons(bot: RunningBot) -> None:
    rates, _ = await _world(bot)
    listing = await bot.send(READER, "/latest")
    assert listing.buttons == []
    search = await bot.send(READER, "/search central bank")
    assert search.buttons == []
    # An old button pressed after the operator removed the token explains itself.
    answer = await bot.press_data(READER, listing.message_id, f"read:{rates}")
    assert answer["show_alert"] is True and "switched off" in answer["text"]


async def test_search_and_more_keep_their_order_with_the_read_buttons(
    reading_bot: RunningBot,
) -> None:
    bot = reading_bot
    rates, cup = await _world(bot)
    found = await bot.send(READER, "/search central bank")
    assert _data(found) == [f"read:{rates}"]
    first = await bot.send(READER, "/latest 1")
    assert _labels(first) == ["📖 Read: Central bank cuts rates by…", "More ▸"]
    await bot.press(READER, first, "More")
    second = bot.fake.last_message(42)
    assert _data(second) == [f"read:{cup}"]


async def test_two_presses_at_once_create_one_page(
    reading_bot: RunningBot, telegraph: FakeTelegraph
) -> None:
    bot = reading_bot
    await _world(bot)
    listing = await bot.send(READER, "/latest")
    telegraph.delay = 0.3
    data = listing.buttons[0][0]["callback_data"]
    first = bot.fake.user_presses(READER, listing.message_id, data)
    second = bot.fake.user_presses(READER, listing.message_id, data)
    await asyncio.gather(bot.callback_answer(first), bot.callback_answer(second))
    await bot.wait_until_handled()
    replies = [m for m in bot.fake.messages(42) if m.text.startswith("Full text")]
    assert len(replies) == 2 and replies[0].text == replies[1].text
    assert telegraph.create_calls == 1


async def test_in_a_group_the_page_is_a_reply_under_the_stories(
    reading_bot: RunningBot, telegraph: FakeTelegraph
) -> None:
    bot = reading_bot
    await _world(bot)
    listing = await bot.send(GROUP, "/latest")
    reply = await _press_read(bot, GROUP, listing)
    assert reply.reply_to_message_id == listing.message_id
    assert reply.plain_text.startswith("Full text:")


async def test_telegraph_failures_get_a_clear_reply_and_the_button_keeps_working(
    reading_bot: RunningBot, telegraph: FakeTelegraph, caplog: pytest.LogCaptureFixture
) -> None:
    bot = reading_bot
    caplog.set_level(logging.DEBUG)
    await _world(bot)
    listing = await bot.send(READER, "/latest")
    telegraph.fail_next("down", "flood", "ACCESS_TOKEN_INVALID")
    down = await _press_read(bot, READER, listing)
    assert "Telegraph" in down.plain_text and "again in a minute" in down.plain_text
    flood = await _press_read(bot, READER, listing)
    assert "again in 7 seconds" in flood.plain_text
    refused = await _press_read(bot, READER, listing)
    assert "did not answer as expected" in refused.plain_text
    works = await _press_read(bot, READER, listing)
    assert works.plain_text.startswith("Full text:")
    metrics = bot.services.metrics.read_here
    assert metrics.labels(outcome="unavailable")._value.get() == 1
    assert metrics.labels(outcome="flood")._value.get() == 1
    assert metrics.labels(outcome="refused")._value.get() == 1
    assert metrics.labels(outcome="created")._value.get() == 1
    # Failures are logged with Telegraph's error, never with the token.
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.actions.read_here"]
    assert any("ACCESS_TOKEN_INVALID" in w for w in warnings)
    assert any("FLOOD_WAIT_7" in w for w in warnings)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "createPage" in logged  # httpx's request lines were captured…
    assert telegraph.token not in logged  # …and none shows the token


async def test_no_text_or_a_pruned_article_explains(
    reading_bot: RunningBot, telegraph: FakeTelegraph
) -> None:
    bot = reading_bot
    rates, _cup = await _world(bot)
    listing = await bot.send(READER, "/latest")
    await bot.press(READER, listing, "Cup final")
    assert "no full text" in bot.fake.last_message(42).plain_text
    async with bot.services.db.sessions.begin() as session:
        await session.execute(delete(Article).where(Article.id == rates))
    await _press_read(bot, READER, listing)
    assert "no longer stored" in bot.fake.last_message(42).plain_text
    assert telegraph.create_calls == 0


async def test_a_long_article_is_cut_with_a_link_to_the_source(
    reading_bot: RunningBot, telegraph: FakeTelegraph
) -> None:
    bot = reading_bot
    paragraph = "Всё о ставках. " * 40  # Cyrillic: two bytes a letter
    await _world(bot, text="\n".join(f"{n}. {paragraph}" for n in range(200)))
    listing = await bot.send(READER, "/latest")
    reply = await _press_read(bot, READER, listing)
    page = telegraph.page(_page_url(reply))
    lines = page.text.splitlines()
    assert lines[-1] == "Continue reading at the source"
    assert page.links()[-1] == page.author_url
    assert 20 < len(lines) < 200 and lines[-2].startswith(f"{len(lines) - 3}. ")
    assert len(telegraph.requests[0]["content"].encode()) <= 64 * 1024


LONG = "A sentence long enough that a few stories fill a Telegram message. " * 8


async def test_digest_messages_carry_their_stories_buttons_also_when_resent(
    reading_bot: RunningBot, telegraph: FakeTelegraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = reading_bot
    # The sender's pauses between retries of a failing send are real seconds: none here.
    monkeypatch.setattr("bot.delivery.engine.TRANSIENT_BACKOFF", (0.0, 0.0, 0.0))
    now = bot.clock.now()
    titles = [f"Story number {n} about the markets" for n in range(4)]
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 1, now)
        ids = {}
        for n, title in enumerate(titles):
            [ids[title]] = await add_story(
                session,
                title=title,
                topics=["business"],
                sources=sources,
                published_at=now - timedelta(hours=n + 1),
                summary=[LONG] * 3,
            )
            await session.execute(
                update(Article).where(Article.id == ids[title]).values(text=f"Body of {title}.")
            )
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe business")

    # The scheduled digest's first sends fail until the worker gives the digest back; a
    # later tick resends it from the ledger, with the keyboards stored there.
    bot.fake.fail("sendMessage", status=500, chat_id=READER.id, times=4)
    bot.clock.set(now.replace(hour=7, minute=30))
    before = len(bot.fake.messages(READER.id))
    await bot.job("digest").run(bot.application)
    assert bot.fake.messages(READER.id)[before:] == []
    bot.clock.advance(timedelta(minutes=5))
    await bot.job("digest").run(bot.application)
    digest = bot.fake.messages(READER.id)[before:]
    assert len(digest) >= 2  # several messages, each with its own stories' buttons
    shown = []
    for message in digest:
        in_message = [t for t in titles if t in message.plain_text]
        assert in_message, message.plain_text
        assert _data(message) == [f"read:{ids[t]}" for t in in_message]
        assert _labels(message) == [f"📖 Read: {t[:24]}…" for t in in_message]
        shown += in_message
    assert sorted(shown) == sorted(titles)
    async with bot.services.db.sessions() as session:
        [row] = await digests_of(session, READER.id)
    assert row.attempts == 2 and len(row.keyboards or []) == len(digest)

    before = len(bot.fake.messages(READER.id))
    await bot.press(READER, digest[-1], "Story number 3")
    [reply] = bot.fake.messages(READER.id)[before:]
    page = telegraph.page(_page_url(reply))
    assert page.text.splitlines()[1] == "Body of Story number 3 about the markets."
