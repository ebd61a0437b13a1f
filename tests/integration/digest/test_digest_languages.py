"""One tick, readers of several languages: each digest in its reader's language.

The header's words and full date, the topic's name and the stories' ages come from the
shipped catalogs and Babel; a reader whose row names no shipped locale reads English.
"""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.engine import DigestEngine
from bot.delivery.sender import BotTransport
from storage import Database
from storage.readers import get_reader
from tests.support.digest_world import (
    FakeClock,
    add_reader,
    add_sources,
    add_story,
    add_topics,
    services_for,
    utc,
)
from tests.support.fake_bot_api import FakeBotApi

BEGIN = utc(2026, 6, 1, 0, 0)
DUE = utc(2026, 6, 1, 7, 30)
#: chat id → the reader's language column, and what their digest must start with.
READERS = {
    1: ("en", "Your digest · Monday, June 1, 2026\n1 story\n\nWorld"),
    2: ("ru", "Ваш дайджест · понедельник, 1 июня 2026\u202fг.\n1 сюжет\n\nМир"),
    3: ("de", "Dein Überblick · Montag, 1. Juni 2026\n1 Meldung\n\nWelt"),
    4: ("xx", "Your digest · Monday, June 1, 2026\n1 story\n\nWorld"),  # unknown: English
}
AGES = {1: "5 hr. ago", 2: "5 ч назад", 3: "vor 5 Std.", 4: "5 hr. ago"}


async def test_each_reader_gets_the_digest_in_their_language(
    db: Database, fake: FakeBotApi, transport: BotTransport
) -> None:
    async with db.sessions.begin() as session:
        await add_topics(session)
        sources = await add_sources(session, 2, BEGIN)
        await add_story(
            session,
            title="Story",
            topics=["world"],
            sources=sources,
            published_at=DUE - timedelta(hours=5, minutes=1),
        )
        for chat_id, (language, _header) in READERS.items():
            await add_reader(session, chat_id, now=BEGIN)
            reader = await get_reader(session, chat_id)
            assert reader is not None
            reader.language = language
    engine = DigestEngine(services_for(db), transport, clock=FakeClock(DUE))
    report = await engine.tick()
    assert report.sent == len(READERS)
    for chat_id, (_language, header) in READERS.items():
        [message] = fake.messages(chat_id)
        assert message.plain_text.startswith(header + "\n\nStory\n")
        assert AGES[chat_id] in message.plain_text.splitlines()[-1]
