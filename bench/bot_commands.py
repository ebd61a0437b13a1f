"""Reader commands per second: the real bot answering many readers at once.

    .venv/bin/python -m bench.bot_commands                        # 1,000 readers, SQLite
    .venv/bin/python -m bench.bot_commands --readers 2000 --database postgresql

The real Application runs with long polling against the fake Bot API (tests/support),
on a fresh database with 300 stored stories. Every reader sends one command at once, a
mix of /start, /latest, /latest <topic> 3, /subscribe, /mysubs, /settime, /timezone and
/search, each needing the database and a reply of real HTML; the figure is how many of
these the bot answers per second, end to end over HTTP. Then one reader's round trips
one after another give the latency a person feels. The fake Bot API runs in a thread of
the same process, so it takes part of the CPU the bot would have alone. Never part of
the test pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.support.bot_harness import DEFAULT_TOPICS, RunningBot, running_bot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = (
    "/start",
    "/latest",
    "/latest tech 3",
    "/subscribe world",
    "/mysubs",
    "/settime 08:15",
    "/timezone Berlin",
    "/search markets",
)


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _seed(bot: RunningBot, stories: int) -> None:
    now = bot.clock.now()
    slugs = [t.slug for t in DEFAULT_TOPICS]
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 5, now)
        for i in range(stories):
            await add_story(
                session,
                title=f"Story {i}: markets, weather and the news of the day",
                topics=[slugs[i % len(slugs)]],
                sources=sources[: 1 + i % 3],
                published_at=now - timedelta(minutes=7 * i),
                summary=(
                    f"The first sentence of story {i} says what happened today.",
                    "The second sentence says why it matters to readers like you.",
                    "The third sentence says what comes next, and when.",
                ),
            )


async def _burst(bot: RunningBot, readers: int) -> tuple[float, float]:
    """Every reader sends one command at once; seconds until all were answered, and the
    CPU seconds the process spent meanwhile (bot and fake together)."""
    # Each command of the mix is answered with exactly one message.
    goal = bot.fake.counters.get("sendMessage", 0) + readers
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(readers):
        bot.fake.user_sends(Chat(1_000_000 + i), COMMANDS[i % len(COMMANDS)])
    await bot.fake.wait_for(
        lambda: bot.fake.counters.get("sendMessage", 0) >= goal,
        timeout=600,
        what="every reader's answer",
    )
    return time.perf_counter() - started, time.process_time() - cpu


async def _round_trips(bot: RunningBot, count: int) -> list[float]:
    chat, seconds = Chat(42), []
    for i in range(count):
        started = time.perf_counter()
        await bot.send(chat, COMMANDS[1 + i % 2], timeout=60)
        seconds.append(time.perf_counter() - started)
    return seconds


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_bot(Path(tmp), args.database) as bot:
            await _seed(bot, 300)
            await _burst(bot, 50)  # warm caches, pools and the summary views
            elapsed, cpu = await _burst(bot, args.readers)
            trips = sorted(await _round_trips(bot, args.round_trips))
            errors = len(bot.errors)
    p95 = trips[int(len(trips) * 0.95) - 1]
    print(f"database:            {args.database}")
    print(f"readers at once:     {args.readers} (one command each, {len(COMMANDS)} kinds)")
    print(f"answered in:         {elapsed:.2f} s = {args.readers / elapsed:.0f} commands/s")
    print(
        f"CPU per command:     {cpu / args.readers * 1000:.1f} ms "
        "(bot and fake Bot API together; the database server's own CPU not included)"
    )
    print(
        f"one reader's latency: p50 {statistics.median(trips) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms over {len(trips)} /latest round trips"
    )
    print(f"peak RSS (bot + fake Bot API): {_rss_mib():.0f} MiB")
    print(f"handler errors:      {errors}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m bench.bot_commands",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--round-trips", type=int, default=200)
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="postgresql uses NEWSBOT_TEST_DATABASE_URL (a database of its own is created)",
    )
    asyncio.run(main(parser.parse_args()))
