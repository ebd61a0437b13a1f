"""Retention: old articles go, the delivery ledger stays, and nothing comes back as new."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from ingest import Fetcher, InlineAnalyser, run_cycle
from storage import Article, Database, Delivery, Reader
from storage.ingest_writes import NewArticle, insert_articles
from storage.models import ArticleTerm, StoryKey
from tests.integration.ingest.conftest import NOW, config_for, write_sources
from tests.support.feed_server import FeedServer, Item, Resource, rss


async def _count(db: Database, model: type) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_pruned_articles_are_not_ingested_again_and_deliveries_stay(
    db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    dated = bbc_items[40:43]
    undated = [replace(item, published_at=None) for item in bbc_items[43:45]]
    # No validators: every cycle parses the whole feed again.
    body = rss([*dated, *undated], base_url=feed_server.base_url)
    url = feed_server.add("/old.xml", Resource(body=body, validators=False))
    config = config_for(write_sources(tmp_path / "s.toml", [("Old", url, ["world"])]))
    first = await run_cycle(db, fetcher, analyser, config, clock=lambda: NOW)
    assert first.articles_new == 5
    async with db.sessions.begin() as s:
        s.add(
            Reader(
                chat_id=1, chat_type="private", timezone="UTC", digest_time=time(7), created_at=NOW
            )
        )
        await s.flush()
        article_id = (await s.scalars(select(Article.id).limit(1))).one()
        s.add(Delivery(chat_id=1, article_id=article_id, story_id=article_id, delivered_at=NOW))

    later = NOW + config.retention + timedelta(days=1)
    pruning = await run_cycle(db, fetcher, analyser, config, clock=lambda: later)

    assert pruning.articles_pruned == 5
    assert pruning.articles_new == 0
    assert await _count(db, Article) == 0
    assert await _count(db, ArticleTerm) == 0 and await _count(db, StoryKey) == 0
    assert await _count(db, Delivery) == 1  # what the reader got is still recorded

    # The feed still lists all five: the dated ones are too old, the undated ones are
    # remembered as pruned. Nothing is stored again, cycle after cycle.
    again = await run_cycle(db, fetcher, analyser, config, clock=lambda: later + timedelta(hours=1))
    assert (again.articles_new, again.entries_skipped, again.articles_duplicate) == (0, 3, 2)
    assert await _count(db, Article) == 0


async def test_a_batch_insert_skips_what_another_writer_stored_first(db: Database) -> None:
    def article(n: int, url: str) -> NewArticle:
        return NewArticle(
            url=url,
            guid=None,
            source_id=None,
            title=f"Title {n}",
            text=f"Text {n}",
            summary=[f"Sentence {n}."],
            summary_positions=[0],
            language="en",
            published_at=NOW,
            fetched_at=NOW,
            content_hash=f"hash-{n}",
            topics=[],
            terms=[f"term{n}"],
            story_keys=[n],
        )

    async with db.sessions.begin() as s:
        (first,) = await insert_articles(
            s, [article(1, "https://a.test/1")], stories=[None], same_story_as=[None]
        )
    async with db.sessions.begin() as s:
        ids = await insert_articles(
            s,
            [
                article(1, "https://a.test/1"),
                article(2, "https://a.test/2"),
                article(3, "https://a.test/3"),
            ],
            stories=[None, first, None],
            same_story_as=[None, None, 0],  # the third joins the first, which was a duplicate
        )
    assert ids[0] is None and ids[1] is not None and ids[2] is not None
    async with db.sessions() as s:
        rows = await s.execute(select(Article.id, Article.story_id))
        stories = {row[0]: row[1] for row in rows}
    assert stories == {first: first, ids[1]: first, ids[2]: ids[2]}
