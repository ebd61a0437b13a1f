"""/stats for operators: one message of figures, in the operator's language."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.views.elapsed import elapsed
from bot.views.html import bold, esc
from storage.stats import BotStats


def stats_text(t: Translator, stats: BotStats, now: datetime) -> str:
    r, s, d = stats.readers, stats.subscriptions, stats.digests_last_day
    n = t.number

    def when(at: datetime | None) -> str:
        # Everything here is past; a feed's article dated ahead of our clock is "just now".
        return esc(elapsed(t, min(at, now) if at is not None else None, now))

    lines = [
        bold(t.gettext("Readers")),
        # Translators: counts of the bot's readers (chats).
        t.html(
            "{total} in all: {active} active, {paused} paused, {blocked} blocked",
            total=n(r["total"]),
            active=n(r["active"]),
            paused=n(r["paused"]),
            blocked=n(r["blocked"]),
        ),
        "",
        bold(t.gettext("Subscriptions")),
        # Translators: subscriptions to catalogue topics (of how many topics there are) and
        # to keywords a reader typed.
        t.nhtml(
            "{subscribed} to topics ({count} topic), {queries} to keywords",
            "{subscribed} to topics ({count} topics), {queries} to keywords",
            stats.topics,
            subscribed=n(s["topics"]),
            count=n(stats.topics),
            queries=n(s["queries"]),
        ),
        "",
        bold(t.gettext("Articles")),
        t.html(
            "{stored} stored, {last_day} published in the last 24 h; newest {newest}",
            stored=n(stats.articles),
            last_day=n(stats.articles_last_day),
            newest=when(stats.newest_article_at),
        ),
        "",
        bold(t.gettext("Sources")),
        t.html(
            "{enabled} enabled ({failing} failing), {disabled} disabled",
            enabled=n(stats.sources_enabled),
            failing=n(stats.sources_failing),
            disabled=n(stats.sources_disabled),
        ),
    ]
    run = stats.last_ingest
    lines += ["", bold(t.gettext("Last ingest"))]
    if run is None:
        lines.append(t.html("none yet"))
    elif run.error:
        # The error is the ingest's own (technical) text: kept as it was logged.
        lines.append(
            t.html("{when}: failed: {error}", when=when(run.started_at), error=esc(run.error))
        )
    else:
        lines.append(
            t.html(
                "{when}: {new} new, {duplicates} duplicates, {failed} sources failed",
                when=when(run.started_at),
                new=n(run.articles_new),
                duplicates=n(run.articles_duplicate),
                failed=n(run.sources_failed),
            )
        )
    lines += [
        "",
        bold(t.gettext("Digests, last 24 h")),
        t.html(
            "{sent} sent, {empty} with nothing new, {failed} failed; last sent {last}",
            sent=n(d.sent),
            empty=n(d.empty),
            failed=n(d.failed),
            last=when(d.last_sent_at),
        ),
    ]
    return "\n".join(lines)
