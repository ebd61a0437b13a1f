"""The ingest tick inside `newsbot run`: scheduled, counted, logged, never killed by errors."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.telegram.jobs import ingest as ingest_job
from ingest import InlineAnalyser
from storage.sources import list_sources
from storage.topics import list_topics
from tests.support.bot_harness import running_bot
from tests.support.feed_server import FeedServer, Item, Resource, rss


async def test_the_tick_is_scheduled_counts_articles_and_survives_a_failing_cycle(
    tmp_path: Path,
    bbc_items: list[Item],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram.jobs.ingest")
    sources = tmp_path / "sources.toml"
    with FeedServer() as server:
        # Undated items: stored as published "now", whatever the bot's clock says.
        items = [replace(item, published_at=None) for item in bbc_items[:3]]
        url = server.add("/f.xml", Resource(body=rss(items, base_url=server.base_url)))
        sources.write_text(f'[[source]]\nname = "F"\nurl = "{url}"\n', encoding="utf-8")
        async with running_bot(tmp_path, sources_file=sources, ingest_interval_minutes=20) as bot:
            bot.services.analyser = InlineAnalyser()
            job = bot.job("ingest")
            assert job.job.trigger.interval == timedelta(minutes=20)  # APScheduler's trigger
            context = bot.job_context(job)

            await job.callback(context)

            metrics = bot.services.metrics
            assert metrics.articles_ingested._value.get() == 3
            assert metrics.ingest_cycles.labels(outcome="ok")._value.get() == 1
            lines = [r.getMessage() for r in caplog.records if r.name == "bot.telegram.jobs.ingest"]
            assert lines == [lines[0]] and lines[0].startswith(
                "ingest: sources: 1 fetched, 0 not modified, 0 failed"
            )

            async def broken(*args: object, **kwargs: object) -> None:
                raise RuntimeError("database went away")

            monkeypatch.setattr(ingest_job, "run_cycle", broken)
            await job.callback(context)  # logged, not raised: the next tick runs as usual

            assert metrics.ingest_cycles.labels(outcome="error")._value.get() == 1
            failures = [r for r in caplog.records if r.levelno == logging.ERROR]
            assert failures[-1].getMessage() == (
                "ingest cycle failed; the next one runs as scheduled"
            )
            assert not job.removed


async def test_at_start_the_catalogue_is_synced_without_fetching_anything(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "F"\nurl = "http://127.0.0.1:9/never"\n')
    async with running_bot(tmp_path, sources_file=sources, topics=()) as bot:
        job = bot.job("ingest-sync")
        await job.callback(bot.job_context(job))
        async with bot.services.db.sessions() as session:
            topics = [t.slug for t in await list_topics(session)]
            names = [s.name for s in await list_sources(session)]
        assert topics[:3] == ["world", "politics", "business"] and len(topics) == 8
        assert names == ["F"]
        assert bot.services.fetcher is None  # nothing was fetched, no client was built
