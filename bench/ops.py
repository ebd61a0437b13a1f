"""Operator kit figures: health and metrics scrapes, OPML, log redaction.

    .venv/bin/python -m bench.ops                                 # SQLite
    .venv/bin/python -m bench.ops --database postgresql+asyncpg://postgres@127.0.0.1:5432/test

1. scrape: a database with ``--readers`` readers (a tenth of them overdue), 500 sources
   (a fifth failing) and 10,000 ingest runs; /healthz and /metrics asked ``--requests``
   times each over real HTTP on 127.0.0.1; median and 95th percentile.
2. OPML: parse and render an export of 10,000 feeds in 200 folders.
3. logs: 100,000 records formatted by the production handler, with and without three
   secrets to redact, text and JSON.

On PostgreSQL the tables go in a schema of their own, dropped at the end. Never part of
the test pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.runtime.health_endpoint import HealthServer
from bot.runtime.logs import configure_logging
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from bot.runtime.settings import load_settings
from ingest.opml import OpmlSource, parse_opml, render_opml
from storage import IngestRun, Reader, Source, open_database, upgrade_database
from storage.topics import TopicSpec

ROOT = Path(__file__).resolve().parent.parent

NOW = datetime.now(UTC)


async def _fill(db: object, readers: int) -> None:
    from storage import Database

    assert isinstance(db, Database)
    async with db.sessions.begin() as session:
        for start in range(0, readers, 5000):
            session.add_all(
                Reader(
                    chat_id=chat_id,
                    chat_type="private",
                    timezone="UTC",
                    digest_time=dtime(7, 30),
                    next_digest_at=NOW + timedelta(minutes=(-30 if chat_id % 10 == 0 else 60)),
                    paused=chat_id % 50 == 1,
                    summary_length=3,
                    created_at=NOW,
                )
                for chat_id in range(start, min(start + 5000, readers))
            )
            await session.flush()
        session.add_all(
            Source(
                url=f"https://feed{i}.example/rss",
                name=f"Feed {i}",
                topics=["world"],
                enabled=True,
                consecutive_failures=2 if i % 5 == 0 else 0,
                created_at=NOW,
            )
            for i in range(500)
        )
        session.add_all(
            IngestRun(
                started_at=NOW - timedelta(minutes=15 * i),
                finished_at=NOW - timedelta(minutes=15 * i - 1),
            )
            for i in range(10_000)
        )


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def bench_scrape(url: str, readers: int, requests: int) -> None:
    schema = None
    admin = None
    if url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = open_database(url, schema=schema)
    try:
        await upgrade_database(db)
        started = time.perf_counter()
        await _fill(db, readers)
        print(
            f"scrape: filled {readers:,} readers, 500 sources, 10,000 ingest runs "
            f"in {time.perf_counter() - started:.1f} s ({db.dialect})"
        )
        settings = load_settings(_env_file=None)
        server = HealthServer(Services(settings=settings, db=db, metrics=Metrics()))
        await server.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
                for path in ("/healthz", "/metrics"):
                    await client.get(path)  # warm the pool
                    samples = []
                    for _ in range(requests):
                        t0 = time.perf_counter()
                        response = await client.get(path)
                        samples.append(time.perf_counter() - t0)
                        assert response.status_code == 200, response.text
                    print(f"scrape: {path} × {requests}: {_percentiles(samples)}")
        finally:
            await server.stop()
    finally:
        await db.dispose()
        if admin is not None:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()


def bench_opml() -> None:
    catalogue = [TopicSpec("world", "World"), TopicSpec("technology", "Technology", ("ai",))]
    sources = [
        OpmlSource(
            url=f"https://site{i}.example/feed?page={i}&format=rss",
            name=f"Site {i} — news & views",
            topics=(("world",) if i % 3 else ()) + (f"folder-{i % 200}",),
            language="en",
        )
        for i in range(10_000)
    ]
    t0 = time.perf_counter()
    data = render_opml(sources, catalogue)
    rendered = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = parse_opml(data, catalogue)
    parsed = time.perf_counter() - t0
    assert len(result.sources) == 10_000
    print(
        f"opml: 10,000 feeds ({len(data) / 1e6:.1f} MB, 200 folders): "
        f"render {rendered * 1000:.0f} ms, parse {parsed * 1000:.0f} ms"
    )


def bench_logs() -> None:
    token = "123456789:AAbenchmark-token_0123456789abcdef"
    secrets = [token, "webhook-secret-value", "database-password-123"]
    log = logging.getLogger("bench.logs")
    for fmt in ("text", "json"):
        for label, configured in (("no secrets", []), ("3 secrets", secrets)):
            stream = io.StringIO()
            handler = configure_logging(level="INFO", fmt=fmt, secrets=configured, stream=stream)
            t0 = time.perf_counter()
            for i in range(100_000):
                log.info("POST https://api.telegram.org/bot%s/sendMessage chat %d", token, i)
            elapsed = time.perf_counter() - t0
            logging.getLogger().removeHandler(handler)
            print(f"logs: {fmt}, {label}: {elapsed / 100_000 * 1e6:.1f} µs a record")
    logging.captureWarnings(False)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ops", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--database", help="a database URL (default: a SQLite file)")
    parser.add_argument("--readers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(bench_scrape(url, args.readers, args.requests))
    bench_opml()
    bench_logs()


if __name__ == "__main__":
    main()
