"""The ingest tick inside `newsbot run`, and the cycle runner `newsbot ingest` shares.

One cycle every ``NEWSBOT_INGEST_INTERVAL_MINUTES`` (the first shortly after start):
it updates the Prometheus counters from the cycle's report and logs one line with its
counts and duration. An error is logged and the next tick runs as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.telegram.context import BotApplication, BotContext
from ingest import CycleReport, IngestConfig, SourcesFileError, run_cycle, sync_files
from ingest.pipeline import utc_now
from storage.sources import source_health_counts

log = logging.getLogger(__name__)

#: Delay of the first cycle after start: long enough for the bot to come up first.
FIRST_RUN = timedelta(seconds=10)


def ingest_config(settings: Settings, *, force: bool = False) -> IngestConfig:
    return IngestConfig(
        sources_file=settings.sources_file,
        interval=timedelta(minutes=settings.ingest_interval_minutes),
        retention=timedelta(days=settings.retention_days),
        concurrency=settings.fetch_concurrency,
        force=force,
        max_new_entries=settings.ingest_max_new_entries,
        page_batch=settings.ingest_page_batch,
        source_budget=timedelta(seconds=settings.ingest_source_budget_seconds),
    )


async def run_ingest(
    services: Services, *, clock: Callable[[], datetime] = utc_now, force: bool = False
) -> CycleReport:
    """One cycle with the services' fetcher and workers; metrics updated, one log line.

    ``force`` fetches every enabled source, backing off or not (`newsbot ingest --force`).
    """
    try:
        report = await run_cycle(
            services.db,
            services.feed_fetcher(),
            services.ingest_analyser(),
            ingest_config(services.settings, force=force),
            clock=clock,
        )
    except Exception:
        services.metrics.ingest_cycles.labels(outcome="error").inc()
        raise
    metrics = services.metrics
    if report.skipped:
        metrics.ingest_cycles.labels(outcome="skipped").inc()
        log.info("ingest: %s", report.summary_line())
        return report
    metrics.ingest_cycles.labels(outcome="ok").inc()
    metrics.articles_ingested.inc(report.articles_new)
    metrics.articles_duplicate.inc(report.articles_duplicate)
    metrics.entries_left.labels(reason="deferred").inc(report.entries_deferred)
    metrics.entries_left.labels(reason="unusable").inc(report.entries_invalid)
    async with services.db.sessions() as session:
        health = await source_health_counts(session)
    metrics.sources_failing.set(health.failing)
    metrics.sources_disabled.set(health.disabled)
    log.info("ingest: %s", report.summary_line())
    return report


async def _tick(context: BotContext) -> None:
    # Through bot_data, so a job run by hand with the library's plain context works too.
    try:
        await run_ingest(context.bot_data.services, clock=context.bot_data.clock)
    except Exception:
        # Never let one bad cycle stop the job: the next tick tries again.
        log.exception("ingest cycle failed; the next one runs as scheduled")


async def sync_catalogue(services: Services, *, now: datetime) -> None:
    """Copy the topic catalogue and the sources file into the database, fetching nothing.

    Runs at start, so a fresh install offers its topics to the first reader at once
    instead of after the first cycle. A broken file is logged; the cycle reports it too.
    """
    try:
        await sync_files(services.db, ingest_config(services.settings), now=now)
    except SourcesFileError as error:
        log.error("%s", error)


async def _sync(context: BotContext) -> None:
    try:
        await sync_catalogue(context.bot_data.services, now=context.bot_data.clock())
    except Exception:
        log.exception("could not sync the topic catalogue and sources at start")


def install(application: BotApplication) -> None:
    """Sync the catalogue at start, and schedule the ingest cycle on the JobQueue."""
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    interval = application.bot_data.services.settings.ingest_interval_minutes
    queue.run_once(_sync, when=0, name="ingest-sync")
    queue.run_repeating(
        _tick,
        interval=timedelta(minutes=interval),
        first=FIRST_RUN,
        name="ingest",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60},
    )
