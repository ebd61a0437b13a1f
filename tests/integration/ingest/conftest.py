"""Fixtures for ingest: a feed server on 127.0.0.1, a fetcher, an in-process analyser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ingest import Fetcher, FetchLimits, InlineAnalyser
from ingest.pipeline import IngestConfig
from tests.support.feed_server import T0, FeedServer, Item, load_items
from tests.support.outbound import loopback_policy

#: The clock of every ingest test: an hour after the newest test article.
NOW = T0 + timedelta(hours=1)


def clock() -> datetime:
    return NOW


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    # Short limits so hostile servers are cut quickly; production uses the settings.
    limits = FetchLimits(timeout_seconds=1.5, max_bytes=2_000_000, concurrency=8, per_host=4)
    # The feed server on 127.0.0.1 is allow-listed, as an operator lists an intranet feed.
    async with Fetcher(limits, policy=loopback_policy()) as f:
        yield f


@pytest.fixture
def analyser() -> InlineAnalyser:
    return InlineAnalyser()


@pytest.fixture(scope="session")
def bbc_items(shared_data: Path) -> list[Item]:
    return load_items(shared_data)


def write_sources(path: Path, sources: list[tuple[str, str, list[str]]]) -> Path:
    """A sources file with (name, url, topics) entries."""
    lines = []
    for name, url, topics in sources:
        quoted = ", ".join(f'"{t}"' for t in topics)
        lines += ["[[source]]", f'name = "{name}"', f'url = "{url}"', f"topics = [{quoted}]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def config_for(sources_file: Path) -> IngestConfig:
    return IngestConfig(
        sources_file=sources_file,
        interval=timedelta(minutes=15),
        retention=timedelta(days=30),
        concurrency=8,
    )
