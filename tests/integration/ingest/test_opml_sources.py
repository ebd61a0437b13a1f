"""The import rules both `newsbot sources import` and an admin's upload follow."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.opml_sources import OPERATOR, export_opml, import_opml
from storage import Database, Source, TopicSpec
from storage.sources import SourceSpec, add_source, disable_source, list_sources, sync_sources
from storage.topics import sync_topics

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="World"><outline text="Kept off" xmlUrl="https://off.test/rss"/>
<outline text="Fresh" xmlUrl="https://fresh.test/rss" language="de-DE"/></outline>
<outline text="Knitting"><outline text="Yarn" xmlUrl="https://yarn.test/rss"/></outline>
</body></opml>"""


async def _stored(db: Database) -> dict[str, Source]:
    async with db.sessions() as session:
        return {s.url: s for s in await list_sources(session)}


async def test_stored_feeds_are_left_as_they_are_and_new_ones_survive_the_sources_file(
    db: Database,
) -> None:
    async with db.sessions.begin() as session:
        await sync_topics(session, [TopicSpec("world", "World"), TopicSpec("sport", "Sport")])
        off, _ = await add_source(
            session, SourceSpec("Off", "https://off.test/rss", ("sport",)), added_by=5, now=NOW
        )
        await disable_source(session, off.id, reason="removed by admin 5")

    report = await import_opml(db, OPML, added_by=OPERATOR, now=NOW)

    assert report.summary() == "2 sources imported, 1 already present, 1 warning"
    assert [(s.name, s.topics) for s in report.added] == [("Fresh", ("world",)), ("Yarn", ())]
    assert [(s.name, s.enabled) for s in report.present] == [("Off", False)]
    assert report.notes == (
        'folder "Knitting" matches no topic (add slug knitting to topics.toml)',
    )
    stored = await _stored(db)
    # The admin's decision stands: still disabled, still its own name and topic.
    assert (stored["https://off.test/rss"].enabled, stored["https://off.test/rss"].topics) == (
        False,
        ["sport"],
    )
    assert stored["https://fresh.test/rss"].language == "de"
    assert stored["https://fresh.test/rss"].added_by == OPERATOR

    # A sources file that lists none of them disables only what it owns (nothing here).
    async with db.sessions.begin() as session:
        result = await sync_sources(session, [], now=NOW)
    assert result.disabled == 0
    assert all(s.enabled for url, s in (await _stored(db)).items() if url != off.url)

    data, count = await export_opml(db, now=NOW)
    assert count == 2 and b"off.test" not in data
    data, count = await export_opml(db, now=NOW, include_disabled=True)
    assert count == 3 and b"off.test" in data


async def test_a_dry_run_reports_everything_and_stores_nothing(db: Database) -> None:
    async with db.sessions.begin() as session:
        await sync_topics(session, [TopicSpec("world", "World")])
    report = await import_opml(db, OPML, added_by=OPERATOR, now=NOW, dry_run=True)
    assert report.summary() == "3 sources imported, 0 already present, 1 warning"
    assert await _stored(db) == {}
