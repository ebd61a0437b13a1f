"""One ingest cycle: due sources → fetch → parse → new entries → full text → analyse → store.

The pipeline is the only impure part of ingest: it owns the order of things and the
transactions. Each due source goes through :func:`_Cycle.source` in one of
``fetch_concurrency`` worker coroutines; CPU work goes to the :class:`Analyser` (a
process pool in production); database work is serialised by one lock, so SQLite never
sees two writers from this process and story ids are assigned in a definite order.

Nothing is lost: a source's validators (ETag, Last-Modified) are stored in the same
transaction as its new articles, so a crash in between means the feed is fetched in
full again next cycle and its articles are found by URL, guid or content hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from ingest.analyse import Analysed, Candidate
from ingest.dedupe import STORY_WINDOW, same_story, story_words
from ingest.extract import looks_like_teaser
from ingest.feeds import FeedEntry, FeedError, ParsedFeed
from ingest.fetch import PAGE_ACCEPT, Fetcher, FetchError
from ingest.source_health import after_failure, after_success
from ingest.sources_file import CATALOGUE, SourcesFileError, parse_catalogue, parse_sources
from ingest.topics import TopicRules
from ingest.workers import Analyser
from storage.engine import Database
from storage.ingest_writes import (
    NewArticle,
    StoryCandidate,
    articles_sharing_story_keys,
    finish_ingest_run,
    ingest_lock,
    insert_articles,
    known_entries,
    known_hashes,
    prune_articles,
    prune_tombstones,
    start_ingest_run,
)
from storage.models import Source
from storage.sources import FetchOutcome, due_sources, record_fetch, sync_sources
from storage.topics import TopicSpec, list_topics, sync_topics

log = logging.getLogger(__name__)

#: New entries analysed per worker task: big enough to amortise pickling, small enough
#: to spread one large feed over every core.
ANALYSE_BATCH = 16
#: Articles the writer commits in one transaction (several sources' worth).
WRITE_GROUP_ARTICLES = 400
#: Stored articles whose story words a cycle keeps (about 3 KB each).
STORY_WORDS_CACHE = 20_000
#: Feed dates this far in the future are a wrong clock or zone: the article is "now".
FUTURE_TOLERANCE = timedelta(hours=1)
#: Entries looked up as known per statement group (and per hold of the database lock,
#: so a feed of tens of thousands of entries lets the writer in between).
KNOWN_LOOKUP = 1_000

#: Defaults of the bounds per source and cycle (settings: docs/limits.md).
MAX_NEW_ENTRIES = 200
PAGE_BATCH = 32
SOURCE_BUDGET = timedelta(seconds=60)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IngestConfig:
    """What a cycle needs from the settings."""

    sources_file: Path | None
    interval: timedelta = timedelta(minutes=15)
    retention: timedelta = timedelta(days=30)
    catalogue_file: Path = CATALOGUE
    concurrency: int = 32
    #: Fetch every enabled source now, even those backing off after failures (one
    #: `newsbot ingest --force` after the operator fixed the network).
    force: bool = False

    #: New entries taken per source per cycle, newest first; the rest wait (see
    #: docs/limits.md): a feed of 20,000 teasers must not mean 20,000 page fetches.
    max_new_entries: int = MAX_NEW_ENTRIES
    #: New entries whose pages are fetched (and then analysed) at once; their page
    #: bodies are released before the next batch starts.
    page_batch: int = PAGE_BATCH
    #: Time one source may take from its feed fetch on; at the budget, its remaining
    #: page batches wait for the next cycle.
    source_budget: timedelta = SOURCE_BUDGET


class NothingStorable(Exception):
    """None of a source's new articles could be stored: a failure of the source."""


#: ``extra`` of the log record of each failed source: the cycle's report lists them too,
#: so `newsbot ingest`, which prints the report, drops these records (printed once).
SOURCE_FAILURE = {"source_failure": True}


@dataclass
class SourceFailure:
    source_id: int
    name: str
    url: str
    reason: str
    disabled: bool = False


@dataclass
class CycleReport:
    """What one cycle did: printed by `newsbot ingest`, logged and counted by the job."""

    started_at: datetime
    finished_at: datetime | None = None
    seconds: float = 0.0
    sources_due: int = 0
    sources_fetched: int = 0
    sources_not_modified: int = 0
    sources_failed: int = 0
    sources_disabled: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    stories_merged: int = 0
    entries_skipped: int = 0
    #: New entries left for a later cycle: over ``max_new_entries``, or past the budget.
    entries_deferred: int = 0
    #: Entries that could not be used (a link with control characters, an entry that
    #: could not be read or stored); their neighbours were.
    entries_invalid: int = 0
    pages_fetched: int = 0
    articles_pruned: int = 0
    failures: list[SourceFailure] = field(default_factory=list)
    #: Another process holds the ingest lock: this cycle did nothing.
    skipped: bool = False
    #: The sources file or catalogue could not be used (the database's sources were).
    file_error: str | None = None

    def summary_line(self) -> str:
        if self.skipped:
            return "ingest skipped: another process is ingesting"
        return (
            f"sources: {self.sources_fetched} fetched, {self.sources_not_modified} not modified, "
            f"{self.sources_failed} failed (of {self.sources_due} due); "
            f"articles: {self.articles_new} new, {self.articles_duplicate} duplicate, "
            f"{self.stories_merged} joined an existing story; "
            f"{self.seconds:.1f} s"
        )


@dataclass
class _Counts:
    new: int = 0
    duplicate: int = 0
    merged: int = 0
    #: Articles the database refused (each tried on its own), so skipped.
    invalid: int = 0


@dataclass(frozen=True)
class _Write:
    """One source's part of a write: its new articles and its fetch outcome."""

    source: _DueSource
    analysed: Sequence[Analysed]
    outcome: FetchOutcome
    now: datetime
    done: asyncio.Future[_Counts]


@dataclass(frozen=True)
class _DueSource:
    id: int
    name: str
    url: str
    topics: tuple[str, ...]
    language: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    healthy_since: datetime

    @classmethod
    def of(cls, source: Source) -> _DueSource:
        return cls(
            id=source.id,
            name=source.name,
            url=source.url,
            topics=tuple(source.topics or ()),
            language=source.language,
            etag=source.etag,
            last_modified=source.last_modified,
            failures=source.consecutive_failures,
            healthy_since=source.last_success_at or source.created_at,
        )


class _Cycle:
    def __init__(
        self,
        db: Database,
        fetcher: Fetcher,
        analyser: Analyser,
        config: IngestConfig,
        rules: TopicRules,
        clock: Callable[[], datetime],
        report: CycleReport,
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.analyser = analyser
        self.config = config
        self.rules = rules
        self.clock = clock
        self.report = report
        self.db_lock = asyncio.Lock()
        self.story_words: dict[int, frozenset[str]] = {}
        self.writes: asyncio.Queue[_Write | None] = asyncio.Queue()

    # --- one source ------------------------------------------------------------------
    async def source(self, source: _DueSource) -> None:
        now = self.clock()
        deadline = time.monotonic() + self.config.source_budget.total_seconds()
        try:
            fetched = await self.fetcher.fetch(
                source.url, etag=source.etag, last_modified=source.last_modified
            )
            if fetched.not_modified:
                await self._record(
                    source,
                    after_success(now=now, etag=fetched.etag, last_modified=fetched.last_modified),
                )
                self.report.sources_not_modified += 1
                return
            feed = await self.analyser.parse(
                fetched.body, url=fetched.final_url, content_type=fetched.content_type
            )
        except (FetchError, FeedError) as error:
            await self._fail(source, str(error), now)
            return
        etag, last_modified = fetched.etag, fetched.last_modified
        del fetched  # the body (up to NEWSBOT_FETCH_MAX_BYTES) is parsed: let it go now
        self._log_feed_problems(source, feed)
        try:
            new, deferred = await self._select_new(source, feed.entries, now)
            del feed  # only the entries taken are kept, not a flood's thousands
            analysed, late = await self._analyse_new(source, new, deadline)
            deferred += late
        except Exception as error:
            # An analysis worker died or a bug surfaced: record it, keep the old
            # validators (the feed is read in full next time) and go on.
            log.exception(
                "source %s (%s): analysing its entries failed",
                source.name,
                source.url,
                extra=SOURCE_FAILURE,
            )
            await self._fail(source, f"analysis failed: {type(error).__name__}: {error}", now)
            return
        if deferred:
            # Without validators the next cycle reads the feed in full (no 304), so the
            # entries left over now are taken then, as long as the feed still lists them.
            outcome = after_success(now=now, etag=None, last_modified=None)
        else:
            outcome = after_success(now=now, etag=etag, last_modified=last_modified)
        try:
            await self._store(source, analysed, outcome, now)
        except NothingStorable as error:
            await self._fail(source, str(error), now)
            return
        self.report.sources_fetched += 1

    def _log_feed_problems(self, source: _DueSource, feed: ParsedFeed) -> None:
        if feed.charset_note:
            log.warning("source %s (%s): %s", source.name, source.url, feed.charset_note)
        if feed.problem:
            log.warning(
                "source %s (%s): malformed feed (%s); %d entries recovered",
                source.name,
                source.url,
                feed.problem,
                len(feed.entries),
            )
        if feed.skipped:
            log.warning(
                "source %s (%s): %d entries without a link were skipped",
                source.name,
                source.url,
                feed.skipped,
            )
            self.report.entries_skipped += feed.skipped
        if feed.invalid:
            log.warning(
                "source %s (%s): %d unusable entries were skipped (a link with control "
                "characters, or an entry that could not be read); the others were kept",
                source.name,
                source.url,
                feed.invalid,
            )
            self.report.entries_invalid += feed.invalid

    async def _select_new(
        self, source: _DueSource, entries: Sequence[FeedEntry], now: datetime
    ) -> tuple[list[tuple[FeedEntry, datetime]], int]:
        """The source's new entries, newest first, at most ``max_new_entries``, each with
        its publication time; and how many more new ones wait for a later cycle."""
        oldest = now - self.config.retention
        fresh: list[tuple[FeedEntry, datetime]] = []
        for entry in entries:
            published = entry.published_at or now
            if published > now + FUTURE_TOLERANCE:
                published = now
            if published < oldest:
                # Older than what we keep: it was pruned already, or never will matter.
                self.report.entries_skipped += 1
                continue
            fresh.append((entry, published))
        if not fresh:
            return [], 0
        # Newest first (stable: a feed's own order breaks ties), so a cap keeps the news.
        fresh.sort(key=lambda pair: pair[1], reverse=True)
        new: list[tuple[FeedEntry, datetime]] = []
        for start in range(0, len(fresh), KNOWN_LOOKUP):
            part = fresh[start : start + KNOWN_LOOKUP]
            async with self.db_lock, self.db.sessions.begin() as session:
                known = await known_entries(
                    session,
                    source_id=source.id,
                    urls=[e.url for e, _ in part],
                    guids=[e.guid for e, _ in part if e.guid],
                )
            new += [
                (e, p) for e, p in part if e.url not in known.urls and e.guid not in known.guids
            ]
        self.report.articles_duplicate += len(fresh) - len(new)
        limit = self.config.max_new_entries
        deferred = max(0, len(new) - limit)
        if deferred:
            log.warning(
                "source %s (%s): %d new entries; the newest %d are taken this cycle, the "
                "other %d wait for the next cycles (while the feed still lists them)",
                source.name,
                source.url,
                len(new),
                limit,
                deferred,
            )
            new = new[:limit]
        self.report.entries_deferred += deferred
        return new, deferred

    async def _analyse_new(
        self, source: _DueSource, new: Sequence[tuple[FeedEntry, datetime]], deadline: float
    ) -> tuple[list[Analysed], int]:
        """The entries analysed, within the source's time budget; and how many wait.

        Pages are fetched ``page_batch`` at a time and each batch analysed (its page
        bodies dropped) before the next one starts; no batch starts after ``deadline``
        (``time.monotonic()``), and a batch whose pages are still loading then is given up.
        """
        deferred = 0
        analysed: list[Analysed] = []
        step = max(1, self.config.page_batch)
        for start in range(0, len(new), step):
            window = new[start : start + step]
            remaining = deadline - time.monotonic()
            pages: list[bytes | None] | None = None
            if remaining > 0:
                try:
                    async with asyncio.timeout(remaining):
                        pages = await asyncio.gather(*(self._page(source, e) for e, _ in window))
                except TimeoutError:
                    pages = None
            if pages is None:
                left = len(new) - start
                log.warning(
                    "source %s (%s): its time budget of %g s is spent; %d new entries wait "
                    "for the next cycle",
                    source.name,
                    source.url,
                    self.config.source_budget.total_seconds(),
                    left,
                )
                deferred += left
                break
            analysed += await self._analyse(source, window, pages)
            del pages  # the bodies go now, not when the whole feed is done
        self.report.entries_deferred += deferred
        return analysed, deferred

    async def _analyse(
        self,
        source: _DueSource,
        window: Sequence[tuple[FeedEntry, datetime]],
        pages: Sequence[bytes | None],
    ) -> list[Analysed]:
        candidates = [
            Candidate(
                url=e.url,
                guid=e.guid,
                title=e.title,
                published_at=p,
                content=e.content,
                categories=e.categories,
                source_topics=source.topics,
                declared_languages=(source.language, e.language),
                page=page,
            )
            for (e, p), page in zip(window, pages, strict=True)
        ]
        batches = [
            candidates[i : i + ANALYSE_BATCH] for i in range(0, len(candidates), ANALYSE_BATCH)
        ]
        del candidates
        results = await asyncio.gather(*(self.analyser.analyse(b, self.rules) for b in batches))
        analysed = [a for batch in results for a in batch]
        for article in analysed:
            if article.problem:
                log.warning(
                    "source %s: %s: %s (stored with a fallback)",
                    source.name,
                    article.url,
                    article.problem,
                )
        return analysed

    async def _page(self, source: _DueSource, entry: FeedEntry) -> bytes | None:
        if not looks_like_teaser(entry.content):
            return None
        try:
            page = await self.fetcher.fetch(entry.url, accept=PAGE_ACCEPT)
        except FetchError as error:
            log.info("source %s: page %s: %s; using the feed's text", source.name, entry.url, error)
            return None
        self.report.pages_fetched += 1
        return page.body or None

    async def _unexpected(self, source: _DueSource, error: Exception) -> None:
        first_line = _first_line(error)
        reason = f"unexpected error: {type(error).__name__}" + (
            f": {first_line}" if first_line else ""
        )
        try:
            await self._fail(source, reason, self.clock())
        except Exception:
            # The database itself is failing: the source stays due and the cycle goes on.
            log.exception("source %s: could not record its failure", source.name)
            self.report.sources_failed += 1
            self.report.failures.append(SourceFailure(source.id, source.name, source.url, reason))

    # --- the database ----------------------------------------------------------------
    async def _record(self, source: _DueSource, outcome: FetchOutcome) -> None:
        await self._store(source, (), outcome, outcome.fetched_at)

    async def _fail(self, source: _DueSource, reason: str, now: datetime) -> None:
        outcome = after_failure(
            now=now,
            error=reason,
            failures_before=source.failures,
            healthy_since=source.healthy_since,
            interval=self.config.interval,
        )
        await self._record(source, outcome)
        self.report.sources_failed += 1
        failure = SourceFailure(source.id, source.name, source.url, reason)
        if outcome.disable_reason:
            failure.disabled = True
            self.report.sources_disabled += 1
            log.error(
                "source %s (%s) disabled: %s",
                source.name,
                source.url,
                outcome.disable_reason,
                extra=SOURCE_FAILURE,
            )
        else:
            log.warning(
                "source %s (%s) failed: %s; failure %d in a row, next try after %s",
                source.name,
                source.url,
                reason,
                outcome.consecutive_failures,
                f"{outcome.next_fetch_at:%Y-%m-%d %H:%M} UTC" if outcome.next_fetch_at else "-",
                extra=SOURCE_FAILURE,
            )
        self.report.failures.append(failure)

    async def _store(
        self,
        source: _DueSource,
        analysed: Sequence[Analysed],
        outcome: FetchOutcome,
        now: datetime,
    ) -> None:
        """Hand the source's articles and fetch outcome to the writer; wait until committed."""
        done: asyncio.Future[_Counts] = asyncio.get_running_loop().create_future()
        await self.writes.put(_Write(source, analysed, outcome, now, done))
        counts = await done
        self.report.articles_new += counts.new
        self.report.articles_duplicate += counts.duplicate
        self.report.stories_merged += counts.merged
        self.report.entries_invalid += counts.invalid

    async def _writer(self) -> None:
        """Commit what the sources hand over, many sources per transaction.

        SQLite rewrites every index page a transaction touches; the keyword and story
        indexes take ~100 rows per article, scattered over the whole index, so one
        commit per source costs several times what one commit per group does.
        """
        while True:
            first = await self.writes.get()
            if first is None:
                return
            group = [first]
            articles = len(first.analysed)
            stop = False
            while articles < WRITE_GROUP_ARTICLES and not self.writes.empty():
                item = self.writes.get_nowait()
                if item is None:
                    stop = True
                    break
                group.append(item)
                articles += len(item.analysed)
            try:
                await self._write_group(group)
            finally:
                # Whatever happened, no source may wait forever for its write.
                for item in group:
                    if not item.done.done():
                        item.done.set_exception(RuntimeError("the write was not done"))
            if stop:
                return

    async def _write_group(self, group: Sequence[_Write]) -> None:
        try:
            async with self.db_lock, self.db.sessions.begin() as session:
                results = [await self._write_one(session, item) for item in group]
        except Exception:
            # Something in the group failed: the cache may name rolled-back rows, and
            # each source gets its own transaction so one bad batch loses nothing else.
            self.story_words.clear()
            for item in group:
                try:
                    async with self.db_lock, self.db.sessions.begin() as session:
                        counts = await self._write_one(session, item)
                except Exception:
                    self.story_words.clear()
                    await self._write_each(item)
                else:
                    item.done.set_result(counts)
            return
        for item, counts in zip(group, results, strict=True):
            item.done.set_result(counts)

    async def _write_each(self, item: _Write) -> None:
        """A source whose write failed: each article on its own, the bad ones skipped.

        Only on this rare path (an article the sanitiser let through and the database
        refused): one bad article costs itself, never its source's other articles.
        """
        counts = _Counts()
        first_error = ""
        try:
            for article in item.analysed:
                try:
                    async with self.db_lock, self.db.sessions.begin() as session:
                        one = await self._store_articles(session, item.source, [article], item.now)
                except Exception as error:
                    self.story_words.clear()
                    counts.invalid += 1
                    first_error = first_error or f"{type(error).__name__}: {_first_line(error)}"
                    log.warning(
                        "source %s: %s could not be stored, skipped: %s: %s",
                        item.source.name,
                        article.url,
                        type(error).__name__,
                        _first_line(error),
                    )
                    continue
                counts.new += one.new
                counts.duplicate += one.duplicate
                counts.merged += one.merged
            if item.analysed and counts.invalid == len(item.analysed):
                # Not one article stored: something is wrong with the source as a whole
                # (or with the database); its health must say so.
                raise NothingStorable(
                    f"none of its {counts.invalid} new articles could be stored ({first_error})"
                )
            async with self.db_lock, self.db.sessions.begin() as session:
                await record_fetch(session, item.source.id, item.outcome)
        except Exception as error:
            item.done.set_exception(error)
        else:
            item.done.set_result(counts)

    async def _write_one(self, session: AsyncSession, item: _Write) -> _Counts:
        counts = _Counts()
        if item.analysed:
            counts = await self._store_articles(session, item.source, item.analysed, item.now)
        await record_fetch(session, item.source.id, item.outcome)
        return counts

    async def _store_articles(
        self,
        session: AsyncSession,
        source: _DueSource,
        analysed: Sequence[Analysed],
        now: datetime,
    ) -> _Counts:
        counts = _Counts()
        stored_hashes = await known_hashes(session, [a.content_hash for a in analysed])
        times = [a.published_at for a in analysed]
        # Stored candidates' story words are computed once per cycle (a story's articles
        # are candidates for many later ones); this batch's own go in under placeholders.
        words = self.story_words
        candidates = await articles_sharing_story_keys(
            session,
            [k for a in analysed for k in a.story_keys],
            since=min(times) - STORY_WINDOW,
            until=max(times) + STORY_WINDOW,
            text_known=words,
        )
        seen_hashes = set(stored_hashes)
        batch: list[NewArticle] = []
        stories: list[int | None] = []
        same_story_as: list[int | None] = []
        for article in sorted(analysed, key=lambda a: (a.published_at, a.url)):
            if article.content_hash in seen_hashes:
                counts.duplicate += 1
                continue
            seen_hashes.add(article.content_hash)
            # Stored stories have positive ids; this batch's articles stand in with
            # negative ones (-1 - index) until the insert gives them real ids.
            story = self._story_of(article, candidates, words)
            stories.append(story if story is not None and story > 0 else None)
            same_story_as.append(-1 - story if story is not None and story < 0 else None)
            placeholder = -1 - len(batch)
            batch.append(
                NewArticle(
                    url=article.url,
                    guid=article.guid,
                    source_id=source.id,
                    title=article.title,
                    text=article.text,
                    summary=article.summary,
                    summary_positions=article.summary_positions,
                    language=article.language,
                    published_at=article.published_at,
                    fetched_at=now,
                    content_hash=article.content_hash,
                    topics=article.topics,
                    terms=article.terms,
                    story_keys=article.story_keys,
                )
            )
            # Later articles of this batch may belong to this one's story.
            me = StoryCandidate(
                article_id=placeholder,
                story_id=story if story is not None else placeholder,
                title=article.title,
                text=article.text[:2000],
                published_at=article.published_at,
            )
            words[placeholder] = article.story_words
            for key in article.story_keys:
                candidates.setdefault(key, []).append(me)
        for placeholder in range(-len(batch), 0):
            words.pop(placeholder, None)
        while len(words) > STORY_WORDS_CACHE:  # oldest first: dicts keep insertion order
            del words[next(iter(words))]
        if not batch:
            return counts
        ids = await insert_articles(session, batch, stories=stories, same_story_as=same_story_as)
        for article_id, story, root in zip(ids, stories, same_story_as, strict=True):
            if article_id is None:
                counts.duplicate += 1
                continue
            counts.new += 1
            if story is not None or (root is not None and ids[root] is not None):
                counts.merged += 1
        return counts

    @staticmethod
    def _story_of(
        article: Analysed,
        candidates: dict[int, list[StoryCandidate]],
        words: dict[int, frozenset[str]],
    ) -> int | None:
        best: tuple[int, float, int] | None = None  # (shared bands, -age, story id)
        shared: dict[int, int] = {}
        by_id: dict[int, StoryCandidate] = {}
        for key in article.story_keys:
            for candidate in candidates.get(key, ()):
                shared[candidate.article_id] = shared.get(candidate.article_id, 0) + 1
                by_id[candidate.article_id] = candidate
        for article_id, count in shared.items():
            candidate = by_id[article_id]
            if abs(candidate.published_at - article.published_at) > STORY_WINDOW:
                continue
            theirs = words.get(article_id)
            if theirs is None:
                theirs = words[article_id] = story_words(candidate.title, candidate.text)
            if not same_story(article.story_words, theirs):
                continue
            rank = (count, -candidate.published_at.timestamp(), candidate.story_id)
            if best is None or rank > best:
                best = rank
        return best[2] if best is not None else None

    # --- the whole cycle -------------------------------------------------------------
    async def run(self) -> None:
        async with self.db.sessions.begin() as session:
            due = [
                _DueSource.of(s)
                for s in await due_sources(session, now=self.clock(), force=self.config.force)
            ]
        self.report.sources_due = len(due)
        queue: asyncio.Queue[_DueSource] = asyncio.Queue()
        for source in due:
            queue.put_nowait(source)

        async def worker() -> None:
            while True:
                try:
                    source = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    await self.source(source)
                except Exception as error:
                    # A bug must not stop the other sources. It counts against the
                    # source's health like any failure: backed off, shown in /sources
                    # and /stats, counted in metrics, disabled when it never stops.
                    log.exception(
                        "source %s (%s): unexpected error",
                        source.name,
                        source.url,
                        extra=SOURCE_FAILURE,
                    )
                    await self._unexpected(source, error)

        writer = asyncio.create_task(self._writer())
        try:
            workers = max(1, min(self.config.concurrency, len(due)))
            await asyncio.gather(*(worker() for _ in range(workers)))
        finally:
            self.writes.put_nowait(None)
            await writer


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:300]


async def sync_files(db: Database, config: IngestConfig, *, now: datetime) -> TopicRules:
    """Copy the catalogue and the sources file into the database; return the topic rules.

    Raises SourcesFileError (one line) when either file is invalid; nothing is changed then.
    """
    catalogue = parse_catalogue(config.catalogue_file)
    specs = (
        parse_sources(config.sources_file, known_topics={t.slug for t in catalogue})
        if config.sources_file is not None
        else None
    )
    async with db.sessions.begin() as session:
        await sync_topics(session, catalogue)
        if specs is not None:
            result = await sync_sources(session, specs, now=now)
            if result.added or result.updated or result.disabled:
                log.info(
                    "sources file: %d added, %d updated, %d disabled",
                    result.added,
                    result.updated,
                    result.disabled,
                )
    return TopicRules.from_catalogue(catalogue)


async def run_cycle(
    db: Database,
    fetcher: Fetcher,
    analyser: Analyser,
    config: IngestConfig,
    *,
    clock: Callable[[], datetime] = utc_now,
) -> CycleReport:
    """Run one ingest cycle and report what it did (see :class:`CycleReport`)."""
    started = time.monotonic()
    report = CycleReport(started_at=clock())
    async with ingest_lock(db) as mine:
        if not mine:
            report.skipped = True
            return report
        try:
            rules = await sync_files(db, config, now=report.started_at)
        except SourcesFileError as error:
            report.file_error = str(error)
            log.error("%s; using the sources already in the database", error)
            rules = TopicRules.from_catalogue(await _stored_catalogue(db))
        async with db.sessions.begin() as session:
            run_id = (await start_ingest_run(session, now=report.started_at)).id
        error_text: str | None = None
        try:
            await _Cycle(db, fetcher, analyser, config, rules, clock, report).run()
            now = clock()
            async with db.sessions.begin() as session:
                report.articles_pruned = await prune_articles(
                    session, before=now - config.retention, now=now
                )
                await prune_tombstones(session, before=now - config.retention)
        except BaseException as error:
            error_text = f"{type(error).__name__}: {error}"
            raise
        finally:
            report.finished_at = clock()
            report.seconds = time.monotonic() - started
            with contextlib.suppress(Exception):
                async with db.sessions.begin() as session:
                    await finish_ingest_run(
                        session,
                        run_id,
                        finished_at=report.finished_at,
                        sources_fetched=report.sources_fetched,
                        sources_not_modified=report.sources_not_modified,
                        sources_failed=report.sources_failed,
                        articles_new=report.articles_new,
                        articles_duplicate=report.articles_duplicate,
                        stories_merged=report.stories_merged,
                        error=error_text or report.file_error,
                    )
    return report


async def _stored_catalogue(db: Database) -> list[TopicSpec]:
    async with db.sessions() as session:
        topics = await list_topics(session)
    return [TopicSpec(slug=t.slug, name=t.name, keywords=tuple(t.keywords)) for t in topics]
