"""Muted words on both databases: one row per phrase however spelled, per reader and
forum topic, carried by a group's move to a supergroup and deleted with the reader."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from digest.mutes import folded_phrase
from storage import Database
from storage.models import MutedWord
from storage.mutes import (
    add_mute,
    count_mutes,
    find_mute,
    list_mutes,
    muted_phrases_of,
    remove_mute,
    remove_mute_by_id,
)
from storage.readers import forget_reader, move_reader, register_reader

NOW = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)


async def _reader(
    db: Database, chat_id: int, chat_type: str = "private", *, thread_id: int = 0
) -> None:
    async with db.sessions.begin() as s:
        await register_reader(
            s,
            chat_id=chat_id,
            thread_id=thread_id,
            chat_type=chat_type,
            title=None,
            timezone="UTC",
            digest_time=time(7, 30),
            next_digest_at=NOW + timedelta(hours=1),
            now=NOW,
        )


async def _mute(db: Database, chat_id: int, phrase: str, thread_id: int = 0) -> bool:
    async with db.sessions.begin() as s:
        return await add_mute(s, chat_id, phrase, folded_phrase(phrase), NOW, thread_id)


async def test_one_phrase_in_two_spellings_is_one_row(db: Database) -> None:
    await _reader(db, 42)
    assert await _mute(db, 42, "Fußball")
    assert not await _mute(db, 42, "FUSSBALL")
    async with db.sessions() as s:
        [row] = await list_mutes(s, 42)
        assert (row.phrase, row.folded) == ("Fußball", "fussball")
        found = await find_mute(s, 42, folded_phrase("fussball"))
        assert found is not None and found.id == row.id


async def test_threads_of_one_chat_mute_apart(db: Database) -> None:
    await _reader(db, -100, "supergroup")
    await _reader(db, -100, "supergroup", thread_id=7)
    assert await _mute(db, -100, "football", thread_id=0)
    assert await _mute(db, -100, "football", thread_id=7)
    assert await _mute(db, -100, "cricket", thread_id=7)
    async with db.sessions() as s:
        assert await count_mutes(s, -100) == 1
        assert await count_mutes(s, -100, 7) == 2
        assert [m.phrase for m in await list_mutes(s, -100, 7)] == ["football", "cricket"]
        found = await muted_phrases_of(s, [(-100, 7), (-100, 9), (42, 0)])
    assert sorted(found[(-100, 7)]) == ["cricket", "football"]
    assert (-100, 0) not in found and found.get((-100, 9), []) == []


async def test_removing_by_phrase_or_by_the_readers_own_id(db: Database) -> None:
    await _reader(db, 42)
    await _reader(db, 43)
    await _mute(db, 42, "rain")
    await _mute(db, 43, "snow")
    async with db.sessions.begin() as s:
        other = (await list_mutes(s, 43))[0].id
        # A forged button with another reader's id removes nothing.
        assert not await remove_mute_by_id(s, 42, other)
        assert await remove_mute(s, 42, "rain")
        assert not await remove_mute(s, 42, "rain")
        assert await remove_mute_by_id(s, 43, other)
        assert await s.scalar(select(func.count()).select_from(MutedWord)) == 0


async def test_a_group_moving_to_a_supergroup_keeps_its_mutes_once(db: Database) -> None:
    await _reader(db, -4001, "group")
    await _reader(db, -1004001, "supergroup")
    await _mute(db, -4001, "football")
    await _mute(db, -4001, "Brexit")
    await _mute(db, -1004001, "BREXIT")  # someone wrote in the supergroup first
    async with db.sessions.begin() as s:
        assert await move_reader(s, -4001, -1004001)
    async with db.sessions() as s:
        assert await list_mutes(s, -4001) == []
        moved = sorted(m.folded for m in await list_mutes(s, -1004001))
    assert moved == ["brexit", "football"]


async def test_forgetting_a_reader_deletes_their_mutes(db: Database) -> None:
    await _reader(db, 42)
    await _mute(db, 42, "football")
    async with db.sessions.begin() as s:
        assert await forget_reader(s, 42)
    async with db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(MutedWord)) == 0
