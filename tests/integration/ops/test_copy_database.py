"""Moving a bot's data between SQLite and PostgreSQL with `newsbot copy-database`."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.cli import main
from storage import Database, Delivery, Digest, open_database, upgrade_database
from storage.ingest_writes import finish_ingest_run, start_ingest_run
from storage.migrate import current_revision, head_revision
from storage.models import Base
from storage.sources import SourceSpec, add_source
from storage.transfer import TargetNotEmpty, copy_database
from tests.support.databases import temporary_database_url
from tests.support.digest_world import add_reader, add_sources, add_story, add_topics, utc
from tests.support.env import SETTING_NAMES, environment_without_settings
from tests.support.log_capture import preserved_logging

NOW = utc(2026, 11, 25, 9, 0)


async def _fill(db: Database) -> None:
    """A little of everything: topics, sources, stories, readers, a digest, an ingest."""
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 3, NOW)
        story = await add_story(
            session,
            title="Ceasefire talks resume in Geneva",
            topics=["world"],
            sources=sources,
            published_at=NOW - timedelta(hours=2),
        )
        await add_story(
            session,
            title="Chip maker shares jump",
            topics=["business", "technology"],
            sources=sources[:1],
            published_at=NOW - timedelta(hours=1),
        )
        await add_reader(session, 42, now=NOW, zone="Asia/Tehran", at=time(8, 15))
        await add_reader(session, -1001, now=NOW, chat_type="group", queries=["solar power"])
        digest = Digest(
            chat_id=42,
            due_at=NOW - timedelta(days=1),
            status="sent",
            attempts=1,
            messages=["<b>World</b>\n• Ceasefire talks resume"],
            messages_sent=1,
            item_count=1,
            sent_at=NOW - timedelta(days=1),
            created_at=NOW - timedelta(days=1),
        )
        session.add(digest)
        await session.flush()
        session.add(
            Delivery(
                chat_id=42,
                article_id=story[0],
                story_id=story[0],
                digest_id=digest.id,
                delivered_at=NOW - timedelta(days=1),
            )
        )
        run = await start_ingest_run(session, now=NOW - timedelta(minutes=20))
        await finish_ingest_run(
            session,
            run.id,
            finished_at=NOW - timedelta(minutes=18),
            sources_fetched=3,
            sources_not_modified=0,
            sources_failed=0,
            articles_new=4,
            articles_duplicate=0,
            stories_merged=2,
        )


async def _everything(db: Database) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            result = await conn.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [dict(row._mapping) for row in result]
    return rows


@pytest.mark.parametrize("direction", ["sqlite_to_postgresql", "postgresql_to_sqlite"])
async def test_every_row_of_every_table_arrives_unchanged(
    direction: str, sqlite_db: Database, pg_db: Database
) -> None:
    source, target = (sqlite_db, pg_db) if direction.startswith("sqlite") else (pg_db, sqlite_db)
    await _fill(source)
    copied = await copy_database(source, target)
    before, after = await _everything(source), await _everything(target)
    assert after == before
    assert copied == {name: len(rows) for name, rows in before.items()}
    assert copied["articles"] == 4
    assert copied["readers"] == 2
    assert copied["deliveries"] == 1
    reader = next(r for r in after["readers"] if r["chat_id"] == 42)
    assert reader["timezone"] == "Asia/Tehran"
    assert reader["next_digest_at"].tzinfo is not None


async def test_new_rows_on_postgresql_get_fresh_ids_after_the_copy(
    sqlite_db: Database, pg_db: Database
) -> None:
    await _fill(sqlite_db)
    await copy_database(sqlite_db, pg_db)
    highest = max(r["id"] for r in (await _everything(pg_db))["sources"])
    async with pg_db.sessions.begin() as session:
        source, created = await add_source(
            session, SourceSpec("New", "https://new.example/rss"), added_by=None, now=NOW
        )
    assert created
    assert source.id == highest + 1


async def test_a_target_with_data_is_refused_and_left_as_it_was(
    sqlite_db: Database, pg_db: Database
) -> None:
    await _fill(sqlite_db)
    async with pg_db.sessions.begin() as session:
        await add_source(
            session, SourceSpec("Mine", "https://mine.example/rss"), added_by=None, now=NOW
        )
    with pytest.raises(TargetNotEmpty, match="already has rows in sources"):
        await copy_database(sqlite_db, pg_db)
    assert [r["name"] for r in (await _everything(pg_db))["sources"]] == ["Mine"]
    assert (await _everything(pg_db))["readers"] == []


async def _sqlite_bot(data_dir: Path) -> None:
    """A bot's SQLite database, migrated as `newsbot run` leaves it, with data."""
    db = open_database(f"sqlite+aiosqlite:///{data_dir / 'newsbot.db'}")
    try:
        await upgrade_database(db)
        await _fill(db)
    finally:
        await db.dispose()


@pytest.mark.slow
async def test_the_command_moves_a_sqlite_bot_to_postgresql(tmp_path: Path) -> None:
    await _sqlite_bot(tmp_path / "data")
    async with temporary_database_url("postgresql", tmp_path) as url:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "copy-database",
            "--to",
            url,
            env={**environment_without_settings(), "NEWSBOT_DATA_DIR": str(tmp_path / "data")},
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        lines = out.decode().splitlines()
        assert "readers: 2 rows" in lines
        assert lines[-1].endswith("set DATABASE_URL to it and start the bot")
        # A bot started on the new URL finds its schema current and its readers there.
        target = open_database(url)
        try:
            assert await current_revision(target) == head_revision()
            assert len((await _everything(target))["readers"]) == 2
        finally:
            await target.dispose()


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch, cwd: Path) -> int:
    """`newsbot ARGS` in this process, with no setting but NEWSBOT_DATA_DIR=cwd/data."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(cwd / "data"))
    monkeypatch.chdir(cwd)
    with preserved_logging():
        return main(args)


def test_the_command_refuses_a_target_with_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_sqlite_bot(tmp_path / "data"))
    asyncio.run(_sqlite_bot(tmp_path / "other"))
    target = f"sqlite:///{tmp_path / 'other' / 'newsbot.db'}"
    assert _cli(["copy-database", "--to", target], monkeypatch, tmp_path) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"newsbot: the target database already has rows in \w+; copy into an empty database", line
    )


def test_a_wrong_target_url_gets_the_right_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(["copy-database", "--to", "newsbot.db"], monkeypatch, tmp_path) == 2
    assert capsys.readouterr().err.splitlines() == [
        "newsbot: --to is not a database URL (examples: sqlite:///data/newsbot.db, "
        "postgresql://user:password@localhost/newsbot) (example: newsbot copy-database "
        "--to postgresql://newsbot:password@localhost/newsbot)"
    ]


def test_copying_into_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    itself = f"sqlite:///{tmp_path / 'data' / 'newsbot.db'}"
    assert _cli(["copy-database", "--to", itself], monkeypatch, tmp_path) == 2
    assert "names the database the bot already uses" in capsys.readouterr().err
