"""When the digest comes: /settime, /timezone, /pause, /resume, /length, and their buttons.

The clock stands at Sunday 29 March 2026, 06:00 UTC (08:00 in Berlin, the first day of
summer time there).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from storage.models import Reader
from storage.readers import get_reader
from tests.support.bot_harness import RunningBot
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def _reader(bot: RunningBot) -> Reader:
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None
    return reader


async def test_settime_reschedules_the_next_digest(bot_on_each_db: RunningBot) -> None:
    bot = bot_on_each_db
    reply = await bot.send(READER, "/settime 6:45")
    assert reply.plain_text == (
        "Your digest comes every day at 06:45 (UTC, UTC+00:00). Next one: today at 06:45."
    )
    reader = await _reader(bot)
    assert reader.digest_time == time(6, 45)
    assert reader.next_digest_at == datetime(2026, 3, 29, 6, 45, tzinfo=UTC)
    # A time already past today is tomorrow.
    await bot.send(READER, "/settime 5:30 am")
    assert (await _reader(bot)).next_digest_at == datetime(2026, 3, 30, 5, 30, tzinfo=UTC)


async def test_settime_with_a_wrong_time_shows_the_form(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/settime 25:00")
    assert reply.plain_text.splitlines() == [
        "“25:00” is not a time of day (00:00 to 23:59).",
        "",
        "Use: /settime HH:MM",
        "Example: /settime 07:30",
    ]
    reply = await bot.send(READER, "/settime soon")
    assert reply.plain_text.splitlines()[0] == "“soon” is not a time of day."


async def test_settime_alone_offers_buttons(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/settime")
    assert reply.plain_text.startswith("Your digest comes at 07:30. Choose another time")
    answer = await bot.press(READER, reply, "21:00")
    assert answer["text"] == "Digest at 21:00"
    edited = bot.fake.last_message(42)
    assert edited.message_id == reply.message_id and edited.buttons == []
    assert "every day at 21:00" in edited.plain_text
    assert (await _reader(bot)).next_digest_at == datetime(2026, 3, 29, 21, 0, tzinfo=UTC)


async def test_timezone_by_city_moves_the_digest_to_local_time(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    reply = await bot.send(READER, "/timezone berlin")
    # 07:30 in Berlin (summer time from today) has passed at 08:00: tomorrow 05:30 UTC.
    assert reply.plain_text == (
        "Your digest comes every day at 07:30 (Europe/Berlin, UTC+02:00). "
        "Next one: tomorrow at 07:30."
    )
    reader = await _reader(bot)
    assert reader.timezone == "Europe/Berlin"
    assert reader.next_digest_at == datetime(2026, 3, 30, 5, 30, tzinfo=UTC)


async def test_timezone_by_offset(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/timezone UTC+5:30")
    assert "(Asia/Kolkata, UTC+05:30)" in reply.plain_text
    reply = await bot.send(READER, "/timezone utc-3")
    assert "(UTC-3, UTC-03:00)" in reply.plain_text
    assert (await _reader(bot)).timezone == "Etc/GMT+3"


async def test_an_unknown_timezone_gets_suggestions_and_examples(bot: RunningBot) -> None:
    await bot.send(READER, "/start")
    reply = await bot.send(READER, "/timezone Berlni")
    assert reply.plain_text.splitlines() == [
        "I don't know the time zone Berlni. Did you mean Europe/Berlin?",
        "",
        "Use a zone name, a big city or an offset: /timezone Europe/Berlin, /timezone Tokyo, "
        "/timezone UTC+3",
    ]
    assert (await _reader(bot)).timezone == "UTC"


async def test_timezone_alone_offers_common_zones_as_buttons(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/timezone")
    assert reply.plain_text.startswith("Your time zone is UTC (UTC+00:00).")
    answer = await bot.press(READER, reply, "Tokyo")
    assert answer["text"] == "Time zone saved"
    assert (await _reader(bot)).timezone == "Asia/Tokyo"
    assert "(Asia/Tokyo, UTC+09:00)" in bot.fake.last_message(42).plain_text
    forged = await bot.press_data(READER, reply.message_id, "tz:Mars/Olympus_Mons")
    assert forged["text"] == "That button no longer works."
    assert (await _reader(bot)).timezone == "Asia/Tokyo"


async def test_pause_and_resume(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/pause")
    assert reply.plain_text.startswith("Your daily digest is paused")
    assert (await _reader(bot)).paused
    again = await bot.send(READER, "/pause")
    assert again.plain_text == "Your digest is already paused. /resume to get it again."
    bot.clock.set(datetime(2026, 4, 2, 12, 0, tzinfo=UTC))
    reply = await bot.send(READER, "/resume")
    assert reply.plain_text.startswith("Your digest comes every day at 07:30")
    reader = await _reader(bot)
    # No burst of missed digests: the next one is the next 07:30 after now.
    assert not reader.paused
    assert reader.next_digest_at == datetime(2026, 4, 3, 7, 30, tzinfo=UTC)
    assert (await bot.send(READER, "/resume")).plain_text == "Your digest is already on."


async def test_length_by_argument_or_buttons(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/length 2")
    assert reply.plain_text == (
        "Summaries will show up to 2 sentences from now on (fewer when a story is told in less)."
    )
    assert (await _reader(bot)).summary_length == 2
    wrong = await bot.send(READER, "/length 9")
    assert wrong.plain_text.splitlines()[0] == "The number of sentences is between 1 and 5."
    assert "Example: /length 2" in wrong.plain_text
    ask = await bot.send(READER, "/length")
    assert ask.button("✓ 2")
    await bot.press(READER, ask, "5")
    assert (await _reader(bot)).summary_length == 5
    assert bot.fake.last_message(42).plain_text == (
        "Summaries will show up to 5 sentences from now on (fewer when a story is told in less)."
    )


async def test_quiet_hours_hold_the_digest_until_they_end(bot: RunningBot) -> None:
    assert (await bot.send(READER, "/quiet")).plain_text.startswith("No quiet hours")
    reply = await bot.send(READER, "/quiet 22:00-07:00")
    assert reply.plain_text.startswith("Quiet hours: 22:00 to 07:00, your time.")
    reader = await _reader(bot)
    assert (reader.quiet_start, reader.quiet_end) == (time(22), time(7))

    # A digest due at 06:30 falls inside them: the tick at 06:30 sends nothing, the
    # first tick after 07:00 sends it.
    await bot.send(READER, "/settime 06:30")
    await bot.send(READER, "/subscribe world")
    job_queue = bot.application.job_queue
    assert job_queue is not None
    [tick] = job_queue.get_jobs_by_name("digest")
    before = len(bot.fake.messages(READER.id))
    bot.clock.set(datetime(2026, 3, 29, 6, 30, tzinfo=UTC))
    await tick.run(bot.application)
    assert len(bot.fake.messages(READER.id)) == before
    bot.clock.set(datetime(2026, 3, 29, 7, 0, tzinfo=UTC))
    await tick.run(bot.application)
    assert len(bot.fake.messages(READER.id)) == before + 1

    assert (await bot.send(READER, "/quiet off")).plain_text.startswith("No quiet hours")
    reader = await _reader(bot)
    assert (reader.quiet_start, reader.quiet_end) == (None, None)


async def test_quiet_hours_with_a_wrong_argument_show_the_form(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/quiet late")
    assert reply.plain_text.splitlines() == [
        "“late” is not two times like 22:00-07:00.",
        "",
        "Use: /quiet HH:MM-HH:MM or /quiet off",
        "Example: /quiet 22:00-07:00",
    ]
