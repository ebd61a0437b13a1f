"""Forum topics: each topic thread of a forum supergroup is a reader of its own.

Settings made inside a topic apply to that topic: what it follows, when its digest comes,
and every answer (confirmations, /latest, the digest itself) goes to its
``message_thread_id``. The General topic (no thread) is the chat's own reader. A topic
deleted or closed stops only its own digests. Through the real application and the fake
Bot API, which refuses a send to a deleted or closed topic as Telegram does.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from storage.keys import ReaderKey
from storage.readers import get_reader
from storage.subscriptions import subscribed_topic_slugs
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, Message, User

FORUM = Chat(-1005001, type="supergroup", title="Newsroom", is_forum=True)
SPORT, TECH = 11, 12
ADMIN = User(10, first_name="Admin")


async def _stories(bot: RunningBot, *, day: str = "") -> None:
    """One sport story, one technology story and one world story, an hour old."""
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 1, now) if not day else []
        for title, topic in (("Cup final", "sport"), ("New chip", "tech"), ("Summit", "world")):
            await add_story(
                session,
                title=f"{title} {day}".strip(),
                topics=[topic],
                sources=sources or [1],
                published_at=now - timedelta(hours=1),
            )


async def _set_up_threads(bot: RunningBot) -> None:
    """Sport follows sport at 07:00, Tech follows technology at 07:15, General world."""
    bot.fake.add_chat(FORUM, admins={ADMIN.id})
    for thread, topic, at in ((SPORT, "sport", "07:00"), (TECH, "tech", "07:15")):
        confirmation = await bot.send(FORUM, f"/subscribe {topic}", user=ADMIN, thread_id=thread)
        assert confirmation.message_thread_id == thread
        assert confirmation.plain_text.startswith("Now following")
        schedule = await bot.send(FORUM, f"/settime {at}", user=ADMIN, thread_id=thread)
        assert schedule.message_thread_id == thread
    general = await bot.send(FORUM, "/subscribe world", user=ADMIN)
    assert general.message_thread_id is None


async def _digest_tick_at(bot: RunningBot, hour: int, minute: int) -> None:
    bot.clock.set(bot.clock.now().replace(hour=hour, minute=minute))
    await bot.job("digest").run(bot.application)
    await bot.wait_until_handled()


def _digests(bot: RunningBot, since: int) -> list[tuple[int | None, str]]:
    """(message_thread_id, text) of every digest message sent to the forum since call
    number ``since`` (replies to commands left out: they answer a message)."""
    return [
        (c.params.get("message_thread_id"), str(c.params.get("text", "")))
        for c in bot.fake.calls("sendMessage", chat_id=FORUM.id)[since:]
        if c.status == 200 and not c.params.get("reply_parameters")
    ]


async def test_each_topic_gets_its_own_digest_in_its_own_thread_at_its_own_time(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    await _set_up_threads(bot)
    await _stories(bot)
    async with bot.services.db.sessions() as session:
        assert await subscribed_topic_slugs(session, ReaderKey(FORUM.id, SPORT)) == {"sport"}
        assert await subscribed_topic_slugs(session, ReaderKey(FORUM.id, TECH)) == {"tech"}
        assert await subscribed_topic_slugs(session, FORUM.id) == {"world"}

    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    await _digest_tick_at(bot, 7, 0)
    [(thread, text)] = _digests(bot, start)
    assert thread == SPORT and "Cup final" in text and "New chip" not in text

    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    await _digest_tick_at(bot, 7, 15)
    [(thread, text)] = _digests(bot, start)
    assert thread == TECH and "New chip" in text and "Cup final" not in text

    # The General topic is the chat itself: the operator's default time, no thread.
    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    await _digest_tick_at(bot, 7, 30)
    [(thread, text)] = _digests(bot, start)
    assert thread is None and "Summit" in text and "Cup final" not in text
    # Each thread's messages are where a reader of that thread sees them.
    assert [m.message_thread_id for m in bot.fake.messages(FORUM.id, thread_id=SPORT)] == [
        SPORT
    ] * 3


async def test_latest_buttons_and_digest_command_answer_in_the_thread(bot: RunningBot) -> None:
    await _set_up_threads(bot)
    await _stories(bot)

    latest = await bot.send_and_collect(FORUM, "/latest tech", thread_id=TECH)
    assert latest and all(m.message_thread_id == TECH for m in latest)
    assert "New chip" in latest[0].plain_text

    # The picker opened in Sport changes Sport's topics only; its answer stays there.
    picker = await bot.send(FORUM, "/topics", user=ADMIN, thread_id=SPORT)
    assert picker.message_thread_id == SPORT
    answer = await bot.press(FORUM, picker, "Science", user=ADMIN)
    assert answer["text"] == "Following Science"
    async with bot.services.db.sessions() as session:
        sport = ReaderKey(FORUM.id, SPORT)
        assert await subscribed_topic_slugs(session, sport) == {"sport", "science"}
        assert await subscribed_topic_slugs(session, FORUM.id) == {"world"}
        assert await subscribed_topic_slugs(session, ReaderKey(FORUM.id, TECH)) == {"tech"}

    digest = await bot.send_and_collect(FORUM, "/digest", user=ADMIN, thread_id=SPORT)
    assert digest and all(m.message_thread_id == SPORT for m in digest)
    assert "Cup final" in digest[0].plain_text and "New chip" not in digest[0].plain_text


@pytest.mark.parametrize("how", ["deleted", "closed"])
async def test_a_gone_thread_stops_only_its_own_digests(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    await _set_up_threads(bot)
    await _stories(bot)
    # Both threads due at the same tick.
    await bot.send(FORUM, "/settime 07:00", user=ADMIN, thread_id=TECH)
    if how == "deleted":
        bot.fake.delete_topic(FORUM, SPORT)
    else:
        bot.fake.close_topic(FORUM, SPORT)

    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    with caplog.at_level(logging.INFO, logger="bot.delivery.engine"):
        await _digest_tick_at(bot, 7, 0)
    [(thread, text)] = _digests(bot, start)
    assert thread == TECH and "New chip" in text
    refused = [
        c for c in bot.fake.calls("sendMessage", chat_id=FORUM.id)[start:] if c.status != 200
    ]
    assert [c.params.get("message_thread_id") for c in refused] == [SPORT]
    [line] = [r.getMessage() for r in caplog.records if "forum topic" in r.getMessage()]
    assert f"forum topic {SPORT} of chat {FORUM.id}" in line and "deleted or closed" in line
    async with bot.services.db.sessions() as session:
        sport = await get_reader(session, ReaderKey(FORUM.id, SPORT))
        tech = await get_reader(session, ReaderKey(FORUM.id, TECH))
        general = await get_reader(session, FORUM.id)
    assert sport is not None and sport.blocked_at is not None
    assert tech is not None and tech.blocked_at is None
    assert general is not None and general.blocked_at is None

    # The next day the bot does not even try the gone thread; the others go on (the
    # General topic's digest, due at 07:30 yesterday, comes along).
    bot.clock.set(bot.clock.now() + timedelta(days=1))
    await _stories(bot, day="again")
    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    await _digest_tick_at(bot, 7, 0)
    assert sorted(thread or 0 for thread, _text in _digests(bot, start)) == [0, TECH]
    assert all(
        c.params.get("message_thread_id") != SPORT
        for c in bot.fake.calls("sendMessage", chat_id=FORUM.id)[start:]
    )

    # Reopened, a command written in the thread brings its digests back.
    bot.fake.reopen_topic(FORUM, SPORT)
    reply = await bot.send(FORUM, "/settime 08:00", user=ADMIN, thread_id=SPORT)
    assert reply.message_thread_id == SPORT
    start = len(bot.fake.calls("sendMessage", chat_id=FORUM.id))
    await _digest_tick_at(bot, 8, 0)
    sent = dict(_digests(bot, start))
    assert "Cup final again" in sent[SPORT]


async def test_stop_in_a_thread_forgets_that_thread_only(bot: RunningBot) -> None:
    await _set_up_threads(bot)
    confirm = await bot.send(FORUM, "/stop", user=ADMIN, thread_id=TECH)
    assert confirm.message_thread_id == TECH
    await bot.press(FORUM, confirm, "Yes", user=ADMIN)
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, ReaderKey(FORUM.id, TECH)) is None
        assert await get_reader(session, ReaderKey(FORUM.id, SPORT)) is not None
        assert await get_reader(session, FORUM.id) is not None


async def test_a_reply_chain_in_a_plain_group_is_not_a_thread(bot: RunningBot) -> None:
    """Outside forums, a reply's ``message_thread_id`` names a reply chain: the group is
    one reader whatever message a command answers."""
    group = Chat(-1006001, type="supergroup", title="Plain")
    bot.fake.add_chat(group, admins={ADMIN.id})
    first: Message = await bot.send(group, "/subscribe world", user=ADMIN)
    await bot.send(group, "/subscribe sport", user=ADMIN, reply_to_message_id=first.message_id)
    async with bot.services.db.sessions() as session:
        assert await subscribed_topic_slugs(session, group.id) == {"world", "sport"}


async def test_a_group_that_becomes_a_forum_keeps_its_settings_beside_its_new_topics(
    bot_on_each_db: RunningBot,
) -> None:
    """An admin turns on topics: the group gets a new id. Its settings move to the
    supergroup's General topic; a topic set up before the bot heard of the move keeps
    its own; each gets its digest in its place."""
    bot = bot_on_each_db
    group = Chat(-4001, type="group", title="Newsroom")
    bot.fake.add_chat(group, admins={ADMIN.id})
    await bot.send(group, "/subscribe world", user=ADMIN)
    await bot.send(group, "/quiet 23:00-06:00", user=ADMIN)
    bot.fake.migrate_group(group, FORUM, announce=False)
    bot.fake.set_admins(FORUM.id, {ADMIN.id})
    await bot.send(FORUM, "/subscribe sport", user=ADMIN, thread_id=SPORT)
    await bot.send(FORUM, "/settime 07:30", user=ADMIN, thread_id=SPORT)
    await _stories(bot)

    # The first digest meets the old id and moves the group's reader (Telegram's answer).
    await _digest_tick_at(bot, 7, 30)
    sent = {
        c.params.get("message_thread_id"): str(c.params.get("text", ""))
        for c in bot.fake.calls("sendMessage", chat_id=FORUM.id)
        if c.status == 200 and not c.params.get("reply_parameters")
    }
    assert set(sent) == {None, SPORT}
    assert "Summit" in sent[None] and "Cup final" not in sent[None]
    assert "Cup final" in sent[SPORT] and "Summit" not in sent[SPORT]
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, group.id) is None
        general = await get_reader(session, FORUM.id)
        assert general is not None and general.quiet_start is not None
        assert await subscribed_topic_slugs(session, FORUM.id) == {"world"}
        assert await subscribed_topic_slugs(session, ReaderKey(FORUM.id, SPORT)) == {"sport"}
