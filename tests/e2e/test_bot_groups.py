"""In groups, anyone reads; only the group's admins change its settings (getChatMember)."""

from __future__ import annotations

from storage.readers import get_reader
from storage.subscriptions import subscribed_topic_slugs
from tests.support.bot_harness import RunningBot
from tests.support.fake_bot_api import Chat, User

GROUP = Chat(-1001, type="supergroup", title="Reading Club")
ADMIN = User(10, first_name="Admin")
MEMBER = User(11, first_name="Member")
REFUSAL = (
    "Only this group's admins can change its settings. "
    "Anyone can use /latest, /search and /summarize."
)


async def test_only_admins_register_and_configure_the_group(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    for command in ("/start", "/settime 08:00", "/subscribe world", "/pause", "/stop"):
        reply = await bot.send(GROUP, command, user=MEMBER)
        assert reply.plain_text == REFUSAL, command
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, GROUP.id) is None

    welcome = await bot.send(GROUP, "/start", user=ADMIN)
    assert "I send this group a short digest" in welcome.plain_text
    assert welcome.reply_to_message_id is not None
    await bot.send(GROUP, "/settime 08:00", user=ADMIN)
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, GROUP.id)
    assert reader is not None and reader.chat_type == "supergroup"
    assert reader.title == "Reading Club" and reader.digest_time.hour == 8


async def test_members_cannot_press_the_settings_buttons(bot: RunningBot) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    welcome = await bot.send(GROUP, "/start", user=ADMIN)
    answer = await bot.press(GROUP, welcome, "World", user=MEMBER)
    assert answer["text"] == REFUSAL and answer["show_alert"] is True
    async with bot.services.db.sessions() as session:
        assert await subscribed_topic_slugs(session, GROUP.id) == set()
    answer = await bot.press(GROUP, welcome, "World", user=ADMIN)
    assert answer["text"] == "Following World"


async def test_an_anonymous_admin_writing_as_the_group_may_change_settings(
    bot: RunningBot,
) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    reply = await bot.send(GROUP, "/subscribe sport", sender_chat=GROUP)
    assert reply.plain_text.startswith("Now following Sport.")
    other = Chat(-2002, type="supergroup", title="Elsewhere")
    refused = await bot.send(GROUP, "/subscribe world", sender_chat=other)
    assert refused.plain_text == REFUSAL


async def test_anyone_may_read_in_a_group(bot: RunningBot) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    for command in ("/latest", "/help", "/mysubs", "/search rates"):
        reply = await bot.send(GROUP, command, user=MEMBER)
        assert reply.plain_text != REFUSAL, command
    assert not bot.fake.calls("getChatMember")


async def test_plain_group_messages_are_left_alone(bot: RunningBot) -> None:
    sent = await bot.send_and_collect(GROUP, "https://example.com/some/article", user=MEMBER)
    assert sent == []


async def test_a_group_that_removes_the_bot_gets_no_more_digests(bot: RunningBot) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    await bot.send(GROUP, "/start", user=ADMIN)
    bot.fake.bot_status_changes(GROUP, "left", old_status="member", by=ADMIN)
    await bot.wait_until_handled()
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, GROUP.id)
    assert reader is not None and reader.blocked_at == bot.clock.now()
