"""Where the CPU-bound work runs: inline, in worker processes, or (in the bot) either.

Parsing feeds, extracting pages, cleaning, detecting languages and summarising are pure
Python and hold the GIL, so threads would not make them faster: a process pool uses every
core. But a pool costs memory for as long as it lives (each worker 60–75 MB PSS, and a
household bot works a few seconds every 15 minutes), so the bot uses
:class:`AdaptiveAnalyser`: a cycle's work runs on one thread of the bot's process while it
is small, a pool starts only when a cycle brings a large backlog, and whatever was started
stops once the work has been idle for a little while. Work travels in batches (one feed's
new entries at a time) to keep pickling overhead small.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
    """A process pool (one worker per core, plus one) behind the Analyser interface.

    Its workers start from a fork server that has already imported the heavy modules
    (feedparser, trafilatura, the summariser), so a worker costs a fork, not a second of
    imports, and never inherits the event loop's threads or sockets. ``start_method``
    "spawn" leaves no fork server behind once the pool is closed (the adaptive analyser's
    choice: it closes its pool between cycles).
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        summarise: Summarise = summary.summarise,
        clean: Callable[[str], str] = summary.clean,
        start_method: str = "forkserver",
    ) -> None:
        # One more worker than cores: the pool's feeding thread lives in the busy main
        # process, and a spare queued task keeps every core busy while it catches up
        # (measured: 2 workers on 2 cores left them idle half the time; 3 did not).
        self.workers = workers or (os.cpu_count() or 1) + 1
        self._summarise = summarise
        self._clean = clean
        self._start_method = start_method
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(self._start_method)
        if self._start_method == "forkserver":
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


#: A cycle whose new entries pass this many starts the process pool. Measured on two
#: busy cores (bench/ingest.py, docs/benchmarks.md): one thread analyses about 70
#: articles a second with the process at 130–155 MB; a pool of three does about 160 a
#: second but costs 1.5–3 s to start and 400 MB more while it lives. Below a few hundred
#: entries the pool would save a few seconds every 15 minutes and nothing else.
POOL_THRESHOLD = 300

#: Seconds without work after which the thread or the pool is let go.
IDLE_SECONDS = 30.0


class AdaptiveAnalyser:
    """Inline on one thread for small cycles; a process pool for a large backlog; nothing idle.

    - Work runs on a single worker thread of the calling process, so the event loop keeps
      answering readers meanwhile (the thread yields the GIL every few milliseconds) and
      only one batch is in memory at a time.
    - Once more than ``pool_threshold`` entries arrived since the analyser was last idle,
      a process pool starts and takes every further batch: a large backlog keeps the
      throughput of every core.
    - ``idle_seconds`` after the last piece of work, the pool and the thread stop, so a
      bot holds no worker memory between cycles.
    """

    def __init__(
        self,
        *,
        pool_threshold: int = POOL_THRESHOLD,
        idle_seconds: float = IDLE_SECONDS,
        workers: int | None = None,
        summarise: Summarise = summary.summarise,
        clean: Callable[[str], str] = summary.clean,
    ) -> None:
        self.pool_threshold = pool_threshold
        self.idle_seconds = idle_seconds
        self._workers = workers
        self._summarise = summarise
        self._clean = clean
        self._thread: ThreadPoolExecutor | None = None
        self._pool: ProcessAnalyser | None = None
        self._entries = 0
        self._busy = 0
        self._idle_timer: asyncio.TimerHandle | None = None

    @property
    def pool_running(self) -> bool:
        return self._pool is not None

    @property
    def thread_running(self) -> bool:
        return self._thread is not None

    async def parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        if self._pool is not None:
            return await self._track(self._pool.parse(body, url=url, content_type=content_type))
        return await self._track(self._inline(_parse, body, url, content_type))

    async def analyse(self, candidates: Sequence[Candidate], rules: TopicRules) -> list[Analysed]:
        self._entries += len(candidates)
        if self._pool is None and self._entries > self.pool_threshold:
            log.info(
                "ingest: %d new entries this cycle, starting %s worker processes",
                self._entries,
                self._workers or (os.cpu_count() or 1) + 1,
            )
            self._pool = ProcessAnalyser(
                self._workers,
                summarise=self._summarise,
                clean=self._clean,
                start_method="spawn",
            )
        if self._pool is not None:
            return await self._track(self._pool.analyse(candidates, rules))
        return await self._track(
            self._inline(analyse_batch, candidates, rules, self._summarise, self._clean)
        )

    async def _inline(self, function: Callable[..., _R], *args: Any) -> _R:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analyse")
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    async def _track(self, work: Awaitable[_R]) -> _R:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        self._busy += 1
        try:
            return await work
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle_timer = asyncio.get_running_loop().call_later(
                    self.idle_seconds, self.release
                )

    def release(self) -> None:
        """Stop the pool and the thread (they start again with the next work)."""
        self._idle_timer = None
        if self._busy:
            return
        self._entries = 0
        if self._pool is not None:
            log.info("ingest: idle, stopping the worker processes")
            self._pool.close()
            self._pool = None
        if self._thread is not None:
            self._thread.shutdown(wait=False)
            self._thread = None

    def close(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._busy = 0
        self.release()
