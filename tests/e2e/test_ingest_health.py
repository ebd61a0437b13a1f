"""An unexpected error in one source counts against its health, where operators look.

The running bot's ingest job meets a bug-like failure (here: the parsing worker raises
something that is not a feed error) in one source: the other source is stored, and the
broken one shows as failing in /sources and /stats and in the metrics, and backs off.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.telegram.jobs.ingest import run_ingest
from ingest import InlineAnalyser
from ingest.feeds import ParsedFeed
from storage import Source
from tests.support.bot_harness import running_bot
from tests.support.databases import BACKENDS
from tests.support.fake_bot_api import Chat, User
from tests.support.feed_server import FeedServer, Item, Resource, rss

ADMIN = 7


class _BugInOneFeed(InlineAnalyser):
    """Parses normally, except that one feed's parse hits a bug."""

    def __init__(self, broken_path: str) -> None:
        super().__init__()
        self.broken_path = broken_path

    async def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        if url.endswith(self.broken_path):
            raise KeyError("entries")
        return await super().parse(body, url=url, content_type=content_type)


def _items(prefix: str) -> list[Item]:
    return [
        Item(
            id=f"{prefix}{i}",
            title=f"{prefix} council approves plan {i}",
            text=(
                f"The council approved plan {i} on Tuesday after a long debate. "
                "Residents had asked for more green space for years."
            ),
            category="politics",
            published_at=datetime(2026, 3, 29, 5, i, tzinfo=UTC),
        )
        for i in range(3)
    ]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_unexpected_error_shows_in_sources_stats_and_metrics(
    tmp_path: Path, backend: str
) -> None:
    with FeedServer() as feeds:
        good = feeds.add("/good.xml", Resource(body=rss(_items("Good"), base_url=feeds.base_url)))
        bad = feeds.add("/bug.xml", Resource(body=rss(_items("Bug"), base_url=feeds.base_url)))
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "Good"\nurl = "{good}"\n\n'
            f'[[source]]\nname = "Buggy"\nurl = "{bad}"\n',
            encoding="utf-8",
        )
        async with running_bot(tmp_path, backend, admin_ids={ADMIN}, sources_file=sources) as bot:
            bot.services.analyser = _BugInOneFeed("/bug.xml")

            report = await run_ingest(bot.services, clock=bot.clock.now)

            assert (report.articles_new, report.sources_failed) == (3, 1)
            assert report.failures[0].reason == "unexpected error: KeyError: 'entries'"
            async with bot.services.db.sessions() as session:
                buggy = (await session.scalars(select(Source).where(Source.name == "Buggy"))).one()
            assert buggy.consecutive_failures == 1 and buggy.next_fetch_at is not None
            reply = await bot.send(Chat(ADMIN), "/sources", user=User(ADMIN))
            assert "Buggy — failing" in reply.plain_text
            assert "Last error: unexpected error: KeyError: 'entries'" in reply.plain_text
            reply = await bot.send(Chat(ADMIN), "/stats", user=User(ADMIN))
            assert "2 enabled (1 failing)" in reply.plain_text
            registry = bot.services.metrics.registry
            assert registry.get_sample_value("newsbot_sources_failing") == 1
            bot.assert_no_errors()
