"""Digest benchmark: compose 100,000 digests over 1,000,000 articles, then measure sending.

    .venv/bin/python -m bench.digest --backend sqlite
    .venv/bin/python -m bench.digest --backend postgresql \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Phases (figures printed as they come):
1. build (a subprocess, so its memory is not counted): a synthetic world made from the
   articles and reference summaries in ../shared/data — 1,000,000 articles over 30 days
   grouped into stories told by 1–4 of 200 outlets, 7 topics, 100,000 readers in ten
   zones following 1–4 topics (5 % also a keyword query), each with yesterday's digest in
   the deliveries ledger; the keyword index for the last three days.
2. compose: every reader's digest, in batches of 1,000, with the engine's own Composer
   (load readers, subscriptions, ledger, ranked pools; compose; render to HTML).
3. claim: the tick's claim transaction (lock due readers, compose, record digests and
   deliveries, move schedules) for ``--claim`` readers.
4. send, limits off: those digests through the engine's send loop (ledger protocol,
   group commit, python-telegram-bot's Bot and HTTPXRequest) against the fake Bot API
   running in another process; CPU time of the sending process per message.
5. send, limits off, ``--workers`` processes (PostgreSQL; default 2): each claims
   ``--claim`` digests, then all send at once; messages/s in total (first start to last
   end) and each worker's CPU time per message. 1,000/s is Telegram's paid-broadcast
   ceiling, so this is the figure that says whether one machine can reach it.
6. send, limits on: ``--limited`` more digests at NEWSBOT_SEND_RATE_PER_SECOND (25/s),
   1/s per chat; the fraction of the ceiling reached.
Peak memory is the measuring process's maximum resident set size.

``--keep`` leaves the PostgreSQL database in place and prints its URL; ``--reuse-url URL``
measures it again without building (each run claims readers, 100,000 last a few runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")

from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage import open_database, upgrade_database
from storage.articles import terms_of
from storage.digests import ClaimedDigest
from storage.models import (
    Article,
    ArticleTerm,
    ArticleTopic,
    Delivery,
    Reader,
    Source,
    Subscription,
    Topic,
)

ROOT = Path(__file__).resolve().parent.parent

DATA = Path(os.environ.get("NEWSBOT_SHARED_DATA") or ROOT.parent / "shared" / "data")
NOW = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
TOPICS = ["world", "politics", "business", "technology", "science", "sport", "entertainment"]
ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Sydney",
]
CHUNK = 5000


def _items() -> list[tuple[str, list[str]]]:
    """(title, summary sentences) from the shared evaluation data."""
    found: list[tuple[str, list[str]]] = []
    for path in sorted(DATA.glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            sentences = [s.strip() for s in item["summary"].split("\n") if s.strip()]
            title = item.get("title") or (sentences[0][:90] if sentences else "Untitled")
            if sentences:
                found.append((title, sentences[:5]))
    if not found:
        raise SystemExit(f"no data in {DATA}")
    return found


async def _insert(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[start : start + CHUNK])


async def build(url: str, articles: int, readers: int) -> None:
    rng = random.Random(2026)
    items = _items()
    db = open_database(url)
    started = time.perf_counter()
    await upgrade_database(db)
    async with db.sessions.begin() as session:
        await _insert(
            session,
            Topic,
            [
                {"slug": s, "name": s.title(), "keywords": [], "position": i}
                for i, s in enumerate(TOPICS)
            ],
        )
        await _insert(
            session,
            Source,
            [
                {
                    "id": i,
                    "url": f"https://outlet{i}.example/feed",
                    "name": f"Outlet {i}",
                    "topics": [],
                    "enabled": True,
                    "consecutive_failures": 0,
                    "created_at": NOW,
                }
                for i in range(1, 201)
            ],
        )
    article_id = 0
    recent_for_ledger: list[tuple[int, int]] = []
    batch_a: list[dict[str, Any]] = []
    batch_t: list[dict[str, Any]] = []
    batch_w: list[dict[str, Any]] = []

    async def flush() -> None:
        async with db.sessions.begin() as session:
            await _insert(session, Article, batch_a)
            await _insert(session, ArticleTopic, batch_t)
            await _insert(session, ArticleTerm, batch_w)
        batch_a.clear()
        batch_t.clear()
        batch_w.clear()

    span = 30 * 24 * 3600
    while article_id < articles:
        tellers = min(rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[0], articles - article_id)
        story_id = article_id + 1
        title, sentences = rng.choice(items)
        published = NOW - timedelta(seconds=rng.randrange(span))
        topics = rng.sample(TOPICS, 2 if rng.random() < 0.2 else 1)
        for source in rng.sample(range(1, 201), tellers):
            article_id += 1
            when = published + timedelta(minutes=rng.randrange(120))
            batch_a.append(
                {
                    "id": article_id,
                    "url": f"https://outlet{source}.example/{article_id}",
                    "guid": None,
                    "source_id": source,
                    "title": f"{title} ({story_id})",
                    "text": "",
                    "summary": sentences,
                    "summary_positions": list(range(len(sentences))),
                    "language": "en",
                    "published_at": when,
                    "fetched_at": when,
                    "content_hash": f"{article_id:064x}",
                    "story_id": story_id,
                }
            )
            batch_t += [
                {"article_id": article_id, "topic_slug": t, "published_at": when} for t in topics
            ]
            if NOW - when < timedelta(days=3):
                batch_w += [
                    {"term": term, "article_id": article_id, "published_at": when}
                    for term in terms_of(title)
                ]
            if timedelta(hours=24) < NOW - when < timedelta(hours=48):
                recent_for_ledger.append((article_id, story_id))
        if len(batch_a) >= 50_000:
            await flush()
    await flush()
    print(f"  articles: {articles:,} in {time.perf_counter() - started:.0f} s", flush=True)

    queries = sorted({w for title, _ in items[:400] for w in terms_of(title) if len(w) > 5})[:40]
    reader_rows, subs, ledger = [], [], []
    for n in range(readers):
        chat_id = 10_000_000 + n
        reader_rows.append(
            {
                "chat_id": chat_id,
                "chat_type": "private",
                "title": None,
                "language": "en",
                "timezone": rng.choice(ZONES),
                "digest_time": dtime(rng.randrange(24), rng.choice([0, 15, 30, 45])),
                "next_digest_at": NOW - timedelta(minutes=1),
                "last_digest_at": NOW - timedelta(hours=24),
                "paused": False,
                "summary_length": rng.choice([1, 2, 3, 3, 5]),
                "created_at": NOW,
            }
        )
        for slug in rng.sample(TOPICS, rng.randint(1, 4)):
            subs.append({"chat_id": chat_id, "topic_slug": slug, "query": None, "created_at": NOW})
        if rng.random() < 0.05:
            subs.append(
                {
                    "chat_id": chat_id,
                    "topic_slug": None,
                    "query": rng.choice(queries),
                    "created_at": NOW,
                }
            )
        for a, s in rng.sample(recent_for_ledger, 5):
            ledger.append(
                {
                    "chat_id": chat_id,
                    "article_id": a,
                    "story_id": s,
                    "digest_id": None,
                    "delivered_at": NOW - timedelta(hours=24),
                }
            )
    async with db.sessions.begin() as session:
        await _insert(session, Reader, reader_rows)
        await _insert(session, Subscription, subs)
        await _insert(session, Delivery, ledger)
    if db.is_sqlite:
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("ANALYZE")
    else:
        async with db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE")
    await db.dispose()
    print(
        f"  built: {articles:,} articles, {readers:,} readers, {len(subs):,} subscriptions, "
        f"{len(ledger):,} deliveries in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


# --------------------------------------------------------------------------------------


def _settings(url: str, rate: float, bot_api: str | None = None) -> Any:
    from bot.runtime.settings import load_settings
    from tests.support.fake_bot_api import DEFAULT_TOKEN

    return load_settings(
        _env_file=None,
        database_url=url,
        send_rate_per_second=rate,
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=bot_api,
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def send_worker(url: str, bot_api: str, count: int, connections: int) -> None:
    """One of ``--workers`` processes: claim ``count`` digests, wait for "go", send them."""
    from bot.delivery.composer import Composer
    from bot.delivery.engine import DigestEngine
    from bot.delivery.report import TickReport
    from bot.delivery.sender import ClockWithNow, Limits
    from bot.runtime.metrics import Metrics
    from bot.runtime.services import Services
    from bot.telegram.jobs.digest import transport_for

    settings = _settings(url, 25.0, bot_api)
    db = open_database(url, pool_size=10)
    services = Services(settings=settings, db=db, metrics=Metrics())
    engine = DigestEngine(
        services,
        transport_for(settings, connections=connections),
        clock=ClockWithNow(lambda: NOW),
        limits=Limits.off(),
        batch_size=1000,
    )
    claimed: list[ClaimedDigest] = []
    composer = Composer.from_settings(settings, NOW)
    report = TickReport()
    while len(claimed) < count:
        got = await engine._claim_due(composer, report)
        if not got:
            break
        claimed += got
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    report = TickReport()
    cpu, started = _cpu(), time.time()
    await engine._send_all(claimed[:count], report)
    ended, cpu = time.time(), _cpu() - cpu
    await db.dispose()
    print(
        json.dumps({"messages": report.messages, "start": started, "end": ended, "cpu": cpu}),
        flush=True,
    )


def send_with_workers(url: str, bot_api: str, workers: int, count: int, connections: int) -> None:
    """Start ``workers`` processes, let them claim, then send at once; print the totals."""
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "bench.digest", "--send-worker", url),
                *("--bot-api", bot_api, "--connections", str(connections)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "NEWSBOT_BENCH_COUNT": str(count)},
        )
        for _ in range(workers)
    ]
    for process in processes:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(f"a send worker failed to start: {line!r}")
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=3600)
        results.append(json.loads(out.strip().splitlines()[-1]))
    messages = sum(r["messages"] for r in results)
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    cpu = " ".join(f"{r['cpu'] / max(r['messages'], 1) * 1e3:.2f}" for r in results)
    print(
        f"send, limits off, {workers} worker processes: {messages:,} messages in "
        f"{elapsed:.1f} s = {messages / elapsed:,.0f} messages/s in total; "
        f"CPU per message in each worker: {cpu} ms",
        flush=True,
    )


async def measure(url: str, args: argparse.Namespace) -> None:
    from bot.delivery.composer import PROFILE_COLUMNS, Composer
    from bot.delivery.engine import DigestEngine
    from bot.delivery.report import TickReport
    from bot.delivery.sender import ClockWithNow, Limits, RealClock
    from bot.runtime.metrics import Metrics
    from bot.runtime.services import Services
    from bot.telegram.jobs.digest import transport_for

    settings = _settings(url, 25.0)
    db = open_database(url, pool_size=10)
    services = Services(settings=settings, db=db, metrics=Metrics())

    # --- compose every digest ---------------------------------------------------------
    composer = Composer.from_settings(settings, NOW)
    started = time.perf_counter()
    digests = messages = items = 0
    async with db.sessions() as session:
        chat_ids = list(
            (await session.scalars(select(Reader.chat_id).order_by(Reader.chat_id))).all()
        )
    profile = PROFILE_COLUMNS
    for start in range(0, len(chat_ids), 1000):
        async with db.sessions() as session:
            chunk = chat_ids[start : start + 1000]
            batch = list(
                (await session.execute(select(*profile).where(Reader.chat_id.in_(chunk)))).all()
            )
            for composed in await composer.compose(session, batch):
                digests += 1
                messages += len(composed.messages)
                items += composed.composition.item_count
    elapsed = time.perf_counter() - started
    print(
        f"compose: {digests:,} digests ({items:,} stories, {messages:,} messages) in "
        f"{elapsed:.1f} s = {digests / elapsed:,.0f} digests/s",
        flush=True,
    )

    # --- the fake Bot API in its own process -------------------------------------------
    fake = subprocess.Popen(  # noqa: ASYNC220 - started once, before any timing
        [sys.executable, "-m", "tests.support.fake_bot_api"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdout is not None
        port = int(fake.stdout.readline())
        bot_api = f"http://127.0.0.1:{port}/bot"
        settings = _settings(url, 25.0, bot_api)
        services = Services(settings=settings, db=db, metrics=Metrics())
        transport = transport_for(settings, connections=args.connections)
        if transport:
            # --- claim path --------------------------------------------------------------
            engine = DigestEngine(
                services,
                transport,
                clock=ClockWithNow(lambda: NOW),
                limits=Limits.off(),
                batch_size=1000,
            )
            report = TickReport()
            claimed: list[ClaimedDigest] = []
            started = time.perf_counter()
            claim_composer = Composer.from_settings(settings, NOW)
            while len(claimed) < args.claim + args.limited:
                got = await engine._claim_due(claim_composer, report)  # the tick's own step
                if not got:
                    break
                claimed += got
            elapsed = time.perf_counter() - started
            print(
                f"claim: {report.claimed:,} readers claimed, composed, recorded "
                f"({report.digests:,} digests) in {elapsed:.1f} s = "
                f"{report.claimed / elapsed:,.0f} readers/s",
                flush=True,
            )
            unlimited, limited = claimed[: args.claim], claimed[args.claim :]
            # --- send loop, limits off ---------------------------------------------------
            report = TickReport()
            started, cpu = time.perf_counter(), _cpu()
            await engine._send_all(unlimited, report)
            elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
            print(
                f"send, limits off: {report.messages:,} messages ({report.sent:,} digests) in "
                f"{elapsed:.1f} s = {report.messages / elapsed:,.0f} messages/s; "
                f"CPU {cpu / max(report.messages, 1) * 1e3:.2f} ms per message",
                flush=True,
            )
            if args.workers and not db.is_sqlite:
                await asyncio.to_thread(
                    send_with_workers, url, bot_api, args.workers, args.claim, args.connections
                )
            # --- send loop, limits on ----------------------------------------------------
            rate = settings.send_rate_per_second
            limited_engine = DigestEngine(
                services,
                transport,
                clock=RealClock(),
                limits=Limits(overall_per_second=rate),
                worker=engine.worker,
            )
            report = TickReport()
            started = time.perf_counter()
            await limited_engine._send_all(limited, report)
            elapsed = time.perf_counter() - started
            achieved = report.messages / elapsed
            print(
                f"send, limits on ({rate:g}/s overall, 1/s per chat): {report.messages:,} messages "
                f"in {elapsed:.1f} s = {achieved:.2f} messages/s = "
                f"{achieved / rate:.1%} of the ceiling",
                flush=True,
            )
    finally:
        fake.kill()
        await transport.close()
        await db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (measuring process): {peak:.0f} MB", flush=True)


async def _fresh_postgres(server_url: str) -> str:
    url = make_url(server_url)
    name = f"newsbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


async def _drop_postgres(url_text: str) -> None:
    url = make_url(url_text)
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.digest", description="Digest benchmark (see the module docstring)."
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("NEWSBOT_TEST_DATABASE_URL"))
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newsbot-bench"))
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--claim", type=int, default=10_000, help="readers for the unlimited send")
    parser.add_argument("--limited", type=int, default=600, help="readers for the limited send")
    parser.add_argument(
        "--reuse", action="store_true", help="SQLite: measure the database a previous run built"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="PostgreSQL: send processes for phase 5 (0: skip)"
    )
    parser.add_argument(
        "--connections", type=int, default=8, help="the digest sender's HTTP connections"
    )
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database")
    parser.add_argument("--reuse-url", help="PostgreSQL: measure this kept database again")
    parser.add_argument("--build-only", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--send-worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--bot-api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        asyncio.run(build(args.build_only, args.articles, args.readers))
        return
    if args.send_worker:
        count = int(os.environ["NEWSBOT_BENCH_COUNT"])
        asyncio.run(send_worker(args.send_worker, args.bot_api, count, args.connections))
        return
    if args.reuse_url:
        print(f"backend postgresql: reusing {make_url(args.reuse_url).database}", flush=True)
        asyncio.run(measure(args.reuse_url, args))
        return
    path = args.dir / "digest-bench.db"
    if args.backend == "sqlite":
        args.dir.mkdir(parents=True, exist_ok=True)
        path = args.dir / "digest-bench.db"
        if not (args.reuse and path.exists()):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        if not args.database_url:
            raise SystemExit("--database-url (or NEWSBOT_TEST_DATABASE_URL) names the server")
        url = asyncio.run(_fresh_postgres(args.database_url))
    if args.backend == "sqlite" and args.reuse and path.exists():
        print(f"backend sqlite: reusing {path} (earlier runs claimed some readers)", flush=True)
    else:
        print(f"backend {args.backend}: building the world…", flush=True)
        command = [sys.executable, "-m", "bench.digest", "--build-only", url]
        command += ["--articles", str(args.articles), "--readers", str(args.readers)]
        subprocess.run(command, check=True)
    try:
        asyncio.run(measure(url, args))
    finally:
        if args.backend == "postgresql" and not args.keep:
            asyncio.run(_drop_postgres(url))
        elif args.backend == "postgresql":
            print(f"kept: --reuse-url {url}", flush=True)


if __name__ == "__main__":
    main()
