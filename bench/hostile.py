"""What a hostile publisher or a noisy reader costs: cycle time, peak memory, reply times.

    .venv/bin/python -m bench.hostile                  # every case below
    .venv/bin/python -m bench.hostile --only flood     # or: title, chat
    .venv/bin/python -m bench.hostile --teasers 5000 --flood-messages 1000

Cases, each with the project's defaults (bot/runtime/settings.py, docs/limits.md):

- flood: one feed of 20,000 teaser-only items (each with an article page) beside nothing
  else; one `newsbot ingest` cycle (the real pipeline and the analyser the bot uses, which
  runs a cycle this size on a thread; `--pool` forces the worker processes; SQLite). Bar:
  cycle <= 120 s, <= 1,000 page fetches (counted by the server), peak RSS <= 400 MB
  (ingest process + workers, not the feed server, which runs in a process of its own).
- title: one item whose title is 1.6 MB of distinct words, beside ordinary ones. Bar:
  <= 5,000 index terms, title stored <= 2,000 characters; meanwhile a reader's query on
  the same SQLite file is timed over and over (the longest wait is printed).
- chat: the real Application against the fake Bot API; one chat floods commands while a
  quiet reader makes round trips. Bar: the quiet reader's p99 < 1 s. The same with the
  per-reader limit off is printed beside it, for comparison.
- codings: bench.hostile_codings (the 1 GiB double-gzip page and feed).

Never part of the test pass/fail. Print `uptime` beside the figures you report.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench import hostile_codings
from bench.process_memory import TreeSampler
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.telegram.jobs.ingest import ingest_config
from ingest import AdaptiveAnalyser, Analyser, Fetcher, ProcessAnalyser, run_cycle
from storage import Article, Database, open_database, upgrade_database
from storage.models import ArticleTerm
from tests.support.feed_server import (
    FeedServer,
    Item,
    Resource,
    article_page,
    load_items,
)

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT.parent / "shared" / "data"
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def _defaults(sources: Path) -> Settings:
    # The hostile server is on loopback: allow-listed, as an operator lists an intranet feed.
    return Settings(_env_file=None, sources_file=sources, allowed_private_hosts={"127.0.0.1"})


@contextlib.asynccontextmanager
async def _feed_fetcher(settings: Settings, db: Database) -> AsyncIterator[Fetcher]:
    """The feed fetcher `newsbot ingest` builds from these settings."""
    services = Services(settings=settings, db=db, metrics=Metrics())
    try:
        yield services.feed_fetcher()
    finally:
        await services.close_ingest()


# --- the hostile feed server, in a process of its own ---------------------------------


def _teaser_feed(base_url: str, count: int) -> bytes:
    """A compact RSS of ``count`` teaser items (newest last), under the 5 MB body cap."""
    stamp = NOW - timedelta(hours=1)
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>']
    parts.append(f"<title>Flood</title><link>{base_url}/</link><description>x</description>")
    for i in range(count):
        when = (stamp + timedelta(seconds=i / 10)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        parts.append(
            f"<item><title>Flood item {i}</title><link>{base_url}/a/{i}</link>"
            f"<pubDate>{when}</pubDate><description>Teaser {i}.</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def serve(teasers: int) -> None:
    """Serve the flood feed and its pages; answer "count" on stdin with page requests."""
    server = FeedServer()
    server.start()
    pool = load_items(DATA)
    for i in range(teasers):
        # Distinct articles (a page per item), so what is fetched is also stored.
        base = pool[i % len(pool)]
        item = Item(f"a{i}", f"{base.title} ({i})", f"Item {i}.\n\n{base.text}", None, None)
        server.add(f"/a/{i}", Resource(body=article_page(item), content_type="text/html"))
    server.add("/flood.xml", Resource(body=_teaser_feed(server.base_url, teasers)))
    print(json.dumps({"base_url": server.base_url}), flush=True)
    for line in sys.stdin:
        if line.strip() == "count":
            pages = sum(n for p, n in server.stats.requests.items() if p.startswith("/a/"))
            print(json.dumps({"pages": pages}), flush=True)
    server.stop()


class _Server:
    def __init__(self, teasers: int) -> None:
        command = [sys.executable, "-m", "bench.hostile", "--serve", str(teasers)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.base_url = json.loads(self.process.stdout.readline())["base_url"]

    def pages(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(json.loads(self.process.stdout.readline())["pages"])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


# --- cases -------------------------------------------------------------------------


async def flood(teasers: int, pool: bool = False) -> None:
    server = _Server(teasers)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.toml"
            sources.write_text(
                f'[[source]]\nname = "Flood"\nurl = "{server.base_url}/flood.xml"\n'
                'topics = ["world"]\nlanguage = "en"\n',
                encoding="utf-8",
            )
            settings = _defaults(sources)
            db = open_database(f"sqlite+aiosqlite:///{Path(tmp) / 'flood.db'}")
            await upgrade_database(db)
            # What the bot and `newsbot ingest` use (Services.ingest_analyser), unless
            # --pool asks for the worker pool a large backlog would start.
            analyser: Analyser = ProcessAnalyser() if pool else AdaptiveAnalyser()
            await analyser.parse(b"<rss version='2.0'><channel/></rss>", url="x", content_type=None)
            try:
                async with _feed_fetcher(settings, db) as fetcher:
                    with TreeSampler(exclude=server.process.pid, interval=0.1, pss=True) as memory:
                        report = await run_cycle(
                            db, fetcher, analyser, ingest_config(settings), clock=lambda: NOW
                        )
            finally:
                analyser.close()
                await db.dispose()
        pages = server.pages()
    finally:
        server.close()
    print(
        f"flood:   {teasers:,}-teaser feed: cycle {report.seconds:.1f} s (bar <= 120), "
        f"{pages:,} page fetches (bar <= 1,000), peak memory of ingest and its workers: "
        f"PSS {memory.pss_kib / 1024:.0f} MiB (bar <= 400), RSS summed "
        f"{memory.rss_kib / 1024:.0f} MiB; "
        f"{report.articles_new} new, {report.entries_deferred:,} left for later cycles "
        f"(limit {settings.ingest_max_new_entries} per source per cycle)"
    )
    largest = sorted(memory.pss_by_pid.values(), reverse=True)
    print(f"         largest PSS per process (MiB): {[round(k / 1024) for k in largest]}")


def _title_feed(base_url: str, words: int) -> tuple[bytes, int]:
    huge = " ".join(f"w{i:06d}x" for i in range(words))
    stamp = (NOW - timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = [(huge, "huge")] + [(item.title, item.id) for item in load_items(DATA)[:20]]
    body = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>']
    for title, key in items:
        body.append(
            f"<item><title>{title}</title><link>{base_url}/p/{key}</link>"
            f"<pubDate>{stamp}</pubDate><description>An ordinary text about {key}. "
            "It has a second sentence as well.</description></item>"
        )
    body.append("</channel></rss>")
    return "".join(body).encode(), len(huge)


async def huge_title(words: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        body, length = _title_feed(server.base_url, words)
        url = server.add("/title.xml", Resource(body=body))
        sources = Path(tmp) / "sources.toml"
        sources.write_text(f'[[source]]\nname = "Title"\nurl = "{url}"\n', encoding="utf-8")
        settings = _defaults(sources)
        db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'title.db'}"
        db = open_database(db_url)
        await upgrade_database(db)
        reader = open_database(db_url)
        waits: list[float] = []
        done = asyncio.Event()

        async def read_meanwhile() -> None:
            # A reader's /latest-like query, again and again, on its own connection.
            while not done.is_set():
                started = time.perf_counter()
                async with reader.sessions() as session:
                    await session.execute(
                        text("SELECT id FROM articles ORDER BY published_at DESC LIMIT 10")
                    )
                waits.append(time.perf_counter() - started)
                await asyncio.sleep(0.01)

        analyser = ProcessAnalyser()
        # Started before measuring: spawning the pool blocks the loop about a second,
        # once per process, which is not what this case is about.
        await analyser.parse(b"<rss version='2.0'><channel/></rss>", url="x", content_type=None)
        try:
            async with _feed_fetcher(settings, db) as fetcher:
                meanwhile = asyncio.create_task(read_meanwhile())
                report = await run_cycle(
                    db, fetcher, analyser, ingest_config(settings), clock=lambda: NOW
                )
                done.set()
                await meanwhile
            async with db.sessions() as session:
                article = (
                    await session.scalars(select(Article).where(Article.url.like("%/p/huge")))
                ).one()
                terms = await session.scalar(
                    select(func.count())
                    .select_from(ArticleTerm)
                    .where(ArticleTerm.article_id == article.id)
                )
        finally:
            analyser.close()
            await db.dispose()
            await reader.dispose()
    print(
        f"title:   {length / 1e6:.1f} MB title of {words:,} distinct words: {terms} index "
        f"terms (bar <= 5,000), title stored {len(article.title):,} chars (bar <= 2,000); "
        f"{report.articles_new} new in {report.seconds:.1f} s; a reader's query meanwhile: "
        f"longest {max(waits) * 1000:.0f} ms, p50 {statistics.median(waits) * 1000:.1f} ms "
        f"over {len(waits)}"
    )


async def _quiet_reader(flood_messages: int, trips: int, **settings: Any) -> list[float]:
    from tests.support.bot_harness import running_bot
    from tests.support.digest_world import add_sources, add_story
    from tests.support.fake_bot_api import Chat

    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp), **settings) as bot:
            now = bot.clock.now()
            async with bot.services.db.sessions.begin() as session:
                ids = await add_sources(session, 3, now)
                for i in range(200):
                    await add_story(
                        session,
                        title=f"Story {i}: markets, weather and the news of the day",
                        topics=["world"],
                        sources=ids[: 1 + i % 3],
                        published_at=now - timedelta(minutes=7 * i),
                        summary=(f"Story {i} happened today.", "It matters to readers."),
                    )
            # The quiet side is many readers, a command each now and then (one reader
            # making hundreds of round trips would be a flood of its own).
            flooder = Chat(666)
            stop = asyncio.Event()

            async def keep_flooding() -> None:
                # A steady flood: as many /latest commands as the bot takes in, in bursts.
                sent = 0
                while not stop.is_set() and sent < flood_messages:
                    for _ in range(50):
                        bot.fake.user_sends(flooder, "/latest")
                    sent += 50
                    await asyncio.sleep(0.1)

            flooding = asyncio.create_task(keep_flooding())
            seconds = []
            for i in range(trips):
                started = time.perf_counter()
                quiet = Chat(10_000 + i % 50)
                await bot.send(quiet, "/latest" if i % 2 else "/help", timeout=120)
                seconds.append(time.perf_counter() - started)
            stop.set()
            await flooding
            await bot.wait_until_handled(timeout=600)
    return sorted(seconds)


def _p99(seconds: list[float]) -> float:
    return seconds[max(0, int(len(seconds) * 0.99) - 1)]


async def chat(flood_messages: int, trips: int) -> None:
    defaults = Settings.model_fields
    limited = await _quiet_reader(
        flood_messages,
        trips,
        reader_burst=defaults["reader_burst"].default,
        reader_per_minute=defaults["reader_per_minute"].default,
    )
    unlimited = await _quiet_reader(flood_messages, trips, reader_burst=100_000)
    print(
        f"chat:    quiet readers' round trips while another chat floods /latest at 500/s "
        f"(up to {flood_messages}): p99 {_p99(limited) * 1000:.0f} ms (bar < 1,000), p50 "
        f"{statistics.median(limited) * 1000:.0f} ms over {trips}; without the per-reader "
        f"limit: p99 {_p99(unlimited) * 1000:.0f} ms, p50 "
        f"{statistics.median(unlimited) * 1000:.0f} ms"
    )


def codings() -> None:
    # The 1 GiB double-gzip page and feed live in bench.hostile_codings (the outbound
    # fetch policy's benchmark); its main([]) runs here, so `python -m bench.hostile`
    # prints every hostile case in one go.
    hostile_codings.main([])  # its own defaults, not this script's arguments


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hostile", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--only", choices=["flood", "title", "chat", "codings"])
    parser.add_argument("--teasers", type=int, default=20_000)
    parser.add_argument(
        "--pool", action="store_true", help="flood: analyse in the worker pool, not as the bot does"
    )
    parser.add_argument("--title-words", type=int, default=180_000, help="1.6 MB of words")
    parser.add_argument("--flood-messages", type=int, default=3000)
    parser.add_argument("--round-trips", type=int, default=200)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        with contextlib.suppress(KeyboardInterrupt):
            serve(args.serve)
        return
    if args.only in (None, "flood"):
        asyncio.run(flood(args.teasers, args.pool))
    if args.only in (None, "title"):
        asyncio.run(huge_title(args.title_words))
    if args.only in (None, "chat"):
        asyncio.run(chat(args.flood_messages, args.round_trips))
    if args.only in (None, "codings"):
        codings()


if __name__ == "__main__":
    main()
