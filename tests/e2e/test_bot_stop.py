"""/stop forgets a chat, but only after the reader confirms."""

from __future__ import annotations

from storage.readers import get_reader
from storage.subscriptions import list_subscriptions
from tests.support.bot_harness import RunningBot
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def test_stop_asks_then_forgets_everything(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe world")
    ask = await bot.send(READER, "/stop")
    assert ask.plain_text.endswith("Are you sure?")
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, 42) is not None  # nothing deleted yet
    answer = await bot.press(READER, ask, "Yes, forget me")
    assert answer["text"] == "Forgotten"
    done = bot.fake.last_message(42)
    assert done.message_id == ask.message_id and done.buttons == []
    assert done.plain_text.startswith("Done: everything about this chat is deleted")
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, 42) is None
        assert await list_subscriptions(session, 42) == []
    # Pressing the old button again deletes nothing more and says so.
    await bot.press_data(READER, ask.message_id, "st:yes")
    assert bot.fake.last_message(42).plain_text.startswith("I don't have anything")


async def test_cancel_keeps_everything(bot: RunningBot) -> None:
    await bot.send(READER, "/start")
    ask = await bot.send(READER, "/stop")
    await bot.press(READER, ask, "Cancel")
    assert bot.fake.last_message(42).plain_text == "Nothing was deleted."
    async with bot.services.db.sessions() as session:
        assert await get_reader(session, 42) is not None
