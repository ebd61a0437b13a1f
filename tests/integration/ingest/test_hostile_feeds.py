"""Hostile and broken feeds: each is handled, logged in one clear line, and loses nothing.

Every test serves one good feed beside the hostile one, so "nothing lost" is checked
too: the good feed's articles are all stored, once, whatever the other one does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest import Fetcher, InlineAnalyser, run_cycle
from storage import Article, Database, Source
from tests.integration.ingest.conftest import clock, config_for, write_sources
from tests.support.feed_server import FeedServer, Item, Resource, rss, serve_items

GOOD_ITEMS = 5


def _stopped_at(at: datetime) -> Callable[[], datetime]:
    """A clock that always reads ``at``."""
    return lambda: at


async def _count(db: Database) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Article)) or 0)


async def _source(db: Database, name: str) -> Source:
    async with db.sessions() as s:
        return (await s.scalars(select(Source).where(Source.name == name))).one()


def _warnings(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and name in r.getMessage()
    ]


async def _cycle_with(
    db: Database,
    server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    items: list[Item],
    tmp_path: Path,
    hostile: Resource,
) -> tuple[int, Source]:
    good = serve_items(server, items[:GOOD_ITEMS], feed_path="/good.xml")
    bad = server.add("/hostile.xml", hostile)
    sources = write_sources(
        tmp_path / "sources.toml", [("Good", good, ["world"]), ("Hostile", bad, ["world"])]
    )
    await run_cycle(db, fetcher, analyser, config_for(sources), clock=clock)
    return await _count(db), await _source(db, "Hostile")


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        (Resource(status=500, body=b"oops"), "HTTP 500"),
        (
            Resource(
                body=b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>",
                content_type="text/html; charset=utf-8",
            ),
            "not an RSS or Atom feed: the address returns an HTML page",
        ),
        (Resource(behaviour="never"), "no complete answer within 1.5 s"),
        (Resource(behaviour="trickle", body=b"<rss>" * 100), "no complete answer within 1.5 s"),
        (Resource(behaviour="huge"), "body is over the 2,000,000-byte limit"),
        (Resource(body=b"", status=200), "empty body"),
        (
            Resource(body=b"\x00\x01binary\xff" * 50, content_type="application/octet-stream"),
            "not an RSS or Atom feed",
        ),
    ],
    ids=["500", "html-page", "never-answers", "trickles", "50MB-body", "empty", "binary"],
)
async def test_a_failing_source_backs_off_with_a_logged_reason_and_the_others_are_kept(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    hostile: Resource,
    reason: str,
) -> None:
    stored, source = await _cycle_with(
        sqlite_db, feed_server, fetcher, analyser, bbc_items, tmp_path, hostile
    )
    assert stored == GOOD_ITEMS
    assert source.consecutive_failures == 1
    assert source.last_error is not None and source.last_error.startswith(reason)
    assert source.next_fetch_at is not None and source.next_fetch_at > clock()
    assert source.enabled
    lines = _warnings(caplog, "source Hostile")
    assert len(lines) == 1 and reason in lines[0] and "next try after" in lines[0]


async def test_a_redirect_loop_is_cut_and_reported(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed_server.add("/loop-b", Resource(status=302, location="/hostile.xml", validators=False))
    loop = Resource(status=302, location="/loop-b", validators=False)
    stored, source = await _cycle_with(
        sqlite_db, feed_server, fetcher, analyser, bbc_items, tmp_path, loop
    )
    assert stored == GOOD_ITEMS
    assert source.last_error == "more than 5 redirects (a redirect loop?)"
    assert feed_server.stats.requests["/loop-b"] <= 3
    assert len(_warnings(caplog, "redirect loop")) == 1


async def test_malformed_xml_keeps_every_entry_it_can_recover(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    items = bbc_items[10:14]
    body = rss(items, base_url=feed_server.base_url)
    # An unescaped ampersand and a missing closing tag: common in the wild.
    broken = body.replace(b"<title>", b"<title>Q&A: ", 1).replace(b"</channel></rss>", b"")
    stored, source = await _cycle_with(
        sqlite_db, feed_server, fetcher, analyser, bbc_items, tmp_path, Resource(body=broken)
    )
    assert source.consecutive_failures == 0
    assert stored == GOOD_ITEMS + len(items)
    lines = _warnings(caplog, "malformed feed")
    assert len(lines) == 1 and "entries recovered" in lines[0]


async def test_a_wrong_declared_charset_still_reads_the_text_correctly(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    item = bbc_items[20]
    accented = Item(
        id="accents",
        title="Café owners in Zürich protest €5 fee",
        text=item.text,
        category="business",
        published_at=item.published_at,
    )
    body = rss([accented], base_url=feed_server.base_url)  # UTF-8 bytes …
    lying = Resource(body=body, content_type="application/rss+xml; charset=iso-8859-1")
    stored, _source_row = await _cycle_with(
        sqlite_db, feed_server, fetcher, analyser, bbc_items, tmp_path, lying
    )
    assert stored == GOOD_ITEMS + 1
    async with sqlite_db.sessions() as s:
        titles = set((await s.scalars(select(Article.title))).all())
    assert "Café owners in Zürich protest €5 fee" in titles
    assert len(_warnings(caplog, "declared charset iso-8859-1 but the body is UTF-8")) == 1


async def test_a_feed_that_repeats_its_items_every_fetch_stores_them_once(
    db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    items = bbc_items[30:36]
    # No validators: every fetch is a full 200 with the same items.
    body = rss(items, base_url=feed_server.base_url)
    url = feed_server.add("/repeats.xml", Resource(body=body, validators=False))
    config = config_for(write_sources(tmp_path / "s.toml", [("Repeats", url, ["world"])]))
    reports = [await run_cycle(db, fetcher, analyser, config, clock=clock) for _ in range(3)]
    assert [r.articles_new for r in reports] == [6, 0, 0]
    assert [r.articles_duplicate for r in reports] == [0, 6, 6]
    assert await _count(db) == 6


async def test_a_source_failing_for_days_is_disabled_with_its_reason(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from datetime import timedelta

    url = feed_server.add("/down.xml", Resource(status=503, body=b"down"))
    config = config_for(write_sources(tmp_path / "s.toml", [("Down", url, ["world"])]))
    now = clock()
    tries = 0
    while True:
        source = await _source_or_none(sqlite_db, "Down")
        if source is not None and not source.enabled:
            break
        if source is not None and source.next_fetch_at is not None:
            now = source.next_fetch_at
        await run_cycle(sqlite_db, fetcher, analyser, config, clock=_stopped_at(now))
        tries += 1
        assert tries < 30, "never disabled"
    source = await _source(sqlite_db, "Down")
    assert source.disabled_reason is not None
    assert source.disabled_reason.startswith("failing for 3 days")
    assert "HTTP 503" in source.disabled_reason
    assert now - clock() >= timedelta(days=3)
    # The gaps between tries grew: far fewer tries than one per 15-minute cycle.
    assert tries < 20
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [f"source Down ({url}) disabled: {source.disabled_reason}"]
    # A disabled source is no longer fetched.
    before = feed_server.stats.requests["/down.xml"]
    later = now + timedelta(days=1)
    await run_cycle(sqlite_db, fetcher, analyser, config, clock=lambda: later)
    assert feed_server.stats.requests["/down.xml"] == before


async def _source_or_none(db: Database, name: str) -> Source | None:
    async with db.sessions() as s:
        return (await s.scalars(select(Source).where(Source.name == name))).first()
