"""`newsbot sources`: the sources and their health (`list`, the default), and OPML files.

- ``newsbot sources import FILE.opml`` (``-`` for standard input) adds the feeds of
  an export of another reader, skipping those already stored (``--dry-run`` stores
  nothing); ``ingest.opml_sources`` holds the rules, shared with the bot's upload.
- ``newsbot sources export [FILE]`` writes the sources as OPML grouped by topic, to
  standard output by default (``--all`` adds the disabled ones).

Every subcommand first syncs the topic catalogue and the sources file, so it sees what
the bot sees. A broken file (sources file or OPML) is one line and exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.runtime.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2

_T = TypeVar("_T")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list sources with their health; import or export OPML",
        description=(
            "The sources: `newsbot sources` (or `newsbot sources list`) shows each one "
            "with its health (last success, failures in a row, next fetch, last error or "
            "why it was disabled), after syncing the sources file. `import` and `export` "
            "read and write OPML, the format feed readers exchange subscriptions in."
        ),
    )
    parser.set_defaults(handler=handle_list)
    commands = parser.add_subparsers(dest="sources_command", metavar="SUBCOMMAND")
    listing = commands.add_parser("list", help="list the sources with their health (default)")
    listing.set_defaults(handler=handle_list)

    importing = commands.add_parser(
        "import",
        help="add the feeds of an OPML file (an export of Feedly, Inoreader, NetNewsWire…)",
        description=(
            "Add every feed of an OPML file that is not stored yet. Folders become topics "
            "when they match the catalogue; a folder that matches none is reported and its "
            "feeds are imported without a topic. Example: newsbot sources import feedly.opml"
        ),
    )
    importing.add_argument("file", metavar="FILE", help="the OPML file, or - for standard input")
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; store nothing"
    )
    importing.set_defaults(handler=handle_import)

    exporting = commands.add_parser(
        "export",
        help="write the sources as OPML, grouped by topic",
        description=(
            "Write the enabled sources as OPML 2.0, one folder per topic, to FILE or to "
            "standard output. Example: newsbot sources export sources.opml"
        ),
    )
    exporting.add_argument("file", metavar="FILE", nargs="?", help="where to write (default: -)")
    exporting.add_argument(
        "--all", action="store_true", dest="include_disabled", help="include disabled sources"
    )
    exporting.set_defaults(handler=handle_export)


def _fail(message: object) -> int:
    print(f"newsbot: {message}", file=sys.stderr)
    return EXIT_USAGE


def _files_problem(settings: Settings) -> str | None:
    """A broken catalogue or sources file, as one line, before any database work."""
    from ingest import SourcesFileError, parse_catalogue, parse_sources

    try:
        catalogue = parse_catalogue()
        parse_sources(settings.sources_file, known_topics={t.slug for t in catalogue})
    except SourcesFileError as error:
        return str(error)
    return None


def _run(settings: Settings, work: Callable[[Any, datetime], Awaitable[_T]]) -> _T:
    """Open the services, sync the catalogue and sources file, then ``work(services, now)``."""

    async def main() -> _T:
        from bot.runtime.services import open_services
        from bot.telegram.jobs.ingest import ingest_config
        from ingest import sync_files

        now = datetime.now(UTC)
        async with open_services(settings) as services:
            await sync_files(services.db, ingest_config(settings), now=now)
            return await work(services, now)

    return asyncio.run(main())


def handle_list(args: argparse.Namespace, settings: Settings) -> int:
    problem = _files_problem(settings)
    if problem is not None:
        return _fail(problem)

    async def listing(services: Any, now: datetime) -> str:
        from bot.views.sources import sources_table
        from storage.sources import list_sources

        async with services.db.sessions() as session:
            return sources_table(await list_sources(session), now)

    print(_run(settings, listing))
    return EXIT_OK


def _read_input(name: str, limit: int) -> bytes:
    """The bytes of ``name`` (``-``: standard input), at most ``limit`` + 1 of them."""
    if name == "-":
        return sys.stdin.buffer.read(limit + 1)
    with Path(name).open("rb") as handle:
        return handle.read(limit + 1)


def handle_import(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.opml import MAX_BYTES, OpmlError, parse_opml
    from ingest.opml_sources import OPERATOR, ImportReport, import_opml

    shown = "standard input" if args.file == "-" else args.file
    try:
        # One byte past the limit is enough for parse_opml to say the file is too large.
        data = _read_input(args.file, MAX_BYTES)
        parse_opml(data)  # a file that cannot be read at all stops here, before any work
    except OSError as error:
        return _fail(f"{shown}: {error.strerror or error}")
    except OpmlError as error:
        return _fail(f"{shown}: {error}")
    problem = _files_problem(settings)
    if problem is not None:
        return _fail(problem)

    async def importing(services: Any, now: datetime) -> ImportReport:
        return await import_opml(
            services.db,
            data,
            added_by=OPERATOR,
            now=now,
            dry_run=args.dry_run,
            screen=services.outbound_policy(for_feeds=True).refusal,
        )

    report = _run(settings, importing)  # the same bytes parse the same way: no OpmlError
    from bot.views.sources import import_report_text

    print(import_report_text(report, dry_run=args.dry_run))
    return EXIT_OK


def handle_export(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.opml_sources import export_opml

    problem = _files_problem(settings)
    if problem is not None:
        return _fail(problem)
    target = None if args.file in (None, "-") else Path(args.file)
    if target is not None and target.is_dir():
        return _fail(f"{target}: is a directory; name a file, e.g. {target / 'sources.opml'}")

    async def exporting(services: Any, now: datetime) -> tuple[bytes, int]:
        return await export_opml(services.db, now=now, include_disabled=args.include_disabled)

    data, count = _run(settings, exporting)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    try:
        target.write_bytes(data)
    except OSError as error:
        return _fail(f"{target}: {error.strerror or error}")
    print(f"{count} source{'' if count == 1 else 's'} written to {target}", file=sys.stderr)
    return EXIT_OK
