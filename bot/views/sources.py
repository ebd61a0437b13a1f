"""Sources and their health, for admins in Telegram and for `newsbot sources`.

Pure functions: sources (or plain values) and ``now`` in, text out. Telegram output is
HTML with every feed- or admin-supplied string escaped, packed into ≤4096-char messages.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.views.pack import pack_messages, truncate_text
from ingest.opml_sources import ImportReport
from storage.models import Source

ADD_USAGE = (
    "Add a feed with its address and, optionally, topics:\n"
    "<code>/addsource https://example.com/rss.xml world politics</code>"
)
REMOVE_USAGE = (
    "Remove a source by its number (see /sources) or its address:\n"
    "<code>/removesource 12</code> or <code>/removesource https://example.com/rss.xml</code>"
)
NOT_ADMIN = "Sorry, only the bot's admins can manage sources."


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def status_of(source: Source) -> str:
    """``disabled``, ``failing``, ``ok`` or ``new`` (never fetched yet)."""
    if not source.enabled:
        return "disabled"
    if source.consecutive_failures:
        return "failing"
    if source.last_success_at is None:
        return "new"
    return "ok"


def when(moment: datetime | None, now: datetime) -> str:
    """A short relative time: ``5 min ago``, ``in 2 h``, ``never``."""
    if moment is None:
        return "never"
    delta = moment - now
    seconds = abs(delta.total_seconds())
    if seconds < 60:
        return "now"
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 2 * 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        amount = f"{int(seconds // 86400)} days"
    return f"in {amount}" if delta > timedelta(0) else f"{amount} ago"


def next_fetch(source: Source, now: datetime) -> str:
    if not source.enabled:
        return "never"
    if source.next_fetch_at is None or source.next_fetch_at <= now:
        return "next cycle"
    return when(source.next_fetch_at, now)


_ICONS = {"ok": "🟢", "new": "⚪", "failing": "🟠", "disabled": "🔴"}


def source_item(source: Source, now: datetime) -> str:
    """One source as Telegram HTML: number, name, health, and what is wrong if anything."""
    status = status_of(source)
    href = html.escape(source.url, quote=True)
    lines = [
        f"{_ICONS[status]} <b>#{source.id} {_esc(truncate_text(source.name, 120))}</b> — {status}",
        f'<a href="{href}">{_esc(truncate_text(source.url, 200))}</a>',
        f"Last success: {when(source.last_success_at, now)} · failures: "
        f"{source.consecutive_failures} · next fetch: {next_fetch(source, now)}",
    ]
    if source.topics:
        lines.append("Topics: " + _esc(", ".join(source.topics)))
    if not source.enabled and source.disabled_reason:
        lines.append("Disabled: " + _esc(truncate_text(source.disabled_reason, 500)))
    elif source.last_error:
        lines.append("Last error: " + _esc(truncate_text(source.last_error, 500)))
    return "\n".join(lines)


def sources_messages(sources: Sequence[Source], now: datetime) -> list[str]:
    """The /sources answer: a header with counts, then every source, in ≤4096-char messages."""
    if not sources:
        return ["No sources yet. Add one with /addsource, or list feeds in the sources file."]
    counts = dict.fromkeys(_ICONS, 0)
    for source in sources:
        counts[status_of(source)] += 1
    header = (
        f"<b>Sources</b>: {len(sources)} — {counts['ok']} ok, {counts['new']} new, "
        f"{counts['failing']} failing, {counts['disabled']} disabled"
    )
    return pack_messages([source_item(s, now) for s in sources], header=header)


def added_message(
    source: Source, *, created: bool, title: str, entries: int, newest: str | None
) -> str:
    verb = "Added" if created else "Enabled again"
    lines = [
        f"✅ {verb} <b>#{source.id} {_esc(truncate_text(source.name, 120))}</b>",
        f"Found {entries} entries"
        + (f"; newest: {_esc(truncate_text(newest, 200))}" if newest else ""),
    ]
    if title and title != source.name:
        lines.append(f"Feed title: {_esc(truncate_text(title, 200))}")
    if source.language:
        lines.append(f"Language: {_esc(source.language)}")
    lines.append("Topics: " + (_esc(", ".join(source.topics)) if source.topics else "by keywords"))
    lines.append("Its articles arrive with the next ingest cycle.")
    return "\n".join(lines)


def add_failed_message(url: str, reason: str) -> str:
    return (
        f"❌ Could not add {_esc(truncate_text(url, 300))}: {_esc(truncate_text(reason, 500))}\n"
        "Check that the address is an RSS or Atom feed, or try again later."
    )


def unknown_topics_message(unknown: Sequence[str], known: Sequence[str]) -> str:
    return (
        f"Unknown topic: {_esc(', '.join(unknown))}. Topics are: {_esc(', '.join(known))}.\n"
        + ADD_USAGE
    )


def removed_message(source: Source) -> str:
    return (
        f"🗑 Removed <b>#{source.id} {_esc(truncate_text(source.name, 120))}</b>: it is not "
        "fetched any more; its stored articles stay. /addsource with the same address "
        "brings it back."
    )


def not_found_message(wanted: str) -> str:
    return f"No source {_esc(truncate_text(wanted, 300))}. See /sources for the numbers.\n" + (
        REMOVE_USAGE
    )


# --- `newsbot sources` (plain text for a terminal) ----------------------------------------


def sources_table(sources: Sequence[Source], now: datetime) -> str:
    """The sources as a plain-text table, with one indented line per problem."""
    if not sources:
        return "No sources. List feeds in the sources file (NEWSBOT_SOURCES) or use /addsource."
    header = ("ID", "STATUS", "NAME", "LAST SUCCESS", "FAILS", "NEXT FETCH", "URL")
    rows = [
        (
            str(s.id),
            status_of(s),
            truncate_text(s.name, 34),
            when(s.last_success_at, now),
            str(s.consecutive_failures),
            next_fetch(s, now),
            s.url,
        )
        for s in sources
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row, source in zip([header, *rows], [None, *sources], strict=True):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
        if source is None:
            continue
        if not source.enabled and source.disabled_reason:
            lines.append(f"    disabled: {source.disabled_reason}")
        elif source.last_error:
            lines.append(f"    last error: {source.last_error}")
    return "\n".join(lines)


# --- OPML import and export ---------------------------------------------------------------

#: The largest OPML file the bot downloads; an export of a thousand feeds is ~200 KB.
MAX_UPLOAD_BYTES = 1_000_000

IMPORT_HOW = (
    "To import feeds, send me an OPML file (<code>.opml</code> or <code>.xml</code>, at "
    f"most {MAX_UPLOAD_BYTES // 1_000_000} MB) as a document: the export of a feed reader "
    "such as Feedly, Inoreader or NetNewsWire, or of /exportsources. I add every feed that "
    "is not here yet; folders become topics when they match one."
)
IMPORT_NOT_ADMIN = "Sorry, only the bot's admins can import sources."


def _topics_label(topics: Sequence[str]) -> str:
    return ", ".join(topics) if topics else "by keywords"


def import_report_text(report: ImportReport, *, dry_run: bool = False) -> str:
    """The report of `newsbot sources import` for a terminal; the summary line last."""
    lines = []
    if report.title:
        lines.append(f"From: {report.title}")
    if report.added:
        lines.append("Would import:" if dry_run else "Imported:")
        lines += [
            f"  + {'' if dry_run else f'#{s.id} '}{s.name}  {s.url}  [{_topics_label(s.topics)}]"
            for s in report.added
        ]
    if report.present:
        lines.append("Already present (skipped):")
        lines += [
            f"  = #{s.id} {s.name}  {s.url}" + ("" if s.enabled else "  (disabled)")
            for s in report.present
        ]
    if report.notes:
        lines.append("Warnings:")
        lines += [f"  ! {note}" for note in report.notes]
    merged = report.merged_note()
    if merged:
        lines.append(merged)
    summary = report.summary()
    lines.append(f"Dry run, nothing stored: {summary}" if dry_run else summary)
    return "\n".join(lines)


def import_messages(report: ImportReport) -> list[str]:
    """An admin's OPML upload answered: the summary, then each source and each warning."""
    icon = "✅" if report.added else "ℹ️"
    header = f"{icon} <b>{_esc(report.summary())}</b>"
    if report.title:
        header += f"\nFrom: {_esc(truncate_text(report.title, 200))}"
    items = [
        f"➕ <b>#{s.id} {_esc(truncate_text(s.name, 120))}</b> — topics: "
        f"{_esc(truncate_text(_topics_label(s.topics), 300))}\n{_esc(truncate_text(s.url, 300))}"
        for s in report.added
    ]
    items += [
        f"= #{s.id} {_esc(truncate_text(s.name, 120))} already present"
        + ("" if s.enabled else " (disabled: /addsource enables it again)")
        for s in report.present
    ]
    items += [f"⚠️ {_esc(truncate_text(note, 600))}" for note in report.notes]
    merged = report.merged_note()
    if merged:
        items.append(_esc(merged))
    if report.added:
        items.append("Their articles arrive with the next ingest cycle. /sources lists them.")
    return pack_messages(items, header=header, separator="\n")


def import_failed_message(reason: str) -> str:
    return (
        f"❌ Could not import this file: {_esc(truncate_text(reason, 600))}\n"
        "Nothing was imported. Send an OPML export of a feed reader (.opml or .xml)."
    )


def import_too_big_message(size: int) -> str:
    return (
        f"❌ This file is {size:,} bytes; I import OPML files of at most "
        f"{MAX_UPLOAD_BYTES:,} bytes. Split it, or use <code>newsbot sources import</code> "
        "on the server."
    )


def import_download_failed_message(reason: str) -> str:
    return (
        f"❌ Could not download the file from Telegram ({_esc(truncate_text(reason, 300))}). "
        "Please send it again."
    )


def export_caption(count: int) -> str:
    noun = "source" if count == 1 else "sources"
    return (
        f"{count} {noun}, one folder per topic. Import it in any feed reader, or send it "
        "back to me to restore them."
    )


def removed_reason(user_id: int | None) -> str:
    """Why a removed source stopped, as /sources shows it."""
    return f"removed by admin {user_id}"


def export_file_name(now: datetime) -> str:
    return f"newsbot-sources-{now:%Y-%m-%d}.opml"
