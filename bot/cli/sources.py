"""`newsbot sources`: the sources and their health (`list`, the default).

More subcommands (OPML ``import``/``export``) hang off the same parser.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list sources with their health",
        description=(
            "The sources: `newsbot sources` (or `newsbot sources list`) shows each one "
            "with its health (last success, failures in a row, next fetch, last error or "
            "why it was disabled), after syncing the sources file."
        ),
    )
    parser.set_defaults(handler=handle_list)
    commands = parser.add_subparsers(dest="sources_command", metavar="SUBCOMMAND")
    listing = commands.add_parser("list", help="list the sources with their health (default)")
    listing.set_defaults(handler=handle_list)


def handle_list(args: argparse.Namespace, settings: Settings) -> int:
    from ingest import SourcesFileError, parse_catalogue, parse_sources

    try:
        catalogue = parse_catalogue()
        parse_sources(settings.sources_file, known_topics={t.slug for t in catalogue})
    except SourcesFileError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    from bot.services import SchemaOutdated

    try:
        print(asyncio.run(_list(settings)))
    except SchemaOutdated as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    return 0


async def _list(settings: Settings) -> str:
    from bot.jobs.ingest import ingest_config
    from bot.services import open_services
    from bot.views.sources import sources_table
    from ingest import sync_files
    from storage.sources import list_sources

    now = datetime.now(UTC)
    async with open_services(settings) as services:
        await sync_files(services.db, ingest_config(settings), now=now)
        async with services.db.sessions() as session:
            sources = await list_sources(session)
    return sources_table(sources, now)
