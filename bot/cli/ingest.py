"""`newsbot ingest`: run one ingest cycle and print what it did."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="fetch every due source once, store and summarise new articles, print counts",
        description=(
            "Run one ingest cycle: fetch every due source (conditional GETs), store new "
            "articles with their summaries, topics, languages and stories, and print what "
            "it did. Exit status 1 when every due source failed."
        ),
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
    from bot.services import SchemaOutdated

    try:
        return asyncio.run(_ingest(settings))
    except SchemaOutdated as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE


async def _ingest(settings: Settings) -> int:
    from bot.jobs.ingest import run_ingest
    from bot.services import open_services

    async with open_services(settings) as services:
        report = await run_ingest(services)
    print(format_report(report))
    if report.sources_due and report.sources_failed == report.sources_due:
        return EXIT_FAILED
    return EXIT_OK


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
