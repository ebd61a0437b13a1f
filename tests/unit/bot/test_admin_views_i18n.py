"""The operators' replies (/sources, /addsource, OPML import, /stats) come whole from the
catalog: under a translator that marks every message, no English word is left outside a
message, technical values (URLs, feed errors) stay as they are, and in a right-to-left
locale the values are isolated."""

from __future__ import annotations

import gettext
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Translator, locale_of, translator
from bot.i18n.translator import FSI, PDI
from bot.views import sources as views
from bot.views.elapsed import elapsed
from bot.views.stats import stats_text
from ingest.opml_sources import ImportedSource, ImportReport
from storage.models import IngestRun, Source
from storage.stats import BotStats, DigestFigures
from storage.topics import TopicSpec

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class _Marked(gettext.NullTranslations):
    """Every message in ⟦ ⟧: a line outside the marks was not translated."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


MARKED = Translator(locale_of("de"), _Marked())
#: Marks on a line, with what the view puts around messages: icons and separators.
_ICONS = "🟢⚪🟠🔴✅❌🗑➕⚠️ℹ️=\ufe0f "


def _untranslated(text: str, *technical: str) -> list[str]:
    """Lines with words outside the marks (technical values and tags removed first)."""
    plain = re.sub(r"<[^>]+>", "", text)
    for value in technical:
        plain = plain.replace(value, "")
    while (inner := re.sub(r"⟦[^⟦⟧]*⟧", "", plain)) != plain:  # messages nest in messages
        plain = inner
    return [line for line in plain.splitlines() if line.strip(_ICONS + "⟧")]


def _source(**fields: object) -> Source:
    values: dict[str, object] = {
        "id": 7,
        "url": "https://example.com/rss.xml",
        "name": "Example & Co",
        "topics": ["world"],
        "enabled": True,
        "consecutive_failures": 0,
        "last_success_at": NOW - timedelta(hours=3),
        "next_fetch_at": NOW + timedelta(minutes=20),
        "created_at": NOW,
    }
    values.update(fields)
    return Source(**values)


def _report() -> ImportReport:
    added = ImportedSource(1, "Quanta", "https://quanta.test/rss", ("science",), True)
    present = ImportedSource(2, "Old", "https://old.test/rss", (), False)
    return ImportReport(
        title="My feeds",
        added=(added,),
        present=(present,),
        unknown_folders=(TopicSpec("cooking", "Cooking"),),
        warnings=("line 3: no xmlUrl",),
        duplicates=2,
    )


def _stats() -> BotStats:
    run = IngestRun(
        started_at=NOW - timedelta(minutes=5),
        sources_failed=1,
        articles_new=2,
        articles_duplicate=3,
        error=None,
    )
    return BotStats(
        readers={"total": 3, "active": 2, "paused": 1, "blocked": 0},
        subscriptions={"topics": 1, "queries": 1},
        topics=7,
        articles=2,
        articles_last_day=2,
        newest_article_at=NOW,
        sources_enabled=2,
        sources_failing=0,
        sources_disabled=0,
        last_ingest=run,
        digests_last_day=DigestFigures(sent=0, empty=0, failed=0, last_sent_at=None),
    )


def test_every_line_of_the_admin_replies_is_a_translated_message() -> None:
    failing = _source(consecutive_failures=2, last_error="HTTP 500 Internal Server Error")
    replies = {
        "sources": "\n".join(views.sources_messages(MARKED, [_source(), failing], NOW)),
        "empty": "\n".join(views.sources_messages(MARKED, [], NOW)),
        "added": views.added_message(
            MARKED, _source(language="en"), created=True, title="T", entries=4, newest="N"
        ),
        "failed": views.add_failed_message(MARKED, "https://x.test/feed", "HTTP 404 Not Found"),
        "unknown": views.unknown_topics_message(MARKED, ["cooking"], ["world"]),
        "removed": views.removed_message(MARKED, _source()),
        "not found": views.not_found_message(MARKED, "99"),
        "how": views.import_how_text(MARKED),
        "import": "\n".join(views.import_messages(MARKED, _report())),
        "import failed": views.import_failed_message(MARKED, "not XML"),
        "too big": views.import_too_big_message(MARKED, 2_000_000),
        "download": views.import_download_failed_message(MARKED, "timed out"),
        "caption": views.export_caption(MARKED, 3),
        "stats": stats_text(MARKED, _stats(), NOW),
    }
    # A source's link line is its URL, an OPML parser's warning is technical: values.
    technical = ("https://example.com/rss.xml", "line 3: no xmlUrl")
    untranslated = {name: _untranslated(text, *technical) for name, text in replies.items()}
    assert untranslated == {name: [] for name in replies}


def test_feed_errors_and_urls_stay_as_the_feed_wrote_them() -> None:
    failing = _source(consecutive_failures=1, last_error="HTTP 500 <oops> & more")
    text = views.source_item(MARKED, failing, NOW)
    assert "⟦Last error: HTTP 500 &lt;oops&gt; &amp; more⟧" in text
    assert '<a href="https://example.com/rss.xml">' in text


def test_english_reads_as_before() -> None:
    en = translator("en")
    text = views.source_item(en, _source(), NOW)
    assert "<b>#7 Example &amp; Co</b> — ok" in text
    assert "Last success: 3 hr. ago · failures: 0 · next fetch: in 20 min." in text
    assert views.import_summary(en, _report()) == (
        "1 source imported, 1 already present, 2 warnings"
    )
    assert views.export_caption(en, 1).startswith("1 source, one folder per topic.")
    assert "Found 1 entry\n" in views.added_message(
        en, _source(), created=False, title="", entries=1, newest=None
    )


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (None, "never"),
        (NOW - timedelta(seconds=30), "just now"),
        (NOW + timedelta(seconds=30), "now"),
        (NOW - timedelta(minutes=1), "1 min. ago"),
        (NOW + timedelta(hours=5), "in 5 hr."),
        (NOW - timedelta(days=1), "1 day ago"),
        (NOW - timedelta(days=3), "3 days ago"),
        (NOW + timedelta(days=2), "in 2 days"),
    ],
)
def test_elapsed_says_past_and_coming_moments(moment: datetime | None, said: str) -> None:
    assert elapsed(translator("en"), moment, NOW) == said


def test_in_persian_names_and_urls_keep_their_direction() -> None:
    text = views.source_item(translator("fa"), _source(), NOW)
    assert f"{FSI}<b>#7 Example &amp; Co</b>{PDI}" in text
    stats = stats_text(translator("fa"), _stats(), NOW)
    assert f"{FSI}۳{PDI}" in stats  # counts in Persian digits, isolated
