"""Which interface language a chat is answered in (``bot.actions.languages.chat_language``),
on the real database: Telegram's language until someone chooses, and the choice after."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.actions.languages import chat_language
from storage import Database
from storage.engine import open_database
from storage.migrate import upgrade_database
from storage.readers import get_reader, register_reader, set_language
from tests.support.databases import BACKENDS, temporary_database_url

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def _register(db: Database, chat_id: int, chat_type: str, language: str) -> None:
    async with db.sessions.begin() as s:
        await register_reader(
            s,
            chat_id=chat_id,
            chat_type=chat_type,
            title=None,
            timezone="UTC",
            digest_time=time(7, 30),
            next_digest_at=None,
            now=NOW,
            language=language,
        )


async def _stored(db: Database, chat_id: int) -> tuple[str, bool]:
    async with db.sessions() as s:
        reader = await get_reader(s, chat_id)
        assert reader is not None
        return reader.language, reader.language_chosen


async def test_a_chat_without_a_row_is_answered_in_the_senders_telegram_language(
    db: Database,
) -> None:
    assert await chat_language(db, 1, follows_user=True, telegram="ru") == "ru"
    assert await chat_language(db, 1, follows_user=True, telegram="pt-br") == "pt_BR"
    assert await chat_language(db, 1, follows_user=True, telegram="es-419") == "es"
    assert await chat_language(db, 1, follows_user=True, telegram="ja") == "en"
    assert await chat_language(db, 1, follows_user=True, telegram=None) == "en"
    async with db.sessions() as s:
        assert await get_reader(s, 1) is None  # looking it up wrote nothing


async def test_a_private_chat_follows_telegram_until_the_reader_chooses(db: Database) -> None:
    await _register(db, 42, "private", "ru")
    assert await _stored(db, 42) == ("ru", False)
    assert await chat_language(db, 42, follows_user=True, telegram="ru") == "ru"
    # The user switched Telegram to Ukrainian: the bot follows, and remembers it.
    assert await chat_language(db, 42, follows_user=True, telegram="uk") == "uk"
    assert await _stored(db, 42) == ("uk", False)
    # No language sent (some clients): the row stands.
    assert await chat_language(db, 42, follows_user=True, telegram=None) == "uk"
    async with db.sessions.begin() as s:
        await set_language(s, 42, "fa", chosen=True)
    assert await chat_language(db, 42, follows_user=True, telegram="de") == "fa"
    assert await _stored(db, 42) == ("fa", True)


async def test_a_group_keeps_the_language_it_was_created_with(db: Database) -> None:
    await _register(db, -100, "supergroup", "de")
    assert await chat_language(db, -100, follows_user=False, telegram="ru") == "de"
    assert await chat_language(db, -100, follows_user=False, telegram="en") == "de"
    assert await _stored(db, -100) == ("de", False)


async def test_existing_rows_of_the_old_schema_stay_as_they_were(db: Database) -> None:
    await _register(db, 7, "private", "en")
    async with db.sessions() as s:
        reader = await get_reader(s, 7)
        assert reader is not None
        assert (reader.language_chosen, reader.news_languages) == (False, None)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_readers_from_before_the_languages_keep_their_language_not_chosen(
    backend: str, tmp_path: Path
) -> None:
    async with temporary_database_url(backend, tmp_path) as url:
        db = open_database(url)
        try:
            await _old_reader_upgraded(db)
        finally:
            await db.dispose()


async def _old_reader_upgraded(db: Database) -> None:
    """A reader stored by the first schema, then the languages migration."""
    await upgrade_database(db, "0001")
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO readers (chat_id, chat_type, language, timezone, digest_time,"
                " paused, summary_length, created_at)"
                " VALUES (5, 'private', 'de', 'UTC', '07:30:00', false, 3, :now)"
            ),
            {"now": NOW},
        )
    await upgrade_database(db, "0002")
    async with db.engine.connect() as conn:
        row = (await conn.execute(text("SELECT language, language_chosen FROM readers"))).one()
    assert (row[0], bool(row[1])) == ("de", False)
    await upgrade_database(db, "head")
    assert await _stored(db, 5) == ("de", False)
    async with db.sessions() as s:
        reader = await get_reader(s, 5)
        assert reader is not None and reader.news_languages is None
