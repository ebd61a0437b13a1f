"""Queries about sources: sync from the sources file, health, fetch outcomes, admin edits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Source

#: Reasons a source is disabled by the sources file; the file can enable it again.
REMOVED_FROM_FILE = "removed from the sources file"
DISABLED_IN_FILE = "disabled in the sources file"


@dataclass(frozen=True)
class SourceSpec:
    """A feed as the sources file (or an admin) declares it."""

    name: str
    url: str
    topics: tuple[str, ...] = field(default=())
    language: str | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SyncResult:
    added: int = 0
    updated: int = 0
    disabled: int = 0


async def sync_sources(
    session: AsyncSession, specs: Sequence[SourceSpec], *, now: datetime
) -> SyncResult:
    """Make the file's sources exist with its names, topics and languages.

    Sources an admin added (``added_by`` set) are left alone. A file source that left the
    file is disabled, not deleted, so its articles keep their outlet name. Sources
    disabled for failing or by an admin stay disabled whatever the file says.
    """
    existing = {s.url: s for s in (await session.scalars(select(Source))).all()}
    added = updated = disabled = 0
    file_reasons = {REMOVED_FROM_FILE, DISABLED_IN_FILE}
    for spec in specs:
        source = existing.get(spec.url)
        if source is None:
            session.add(
                Source(
                    url=spec.url,
                    name=spec.name,
                    topics=list(spec.topics),
                    language=spec.language,
                    enabled=spec.enabled,
                    disabled_reason=None if spec.enabled else DISABLED_IN_FILE,
                    consecutive_failures=0,
                    created_at=now,
                )
            )
            added += 1
            continue
        changed = (source.name, source.topics, source.language) != (
            spec.name,
            list(spec.topics),
            spec.language,
        )
        source.name, source.topics, source.language = spec.name, list(spec.topics), spec.language
        if spec.enabled and not source.enabled and source.disabled_reason in file_reasons:
            source.enabled, source.disabled_reason = True, None
            changed = True
        elif not spec.enabled and source.enabled:
            source.enabled, source.disabled_reason = False, DISABLED_IN_FILE
            changed = True
        updated += int(changed)
    listed = {spec.url for spec in specs}
    for url, source in existing.items():
        if url not in listed and source.added_by is None and source.enabled:
            source.enabled, source.disabled_reason = False, REMOVED_FROM_FILE
            disabled += 1
    await session.flush()
    return SyncResult(added=added, updated=updated, disabled=disabled)


async def list_sources(session: AsyncSession) -> list[Source]:
    """Every source, enabled first, then by name."""
    query = select(Source).order_by(Source.enabled.desc(), func.lower(Source.name), Source.id)
    return list((await session.scalars(query)).all())


async def due_sources(session: AsyncSession, *, now: datetime, force: bool = False) -> list[Source]:
    """Enabled sources whose next fetch time has come (never fetched ones first).

    ``force``: every enabled source, whatever its next fetch time (back-off included).
    """
    due = or_(Source.next_fetch_at.is_(None), Source.next_fetch_at <= now)
    query = (
        select(Source)
        .where(Source.enabled.is_(True), *(() if force else (due,)))
        .order_by(Source.next_fetch_at.is_not(None), Source.next_fetch_at, Source.id)
    )
    return list((await session.scalars(query)).all())


async def find_source(session: AsyncSession, id_or_url: str) -> Source | None:
    """The source with this id (digits) or this URL."""
    wanted = id_or_url.strip()
    # An id is ASCII digits that fit a BIGINT; "²" or 30 digits is simply no id.
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
        return await session.get(Source, int(wanted))
    return (await session.scalars(select(Source).where(Source.url == wanted))).first()


async def add_source(
    session: AsyncSession, spec: SourceSpec, *, added_by: int | None, now: datetime
) -> tuple[Source, bool]:
    """Add a source, or enable and update the one with this URL; (source, created)."""
    source = await find_source(session, spec.url)
    created = source is None
    if source is None:
        source = Source(url=spec.url, created_at=now, consecutive_failures=0)
        session.add(source)
    source.name, source.topics, source.language = spec.name, list(spec.topics), spec.language
    source.enabled, source.disabled_reason = True, None
    source.consecutive_failures, source.last_error, source.next_fetch_at = 0, None, None
    source.added_by = added_by
    await session.flush()
    return source, created


async def add_new_sources(
    session: AsyncSession, specs: Sequence[SourceSpec], *, added_by: int, now: datetime
) -> tuple[list[Source], list[Source]]:
    """Add the sources whose URL is not stored yet; (added, already stored), in spec order.

    A stored source is left exactly as it is (enabled or not, its topics, its health):
    a bulk import never overrides what an admin or the sources file decided. ``added_by``
    is required, so ``sync_sources`` never disables what was added this way.
    """
    urls = list(dict.fromkeys(spec.url for spec in specs))
    stored: dict[str, Source] = {}
    for start in range(0, len(urls), 500):  # bounded IN lists, whatever the file's size
        chunk = urls[start : start + 500]
        stored.update(
            (s.url, s) for s in await session.scalars(select(Source).where(Source.url.in_(chunk)))
        )
    added: list[Source] = []
    present: list[Source] = []
    for spec in specs:
        if spec.url in stored:
            if stored[spec.url] not in present:
                present.append(stored[spec.url])
            continue
        source = Source(
            url=spec.url,
            name=spec.name,
            topics=list(spec.topics),
            language=spec.language,
            enabled=True,
            consecutive_failures=0,
            added_by=added_by,
            created_at=now,
        )
        session.add(source)
        stored[spec.url] = source
        added.append(source)
    await session.flush()
    return added, present


async def disable_source(session: AsyncSession, source_id: int, *, reason: str) -> None:
    source = await session.get(Source, source_id)
    if source is not None:
        source.enabled, source.disabled_reason = False, reason
        await session.flush()


@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch changed about a source (see ``ingest.source_health``)."""

    fetched_at: datetime
    succeeded: bool
    next_fetch_at: datetime | None
    consecutive_failures: int
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    disable_reason: str | None = None


async def record_fetch(session: AsyncSession, source_id: int, outcome: FetchOutcome) -> None:
    """Store a fetch's outcome: validators on success, error and backoff on failure.

    One UPDATE (no ORM load): it runs once per source per cycle, thousands of times.
    A source removed meanwhile simply matches no row.
    """
    values: dict[str, Any] = {
        "last_fetched_at": outcome.fetched_at,
        "consecutive_failures": outcome.consecutive_failures,
        "next_fetch_at": outcome.next_fetch_at,
    }
    if outcome.succeeded:
        values |= {
            "last_success_at": outcome.fetched_at,
            "last_error": None,
            "etag": outcome.etag,
            "last_modified": outcome.last_modified,
        }
    else:
        values["last_error"] = outcome.error
    if outcome.disable_reason:
        values |= {"enabled": False, "disabled_reason": outcome.disable_reason}
    await session.execute(
        update(Source)
        .where(Source.id == source_id)
        .values(values)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class SourceHealthCounts:
    enabled: int
    failing: int
    disabled: int


async def source_health_counts(session: AsyncSession) -> SourceHealthCounts:
    rows = (
        await session.execute(
            select(
                func.count().filter(Source.enabled.is_(True)),
                func.count().filter(Source.enabled.is_(True), Source.consecutive_failures > 0),
                func.count().filter(Source.enabled.is_(False)),
            )
        )
    ).one()
    return SourceHealthCounts(enabled=int(rows[0]), failing=int(rows[1]), disabled=int(rows[2]))


@dataclass(frozen=True)
class BackingOff:
    """Enabled sources that failed and wait before their next try."""

    count: int
    #: The earliest and the latest next try (UTC), None when count is 0.
    first_retry: datetime | None
    last_retry: datetime | None


async def backing_off(session: AsyncSession, *, now: datetime) -> BackingOff:
    """How many enabled sources are backing off after failures at ``now``, and until when."""
    row = (
        await session.execute(
            select(func.count(), func.min(Source.next_fetch_at), func.max(Source.next_fetch_at))
            .where(Source.enabled.is_(True), Source.consecutive_failures > 0)
            .where(Source.next_fetch_at > now)
        )
    ).one()
    return BackingOff(count=int(row[0]), first_retry=_aware(row[1]), last_retry=_aware(row[2]))


def _aware(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes from an aggregate (the column type is not applied).
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
