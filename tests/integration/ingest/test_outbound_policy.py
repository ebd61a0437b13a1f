"""`newsbot ingest` against a hostile publisher: nothing reaches the internal service.

The publisher's server is on 127.0.0.1, allow-listed as an operator lists an intranet
feed (NEWSBOT_ALLOWED_PRIVATE_HOSTS). The internal service is a second server on
127.0.0.2 that is not listed: an item linking to it, a public page redirecting to it, a
feed URL redirecting to it and a feed URL pointing at it must not send it one request.
Compressed twice (``Content-Encoding: gzip, gzip``), a feed and a teaser page are
refused with the reason; the cloud metadata address is refused before any connection.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from ingest import Fetcher, FetchError, FetchLimits
from ingest.net import OutboundPolicy
from storage import Article, open_database
from tests.integration.ingest.conftest import write_sources
from tests.support.env import run_newsbot
from tests.support.feed_server import FeedServer, Item, Resource, article_page, rss
from tests.support.forward_proxy import ForwardProxy
from tests.support.outbound import INTERNAL, STACKED, StaticDns, double_gzip, loopback_policy

SECRET = "internal-only-secret-4417"
SECRET_PAGE = f"<html><body><p>{SECRET}</p></body></html>".encode()
HTML = "text/html; charset=utf-8"


def teaser_feed(links: list[tuple[str, str]], now: datetime) -> bytes:
    """RSS whose items carry one-sentence teasers, so ingest fetches each item's page."""
    items = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate>"
        f"<description>{html.escape(title)} happened today.</description></item>"
        for i, (title, link) in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile</title><link>http://127.0.0.1/</link>{items}</channel></rss>"
    ).encode()


@pytest.mark.slow
async def test_ingest_never_reaches_an_internal_service_and_refuses_stacked_gzip(
    tmp_path: Path, bbc_items: list[Item]
) -> None:
    now = datetime.now(UTC)
    with FeedServer() as public, FeedServer(INTERNAL) as internal:
        inside = internal.base_url
        internal.add("/secret", Resource(body=SECRET_PAGE, content_type=HTML))
        internal.add("/feed.xml", Resource(body=teaser_feed([(SECRET, f"{inside}/secret")], now)))
        fine = public.add(
            "/fine.html", Resource(body=article_page(bbc_items[0]), content_type=HTML)
        )
        bounce = public.add("/to-internal", Resource(status=302, location=f"{inside}/secret"))
        stacked = public.add(
            "/stacked.html",
            Resource(
                body=double_gzip(article_page(bbc_items[1]) * 5000),
                content_type=HTML,
                headers=STACKED,
            ),
        )
        links = [
            ("Item links inside", f"{inside}/secret"),
            ("Page redirects inside", bounce),
            ("Page compressed twice", stacked),
            ("Fine", fine),
        ]
        public.add("/teasers.xml", Resource(body=teaser_feed(links, now)))
        inward = f"{inside}/feed.xml"
        bomb_body = double_gzip(rss(bbc_items[:2], base_url=public.base_url) * 20_000)
        sources = write_sources(
            tmp_path / "sources.toml",
            [
                ("Teasers", public.url("/teasers.xml"), ["world"]),
                ("Moved", public.add("/moved.xml", Resource(status=301, location=inward)), []),
                ("Bomb", public.add("/bomb.xml", Resource(body=bomb_body, headers=STACKED)), []),
                ("Inside", f"{inside}/feed.xml", []),
                ("Metadata", "http://169.254.169.254/latest/meta-data/feed.xml", []),
            ],
        )
        db_url = f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"
        env = {
            "DATABASE_URL": db_url,
            "NEWSBOT_SOURCES": str(sources),
            "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "NEWSBOT_FETCH_MAX_BYTES": "2000000",
        }
        assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
        run = run_newsbot("ingest", env=env, cwd=tmp_path)
        listing = run_newsbot("sources", env=env, cwd=tmp_path)

    assert sum(internal.stats.requests.values()) == 0, internal.stats.requests
    assert "Traceback" not in run.stderr, run.stderr
    assert "5 due: 1 fetched, 0 not modified, 4 failed" in run.stdout, run.stdout + run.stderr
    assert "4 new, 0 duplicate" in run.stdout
    assert "1 article pages fetched" in run.stdout
    assert public.requests_to("/to-internal") == 1  # the public hop, then nothing
    assert public.requests_to("/stacked.html") == 1
    refused = "refused: 127.0.0.2 is a private or local address (Loopback (RFC 1122))"
    assert f"page {inside}/secret: {refused}" in run.stderr
    assert f"page {bounce}: {refused}" in run.stderr
    assert f"page {stacked}: stacked content codings (gzip, gzip) are refused" in run.stderr

    errors = [line.strip() for line in listing.stdout.splitlines() if "last error" in line]
    assert f"last error: {refused}" in errors  # Moved, and Inside
    assert errors.count(f"last error: {refused}") == 2
    assert (
        "last error: stacked content codings (gzip, gzip) are refused: "
        "at most one compression per response"
    ) in errors
    assert (
        "last error: refused: 169.254.169.254 is a private or local address (Link Local (RFC 3927))"
    ) in errors

    # What readers would see (/latest): the items' own teasers, never the internal page.
    db = open_database(db_url)
    try:
        async with db.sessions() as session:
            articles = (await session.scalars(select(Article))).all()
    finally:
        await db.dispose()
    assert len(articles) == 4
    assert not [a for a in articles if SECRET in (a.text or "") + " ".join(a.summary)]


#: Names a hostile feed or its pages may use, answered by the injected DNS with addresses
#: no test can reach: each must be refused before any connection.
UNREACHABLE = {
    "metadata.test": ["169.254.169.254"],
    "cgnat.test": ["100.64.0.1"],
    "ietf.test": ["192.0.0.8"],
    "benchmark.test": ["198.18.0.1"],
    "as112.test": ["192.31.196.1"],
    "mixed.test": ["93.184.216.34", "10.1.2.3"],
    "sixtofour.test": ["2002:a00:1::1"],
    "nat64.test": ["64:ff9b::a00:1"],
    "nat64-metadata.test": ["64:ff9b::a9fe:a9fe"],
    "teredo.test": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "ula.test": ["fd00::1"],
    "linklocal.test": ["fe80::1%eth0"],
    "srv6.test": ["5f00::1"],
    "docs.test": ["3fff::1"],
}


@pytest.mark.parametrize("host", sorted(UNREACHABLE))
async def test_feeds_pages_and_redirects_to_special_ranges_are_refused_before_connecting(
    host: str,
) -> None:
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.headers["host"] == "news.test":
            return httpx.Response(302, headers={"Location": f"http://{host}/inside"})
        return httpx.Response(200, content=SECRET_PAGE)

    policy = loopback_policy((), {"news.test": "93.184.216.34", **UNREACHABLE})
    async with Fetcher(
        FetchLimits(timeout_seconds=5), policy=policy, transport=httpx.MockTransport(record)
    ) as fetcher:
        with pytest.raises(FetchError, match=rf"^refused: {host} is a private or local"):
            await fetcher.fetch(f"http://{host}/feed.xml")
        assert sent == []
        with pytest.raises(FetchError, match=rf"^refused: {host} is a private or local"):
            await fetcher.fetch("http://news.test/story")
    assert [r.headers["host"] for r in sent] == ["news.test"]  # the public hop only


async def test_when_one_checked_address_refuses_the_connection_the_next_is_tried() -> None:
    with FeedServer() as server:
        server.add("/feed.xml", Resource(body=b"<rss/>"))
        # Nothing listens on 127.0.0.3: the first address refuses, the second answers.
        policy = loopback_policy({"feeds.test"}, {"feeds.test": ["127.0.0.3", "127.0.0.1"]})
        async with Fetcher(FetchLimits(timeout_seconds=5), policy=policy) as fetcher:
            result = await fetcher.fetch(f"http://feeds.test:{server.port}/feed.xml")
            assert result.body == b"<rss/>"
            assert result.final_url == f"http://feeds.test:{server.port}/feed.xml"
            policy.resolver = StaticDns({"feeds.test": "127.0.0.3"})
            with pytest.raises(FetchError, match=r"^cannot connect"):
                await fetcher.fetch(f"http://feeds.test:{server.port}/feed.xml")
    assert server.requests_to("/feed.xml") == 1


async def test_behind_the_feed_proxy_literal_addresses_and_redirects_are_still_checked() -> None:
    """What docs/security.md promises with NEWSBOT_FEED_PROXY: names go to the proxy
    unresolved; literal addresses, localhost and every redirect hop are still refused."""
    with FeedServer() as server, ForwardProxy(server.port) as proxy:
        server.add("/feed.xml", Resource(body=b"<rss/>"))
        server.add("/inward", Resource(status=302, location=f"http://{INTERNAL}:8080/secret"))
        policy = OutboundPolicy(via_proxy=True, resolver=StaticDns())  # DNS is never asked
        async with Fetcher(
            FetchLimits(timeout_seconds=5), policy=policy, proxy=proxy.url
        ) as fetcher:
            assert (await fetcher.fetch("http://news.invalid/feed.xml")).body == b"<rss/>"
            for url in (
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:127.0.0.1]/",
                "http://localhost:6379/",
                "http://news.invalid/inward",
            ):
                with pytest.raises(FetchError, match=r"^refused: "):
                    await fetcher.fetch(url)
    assert proxy.requested == ["http://news.invalid/feed.xml", "http://news.invalid/inward"]
