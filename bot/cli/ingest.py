"""`newsbot ingest`: run one ingest cycle and print what it did."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from typing import Any

from bot.runtime.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="fetch every due source once, store and summarise new articles, print counts",
        description=(
            "Run one ingest cycle: fetch every due source (conditional GETs), store new "
            "articles with their summaries, topics, languages and stories, and print what "
            "it did. A source that failed waits longer after each failure (back-off); "
            "--force fetches it anyway, once. Exit status 1 when every due source failed."
        ),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="fetch every enabled source now, including those backing off after failures "
        "(e.g. once the network is fixed)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from ingest import SourcesFileError, parse_catalogue, parse_sources

    try:  # a broken sources file is an operator's mistake: one line, before any work
        catalogue = parse_catalogue()
        parse_sources(settings.sources_file, known_topics={t.slug for t in catalogue})
    except SourcesFileError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    from bot.runtime.services import SchemaOutdated

    try:
        return asyncio.run(_ingest(settings, force=args.force))
    except SchemaOutdated as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE


def _not_a_source_failure(record: logging.LogRecord) -> bool:
    """The report below lists every failed source: their log records would repeat it."""
    return not getattr(record, "source_failure", False)


async def _ingest(settings: Settings, *, force: bool) -> int:
    from bot.runtime.services import open_services
    from bot.telegram.jobs.ingest import run_ingest
    from ingest.pipeline import utc_now
    from storage.sources import backing_off

    # On the handlers, so a failure record is dropped whichever module logs it.
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.addFilter(_not_a_source_failure)
    try:
        async with open_services(settings) as services:
            report = await run_ingest(services, force=force)
            async with services.db.sessions() as session:
                waiting = await backing_off(session, now=utc_now())
    finally:
        for handler in handlers:
            handler.removeFilter(_not_a_source_failure)
    print(format_report(report))
    if waiting.count and not report.skipped:
        print(backing_off_line(waiting))
    if report.sources_due and report.sources_failed == report.sources_due:
        return EXIT_FAILED
    return EXIT_OK


def backing_off_line(waiting: Any) -> str:
    """How many sources wait after failures, until when, and how to retry them now."""

    def at(moment: datetime) -> str:
        return f"{moment:%Y-%m-%d %H:%M} UTC"

    until = (
        f"until {at(waiting.first_retry)}"
        if waiting.first_retry == waiting.last_retry
        else f"the first until {at(waiting.first_retry)}, the last until {at(waiting.last_retry)}"
    )
    sources = "1 source is" if waiting.count == 1 else f"{waiting.count} sources are"
    return (
        f"{sources} backing off after failures ({until}); `newsbot ingest --force` fetches them now"
    )


def format_report(report: Any) -> str:
    """The cycle's report for a terminal: counts first, then each failed source."""
    if report.skipped:
        return "Another process is ingesting right now; nothing done."
    lines = [
        f"Ingest cycle finished in {report.seconds:.1f} s",
        f"  sources   {report.sources_due} due: {report.sources_fetched} fetched, "
        f"{report.sources_not_modified} not modified, {report.sources_failed} failed"
        + (f" ({report.sources_disabled} disabled)" if report.sources_disabled else ""),
        f"  articles  {report.articles_new} new, {report.articles_duplicate} duplicate, "
        f"{report.stories_merged} joined an existing story, "
        f"{report.entries_skipped} skipped (too old or no link)",
        f"  bounded   {report.entries_deferred} new entries left for the next cycle "
        f"(over the per-source limit or time budget), {report.entries_invalid} unusable "
        "entries skipped",
        f"  pages     {report.pages_fetched} article pages fetched for teaser-only entries",
        f"  pruned    {report.articles_pruned} articles past the retention period",
    ]
    if report.failures:
        lines.append("Failed sources:")
        lines += [
            f"  #{f.source_id} {f.name} ({f.url}): {f.reason}"
            + (" — now disabled" if f.disabled else "")
            for f in sorted(report.failures, key=lambda f: f.source_id)
        ]
    return "\n".join(lines)
