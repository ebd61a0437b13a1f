"""Where the CPU-bound work runs: worker processes, or inline for tests.

Parsing feeds, extracting pages, cleaning, detecting languages and summarising are pure
Python and hold the GIL, so threads would not help: a process pool uses every core.
Its workers start from a forkserver that has already imported the heavy modules
(feedparser, trafilatura, the summariser), so a worker costs a fork, not a second of
imports, and never inherits the event loop's threads or sockets. Work travels in batches
(one feed's new entries at a time) to keep pickling overhead small.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

from ingest import summary
from ingest.analyse import Analysed, Candidate, Summarise, analyse
from ingest.feeds import ParsedFeed, parse_feed
from ingest.topics import TopicRules

log = logging.getLogger(__name__)
_R = TypeVar("_R")

_PRELOAD = ["ingest.analyse", "ingest.feeds", "ingest.summary", "trafilatura", "py3langid"]


class Analyser(Protocol):
    """What the pipeline needs from the CPU side."""

    async def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed: ...

    async def analyse(
        self, candidates: Sequence[Candidate], rules: TopicRules
    ) -> list[Analysed]: ...

    def close(self) -> None: ...


def analyse_batch(
    candidates: Sequence[Candidate],
    rules: TopicRules,
    summarise: Summarise,
    clean: Callable[[str], str],
) -> list[Analysed]:
    return [analyse(c, rules=rules, summarise=summarise, clean=clean) for c in candidates]


def _parse(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url=url, content_type=content_type)


def _warm_worker() -> None:
    try:
        summary.warm_up()
    except Exception:  # the first real article will report the problem
        log.exception("summariser warm-up failed in a worker")


class InlineAnalyser:
    """Runs everything in the calling thread: deterministic, for tests and tiny setups."""

    def __init__(
        self,
        *,
        summarise: Summarise = summary.summarise,
        clean: Callable[[str], str] = summary.clean,
    ) -> None:
        self._summarise = summarise
        self._clean = clean

    async def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        return _parse(body, url, content_type)

    async def analyse(self, candidates: Sequence[Candidate], rules: TopicRules) -> list[Analysed]:
        return analyse_batch(candidates, rules, self._summarise, self._clean)

    def close(self) -> None:
        return None


class ProcessAnalyser:
    """A process pool (one worker per core, plus one) behind the Analyser interface."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        summarise: Summarise = summary.summarise,
        clean: Callable[[str], str] = summary.clean,
    ) -> None:
        # One more worker than cores: the pool's feeding thread lives in the busy main
        # process, and a spare queued task keeps every core busy while it catches up
        # (measured: 2 workers on 2 cores left them idle half the time; 3 did not).
        self.workers = workers or (os.cpu_count() or 1) + 1
        self._summarise = summarise
        self._clean = clean
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_warm_worker
        )

    async def _run(self, function: Callable[..., _R], *args: Any) -> _R:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, function, *args)
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in a C extension): start a fresh pool
            # so the next batch runs; this batch's source is retried next cycle.
            log.error("a worker process died; restarting the worker pool")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            raise

    async def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        return await self._run(_parse, body, url, content_type)

    async def analyse(self, candidates: Sequence[Candidate], rules: TopicRules) -> list[Analysed]:
        return await self._run(analyse_batch, candidates, rules, self._summarise, self._clean)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
