"""Muted words through the real application and the fake Bot API: /mute leaves a story out
of the next digest, /latest and /search (the digest says how many), /mutes lists the
phrases with buttons to unmute, bad input gets the command's right form, and a cap holds."""

from __future__ import annotations

from datetime import timedelta

from bot.actions.mutes import MAX_MUTES
from digest.mutes import folded_phrase
from storage.mutes import add_mute, list_mutes
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, User

READER = Chat(42)
GROUP = Chat(-5001, type="supergroup", title="Newsroom")
ADMIN = User(10, first_name="Admin")
MEMBER = User(11, first_name="Member")


async def _world(bot: RunningBot) -> None:
    """Four sport and business stories; two of them say "football", one only in its summary."""
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 2, now)
        await add_story(
            session,
            title="FOOTBALL: the cup final ends in a draw",
            topics=["sport"],
            sources=sources,
            published_at=now - timedelta(minutes=10),
            summary=("Extra time settled nothing.", "A replay is set."),
        )
        await add_story(
            session,
            title="Tennis star retires",
            topics=["sport"],
            sources=sources[:1],
            published_at=now - timedelta(minutes=20),
            summary=("She won four titles.",),
        )
        await add_story(
            session,
            title="Clubs count the cost of the season",
            topics=["business"],
            sources=sources[1:],
            published_at=now - timedelta(minutes=30),
            summary=("Football clubs lost money.", "Tennis did better."),
        )
        await add_story(
            session,
            title="Markets rally as rates fall",
            topics=["business"],
            sources=sources[:1],
            published_at=now - timedelta(minutes=40),
            summary=("Shares rose on Monday.",),
        )


def _titles(text: str) -> list[str]:
    known = (
        "FOOTBALL: the cup final ends in a draw",
        "Tennis star retires",
        "Clubs count the cost of the season",
        "Markets rally as rates fall",
    )
    return [line for line in text.splitlines() if line in known]


async def test_a_muted_word_leaves_its_stories_out_of_the_digest_latest_and_search(
    bot_on_each_db: RunningBot,
) -> None:
    bot = bot_on_each_db
    await _world(bot)
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe sport")
    await bot.send(READER, "/subscribe business")

    reply = await bot.send(READER, "/mute Football")
    assert reply.plain_text == (
        "Muted “Football”: stories that say it are left out of your digest, /latest and "
        "/search. /unmute Football brings them back."
    )
    [digest] = await bot.send_and_collect(READER, "/digest")
    # Business comes before Sport in the catalogue.
    assert _titles(digest.plain_text) == ["Markets rally as rates fall", "Tennis star retires"]
    assert digest.plain_text.splitlines()[1] == "2 stories"
    assert digest.plain_text.splitlines()[-1] == "2 stories muted · /mutes"

    latest = await bot.send(READER, "/latest")
    assert _titles(latest.plain_text) == ["Tennis star retires", "Markets rally as rates fall"]
    found = await bot.send(READER, "/search cup final")
    assert "FOOTBALL" not in found.plain_text
    assert "Tennis" not in found.plain_text  # nothing else matches: no stories at all

    # Unmuted, the same story is back in /latest and /search at once.
    await bot.send(READER, "/unmute football")
    latest = await bot.send(READER, "/latest 2")
    assert _titles(latest.plain_text) == [
        "FOOTBALL: the cup final ends in a draw",
        "Tennis star retires",
    ]
    found = await bot.send(READER, "/search cup final")
    assert "FOOTBALL: the cup final ends in a draw" in found.plain_text
    assert bot.refused_calls() == []


async def test_latest_fills_its_page_and_more_never_leads_to_muted_stories_only(
    bot: RunningBot,
) -> None:
    await _world(bot)
    await bot.send(READER, "/mute football")
    first = await bot.send(READER, "/latest 1")
    assert _titles(first.plain_text) == ["Tennis star retires"]
    assert first.button("More")
    await bot.press(READER, first, "More")
    second = bot.fake.last_message(42)
    # The muted story between the two is skipped, and nothing unmuted follows: no "More".
    assert _titles(second.plain_text) == ["Markets rally as rates fall"]
    assert second.buttons == []

    await bot.send(READER, "/mute markets")
    only = await bot.send(READER, "/latest 1")
    assert _titles(only.plain_text) == ["Tennis star retires"]
    assert only.buttons == []  # the rest is muted: "More" would show nothing


async def test_the_scheduled_digest_counts_a_story_muted_in_the_summary(bot: RunningBot) -> None:
    await _world(bot)
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe business")
    await bot.send(READER, '/mute "football clubs"')
    bot.clock.set(bot.clock.now().replace(hour=7, minute=30))
    before = len(bot.fake.messages(READER.id))
    await bot.job("digest").run(bot.application)
    [digest] = bot.fake.messages(READER.id)[before:]
    assert _titles(digest.plain_text) == ["Markets rally as rates fall"]
    assert digest.plain_text.splitlines()[-1] == "1 story muted · /mutes"


async def test_a_digest_emptied_by_muted_words_says_so(bot: RunningBot) -> None:
    await _world(bot)
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe business")
    await bot.send(READER, "/mute clubs")
    await bot.send(READER, "/mute markets")
    [note] = await bot.send_and_collect(READER, "/digest")
    assert _titles(note.plain_text) == []
    assert note.plain_text.startswith("Nothing new on your topics")
    assert note.plain_text.splitlines()[-1] == "2 stories muted · /mutes"


async def test_no_footer_when_nothing_was_muted(bot: RunningBot) -> None:
    await _world(bot)
    await bot.send(READER, "/start")
    await bot.send(READER, "/subscribe business")
    await bot.send(READER, "/mute cricket")
    [digest] = await bot.send_and_collect(READER, "/digest")
    assert len(_titles(digest.plain_text)) == 2
    assert "muted" not in digest.plain_text


async def test_mutes_lists_the_phrases_and_its_buttons_unmute_them(bot: RunningBot) -> None:
    await _world(bot)
    empty = await bot.send(READER, "/mutes")
    assert empty.plain_text == (
        "You have muted nothing. To leave out the stories that say a word, send /mute football"
    )
    await bot.send(READER, "/mute football")
    await bot.send(READER, "/mute «climate change»")
    listing = await bot.send(READER, "/mutes")
    assert listing.plain_text.splitlines() == [
        "Muted words",
        "• “football”",
        "• “climate change”",
        "",
        "Stories that say these are left out. Tap a button to unmute one.",
    ]
    assert [b["text"] for row in listing.buttons for b in row] == [
        "✕ football",
        "✕ climate change",
    ]
    answer = await bot.press(READER, listing, "✕ football")
    assert answer["text"] == "Unmuted “football”"
    edited = bot.fake.last_message(42)
    assert edited.message_id == listing.message_id
    assert [b["text"] for row in edited.buttons for b in row] == ["✕ climate change"]
    latest = await bot.send(READER, "/latest")
    assert "FOOTBALL: the cup final ends in a draw" in _titles(latest.plain_text)

    # A second press of the same (now gone) button, and a forged one, change nothing.
    again = await bot.press_data(READER, listing.message_id, edited.button("✕")["callback_data"])
    assert again["text"] == "Unmuted “climate change”"
    assert (await bot.press_data(READER, listing.message_id, "mu:999999"))["text"] == (
        "Already unmuted."
    )
    [redrawn] = [m for m in bot.fake.messages(42) if m.message_id == listing.message_id]
    assert redrawn.plain_text.startswith("You have muted nothing.") and redrawn.buttons == []


async def test_unmute_alone_shows_the_list_and_any_spelling_unmutes(bot: RunningBot) -> None:
    await bot.send(READER, "/mute Fußball")
    again = await bot.send(READER, "/mute FUSSBALL")
    assert again.plain_text == "You had muted “Fußball” already. /mutes shows everything you muted."
    listing = await bot.send(READER, "/unmute")
    assert listing.plain_text.splitlines()[:2] == ["Muted words", "• “Fußball”"]
    assert listing.button("✕ Fußball")
    reply = await bot.send(READER, "/unmute fussball")
    assert reply.plain_text == "Unmuted “Fußball”: its stories can reach you again."
    reply = await bot.send(READER, "/unmute fussball")
    assert reply.plain_text == "You had not muted “fussball”. /mutes shows what you muted."


async def test_bad_phrases_get_the_right_form_with_an_example(bot: RunningBot) -> None:
    usage = "Use: /mute <word or phrase>\nExample: /mute football"
    cases = {
        "/mute": "Say which word or phrase.",
        '/mute ""': "Say which word or phrase.",
        "/mute a": "A muted phrase has 2 to 60 characters.",
        "/mute " + "long " * 13: "A muted phrase has 2 to 60 characters.",
        "/mute ?!": "A muted phrase needs at least one letter or digit.",
    }
    for typed, reason in cases.items():
        reply = await bot.send(READER, typed)
        assert reply.plain_text == f"{reason}\n\n{usage}", typed
    reply = await bot.send(READER, "/unmute ?!")
    assert reply.plain_text == (
        "A muted phrase needs at least one letter or digit.\n\n"
        "Use: /unmute <word or phrase>\nExample: /unmute football"
    )
    async with bot.services.db.sessions() as session:
        assert await list_mutes(session, READER.id) == []


async def test_a_reader_mutes_at_most_the_cap(bot: RunningBot) -> None:
    await bot.send(READER, "/start")
    async with bot.services.db.sessions.begin() as session:
        for n in range(MAX_MUTES - 1):
            phrase = f"word{n}"
            await add_mute(session, READER.id, phrase, folded_phrase(phrase), bot.clock.now())
    last = await bot.send(READER, "/mute the last one")
    assert last.plain_text.startswith("Muted “the last one”")
    over = await bot.send(READER, "/mute one too many")
    assert over.plain_text == (
        "You have muted 50 phrases, the most there can be; unmute one with /mutes first."
    )
    # A phrase already muted is still answered as such at the cap.
    again = await bot.send(READER, "/mute WORD7")
    assert again.plain_text.startswith("You had muted “word7” already.")
    async with bot.services.db.sessions() as session:
        assert len(await list_mutes(session, READER.id)) == MAX_MUTES
    listing = await bot.send(READER, "/mutes")
    assert len([b for row in listing.buttons for b in row]) == MAX_MUTES


async def test_in_a_group_only_admins_change_mutes_and_anyone_sees_them(bot: RunningBot) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    refused = await bot.send(GROUP, "/mute football", user=MEMBER)
    assert refused.plain_text.startswith("Only this group's admins can change its settings.")
    done = await bot.send(GROUP, "/mute football", user=ADMIN)
    assert done.plain_text.startswith("Muted “football”")
    listing = await bot.send(GROUP, "/mutes", user=MEMBER)
    assert listing.plain_text.splitlines()[1] == "• “football”"
    answer = await bot.press(GROUP, listing, "✕ football", user=MEMBER)
    assert answer["show_alert"] is True
    async with bot.services.db.sessions() as session:
        assert [m.phrase for m in await list_mutes(session, GROUP.id)] == ["football"]
    await bot.press(GROUP, listing, "✕ football", user=ADMIN)
    async with bot.services.db.sessions() as session:
        assert await list_mutes(session, GROUP.id) == []


async def test_stop_forgets_the_muted_words_too(bot: RunningBot) -> None:
    await bot.send(READER, "/mute football")
    ask = await bot.send(READER, "/stop")
    await bot.press(READER, ask, "Yes, forget me")
    async with bot.services.db.sessions() as session:
        assert await list_mutes(session, READER.id) == []
    assert (await bot.send(READER, "/mutes")).plain_text.startswith("You have muted nothing.")


async def test_search_reads_past_many_muted_stories_to_fill_its_page(bot: RunningBot) -> None:
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = await add_sources(session, 1, now)
        for n in range(2):
            await add_story(
                session,
                title=f"Cup tennis report {n}",
                topics=["sport"],
                sources=sources,
                published_at=now - timedelta(hours=5 + n),
            )
        for n in range(20):  # newer than the tennis stories: a search meets them first
            await add_story(
                session,
                title=f"Cup football report {n}",
                topics=["sport"],
                sources=sources,
                published_at=now - timedelta(minutes=10 + n),
            )
    await bot.send(READER, "/mute football")
    found = await bot.send(READER, "/search cup report")
    shown = [line for line in found.plain_text.splitlines() if line.startswith("Cup ")]
    assert shown == ["Cup tennis report 0", "Cup tennis report 1"]
