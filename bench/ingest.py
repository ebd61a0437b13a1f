"""Ingest throughput: a local feed server with N feeds × M items, one cycle end to end.

    .venv/bin/python -m bench.ingest                      # 50 feeds × 40 items, SQLite
    .venv/bin/python -m bench.ingest --feeds 100 --items 30 --database postgresql+asyncpg://…
    .venv/bin/python -m bench.ingest --large              # a 5,000-feed cycle (10 items each)

Prints articles/s for the whole cycle (fetch, parse, clean, dedupe, tag, summarise,
store), the same for a second cycle (every feed answers 304), and the peak memory of the
ingest process with its worker processes. The feed server runs in a process of its own
(as a remote site would), serving distinct articles built from ../shared/data.
Never part of the test pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.process_memory import TreeSampler
from ingest import (
    AdaptiveAnalyser,
    Fetcher,
    FetchLimits,
    IngestConfig,
    ProcessAnalyser,
    run_cycle,
)
from ingest.net import OutboundPolicy
from storage import open_database, upgrade_database
from tests.support.feed_server import T0

ROOT = Path(__file__).resolve().parent.parent


async def _create_database(server_url: str) -> str:
    """A new database on the server named by ``server_url`` (dropped at the end)."""
    name = f"newsbot_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    await admin.dispose()


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    data = ROOT.parent / "shared" / "data"
    command = [sys.executable, "-m", "tests.support.feed_server", "--data", str(data)]
    command += ["--feeds", str(args.feeds), "--items", str(args.items)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())["base_url"]


async def bench(args: argparse.Namespace, base_url: str, server_pid: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        with sources.open("w", encoding="utf-8") as out:
            for f in range(args.feeds):
                out.write(
                    f'[[source]]\nname = "Bench {f}"\nurl = "{base_url}/bench/{f}.xml"\n'
                    'topics = ["world"]\nlanguage = "en"\n\n'
                )
        url = args.database or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        if url.startswith("postgresql"):
            url = await _create_database(url)
        db = open_database(url)
        await upgrade_database(db)
        config = IngestConfig(
            sources_file=sources,
            interval=timedelta(minutes=15),
            retention=timedelta(days=30),
            concurrency=args.concurrency,
        )
        limits = FetchLimits(concurrency=args.concurrency, per_host=args.concurrency)
        analyser: AdaptiveAnalyser | ProcessAnalyser
        if args.analyser == "process":
            analyser = ProcessAnalyser(args.workers)
        elif args.analyser == "thread":  # never a pool: everything on one thread
            analyser = AdaptiveAnalyser(pool_threshold=10**9)
        else:  # what the bot uses: its pool starts inside the first cycle, and counts
            analyser = AdaptiveAnalyser(workers=args.workers)
        started = time.monotonic()
        await analyser.parse(b"<rss version='2.0'><channel/></rss>", url="x", content_type=None)
        warm = time.monotonic() - started
        now = T0 + timedelta(hours=1)
        cpu_main = time.process_time()
        try:
            # The feed server is on loopback: allow-listed, as an intranet feed would be.
            policy = OutboundPolicy(allowed_private_hosts={"127.0.0.1"})
            async with Fetcher(limits, policy=policy) as fetcher:
                with TreeSampler(exclude=server_pid, interval=0.2) as memory:
                    first = await run_cycle(db, fetcher, analyser, config, clock=lambda: now)
                    second = await run_cycle(db, fetcher, analyser, config, clock=lambda: now)
        finally:
            cpu_main = time.process_time() - cpu_main
            analyser.close()
            await db.dispose()
            if url.startswith("postgresql"):
                await _drop_database(url)
    cpu_workers_s = sum(memory.cpu_by_pid.values())
    total_cpu = cpu_main + cpu_workers_s
    total = args.feeds * args.items
    print(
        f"backend: {url.split(':', 1)[0]}; {args.feeds} feeds x {args.items} items "
        f"= {total} articles; analyser {args.analyser} "
        + (
            f"(a pool of {analyser.workers}, started in {warm:.1f} s, not counted)"
            if isinstance(analyser, ProcessAnalyser)
            else f"(a pool starts past {analyser.pool_threshold} new entries, counted)"
        )
    )
    print(
        f"first cycle:  {first.seconds:7.1f} s  {first.articles_new:6d} new "
        f"({first.stories_merged} joined a story, {first.articles_duplicate} duplicate, "
        f"{first.sources_failed} sources failed)  "
        f"{first.articles_new / first.seconds:7.1f} articles/s"
    )
    print(
        f"second cycle: {second.seconds:7.1f} s  {second.articles_new:6d} new, "
        f"{second.sources_not_modified} feeds not modified  "
        f"{args.feeds / second.seconds:7.1f} feeds/s"
    )
    print(f"peak memory (ingest process + workers): {memory.rss_kib / 1024:.0f} MiB")
    print(
        f"CPU seconds, both cycles: ingest process {cpu_main:.1f}, "
        f"workers {cpu_workers_s:.1f} (wall {first.seconds + second.seconds:.1f})"
    )
    if first.articles_new:
        per_article = total_cpu / first.articles_new
        cores = os.cpu_count() or 1
        print(
            f"CPU per article: {per_article * 1000:.1f} ms, so an idle {cores}-core machine "
            f"ingests at most {cores / per_article:.0f} articles/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core, plus one")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--analyser",
        choices=("adaptive", "process", "thread"),
        default="adaptive",
        help="adaptive (what the bot uses: one thread, a pool for a large backlog), a "
        "process pool started before the clock runs, or one thread only",
    )
    parser.add_argument(
        "--database",
        help="a PostgreSQL server URL (a database of its own is created there and dropped "
        "afterwards); default: a new SQLite file",
    )
    parser.add_argument("--large", action="store_true", help="5,000 feeds × 10 items")
    args = parser.parse_args()
    if args.large:
        args.feeds, args.items = 5000, 10
    server, base_url = start_server(args)
    try:
        asyncio.run(bench(args, base_url, server.pid))
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
