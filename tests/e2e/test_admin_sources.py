"""Admins manage sources in Telegram: /addsource, /removesource, /sources, with health."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.telegram.jobs.ingest import run_ingest
from ingest import InlineAnalyser
from storage import Source
from tests.support.bot_harness import running_bot
from tests.support.fake_bot_api import Chat, User
from tests.support.feed_server import FeedServer, Item, Resource, rss

ADMIN = 7
ADMIN_CHAT = Chat(ADMIN)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def _items(count: int) -> list[Item]:
    return [
        Item(
            id=f"n{i}",
            title=f"Council approves 5 < 6 & library plan {i}",
            text=(
                f"The council approved plan {i} on Tuesday after a long debate. "
                "Residents had asked for more green space for years. "
                "Work starts in the spring and should take two years."
            ),
            category="politics",
            published_at=datetime(2026, 3, 29, 5, i, tzinfo=UTC),
        )
        for i in range(count)
    ]


async def test_only_admins_may_manage_sources(tmp_path: Path) -> None:
    async with running_bot(tmp_path, admin_ids={ADMIN}) as bot:
        for command in ("/sources", "/addsource https://example.com/rss", "/removesource 1"):
            reply = await bot.send(Chat(42), command)
            assert reply.plain_text == "Sorry, only the bot's admins can manage sources."
        bot.assert_no_errors()


async def test_wrong_arguments_get_the_right_form_with_an_example(tmp_path: Path) -> None:
    async with running_bot(tmp_path, admin_ids={ADMIN}) as bot:
        for command in ("/addsource", "/addsource not-a-url", "/removesource", "/removesource 1 2"):
            reply = await bot.send(ADMIN_CHAT, command)
            assert "/addsource https://example.com/rss.xml" in reply.plain_text or (
                "/removesource 12" in reply.plain_text
            )
        reply = await bot.send(ADMIN_CHAT, "/removesource 99")
        assert reply.plain_text.startswith("No source 99.")
        bot.assert_no_errors()


async def test_an_admin_adds_checks_lists_and_removes_a_feed(
    tmp_path: Path, feeds: FeedServer
) -> None:
    url = feeds.add("/news.xml", Resource(body=rss(_items(4), base_url=feeds.base_url)))
    no_file_sources = tmp_path / "sources.toml"
    no_file_sources.write_text("# only what admins add\n", encoding="utf-8")
    async with running_bot(tmp_path, admin_ids={ADMIN}, sources_file=no_file_sources) as bot:
        bot.services.analyser = InlineAnalyser()
        admin = User(ADMIN)

        reply = await bot.send(ADMIN_CHAT, f"/addsource {url} politics, world", user=admin)
        assert "Added #1 Test News" in reply.plain_text
        assert "Found 4 entries; newest: Council approves 5 < 6 & library plan 3" in (
            reply.plain_text
        )
        assert "Topics: politics, world" in reply.plain_text

        reply = await bot.send(ADMIN_CHAT, f"/addsource {url} cooking", user=admin)
        assert reply.plain_text.startswith("Unknown topic: cooking. Topics are: world, politics")
        missing = feeds.url("/missing.xml")
        reply = await bot.send(ADMIN_CHAT, f"/addsource {missing}", user=admin)
        assert f"Could not add {missing}: HTTP 404 Not Found" in reply.plain_text
        page = feeds.add(
            "/page", Resource(body=b"<html><body>x</body></html>", content_type="text/html")
        )
        reply = await bot.send(ADMIN_CHAT, f"/addsource {page}", user=admin)
        assert "the address returns an HTML page" in reply.plain_text

        # One ingest cycle stores the feed; then the feed breaks and the next one fails.
        report = await run_ingest(bot.services, clock=bot.clock.now)
        assert report.articles_new == 4
        reply = await bot.send(ADMIN_CHAT, "/sources", user=admin)
        assert "Sources: 1 — 1 ok, 0 new, 0 failing, 0 disabled" in reply.plain_text
        assert "#1 Test News — ok" in reply.plain_text
        feeds.add("/news.xml", Resource(status=500, body=b"down"))
        await run_ingest(bot.services, clock=bot.clock.now)
        reply = await bot.send(ADMIN_CHAT, "/sources", user=admin)
        assert "#1 Test News — failing" in reply.plain_text
        assert "failures: 1" in reply.plain_text
        assert "Last error: HTTP 500 Internal Server Error" in reply.plain_text

        reply = await bot.send(ADMIN_CHAT, "/removesource 1", user=admin)
        assert reply.plain_text.startswith("🗑 Removed #1 Test News")
        reply = await bot.send(ADMIN_CHAT, "/sources", user=admin)
        assert "#1 Test News — disabled" in reply.plain_text
        assert f"Disabled: removed by admin {ADMIN}" in reply.plain_text
        bot.assert_no_errors()


async def test_many_sources_are_split_into_messages_telegram_accepts(tmp_path: Path) -> None:
    async with running_bot(tmp_path, admin_ids={ADMIN}) as bot:
        now = bot.clock.now()
        async with bot.services.db.sessions.begin() as session:
            for i in range(80):
                session.add(
                    Source(
                        url=f"https://feeds{i}.example/rss?a=1&b=<{i}>",
                        name=f"Outlet <{i}> & Sons",
                        topics=["world"],
                        created_at=now,
                        consecutive_failures=i % 3,
                        last_error="HTTP 500 <oops> & more" if i % 3 else None,
                    )
                )
        messages = await bot.send_and_collect(ADMIN_CHAT, "/sources", user=User(ADMIN))
        assert len(messages) >= 2
        text = "\n".join(m.plain_text for m in messages)
        assert text.count("& Sons") == 80
        assert "Outlet <79> & Sons" in text
        assert "Last error: HTTP 500 <oops> & more" in text
        bot.assert_no_errors()
