"""OPML files in and out of the sources table: what `newsbot sources import|export` and an
admin's uploaded file share, so the terminal and Telegram import by the same rules.

Import rules:

- the catalogue is the database's (``storage.topics.list_topics``): folders map to its
  topics (see :mod:`ingest.opml`); a folder no topic matches is reported, never created,
  and its feeds are imported without a topic (ingest then tags their articles by
  keywords);
- a feed whose URL is already stored is skipped and reported, whatever its state: the
  import never overrides what an admin or the sources file decided;
- a feed on an address the outbound policy refuses (loopback, private, link-local… see
  docs/security.md) is skipped with a warning unless its host is allow-listed;
- every imported source has ``added_by`` set (:data:`OPERATOR` from the command line, the
  admin's Telegram id from the bot), because ``storage.sources.sync_sources`` disables a
  source with ``added_by=None`` that is not in the sources file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ingest.opml import MAX_BYTES, OpmlImport, parse_opml, render_opml
from storage import Database, Source, TopicSpec
from storage.sources import SourceSpec, add_new_sources, list_sources
from storage.topics import list_topics

#: ``added_by`` of sources imported from the command line: the operator, not a Telegram user.
OPERATOR = 0

#: Why a feed URL may not be fetched (``OutboundPolicy.refusal``), or None when it may.
Screen = Callable[[str], Awaitable[str | None]]
#: Feeds checked at once while screening an import.
SCREEN_CONCURRENCY = 16


async def screen_sources(parsed: OpmlImport, screen: Screen) -> OpmlImport:
    """``parsed`` without the feeds the outbound policy refuses, each with a warning.

    A file must not plant feeds on internal addresses (loopback, the cloud metadata
    service, a database port): they are skipped unless their host is allow-listed.
    """
    slots = asyncio.Semaphore(SCREEN_CONCURRENCY)

    async def verdict(url: str) -> str | None:
        async with slots:
            return await screen(url)

    verdicts = await asyncio.gather(*(verdict(s.url) for s in parsed.sources))
    kept = tuple(s for s, refused in zip(parsed.sources, verdicts, strict=True) if not refused)
    warnings = tuple(
        f'"{s.name}" ({s.url}) skipped: {refused}; list its host in '
        "NEWSBOT_ALLOWED_PRIVATE_HOSTS to import it"
        for s, refused in zip(parsed.sources, verdicts, strict=True)
        if refused
    )
    if not warnings:
        return parsed
    return replace(parsed, sources=kept, warnings=(*parsed.warnings, *warnings))


@dataclass(frozen=True)
class ImportedSource:
    """A source the import added or found already stored (a snapshot, not a row)."""

    id: int
    name: str
    url: str
    topics: tuple[str, ...]
    enabled: bool

    @classmethod
    def of(cls, source: Source) -> ImportedSource:
        return cls(source.id, source.name, source.url, tuple(source.topics), source.enabled)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the terminal and for Telegram."""

    #: The file's own title (``<head><title>``), when it has one.
    title: str | None
    added: tuple[ImportedSource, ...]
    #: Feeds of the file already stored, skipped.
    present: tuple[ImportedSource, ...]
    #: Folders no catalogue topic matched (name = the folder, slug = the one to add).
    unknown_folders: tuple[TopicSpec, ...]
    #: What was repaired or skipped in the file, one line each.
    warnings: tuple[str, ...]
    #: Feeds listed more than once in the file (imported once).
    duplicates: int = 0

    @property
    def notes(self) -> tuple[str, ...]:
        """Every warning, then one line per folder that matches no topic."""
        folders = tuple(
            f'folder "{t.name}" matches no topic (add slug {t.slug} to topics.toml)'
            for t in self.unknown_folders
        )
        return (*self.warnings, *folders)

    def summary(self) -> str:
        """``12 sources imported, 3 already present, 2 warnings``."""
        return (
            f"{_plural(len(self.added), 'source')} imported, {len(self.present)} already "
            f"present, {_plural(len(self.notes), 'warning')}"
        )

    def merged_note(self) -> str | None:
        """What became of feeds the file lists in several folders, if any."""
        if not self.duplicates:
            return None
        feeds = "1 feed was" if self.duplicates == 1 else f"{self.duplicates} feeds were"
        return f"{feeds} listed in more than one folder: imported once, with every topic"


async def import_opml_sources(
    session: AsyncSession, parsed: OpmlImport, *, added_by: int, now: datetime
) -> ImportReport:
    """Add the feeds of ``parsed`` that are not stored yet (see the module's rules)."""
    known = {t.slug for t in await list_topics(session)}
    specs = [
        SourceSpec(
            name=s.name,
            url=s.url,
            topics=tuple(t for t in s.topics if t in known),
            language=s.language,
        )
        for s in parsed.sources
    ]
    added, present = await add_new_sources(session, specs, added_by=added_by, now=now)
    # Only folders whose feeds were imported without their topic are worth a note.
    added_urls = {s.url for s in added}
    missing = {t for s in parsed.sources if s.url in added_urls for t in s.topics} - known
    return ImportReport(
        title=parsed.title,
        added=tuple(ImportedSource.of(s) for s in added),
        present=tuple(ImportedSource.of(s) for s in present),
        unknown_folders=tuple(t for t in parsed.new_topics if t.slug in missing),
        warnings=parsed.warnings,
        duplicates=parsed.duplicates,
    )


async def import_opml(
    db: Database,
    data: bytes,
    *,
    added_by: int,
    now: datetime,
    max_bytes: int = MAX_BYTES,
    dry_run: bool = False,
    screen: Screen | None = None,
) -> ImportReport:
    """Parse ``data`` against the stored catalogue and import it in one transaction.

    Raises :class:`ingest.opml.OpmlError` (one line) when the file cannot be read at all;
    nothing is stored then. ``dry_run`` reports what would happen and stores nothing.
    ``screen`` (the outbound policy's check) skips feeds on addresses never fetched.
    """
    async with db.sessions() as session:
        catalogue = await list_topics(session)
    # Parsed outside the write transaction: SQLite holds its write lock from BEGIN.
    parsed = parse_opml(data, catalogue, max_bytes=max_bytes)
    if screen is not None:
        parsed = await screen_sources(parsed, screen)
    if dry_run:
        async with db.sessions() as session:
            report = await import_opml_sources(session, parsed, added_by=added_by, now=now)
            await session.rollback()
            return report
    async with db.sessions.begin() as session:
        return await import_opml_sources(session, parsed, added_by=added_by, now=now)


def exported_sources(sources: Sequence[Source], *, include_disabled: bool) -> list[Source]:
    """The sources an export lists: enabled ones, and disabled ones when asked."""
    return [s for s in sources if include_disabled or s.enabled]


async def export_opml(
    db: Database, *, now: datetime, include_disabled: bool = False
) -> tuple[bytes, int]:
    """(OPML 2.0 of the sources grouped by topic, how many sources it lists).

    Disabled sources (removed by an admin or the sources file, or failing for good) are
    left out unless ``include_disabled``: an export is what the bot reads now.
    """
    async with db.sessions() as session:
        sources = exported_sources(await list_sources(session), include_disabled=include_disabled)
        catalogue = await list_topics(session)
        return render_opml(sources, catalogue, now=now), len(sources)
