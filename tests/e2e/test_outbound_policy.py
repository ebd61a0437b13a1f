"""The running bot against hostile servers: reader links, /addsource and OPML uploads.

The public-looking site ``news.test`` is the feed server on 127.0.0.1, reached through
the bot's injected resolver and allow-listed for the test; the internal service is a
second server on 127.0.0.2 that is not listed. It must receive no request at all.
Ranges no test can reach are answered by the injected DNS and must be refused before
any connection (a recording transport proves none is made).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.telegram.jobs.ingest import run_ingest
from ingest import InlineAnalyser
from storage import Article, Source
from tests.integration.ingest.test_outbound_policy import UNREACHABLE, teaser_feed
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.fake_bot_api import Chat, User
from tests.support.feed_server import FeedServer, Resource
from tests.support.outbound import INTERNAL, STACKED, double_gzip

ADMIN = 7
ADMIN_CHAT = Chat(ADMIN)
READER = Chat(42)
PAGE = (
    "<html lang='en'><head><title>Harbour park</title></head><body><article>"
    + "<p>The council approved the harbour park on Tuesday after a long debate.</p>" * 20
    + "</article></body></html>"
).encode()
REFUSED = "is a private or local address, and I only read public web pages."


@pytest.fixture
def internal() -> Iterator[FeedServer]:
    with FeedServer(INTERNAL) as server:
        server.add(
            "/secret", Resource(b"<html><body>secret</body></html>", content_type="text/html")
        )
        server.add("/feed.xml", Resource(b"<rss><channel><title>Inside</title></channel></rss>"))
        yield server


@pytest.fixture
def site(internal: FeedServer) -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.add("/to-internal", Resource(status=302, location=internal.url("/secret")))
        server.add("/moved.xml", Resource(status=301, location=internal.url("/feed.xml")))
        server.add(
            "/stacked",
            Resource(double_gzip(PAGE * 20_000), content_type="text/html", headers=STACKED),
        )
        yield server


@pytest.fixture
async def bot(tmp_path: Path, site: FeedServer) -> AsyncIterator[RunningBot]:
    sources = tmp_path / "sources.toml"
    sources.write_text("# only what admins add\n", encoding="utf-8")
    async with running_bot(
        tmp_path,
        admin_ids={ADMIN},
        sources_file=sources,
        allowed_private_hosts={"news.test"},
        hosts={
            "news.test": "127.0.0.1",
            "intranet.test": INTERNAL,
            "metadata.test": "169.254.169.254",
        },
        fetch_max_bytes=200_000,
    ) as running:
        yield running
        running.assert_no_errors()


def _port(server: FeedServer) -> int:
    return server.port


async def test_reader_links_never_reach_the_internal_service(
    bot: RunningBot, site: FeedServer, internal: FeedServer
) -> None:
    links = {
        f"http://{INTERNAL}:{internal.port}/secret": INTERNAL,
        f"http://intranet.test:{internal.port}/secret": "intranet.test",
        f"http://news.test:{site.port}/to-internal": INTERNAL,
    }
    for link, host in links.items():
        reply = await bot.send(READER, f"/summarize {link}")
        assert reply.plain_text == f"I can't summarise that link: {host} {REFUSED}"
    assert site.requests_to("/to-internal") == 1
    assert sum(internal.stats.requests.values()) == 0


async def test_a_page_compressed_twice_is_refused_with_the_reason(
    bot: RunningBot, site: FeedServer
) -> None:
    reply = await bot.send(READER, f"/summarize http://news.test:{site.port}/stacked")
    assert reply.plain_text == (
        "I can't summarise that link: the site sent that page compressed more than once "
        "(gzip, gzip), which I refuse to unpack."
    )


async def test_addsource_refuses_internal_feeds_and_feeds_redirecting_inside(
    bot: RunningBot, site: FeedServer, internal: FeedServer
) -> None:
    admin = User(ADMIN)
    inside = internal.url("/feed.xml")
    reply = await bot.send(ADMIN_CHAT, f"/addsource {inside}", user=admin)
    assert f"Could not add {inside}: refused: {INTERNAL} is a private or local address" in (
        reply.plain_text
    )
    moved = f"http://news.test:{site.port}/moved.xml"
    reply = await bot.send(ADMIN_CHAT, f"/addsource {moved}", user=admin)
    assert f"Could not add {moved}: refused: {INTERNAL} is a private or local address" in (
        reply.plain_text
    )
    assert sum(internal.stats.requests.values()) == 0
    async with bot.services.db.sessions() as session:
        assert (await session.scalars(select(Source))).all() == []


async def test_the_ingest_job_never_fetches_item_links_that_lead_inside(
    bot: RunningBot, site: FeedServer, internal: FeedServer
) -> None:
    bot.services.analyser = InlineAnalyser()
    links = [
        ("Links inside", internal.url("/secret")),
        ("Redirects inside", f"http://news.test:{site.port}/to-internal"),
        ("Cloud metadata", "http://metadata.test/latest/meta-data/"),
        ("Compressed twice", f"http://news.test:{site.port}/stacked"),
    ]
    site.add("/teasers.xml", Resource(teaser_feed(links, bot.clock.now())))
    feed = f"http://news.test:{site.port}/teasers.xml"
    reply = await bot.send(ADMIN_CHAT, f"/addsource {feed}", user=User(ADMIN))
    assert "Added #1 Hostile" in reply.plain_text

    report = await run_ingest(bot.services, clock=bot.clock.now)

    assert (report.articles_new, report.pages_fetched) == (4, 0)
    assert site.requests_to("/to-internal") == site.requests_to("/stacked") == 1
    assert sum(internal.stats.requests.values()) == 0
    async with bot.services.db.sessions() as session:
        texts = [a.text for a in (await session.scalars(select(Article))).all()]
    assert len(texts) == 4 and not [t for t in texts if "secret" in t]
    reply = await bot.send(ADMIN_CHAT, "/sources", user=User(ADMIN))
    assert "#1 Hostile — ok" in reply.plain_text


def _opml(body: str) -> bytes:
    return (
        f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
        f"<body>{body}</body></opml>"
    ).encode()


async def test_an_opml_upload_skips_internal_addresses_with_a_reason(bot: RunningBot) -> None:
    data = _opml(
        '<outline text="Metadata" xmlUrl="http://169.254.169.254/latest/meta-data/"/>'
        '<outline text="Database" xmlUrl="http://127.0.0.1:5432/"/>'
        '<outline text="Mapped" xmlUrl="http://[::ffff:10.0.0.1]/rss"/>'
        '<outline text="Local" xmlUrl="http://localhost:6379/"/>'
        '<outline text="Allowed" xmlUrl="http://news.test/rss.xml"/>'
        '<outline text="Outlet" xmlUrl="https://feeds.example.org/rss.xml"/>'
    )
    replies = await bot.send_and_collect(
        ADMIN_CHAT, "", document=("feeds.opml", data, "text/x-opml"), user=User(ADMIN)
    )
    text = "\n".join(m.plain_text for m in replies)
    assert text.startswith("✅ 2 sources imported, 0 already present, 4 warnings")
    for name, reason in [
        ("Metadata", "169.254.169.254 is a private or local address (Link Local (RFC 3927))"),
        ("Database", "127.0.0.1 is a private or local address (Loopback (RFC 1122))"),
        ("Mapped", "::ffff:10.0.0.1 is a private or local address (IPv4-mapped form of"),
        ("Local", "localhost is a private or local address (localhost)"),
    ]:
        assert f'"{name}" (' in text and reason in text, (name, text)
    async with bot.services.db.sessions() as session:
        stored = sorted(s.url for s in (await session.scalars(select(Source))).all())
    assert stored == ["http://news.test/rss.xml", "https://feeds.example.org/rss.xml"]


async def test_a_deeply_nested_opml_upload_gets_a_polite_reply(bot: RunningBot) -> None:
    data = _opml(
        '<outline text="a">' * 3000 + '<outline xmlUrl="http://a.example/f"/>' + "</outline>" * 3000
    )
    reply = await bot.send(
        ADMIN_CHAT, "", document=("deep.opml", data, "text/x-opml"), user=User(ADMIN)
    )
    assert reply.plain_text.startswith(
        "❌ Could not import this file: the file nests elements more than 64 levels deep"
    )
    assert "Nothing was imported." in reply.plain_text


@pytest.mark.parametrize("host", sorted(UNREACHABLE))
async def test_reader_links_to_special_ranges_are_refused_before_connecting(
    tmp_path: Path, host: str
) -> None:
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": f"http://{host}/"})

    async with running_bot(
        tmp_path,
        hosts={"news.example": "93.184.216.34", **UNREACHABLE},
        link_transport=httpx.MockTransport(record),
    ) as bot:
        reply = await bot.send(READER, f"/summarize http://{host}/latest/meta-data/")
        assert reply.plain_text == f"I can't summarise that link: {host} {REFUSED}"
        assert sent == []
        reply = await bot.send(READER, "/summarize https://news.example/story")
        assert reply.plain_text == f"I can't summarise that link: {host} {REFUSED}"
        assert [r.headers["host"] for r in sent] == ["news.example"]
        bot.assert_no_errors()
