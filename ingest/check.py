"""Checking a feed before an admin adds it: fetch it once and say what it holds."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.fetch import Fetcher
from ingest.workers import Analyser


@dataclass(frozen=True)
class FeedCheck:
    url: str
    title: str
    entries: int
    language: str | None
    newest_title: str | None


async def check_feed(fetcher: Fetcher, analyser: Analyser, url: str) -> FeedCheck:
    """Fetch and parse ``url``; raise FetchError or FeedError (one line) when unusable."""
    fetched = await fetcher.fetch(url)
    feed = await analyser.parse(
        fetched.body, url=fetched.final_url, content_type=fetched.content_type
    )
    newest = feed.entries[0] if feed.entries else None
    for entry in feed.entries:
        if entry.published_at is None:
            continue
        if (
            newest is None
            or newest.published_at is None
            or entry.published_at > newest.published_at
        ):
            newest = entry
    return FeedCheck(
        url=fetched.final_url,
        title=feed.title,
        entries=len(feed.entries),
        language=feed.language,
        newest_title=newest.title if newest else None,
    )
