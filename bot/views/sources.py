"""Sources and their health, for admins in Telegram and for `newsbot sources`.

Pure functions: sources (or plain values) and ``now`` in, text out. Telegram output is
HTML in the admin's language (``t``), with every feed- or admin-supplied string escaped,
packed into ≤4096-char messages. Feed errors, URLs and OPML warnings are technical values
and stay as the feed or the parser wrote them. The terminal output of `newsbot sources`
(:func:`sources_table`, :func:`import_report_text`) is English: a terminal has no reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.i18n import DEFAULT_LOCALE, N_, Translator, translator
from bot.views.elapsed import elapsed
from bot.views.html import bold, code, esc, link
from bot.views.pack import pack_messages, truncate_text
from ingest.opml_sources import ImportedSource, ImportReport
from storage.models import Source

#: Shown by /help's gate to non-admins too (``t.gettext(NOT_ADMIN)`` translates it).
NOT_ADMIN = N_("Sorry, only the bot's admins can manage sources.")

_ADD_EXAMPLE = "/addsource https://example.com/rss.xml world politics"


def add_usage_text(t: Translator) -> str:
    return t.html(
        "Add a feed with its address and, optionally, topics:\n{example}",
        example=code(_ADD_EXAMPLE),
    )


def remove_usage_text(t: Translator) -> str:
    return t.html(
        "Remove a source by its number (see /sources) or its address:\n{by_number} or {by_address}",
        by_number=code("/removesource 12"),
        by_address=code("/removesource https://example.com/rss.xml"),
    )


def status_of(source: Source) -> str:
    """``disabled``, ``failing``, ``ok`` or ``new`` (never fetched yet)."""
    if not source.enabled:
        return "disabled"
    if source.consecutive_failures:
        return "failing"
    if source.last_success_at is None:
        return "new"
    return "ok"


#: A source's health as an admin reads it (``status_of`` gives the key).
_STATUS_LABELS = {
    # Translators: a source's health: fetched fine.
    "ok": N_("ok"),
    # Translators: a source's health: not fetched yet.
    "new": N_("new"),
    # Translators: a source's health: its last fetches failed.
    "failing": N_("failing"),
    # Translators: a source's health: switched off.
    "disabled": N_("disabled"),
}
_ICONS = {"ok": "🟢", "new": "⚪", "failing": "🟠", "disabled": "🔴"}


def next_fetch(t: Translator, source: Source, now: datetime) -> str:
    if not source.enabled:
        return t.gettext("never")
    if source.next_fetch_at is None or source.next_fetch_at <= now:
        # Translators: when a source is fetched next: in the coming ingest cycle.
        return t.gettext("next cycle")
    return elapsed(t, source.next_fetch_at, now)


def _label(source: Source | ImportedSource) -> str:
    """``#12 Name``, bold: how an admin refers to a source."""
    return bold(f"#{source.id} {truncate_text(source.name, 120)}")


def _topics(t: Translator, topics: Sequence[str]) -> str:
    # Translators: the topics of a source that has none: its articles get topics by keywords.
    return ", ".join(topics) if topics else t.gettext("by keywords")


def source_item(t: Translator, source: Source, now: datetime) -> str:
    """One source as Telegram HTML: number, name, health, and what is wrong if anything."""
    status = status_of(source)
    lines = [
        f"{_ICONS[status]} "
        + t.html(
            "{source} — {status}",
            source=_label(source),
            status=esc(t.gettext(_STATUS_LABELS[status])),
        ),
        link(source.url, truncate_text(source.url, 200)),
        t.html(
            "Last success: {last_success} · failures: {failures} · next fetch: {next_fetch}",
            last_success=esc(elapsed(t, source.last_success_at, now)),
            failures=t.number(source.consecutive_failures),
            next_fetch=esc(next_fetch(t, source, now)),
        ),
    ]
    if source.topics:
        lines.append(t.html("Topics: {topics}", topics=esc(", ".join(source.topics))))
    if not source.enabled and source.disabled_reason:
        reason = esc(truncate_text(source.disabled_reason, 500))
        lines.append(t.html("Disabled: {reason}", reason=reason))
    elif source.last_error:
        error = esc(truncate_text(source.last_error, 500))
        lines.append(t.html("Last error: {error}", error=error))
    return "\n".join(lines)


def sources_messages(t: Translator, sources: Sequence[Source], now: datetime) -> list[str]:
    """The /sources answer: a header with counts, then every source, in ≤4096-char messages."""
    if not sources:
        return [
            t.html("No sources yet. Add one with /addsource, or list feeds in the sources file.")
        ]
    counts = dict.fromkeys(_ICONS, 0)
    for source in sources:
        counts[status_of(source)] += 1
    header = bold(
        t.gettext(
            "Sources: {count} — {ok} ok, {new} new, {failing} failing, {disabled} disabled",
            count=t.number(len(sources)),
            **{status: t.number(n) for status, n in counts.items()},
        )
    )
    return pack_messages([source_item(t, s, now) for s in sources], header=header)


def added_message(
    t: Translator,
    source: Source,
    *,
    created: bool,
    title: str,
    entries: int,
    newest: str | None,
) -> str:
    if created:
        headline = t.html("Added {source}", source=_label(source))
    else:
        # Translators: a removed source added again.
        headline = t.html("{source} is enabled again", source=_label(source))
    count = t.number(entries)
    if newest:
        found = t.nhtml(
            "Found {count} entry; newest: {newest}",
            "Found {count} entries; newest: {newest}",
            entries,
            count=count,
            newest=esc(truncate_text(newest, 200)),
        )
    else:
        found = t.nhtml("Found {count} entry", "Found {count} entries", entries, count=count)
    lines = [f"✅ {headline}", found]
    if title and title != source.name:
        lines.append(t.html("Feed title: {title}", title=esc(truncate_text(title, 200))))
    if source.language:
        lines.append(t.html("Language: {language}", language=esc(source.language)))
    lines.append(t.html("Topics: {topics}", topics=esc(_topics(t, source.topics))))
    lines.append(t.html("Its articles arrive with the next ingest cycle."))
    return "\n".join(lines)


def add_failed_message(t: Translator, url: str, reason: str) -> str:
    return "❌ " + t.html(
        "Could not add {url}: {reason}\n"
        "Check that the address is an RSS or Atom feed, or try again later.",
        url=esc(truncate_text(url, 300)),
        reason=esc(truncate_text(reason, 500)),
    )


def unknown_topics_message(t: Translator, unknown: Sequence[str], known: Sequence[str]) -> str:
    problem = t.nhtml(
        "Unknown topic: {unknown}. Topics are: {known}.",
        "Unknown topics: {unknown}. Topics are: {known}.",
        len(unknown),
        unknown=esc(", ".join(unknown)),
        known=esc(", ".join(known)),
    )
    return f"{problem}\n{add_usage_text(t)}"


def removed_message(t: Translator, source: Source) -> str:
    return "🗑 " + t.html(
        "Removed {source}: it is not fetched any more; its stored articles stay. "
        "/addsource with the same address brings it back.",
        source=_label(source),
    )


def not_found_message(t: Translator, wanted: str) -> str:
    missing = t.html(
        "No source {wanted}. See /sources for the numbers.", wanted=esc(truncate_text(wanted, 300))
    )
    return f"{missing}\n{remove_usage_text(t)}"


# --- `newsbot sources` (plain text for a terminal) ----------------------------------------


def sources_table(sources: Sequence[Source], now: datetime) -> str:
    """The sources as a plain-text table, with one indented line per problem."""
    if not sources:
        return "No sources. List feeds in the sources file (NEWSBOT_SOURCES) or use /addsource."
    english = translator(DEFAULT_LOCALE)
    header = ("ID", "STATUS", "NAME", "LAST SUCCESS", "FAILS", "NEXT FETCH", "URL")
    rows = [
        (
            str(s.id),
            status_of(s),
            truncate_text(s.name, 34),
            elapsed(english, s.last_success_at, now),
            str(s.consecutive_failures),
            next_fetch(english, s, now),
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


def import_how_text(t: Translator) -> str:
    return t.html(
        "To import feeds, send me an OPML file ({opml} or {xml}, at most {size} MB) as a "
        "document: the export of a feed reader such as Feedly, Inoreader or NetNewsWire, or "
        "of /exportsources. I add every feed that is not here yet; folders become topics "
        "when they match one.",
        opml=code(".opml"),
        xml=code(".xml"),
        size=t.number(MAX_UPLOAD_BYTES // 1_000_000),
    )


def import_not_admin_text(t: Translator) -> str:
    return t.gettext("Sorry, only the bot's admins can import sources.")


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


def import_summary(t: Translator, report: ImportReport) -> str:
    """``12 sources imported, 3 already present, 2 warnings`` in the admin's language."""
    added, present = len(report.added), len(report.present)
    warnings = len(report.warnings) + len(report.unknown_folders)
    # Translators: the three counts of an OPML import, each its own plural message, joined.
    return t.gettext(
        "{imported}, {present}, {warnings}",
        imported=t.ngettext(
            "{count} source imported", "{count} sources imported", added, count=t.number(added)
        ),
        present=t.ngettext(
            "{count} already present", "{count} already present", present, count=t.number(present)
        ),
        warnings=t.ngettext(
            "{count} warning", "{count} warnings", warnings, count=t.number(warnings)
        ),
    )


def _imported_item(t: Translator, source: ImportedSource) -> str:
    return "➕ " + t.html(
        "{source} — topics: {topics}\n{url}",
        source=_label(source),
        topics=esc(truncate_text(_topics(t, source.topics), 300)),
        url=esc(truncate_text(source.url, 300)),
    )


def _present_item(t: Translator, source: ImportedSource) -> str:
    label = esc(f"#{source.id} {truncate_text(source.name, 120)}")
    if source.enabled:
        return "= " + t.html("{source} already present", source=label)
    return "= " + t.html(
        "{source} already present (disabled: /addsource enables it again)", source=label
    )


def import_messages(t: Translator, report: ImportReport) -> list[str]:
    """An admin's OPML upload answered: the summary, then each source and each warning."""
    icon = "✅" if report.added else "ℹ️"
    header = f"{icon} {bold(import_summary(t, report))}"
    if report.title:
        header += "\n" + t.html("From: {title}", title=esc(truncate_text(report.title, 200)))
    items = [_imported_item(t, s) for s in report.added]
    items += [_present_item(t, s) for s in report.present]
    # The parser's warnings are technical (what was repaired in the file): kept as written.
    items += [f"⚠️ {esc(truncate_text(note, 600))}" for note in report.warnings]
    items += [
        "⚠️ "
        + t.html(
            'folder "{folder}" matches no topic (add slug {slug} to topics.toml)',
            folder=esc(truncate_text(folder.name, 200)),
            slug=esc(folder.slug),
        )
        for folder in report.unknown_folders
    ]
    if report.duplicates:
        items.append(
            t.nhtml(
                "{count} feed was listed in more than one folder: imported once, with every topic",
                "{count} feeds were listed in more than one folder: imported once, with every "
                "topic",
                report.duplicates,
                count=t.number(report.duplicates),
            )
        )
    if report.added:
        items.append(
            t.html("Their articles arrive with the next ingest cycle. /sources lists them.")
        )
    return pack_messages(items, header=header, separator="\n")


def import_failed_message(t: Translator, reason: str) -> str:
    return "❌ " + t.html(
        "Could not import this file: {reason}\n"
        "Nothing was imported. Send an OPML export of a feed reader (.opml or .xml).",
        reason=esc(truncate_text(reason, 600)),
    )


def _bytes(t: Translator, size: int) -> str:
    # Translators: a file's size, e.g. "1,000,013 bytes".
    return t.ngettext("{count} byte", "{count} bytes", size, count=t.number(size))


def import_too_big_message(t: Translator, size: int) -> str:
    return "❌ " + t.html(
        "This file is {size}; I import OPML files of at most {limit}. "
        "Split it, or use {command} on the server.",
        size=esc(_bytes(t, size)),
        limit=esc(_bytes(t, MAX_UPLOAD_BYTES)),
        command=code("newsbot sources import"),
    )


def import_download_failed_message(t: Translator, reason: str) -> str:
    return "❌ " + t.html(
        "Could not download the file from Telegram ({reason}). Please send it again.",
        reason=esc(truncate_text(reason, 300)),
    )


def export_caption(t: Translator, count: int) -> str:
    """The caption of the /exportsources document (plain text)."""
    return t.ngettext(
        "{count} source, one folder per topic. Import it in any feed reader, or send it back "
        "to me to restore it.",
        "{count} sources, one folder per topic. Import it in any feed reader, or send it back "
        "to me to restore them.",
        count,
        count=t.number(count),
    )


def removed_reason(user_id: int | None) -> str:
    """Why a removed source stopped, as /sources shows it. Stored with the source, so it
    is written once, in English, like a feed's error: a technical note, not a reply."""
    return f"removed by admin {user_id}"


def export_file_name(now: datetime) -> str:
    return f"newsbot-sources-{now:%Y-%m-%d}.opml"
