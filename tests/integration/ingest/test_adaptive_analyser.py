"""The bot's analyser holds no worker processes between cycles (a small server's memory).

A small cycle runs on one thread of the bot's process; a backlog past the threshold
starts real worker processes; once the work has been idle they stop, and the next cycle
starts on a thread again.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime

from ingest import AdaptiveAnalyser
from ingest.analyse import Candidate
from ingest.sources_file import parse_catalogue
from ingest.topics import TopicRules

TEXT = (
    "The city council approved a new budget for the harbour on Monday. "
    "The plan adds two ferries and a station for electric buses. "
    "Opponents said the cost of the project would rise again next year. "
    "The mayor said work would start in the spring and end by autumn."
)


def _candidate(n: int) -> Candidate:
    return Candidate(
        url=f"https://news.example/{n}",
        guid=str(n),
        title=f"Council approves harbour budget {n}",
        published_at=datetime(2026, 12, 1, tzinfo=UTC),
        content=TEXT,
        categories=(),
        source_topics=("world",),
        declared_languages=("en",),
    )


def _children() -> set[int]:
    pid = os.getpid()
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
        return {int(p) for p in children.read().split()}


async def test_small_cycles_run_on_a_thread_and_leave_nothing_running() -> None:
    rules = TopicRules.from_catalogue(parse_catalogue())
    analyser = AdaptiveAnalyser(pool_threshold=10, idle_seconds=0.05)
    before = _children()
    try:
        done = await analyser.analyse([_candidate(n) for n in range(3)], rules)
        assert [a.url for a in done] == [f"https://news.example/{n}" for n in range(3)]
        assert done[0].summary
        assert not _pool_running(analyser)
        assert _children() == before
        await asyncio.sleep(0.2)
        assert not analyser.thread_running
    finally:
        analyser.close()


async def test_a_backlog_starts_worker_processes_that_stop_when_idle() -> None:
    rules = TopicRules.from_catalogue(parse_catalogue())
    analyser = AdaptiveAnalyser(pool_threshold=2, idle_seconds=0.2, workers=1)
    before = _children()
    try:
        await analyser.analyse([_candidate(1)], rules)
        assert not _pool_running(analyser)
        done = await analyser.analyse([_candidate(n) for n in range(2, 5)], rules)
        assert len(done) == 3
        assert done[0].summary
        assert _pool_running(analyser)
        assert _children() - before, "no worker process was started"
        await asyncio.sleep(0.5)
        assert not _pool_running(analyser)
        for _ in range(50):  # the workers exit once the pool has shut down
            if not (_children() - before) - _tracker(before):
                break
            await asyncio.sleep(0.1)
        assert not (_children() - before) - _tracker(before)
        # The next cycle starts small again: on the thread.
        await analyser.analyse([_candidate(9)], rules)
        assert not _pool_running(analyser)
    finally:
        analyser.close()


def _pool_running(analyser: AdaptiveAnalyser) -> bool:
    # Read through a call: mypy keeps a property narrowed by an assert across the awaits
    # that change it, and would call the later checks unreachable.
    return analyser.pool_running


def _tracker(before: set[int]) -> set[int]:
    """multiprocessing's resource tracker: one small process that outlives any pool."""
    found = set()
    for pid in _children() - before:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"resource_tracker" in cmdline.read():
                    found.add(pid)
        except OSError:
            continue
    return found
