"""A feed and article-page server on 127.0.0.1, with hostile behaviours, for tests and bench.

It speaks plain HTTP/1.1 with keep-alive from a thread of its own (its own event loop),
so the code under test runs in the test's loop and talks to it over real sockets.
Resources are registered by path (:meth:`FeedServer.add`); conditional GETs are
honoured (ETag and Last-Modified → 304) and counted, so tests can assert that a second
ingest run only sent conditional requests. Hostile behaviours: ``never`` (read the
request, never answer), ``trickle`` (answer one byte at a time, slowly), ``huge`` (an
endless body), plus any status, redirects (loops included) and declared charsets.

``python -m tests.support.feed_server --feeds N --items M`` serves a synthetic set of
feeds built from the shared data for benchmarks (see bench/ingest.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import html
import json
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.support.threaded_server import ThreadedServer


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    #: Serve ETag and Last-Modified and answer conditional requests with 304.
    validators: bool = True
    location: str | None = None
    #: "normal", "never" (no answer at all), "trickle" (1 byte per ``trickle_delay``),
    #: "huge" (an endless body without Content-Length).
    behaviour: str = "normal"
    trickle_delay: float = 0.2
    gzip: bool = False
    #: Extra response headers, sent as given (``{"Content-Encoding": "gzip, gzip"}`` with a
    #: body the test encoded itself).
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: str = "Wed, 25 Nov 2026 08:00:00 GMT"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)
    conditional: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified"}
_REASONS |= {404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


class FeedServer(ThreadedServer):
    thread_name = "feed-server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._resources: dict[str, Resource] = {}
        self._lock = threading.Lock()
        self.stats = Stats()
        self._stopping: asyncio.Event | None = None

    def _on_loop_start(self) -> None:
        self._stopping = asyncio.Event()

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    # --- content ---------------------------------------------------------------------
    def add(self, path: str, resource: Resource) -> str:
        """Serve ``resource`` at ``path`` (replacing what was there); return its URL."""
        with self._lock:
            self._resources[path] = resource
        return self.url(path)

    def get(self, path: str) -> Resource | None:
        with self._lock:
            return self._resources.get(path)

    def requests_to(self, path: str) -> int:
        return self.stats.requests[path]

    # --- HTTP ------------------------------------------------------------------------
    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                request = await self._read_request(reader)
                if request is None:
                    return
                path, headers = request
                keep_alive = headers.get("connection", "").lower() != "close"
                if not await self._answer(path, headers, writer):
                    return
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        except asyncio.CancelledError:  # the server is stopping
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _read_request(
        self, reader: asyncio.StreamReader
    ) -> tuple[str, dict[str, str]] | None:
        line = await reader.readline()
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) < 2:
            return None
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return parts[1], headers

    async def _answer(
        self, target: str, headers: dict[str, str], writer: asyncio.StreamWriter
    ) -> bool:
        """Write one response; False when the connection must close."""
        path = target.split("?", 1)[0]
        with self._lock:
            resource = self._resources.get(path)
            self.stats.requests[path] += 1
            if "if-none-match" in headers or "if-modified-since" in headers:
                self.stats.conditional[path] += 1
            if "user-agent" in headers:
                self.stats.user_agents.add(headers["user-agent"])
        if resource is None:
            await self._write(writer, 404, {"Content-Type": "text/plain"}, b"not found")
            return True
        if resource.behaviour == "never":
            assert self._stopping is not None
            await self._stopping.wait()  # never answers; the client must give up
            return False
        extra: dict[str, str] = {"Content-Type": resource.content_type, **resource.headers}
        if resource.location:
            extra["Location"] = resource.location
        if resource.validators and resource.status == 200:
            extra["ETag"] = resource.etag
            extra["Last-Modified"] = resource.last_modified
            if headers.get("if-none-match") == resource.etag or (
                "if-none-match" not in headers
                and headers.get("if-modified-since") == resource.last_modified
            ):
                with self._lock:
                    self.stats.not_modified[path] += 1
                await self._write(writer, 304, {"ETag": resource.etag}, b"")
                return True
        if resource.behaviour == "huge":
            return await self._endless(writer, extra)
        body = resource.body
        if resource.gzip and "gzip" in headers.get("accept-encoding", ""):
            body = gzip.compress(body, compresslevel=1)
            extra["Content-Encoding"] = "gzip"
        if resource.behaviour == "trickle":
            return await self._trickle(writer, resource, extra, body)
        await self._write(writer, resource.status, extra, body)
        return True

    async def _write(
        self, writer: asyncio.StreamWriter, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()

    async def _endless(self, writer: asyncio.StreamWriter, headers: dict[str, str]) -> bool:
        head = ["HTTP/1.1 200 OK", *(f"{k}: {v}" for k, v in headers.items())]
        head.append("Connection: close")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        chunk = b"<rss><channel>" + b"<item><title>x</title></item>" * 2000
        sent = 0
        while sent < 200_000_000:  # bounded: the client is expected to hang up long before
            writer.write(chunk)
            await writer.drain()
            sent += len(chunk)
        return False

    async def _trickle(
        self, writer: asyncio.StreamWriter, resource: Resource, headers: dict[str, str], body: bytes
    ) -> bool:
        head = [f"HTTP/1.1 {resource.status} OK", *(f"{k}: {v}" for k, v in headers.items())]
        head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        for i in range(len(body)):
            writer.write(body[i : i + 1])
            await writer.drain()
            await asyncio.sleep(resource.trickle_delay)
        return False


# --------------------------------------------------------------------------------------
# Feeds built from the shared data
# --------------------------------------------------------------------------------------

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    """One article of a test feed."""

    id: str
    title: str
    text: str
    category: str | None
    published_at: datetime | None


def load_items(shared_data: Path, dataset: str = "bbc_news_summary") -> list[Item]:
    """Every dev article of ``dataset`` as an :class:`Item` (dates one apart, newest first)."""
    items = []
    path = shared_data / dataset / "dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            row = json.loads(line)
            title = row.get("title") or row["text"].split(".")[0][:90]
            items.append(
                Item(
                    id=row["id"],
                    title=title,
                    text=row["text"],
                    category=row.get("category"),
                    published_at=T0 - timedelta(minutes=7 * number),
                )
            )
    return items


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def article_page(item: Item) -> bytes:
    """A realistic article page: navigation, the article, a footer."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(item.title)} - Test News</title></head><body>"
        '<header><nav><a href="/">Home</a> | <a href="/world">World</a> | '
        '<a href="/business">Business</a></nav></header>'
        f"<main><article><h1>{html.escape(item.title)}</h1>{paragraphs_html(item.text)}"
        "</article></main><footer><p>Copyright Test News. All rights reserved.</p>"
        "<p>Share this article on Facebook and Twitter.</p></footer></body></html>"
    ).encode()


def rss(
    items: Sequence[Item],
    *,
    base_url: str,
    title: str = "Test News",
    full_text: bool = True,
    language: str | None = "en-gb",
    encoding: str = "utf-8",
) -> bytes:
    """RSS 2.0 with categories, dates, guids, tracking parameters on links.

    ``full_text`` puts the article in ``content:encoded``; otherwise the feed carries a
    one-sentence teaser and the article lives on its page (``/articles/<id>.html``).
    """
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{html.escape(title)}</title><link>{base_url}/</link>",
        "<description>Test feed</description>",
    ]
    if language:
        parts.append(f"<language>{language}</language>")
    for item in items:
        link = f"{base_url}/articles/{item.id}.html?utm_source=rss&amp;utm_medium=feed"
        teaser = html.escape(item.text.split("\n\n")[0].split(". ")[0] + ".")
        parts.append("<item>")
        parts.append(f"<title>{html.escape(item.title)}</title><link>{link}</link>")
        parts.append(f'<guid isPermaLink="false">{item.id}</guid>')
        if item.published_at is not None:
            parts.append(f"<pubDate>{format_datetime(item.published_at)}</pubDate>")
        if item.category:
            parts.append(f"<category>{html.escape(item.category.title())}</category>")
        parts.append(f"<description>{teaser}</description>")
        if full_text:
            parts.append(
                f"<content:encoded><![CDATA[{paragraphs_html(item.text)}]]></content:encoded>"
            )
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding, errors="xmlcharrefreplace")


def atom(items: Sequence[Item], *, base_url: str, title: str = "Test Atom News") -> bytes:
    """Atom 1.0 with categories, updated/published dates and HTML content."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>{html.escape(title)}</title><id>{base_url}/atom</id>",
        f"<updated>{T0.isoformat()}</updated>",
    ]
    for item in items:
        stamp = (item.published_at or T0).isoformat()
        parts.append("<entry>")
        parts.append(f"<title>{html.escape(item.title)}</title>")
        parts.append(f'<link rel="alternate" href="{base_url}/atom/{item.id}#top"/>')
        parts.append(f"<id>urn:test:{item.id}</id><updated>{stamp}</updated>")
        parts.append(f"<published>{stamp}</published>")
        if item.category:
            parts.append(f'<category term="{html.escape(item.category)}"/>')
        parts.append(f'<content type="html">{html.escape(paragraphs_html(item.text))}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode()


def serve_items(
    server: FeedServer,
    items: Iterable[Item],
    *,
    feed_path: str,
    full_text: bool = True,
    title: str = "Test News",
) -> str:
    """Serve a feed of ``items`` (and their pages); return the feed's URL."""
    items = list(items)
    for item in items:
        server.add(
            f"/articles/{item.id}.html",
            Resource(body=article_page(item), content_type="text/html; charset=utf-8"),
        )
    body = rss(items, base_url=server.base_url, full_text=full_text, title=title)
    return server.add(feed_path, Resource(body=body))


def _main() -> None:  # pragma: no cover - used by the benchmark
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = FeedServer(port=args.port)
    server.start()
    populate_bench(server, load_all(args.data), feeds=args.feeds, items=args.items)
    print(json.dumps({"base_url": server.base_url}), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)


def load_all(shared_data: Path) -> list[Item]:
    """Every dev article of every dataset (about a thousand distinct articles)."""
    found: list[Item] = []
    for dataset in ("bbc_news_summary", "cnndm_test_frank", "xsum_test_frank"):
        found.extend(load_items(shared_data, dataset))
    return found


def populate_bench(server: FeedServer, pool: Sequence[Item], *, feeds: int, items: int) -> None:
    """``feeds`` feeds of ``items`` full-text items each, every item a distinct article.

    Past the pool's size, an article is made from two: another article's headline and
    opening paragraph in front of this one's body, so each is new content and, like real
    news, mostly its own story.
    """
    for f in range(feeds):
        chosen: list[Item] = []
        for i in range(items):
            n = f * items + i
            base = pool[n % len(pool)]
            lap = n // len(pool)
            title, text = base.title, base.text
            if lap:
                other = pool[(n * 7919 + lap * 104729) % len(pool)]
                opening = other.text.split("\n\n")[0]
                title = f"{other.title}: {base.title}"
                text = f"{opening}\n\n{base.text}"
            chosen.append(
                Item(
                    id=f"b{f}-{i}",
                    title=title,
                    text=text,
                    category=base.category,
                    published_at=T0 - timedelta(minutes=n % 2000),
                )
            )
        body = rss(chosen, base_url=server.base_url, title=f"Bench feed {f}")
        server.add(f"/bench/{f}.xml", Resource(body=body))


if __name__ == "__main__":  # pragma: no cover
    _main()
