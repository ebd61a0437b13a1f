"""Prometheus metrics, one registry per process, built by the composition root.

Counters are incremented where things happen in ``bot/`` (the ingest job reads the
cycle's report, the sender counts 429s and 403s); gauges are set by the jobs. The
optional HTTP endpoint that serves them lives in ``bot.runtime.health_endpoint``.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Info, ProcessCollector


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.articles_ingested = Counter(
            "newsbot_articles_ingested", "New articles stored by ingest", registry=r
        )
        self.articles_duplicate = Counter(
            "newsbot_articles_duplicate", "Fetched articles already stored", registry=r
        )
        self.ingest_cycles = Counter(
            "newsbot_ingest_cycles", "Ingest cycles run, by outcome", ["outcome"], registry=r
        )
        self.entries_left = Counter(
            "newsbot_ingest_entries_left",
            "Feed entries ingest did not store, by reason: deferred (over a source's "
            "per-cycle limit or time budget, taken later) or unusable (skipped)",
            ["reason"],
            registry=r,
        )
        self.throttled_updates = Counter(
            "newsbot_throttled_updates",
            "Reader commands and button presses dropped by the per-reader rate limit",
            registry=r,
        )
        self.read_here = Counter(
            "newsbot_read_here",
            '"Read here" presses by outcome: created or reused (a Telegraph page was shown), '
            "gone or no_text (the article cannot be shown), unavailable, refused or flood "
            "(Telegraph failed)",
            ["outcome"],
            registry=r,
        )
        self.sources_failing = Gauge(
            "newsbot_sources_failing", "Enabled sources whose last fetch failed", registry=r
        )
        self.sources_disabled = Gauge(
            "newsbot_sources_disabled", "Sources disabled after failing for too long", registry=r
        )
        self.digests_sent = Counter(
            "newsbot_digests", "Digests finished, by outcome", ["outcome"], registry=r
        )
        self.messages_sent = Counter(
            "newsbot_messages_sent", "Messages sent to readers", registry=r
        )
        self.telegram_errors = Counter(
            "newsbot_telegram_errors",
            "Errors answered by the Bot API, by kind (429, 403, 5xx, network)",
            ["kind"],
            registry=r,
        )
        self.send_queue_depth = Gauge(
            "newsbot_send_queue_depth", "Messages waiting to be sent", registry=r
        )
        self.digest_lag_seconds = Gauge(
            "newsbot_digest_lag_seconds",
            "Now minus the due time of the oldest reader still waiting for a digest",
            registry=r,
        )
        self.readers = Gauge("newsbot_readers", "Readers by state", ["state"], registry=r)
        # Set on every scrape by bot.runtime.health_endpoint from the database.
        self.database_up = Gauge(
            "newsbot_database_up", "1 when the database answered the last scrape", registry=r
        )
        self.last_ingest_age_seconds = Gauge(
            "newsbot_last_ingest_age_seconds",
            "Seconds since the newest ingest cycle finished (-1: none yet)",
            registry=r,
        )
        self.build_info = Info("newsbot_build", "The running version", registry=r)
        # CPU, memory, open files and start time of this process (process_* series).
        ProcessCollector(registry=r)
        # Series that exist from the start read as 0 instead of "no data" on dashboards.
        for kind in ("429", "403"):
            self.telegram_errors.labels(kind=kind)
