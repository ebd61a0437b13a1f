"""One tick, readers of several languages: each digest in its reader's language.

The shipped catalogs are translated after the code is, so this checks what Babel gives
every locale already: the header's full date and the stories' ages. The words themselves
going through the reader's translator are checked in ``tests/unit/digest``.
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
    1: ("en", "Your digest · Monday, June 1, 2026\n1 story"),
    2: ("ru", "Your digest · понедельник, 1 июня 2026\u202fг.\n1 story"),
    3: ("de", "Your digest · Montag, 1. Juni 2026\n1 story"),
    4: ("xx", "Your digest · Monday, June 1, 2026\n1 story"),  # unknown code: English
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
        assert message.plain_text.startswith(header + "\n\nWorld\n\nStory\n")
        assert AGES[chat_id] in message.plain_text.splitlines()[-1]
