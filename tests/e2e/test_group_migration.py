"""A group that becomes a supergroup keeps its digests: same settings, topics and ledger.

Telegram gives the supergroup a new chat id. The bot learns it either from the service
messages (``migrate_to_chat_id`` / ``migrate_from_chat_id``) or, if it missed them, from
the 400 answer with ``migrate_to_chat_id`` to its next digest; either way the reader moves
in one transaction and the digest goes to the new id. On both databases, through the
real application and the fake Bot API.
"""

from __future__ import annotations

from datetime import time, timedelta

from storage.digests import digests_of
from storage.readers import get_reader
from storage.subscriptions import subscribed_topic_slugs
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, User

GROUP = Chat(-4001, type="group", title="Reading Club")
SUPERGROUP = Chat(-1004001, type="supergroup", title="Reading Club")
ADMIN = User(10, first_name="Admin")


async def _group_reader_with_one_digest(bot: RunningBot) -> list[int]:
    """The group follows World, has quiet hours, and got one digest (story "Old news")."""
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 1, now)
        await add_story(
            session,
            title="Old news",
            topics=["world"],
            sources=sources,
            published_at=now - timedelta(hours=2),
        )
    await bot.send(GROUP, "/start", user=ADMIN)
    await bot.send(GROUP, "/subscribe world", user=ADMIN)
    await bot.send(GROUP, "/quiet 23:00-06:00", user=ADMIN)
    [first] = await bot.send_and_collect(GROUP, "/digest", user=ADMIN)
    assert "Old news" in first.plain_text
    async with bot.services.db.sessions.begin() as session:
        await add_story(
            session,
            title="Fresh news",
            topics=["world"],
            sources=sources,
            published_at=now + timedelta(minutes=30),
        )
    return sources


async def _scheduled_digest(bot: RunningBot) -> None:
    job_queue = bot.application.job_queue
    assert job_queue is not None
    [job] = job_queue.get_jobs_by_name("digest")
    bot.clock.set(bot.clock.now().replace(hour=7, minute=30))
    await job.run(bot.application)


async def _assert_moved(bot: RunningBot) -> None:
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, GROUP.id) is None
        reader = await get_reader(session, SUPERGROUP.id)
        assert reader is not None and reader.chat_type == "supergroup"
        assert reader.blocked_at is None
        assert (reader.quiet_start, reader.quiet_end) == (time(23, 0), time(6, 0))
        assert await subscribed_topic_slugs(session, SUPERGROUP.id) == {"world"}
        digests = await digests_of(session, SUPERGROUP.id)
    # The ledger came along: the /digest before the move and the scheduled one after.
    assert [d.status for d in digests] == ["sent", "sent"]


async def test_a_digest_meeting_the_old_id_moves_the_reader_and_arrives_in_the_supergroup(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    await _group_reader_with_one_digest(bot)
    bot.fake.migrate_group(GROUP, SUPERGROUP, announce=False)
    before_old = len(bot.fake.messages(GROUP.id))

    await _scheduled_digest(bot)

    refused = bot.fake.calls("sendMessage", chat_id=GROUP.id)[-1]
    assert refused.status == 400 and "supergroup" in (refused.error or "")
    assert len(bot.fake.messages(GROUP.id)) == before_old
    [digest] = bot.fake.messages(SUPERGROUP.id)
    # The interrupted digest, and only what is new: the ledger remembers "Old news".
    assert "Fresh news" in digest.plain_text and "Old news" not in digest.plain_text
    await _assert_moved(bot)


async def test_the_service_messages_move_the_reader_before_any_digest(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    await _group_reader_with_one_digest(bot)
    bot.fake.migrate_group(GROUP, SUPERGROUP, announce=True)
    await bot.wait_until_handled()
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, GROUP.id) is None
        assert await get_reader(session, SUPERGROUP.id) is not None
    calls_to_old = len(bot.fake.calls("sendMessage", chat_id=GROUP.id))

    await _scheduled_digest(bot)

    assert len(bot.fake.calls("sendMessage", chat_id=GROUP.id)) == calls_to_old
    [digest] = bot.fake.messages(SUPERGROUP.id)
    assert "Fresh news" in digest.plain_text and "Old news" not in digest.plain_text
    await _assert_moved(bot)
