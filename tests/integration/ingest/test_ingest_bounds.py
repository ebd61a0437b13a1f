"""Floods, huge fields and poisoned items, through `newsbot ingest` against a loopback server.

What a publisher sends is bounded (new entries per source per cycle, page fetches in
batches), capped (title, text, index terms) and sanitised (NUL, lone surrogates,
controls, bidi overrides); a bad entry costs itself, never its neighbours or its source.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest import Fetcher, InlineAnalyser, run_cycle
from ingest.pipeline import IngestConfig
from ingest.sanitize import INDEX_TERMS, TITLE_CHARS
from storage import Article, Database, Source, open_database
from storage.models import ArticleTerm
from tests.integration.ingest.conftest import write_sources
from tests.support.databases import BACKENDS, temporary_database_url
from tests.support.env import run_newsbot
from tests.support.feed_server import FeedServer, Item, Resource, article_page, rss

PAGE = "text/html; charset=utf-8"


def _teaser_feed(server: FeedServer, count: int, now: datetime) -> tuple[str, list[Item]]:
    """A feed of ``count`` teaser-only items (one shared page body), oldest first in the
    document so "newest first" has to be chosen, not read off the feed's order."""
    items = [
        Item(
            id=f"t{i}",
            title=f"Flood item {i}",
            text=f"Item {i} opens with one sentence.\n\nThe page has the rest of the story.",
            category=None,
            published_at=now - timedelta(seconds=count - i),
        )
        for i in range(count)
    ]
    page = Resource(body=article_page(items[0]), content_type=PAGE)
    for item in items:
        server.add(f"/articles/{item.id}.html", page)
    body = rss(items, base_url=server.base_url, full_text=False, title="Flood")
    return server.add("/flood.xml", Resource(body=body)), items


def _page_requests(server: FeedServer) -> int:
    return sum(n for path, n in server.stats.requests.items() if path.startswith("/articles/"))


@pytest.mark.slow
async def test_a_flood_feed_takes_the_newest_entries_and_leaves_the_rest_for_later(
    tmp_path: Path,
) -> None:
    now = datetime.now(UTC)  # the command runs on the wall clock
    with FeedServer() as server:
        url, items = _teaser_feed(server, 600, now)
        sources = write_sources(tmp_path / "sources.toml", [("Flood", url, ["world"])])
        async with temporary_database_url("sqlite", tmp_path) as db_url:
            env = {
                "DATABASE_URL": db_url,
                "NEWSBOT_SOURCES": str(sources),
                "NEWSBOT_INGEST_MAX_NEW_ENTRIES": "20",
                "NEWSBOT_INGEST_PAGE_BATCH": "6",
                # The outlet's server is on loopback: listed, as an intranet feed would be.
                "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            }
            assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0

            first = run_newsbot("ingest", env=env, cwd=tmp_path)

            assert first.returncode == 0, first.stderr
            assert _page_requests(server) == 20
            assert "20 new, 0 duplicate" in first.stdout
            assert "580 new entries left for the next cycle" in first.stdout
            assert "the other 580 wait for the next cycles" in first.stderr

            second = run_newsbot("ingest", env=env, cwd=tmp_path)

            # The feed is read in full again (no 304) and the next newest 20 are taken.
            assert second.returncode == 0, second.stderr
            assert server.stats.conditional["/flood.xml"] == 0
            assert _page_requests(server) == 40
            assert "20 new, 20 duplicate" in second.stdout
            assert "560 new entries left for the next cycle" in second.stdout
        db = open_database(db_url)
        try:
            async with db.sessions() as s:
                stored = set((await s.scalars(select(Article.title))).all())
        finally:
            await db.dispose()
    assert stored == {item.title for item in items[-40:]}


def _poisoned_feed(server: FeedServer, good: list[Item], now: datetime) -> str:
    """Good items around poisoned ones, written as raw RSS (the poison is in the XML)."""
    huge_title = " ".join(f"w{i:06d}x" for i in range(180_000))  # 1.6 MB, distinct words
    assert len(huge_title) > 1_600_000
    poisoned = [
        ("surrogate", "Lone &#xD800; surrogate in a title", "Text with a lone &#xDFFF; too."),
        ("nul", "A NUL&#0; in the title", "A NUL&#0; in the text as well."),
        ("controls", "Bell&#7;, escape&#27; and C1&#x85; controls", "Form&#12;feed text."),
        ("bidi", "Reversed &#x202E;eltit a&#x202C; and isolated &#x2067;x&#x2069;", "Fine."),
        ("raw", "Raw\x00 NUL and\x1b escape bytes", "Raw\x00 bytes in the text."),
        ("huge", html.escape(huge_title), "An ordinary text under a huge title."),
    ]
    parts = [rss(good, base_url=server.base_url).decode().replace("</channel></rss>", "")]
    stamp = now.strftime("%a, %d %b %Y %H:%M:%S +0000")
    for key, title, text in poisoned:
        parts.append(
            f"<item><title>{title}</title><link>{server.base_url}/p/{key}.html</link>"
            f"<guid>{key}</guid><pubDate>{stamp}</pubDate>"
            f"<description>{text} It has two full sentences to be worth keeping.</description>"
            "</item>"
        )
    # A link no real address has (a raw control byte): the one entry that cannot be kept.
    parts.append(
        f"<item><title>Bad link</title><link>{server.base_url}/p/x\x01y.html</link>"
        f"<pubDate>{stamp}</pubDate><description>Unreachable.</description></item>"
    )
    parts.append("</channel></rss>")
    return server.add("/poisoned.xml", Resource(body="\n".join(parts).encode()))


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
async def test_poisoned_and_huge_items_are_cleaned_capped_or_skipped_and_the_rest_is_kept(
    backend: str, tmp_path: Path, bbc_items: list[Item]
) -> None:
    now = datetime.now(UTC)
    good = [
        replace(item, id=f"g{i}", published_at=now - timedelta(minutes=i))
        for i, item in enumerate(bbc_items[:4])
    ]
    with FeedServer() as server:
        url = _poisoned_feed(server, good, now)
        sources = write_sources(tmp_path / "sources.toml", [("Poisoned", url, ["world"])])
        async with temporary_database_url(backend, tmp_path) as db_url:
            env = {
                "DATABASE_URL": db_url,
                "NEWSBOT_SOURCES": str(sources),
                "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            }
            assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0

            result = run_newsbot("ingest", env=env, cwd=tmp_path)

            assert result.returncode == 0, result.stderr
            assert "1 fetched, 0 not modified, 0 failed" in result.stdout
            assert "10 new, 0 duplicate" in result.stdout
            assert "1 unusable entries skipped" in result.stdout
            assert "1 unusable entries were skipped" in result.stderr
            db = open_database(db_url)
            try:
                async with db.sessions() as s:
                    stored = (await s.scalars(select(Article))).all()
                    # By the last part of the link: "/p/nul.html" → "nul".
                    articles = {a.url.rsplit("/", 1)[1].split(".")[0]: a for a in stored}
                    source = (await s.scalars(select(Source))).one()
                    huge_terms = await s.scalar(
                        select(func.count())
                        .select_from(ArticleTerm)
                        .where(ArticleTerm.article_id == articles["huge"].id)
                    )
            finally:
                await db.dispose()
    assert {i.id for i in good} <= set(articles)
    assert len(articles) == 10
    assert articles["surrogate"].title == "Lone surrogate in a title"
    assert articles["nul"].title == "A NUL in the title"
    assert "\x00" not in articles["nul"].text and "A NUL in the text" in articles["nul"].text
    assert articles["controls"].title == "Bell, escape and C1 controls"
    assert articles["raw"].title == "Raw NUL and escape bytes"
    assert "\x00" not in articles["raw"].text
    assert articles["bidi"].title == "Reversed eltit a and isolated x"
    huge = articles["huge"].title
    assert TITLE_CHARS - 20 < len(huge) <= TITLE_CHARS and huge.endswith("x")
    assert huge_terms is not None and 0 < huge_terms <= INDEX_TERMS
    assert (source.consecutive_failures, source.last_error) == (0, None)


async def test_a_slow_source_stops_at_its_time_budget_and_leaves_the_rest(
    sqlite_db: Database, fetcher: Fetcher, tmp_path: Path
) -> None:
    """Pages that never answer: at the source's budget (0.5 s, under one fetch's 1.5 s
    timeout) its batch is given up and no other starts; every entry waits for later."""
    now = datetime.now(UTC)
    with FeedServer() as server:
        url, _items = _teaser_feed(server, 20, now)
        for i in range(20):
            server.add(f"/articles/t{i}.html", Resource(behaviour="never"))
        sources = write_sources(tmp_path / "sources.toml", [("Slow", url, ["world"])])
        config = IngestConfig(
            sources_file=sources, page_batch=4, source_budget=timedelta(seconds=0.5)
        )

        report = await run_cycle(sqlite_db, fetcher, InlineAnalyser(), config, clock=lambda: now)

        # Without the budget every page would time out and the 20 entries be stored from
        # the feed's teasers after five batches.
        assert _page_requests(server) == 4
    assert (report.sources_fetched, report.articles_new, report.entries_deferred) == (1, 0, 20)
    async with sqlite_db.sessions() as s:
        source = (await s.scalars(select(Source))).one()
    assert source.etag is None  # the next cycle reads the feed in full
