"""/stats for operators: one message of figures."""

from __future__ import annotations

from datetime import datetime

from bot.views.html import bold, esc
from bot.views.stories import relative_time
from storage.stats import BotStats


def _when(at: datetime | None, now: datetime) -> str:
    return relative_time(at, now) if at is not None else "never"


def stats_text(stats: BotStats, now: datetime) -> str:
    r, s, d = stats.readers, stats.subscriptions, stats.digests_last_day
    lines = [
        bold("Readers"),
        f"{r['total']} in all: {r['active']} active, {r['paused']} paused, {r['blocked']} blocked",
        "",
        bold("Subscriptions"),
        f"{s['topics']} to topics ({stats.topics} topics), {s['queries']} to keywords",
        "",
        bold("Articles"),
        f"{stats.articles} stored, {stats.articles_last_day} published in the last 24 h; "
        f"newest {_when(stats.newest_article_at, now)}",
        "",
        bold("Sources"),
        f"{stats.sources_enabled} enabled ({stats.sources_failing} failing), "
        f"{stats.sources_disabled} disabled",
    ]
    run = stats.last_ingest
    lines += ["", bold("Last ingest")]
    if run is None:
        lines.append("none yet")
    else:
        outcome = (
            f"failed: {esc(run.error)}"
            if run.error
            else (
                f"{run.articles_new} new, {run.articles_duplicate} duplicates, "
                f"{run.sources_failed} sources failed"
            )
        )
        lines.append(f"{_when(run.started_at, now)}: {outcome}")
    lines += [
        "",
        bold("Digests, last 24 h"),
        f"{d.sent} sent, {d.empty} with nothing new, {d.failed} failed; "
        f"last sent {_when(d.last_sent_at, now)}",
    ]
    return "\n".join(lines)
