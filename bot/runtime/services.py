"""The composition root's infrastructure: what every entry point shares.

``open_services`` reads nothing from the environment itself: it takes the settings
loaded once by the CLI and builds the database (and, as the subsystems land, the HTTP
clients and the summariser pool). ``bot.app`` adds the Telegram application on top.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.runtime.metrics import Metrics
from bot.runtime.settings import Settings
from storage import Database, open_database, upgrade_database
from storage.migrate import current_revision, head_revision

if TYPE_CHECKING:
    from bot.links.telegraph import TelegraphClient
    from ingest import Analyser, Fetcher
    from ingest.net import OutboundPolicy, Resolver

log = logging.getLogger(__name__)


class SchemaOutdated(Exception):
    """PostgreSQL is behind the code's migrations; the operator runs `newsbot migrate`."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message is one line saying where."""


def database_problem(url: str, error: BaseException) -> str:
    """One line naming the database (without its password) and what went wrong."""
    where = make_url(url).render_as_string(hide_password=True)
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"cannot use the database {where}: {reason}"


async def _connect(url: str) -> Database:
    """Open the database and prove it answers, or raise DatabaseUnavailable."""
    try:
        db = open_database(url)
    except OSError as error:  # SQLite: the data directory cannot be created
        raise DatabaseUnavailable(database_problem(url, error)) from None
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, DBAPIError) as error:
        await db.dispose()
        raise DatabaseUnavailable(database_problem(url, error)) from None
    return db


@dataclass
class Services:
    settings: Settings
    db: Database
    metrics: Metrics
    #: Ingest's feed HTTP client and analyser, built on first use (a process that never
    #: ingests never starts workers) and closed by open_services.
    fetcher: Fetcher | None = None
    analyser: Analyser | None = None
    #: Replaces DNS for every outbound fetch (tests map names to loopback); None: the system's.
    resolver: Resolver | None = None
    #: Telegraph's client for "Read here", built on first use when a token is set.
    telegraph: TelegraphClient | None = None

    @property
    def telegraph_enabled(self) -> bool:
        """Whether stories get "Read here" buttons: the operator set a Telegraph token."""
        return self.settings.telegraph_token is not None

    def telegraph_client(self) -> TelegraphClient | None:
        """The shared Telegraph client (None: no token, the feature is off)."""
        token = self.settings.telegraph_token
        if self.telegraph is None and token is not None:
            from bot.links.telegraph import TelegraphClient

            self.telegraph = TelegraphClient(self.settings.telegraph_url, token.get_secret_value())
        return self.telegraph

    def outbound_policy(self, *, for_feeds: bool) -> OutboundPolicy:
        """The one outbound-fetch policy, with the settings' allow-list.

        Feeds and their pages go through ``NEWSBOT_FEED_PROXY`` when it is set (the proxy
        then resolves names); reader links never do.
        """
        from ingest.net import OutboundPolicy, system_resolver

        s = self.settings
        return OutboundPolicy(
            allowed_private_hosts=s.allowed_private_hosts,
            resolver=self.resolver or system_resolver,
            via_proxy=for_feeds and s.feed_proxy is not None,
        )

    def feed_fetcher(self) -> Fetcher:
        """The shared HTTP client for feeds and article pages, with the settings' limits."""
        if self.fetcher is None:
            from ingest import Fetcher, FetchLimits

            s = self.settings
            self.fetcher = Fetcher(
                FetchLimits(
                    timeout_seconds=s.fetch_timeout_seconds,
                    max_bytes=s.fetch_max_bytes,
                    concurrency=s.fetch_concurrency,
                    per_host=s.fetch_per_host,
                ),
                policy=self.outbound_policy(for_feeds=True),
                proxy=s.feed_proxy.get_secret_value() if s.feed_proxy else None,
            )
        return self.fetcher

    def ingest_analyser(self) -> Analyser:
        """What parses, extracts and summarises: a thread for small cycles, processes for
        a large backlog, nothing while idle (ingest.workers.AdaptiveAnalyser)."""
        if self.analyser is None:
            from ingest import AdaptiveAnalyser

            self.analyser = AdaptiveAnalyser()
        return self.analyser

    async def close_telegraph(self) -> None:
        if self.telegraph is not None:
            await self.telegraph.aclose()
            self.telegraph = None

    async def close_ingest(self) -> None:
        if self.fetcher is not None:
            await self.fetcher.aclose()
            self.fetcher = None
        if self.analyser is not None:
            self.analyser.close()
            self.analyser = None


async def prepare_schema(db: Database, *, embedded: bool) -> None:
    """Upgrade the embedded SQLite database; check that a shared server is up to date.

    A shared PostgreSQL database is upgraded deliberately by ``newsbot migrate`` (one
    process, before the new version starts), never by whichever bot process starts first.
    """
    if embedded:
        before, after = await upgrade_database(db)
        if before != after:
            log.info("database upgraded from %s to %s", before or "empty", after)
        return
    current, head = await current_revision(db), head_revision()
    if current != head:
        raise SchemaOutdated(
            f"the database schema is at {current or 'empty'} but this version needs {head}: "
            "run `newsbot migrate` first"
        )


@asynccontextmanager
async def open_services(settings: Settings, *, prepare: bool = True) -> AsyncIterator[Services]:
    """Build the shared infrastructure and close it on exit.

    Raises DatabaseUnavailable or SchemaOutdated (one-line messages) before yielding.
    """
    db = await _connect(settings.effective_database_url)
    try:
        if prepare:
            await prepare_schema(db, embedded=settings.is_embedded_database)
        services = Services(settings=settings, db=db, metrics=Metrics())
        try:
            yield services
        finally:
            await services.close_ingest()
            await services.close_telegraph()
    finally:
        await db.dispose()
