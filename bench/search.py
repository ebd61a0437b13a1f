"""/search latency over many stored articles: ``storage.articles.search_stories``.

    .venv/bin/python -m bench.search                          # 100,000 articles, SQLite
    .venv/bin/python -m bench.search --articles 300000 --backend postgresql \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test

Builds a fresh database through ingest's own write path (``insert_articles``, terms of
the title and summary as ingest computes them) from the articles and reference summaries
in ../shared/data: ``--articles`` articles over 30 days, stories told by 1–4 of 200
outlets, each article with its full text. Then times ``search_stories(limit=5)`` for
queries of every kind — the most frequent indexed word, a middling one, a rare one, two
and three words, words no article has — and prints the median and worst milliseconds of
``--repeat`` runs each, with how many articles hold each query's words. PostgreSQL runs
in a database of its own, dropped afterwards. Never part of the test pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from storage import Database, Source, open_database, upgrade_database
from storage.articles import query_terms, search_stories, terms_of
from storage.ingest_writes import NewArticle, insert_articles
from tests.support.databases import temporary_database_url

ROOT = Path(__file__).resolve().parent.parent

DATA = Path(os.environ.get("NEWSBOT_SHARED_DATA") or ROOT.parent / "shared" / "data")
NOW = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
OUTLETS = 200
BATCH = 2000


def _items() -> list[tuple[str, list[str], str]]:
    """(title, summary sentences, text) from the shared evaluation data."""
    found: list[tuple[str, list[str], str]] = []
    for path in sorted(DATA.glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            sentences = [s.strip() for s in item["summary"].split("\n") if s.strip()][:5]
            if sentences:
                title = item.get("title") or sentences[0][:90]
                found.append((title, sentences, item["text"][:5000]))
    if not found:
        raise SystemExit(f"no data in {DATA}")
    return found


async def build(db: Database, count: int) -> tuple[Counter[str], set[frozenset[str]]]:
    """Store ``count`` articles; how many articles hold each term, and which terms meet."""
    rng = random.Random(2026)
    items = _items()
    await upgrade_database(db)
    async with db.sessions.begin() as session:
        session.add_all(
            Source(
                id=i,
                url=f"https://outlet{i}.example/feed",
                name=f"Outlet {i}",
                topics=[],
                created_at=NOW,
            )
            for i in range(1, OUTLETS + 1)
        )
    frequency: Counter[str] = Counter()
    together: set[frozenset[str]] = set()
    batch: list[NewArticle] = []
    same_story_as: list[int | None] = []
    made = 0

    async def flush() -> None:
        async with db.sessions.begin() as session:
            await insert_articles(
                session, batch, stories=[None] * len(batch), same_story_as=same_story_as
            )
        batch.clear()
        same_story_as.clear()

    while made < count:
        title, sentences, body = rng.choice(items)
        published = NOW - timedelta(seconds=rng.randrange(30 * 24 * 3600))
        tellers = min(rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[0], count - made)
        first = len(batch)
        terms = terms_of(" ".join([title, *sentences]))
        common = [t for t in terms if t in _frequent(items)]
        together.update(frozenset((a, b)) for a in common for b in common if a < b)
        for n, source in enumerate(rng.sample(range(1, OUTLETS + 1), tellers)):
            made += 1
            when = published + timedelta(minutes=rng.randrange(120))
            batch.append(
                NewArticle(
                    url=f"https://outlet{source}.example/{made}",
                    guid=None,
                    source_id=source,
                    title=title,
                    text=body,
                    summary=sentences,
                    summary_positions=list(range(len(sentences))),
                    language="en",
                    published_at=when,
                    fetched_at=when,
                    content_hash=f"{made:064x}",
                    topics=(),
                    terms=terms,
                    story_keys=(),
                )
            )
            same_story_as.append(first if n else None)
            frequency.update(terms)
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return frequency, together


_FREQUENT_TERMS: set[str] = set()


def _frequent(items: list[tuple[str, list[str], str]]) -> set[str]:
    """The 300 terms most items hold (to find frequent words that never meet)."""
    if not _FREQUENT_TERMS:
        counts = Counter(t for title, s, _ in items for t in terms_of(" ".join([title, *s])))
        _FREQUENT_TERMS.update(t for t, _ in counts.most_common(300))
    return _FREQUENT_TERMS


def queries(frequency: Counter[str], together: set[frozenset[str]]) -> list[tuple[str, str]]:
    """(kind, query) pairs spanning the frequencies the index holds."""
    # Words a reader would type (no "s" of "Ukraine’s"), most frequent first.
    ranked = sorted(
        (t for t in frequency if t.isalpha() and len(t) > 2), key=lambda t: (-frequency[t], t)
    )
    common, middling, rare = ranked[0], ranked[len(ranked) // 50], ranked[len(ranked) // 2]
    # The worst case of an intersection: two frequent words no article has together.
    apart = next(
        f"{a} {b}"
        for i, a in enumerate(ranked[:300])
        for b in ranked[i + 1 : 300]
        if {a, b} <= _FREQUENT_TERMS and frozenset((a, b)) not in together
    )
    return [
        ("most frequent word", common),
        ("middling word", middling),
        ("rare word", rare),
        ("two frequent words", f"{ranked[1]} {ranked[2]}"),
        ("frequent + rare", f"{common} {rare}"),
        ("three words", f"{ranked[3]} {ranked[10]} {ranked[30]}"),
        ("frequent, never met", apart),
        ("frequent + absent", f"{common} zyzzyvax"),
        ("absent word", "zyzzyvax"),
    ]


async def measure(
    db: Database, frequency: Counter[str], together: set[frozenset[str]], repeat: int
) -> None:
    print(
        f"{'query':<22} {'words':<36} {'holding':>9} {'found':>5} {'median ms':>10} {'max ms':>8}"
    )
    for kind, query in queries(frequency, together):
        terms = query_terms(query)
        holding = min(frequency.get(t, 0) for t in terms)
        timings = []
        found = 0
        for _ in range(repeat):
            started = time.perf_counter()
            async with db.sessions() as session:
                found = len(await search_stories(session, query, limit=5))
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{kind:<22} {query[:36]:<36} {holding:>9,} {found:>5} "
            f"{statistics.median(timings):>10.1f} {max(timings):>8.1f}",
            flush=True,
        )


async def main_async(args: argparse.Namespace) -> None:
    # The tests' helper: a SQLite file, or a PostgreSQL database of its own, dropped after.
    os.environ["NEWSBOT_TEST_DATABASE_URL"] = args.database_url
    with tempfile.TemporaryDirectory() as tmp:
        async with temporary_database_url(args.backend, Path(tmp)) as url:
            db = open_database(url)
            try:
                started = time.perf_counter()
                frequency, together = await build(db, args.articles)
                if args.backend == "postgresql":
                    # What autovacuum does in a running database: planner statistics, and
                    # the visibility map that lets the term index answer on its own.
                    async with db.engine.connect() as conn:
                        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                        await conn.execute(text("VACUUM ANALYZE"))
                print(
                    f"{args.backend}: {args.articles:,} articles, {sum(frequency.values()):,} "
                    f"term rows, built in {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
                await measure(db, frequency, together, args.repeat)
            finally:
                await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
