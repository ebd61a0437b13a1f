"""Admins import feeds by sending an OPML file, and get them back with /exportsources."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.telegram.jobs.ingest import sync_catalogue
from ingest.opml import parse_opml
from storage import Source
from storage.topics import list_topics
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.fake_bot_api import Chat, Message, User

ADMIN = 7
ADMIN_CHAT = Chat(ADMIN)
FEEDLY = (Path(__file__).resolve().parents[1] / "fixtures" / "opml" / "feedly.opml").read_bytes()
OPML = "text/x-opml"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The bot with one admin and an empty sources file: only what admins add."""
    sources = tmp_path / "sources.toml"
    sources.write_text("# only what admins add\n", encoding="utf-8")
    async with running_bot(tmp_path, admin_ids={ADMIN}, sources_file=sources) as running:
        yield running
        running.assert_no_errors()


async def _upload(
    bot: RunningBot, chat: Chat, name: str, content: bytes, *, user: User, caption: str = ""
) -> list[Message]:
    return await bot.send_and_collect(chat, caption, document=(name, content, OPML), user=user)


async def _sources(bot: RunningBot) -> list[Source]:
    async with bot.services.db.sessions() as session:
        return list((await session.scalars(select(Source).order_by(Source.url))).all())


async def test_an_admin_imports_an_opml_file_and_gets_a_summary(bot: RunningBot) -> None:
    # A caption is allowed: the file is not mistaken for a link to summarise.
    replies = await _upload(
        bot, ADMIN_CHAT, "feedly.opml", FEEDLY, user=User(ADMIN), caption="my feeds"
    )
    text = "\n".join(m.plain_text for m in replies)
    assert text.splitlines()[:2] == [
        "✅ 7 sources imported, 0 already present, 1 warning",
        "From: Jane subscriptions in feedly Cloud",
    ]
    assert "➕ #" in text and "Quanta Magazine — topics: " in text
    assert '⚠️ folder "Cooking" matches no topic (add slug cooking to topics.toml)' in text
    assert text.endswith("Their articles arrive with the next ingest cycle. /sources lists them.")

    stored = await _sources(bot)
    assert len(stored) == 7
    assert {s.added_by for s in stored} == {ADMIN}
    quanta = next(s for s in stored if "quanta" in s.url)
    assert "science" in quanta.topics
    cooking = next(s for s in stored if "seriouseats" in s.url)
    assert cooking.topics == []  # no topic of the catalogue: tagged by keywords later

    # The sources file is synced at every start and cycle: imported feeds stay enabled.
    await sync_catalogue(bot.services, now=bot.clock.now())
    assert all(s.enabled for s in await _sources(bot))
    listing = await bot.send(ADMIN_CHAT, "/sources", user=User(ADMIN))
    assert "Sources: 7 — 0 ok, 7 new, 0 failing, 0 disabled" in listing.plain_text

    again = await _upload(bot, ADMIN_CHAT, "feedly.opml", FEEDLY, user=User(ADMIN))
    assert again[0].plain_text.splitlines()[0] == (
        "ℹ️ 0 sources imported, 7 already present, 0 warnings"
    )
    assert len(await _sources(bot)) == 7


async def test_a_reader_who_is_not_an_admin_is_refused_politely(bot: RunningBot) -> None:
    reader = Chat(42)
    replies = await _upload(bot, reader, "feedly.opml", FEEDLY, user=User(42))
    assert [m.plain_text for m in replies] == ["Sorry, only the bot's admins can import sources."]
    assert bot.fake.calls("getFile") == []  # not even downloaded
    assert await _sources(bot) == []


async def test_files_in_groups_are_left_alone(bot: RunningBot) -> None:
    group = Chat(-100, type="supergroup", title="Club")
    assert await _upload(bot, group, "feedly.opml", FEEDLY, user=User(ADMIN)) == []
    assert await _sources(bot) == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opml version="2.0"><head><title>&lol2;</title></head><body/></opml>"""


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "laughs.opml",
            BILLION_LAUGHS,
            "the file declares XML entities (<!ENTITY …>), which OPML never needs",
        ),
        ("page.xml", b"<html><body>x</body></html>", "not an OPML file: the document is <html>"),
        ("junk.opml", b"\x00\xff<opml", "not a readable OPML file"),
    ],
)
async def test_a_broken_or_unsafe_file_is_refused_with_the_reason(
    bot: RunningBot, name: str, content: bytes, reason: str
) -> None:
    replies = await _upload(bot, ADMIN_CHAT, name, content, user=User(ADMIN))
    assert len(replies) == 1
    assert replies[0].plain_text.startswith(f"❌ Could not import this file: {reason}")
    assert replies[0].plain_text.endswith(
        "Nothing was imported. Send an OPML export of a feed reader (.opml or .xml)."
    )
    assert await _sources(bot) == []


async def test_a_file_too_large_is_refused_before_downloading(bot: RunningBot) -> None:
    huge = b"<opml>" + b" " * 1_000_000 + b"</opml>"
    replies = await _upload(bot, ADMIN_CHAT, "huge.opml", huge, user=User(ADMIN))
    assert [m.plain_text for m in replies] == [
        "❌ This file is 1,000,013 bytes; I import OPML files of at most 1,000,000 bytes. "
        "Split it, or use newsbot sources import on the server."
    ]
    assert bot.fake.calls("getFile") == []


async def test_export_sends_an_opml_document_that_imports_the_same_sources(
    bot: RunningBot,
) -> None:
    how = await bot.send(ADMIN_CHAT, "/importsources", user=User(ADMIN))
    assert how.plain_text.startswith("To import feeds, send me an OPML file (.opml or .xml")
    await _upload(bot, ADMIN_CHAT, "feedly.opml", FEEDLY, user=User(ADMIN))

    (sent,) = await bot.send_and_collect(ADMIN_CHAT, "/exportsources", user=User(ADMIN))
    assert sent.document is not None
    name = sent.document["file_name"]
    assert name == "newsbot-sources-2026-03-29.opml"  # the bot's clock
    assert sent.text.startswith("7 sources, one folder per topic.")
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{bot.fake.base_file_url}{bot.fake.token}/documents/{name}")
    async with bot.services.db.sessions() as session:
        catalogue = await list_topics(session)
    exported = parse_opml(answer.content, catalogue)
    assert exported.warnings == ()
    assert sorted((s.url, s.name, s.topics) for s in exported.sources) == [
        (s.url, s.name, tuple(s.topics)) for s in await _sources(bot)
    ]

    refused = await bot.send(Chat(42), "/exportsources", user=User(42))
    assert refused.plain_text == "Sorry, only the bot's admins can manage sources."


async def test_a_long_import_with_markup_in_names_is_split_into_valid_messages(
    bot: RunningBot,
) -> None:
    feeds = "\n".join(
        f'<outline text="Outlet &lt;{i}&gt; &amp; Sons" xmlUrl="https://feeds{i}.test/rss?a=1&amp;b=2"/>'
        for i in range(300)
    )
    opml = f'<opml version="2.0"><head/><body><outline text="World">{feeds}</outline></body></opml>'
    before = len(bot.fake.calls())
    replies = await _upload(bot, ADMIN_CHAT, "many.xml", opml.encode(), user=User(ADMIN))
    assert bot.refused_calls(before) == []  # valid Telegram HTML, each ≤4096 characters
    assert len(replies) > 1
    text = "\n".join(m.plain_text for m in replies)
    assert text.startswith("✅ 300 sources imported, 0 already present, 0 warnings")
    assert "Outlet <299> & Sons — topics: world\nhttps://feeds299.test/rss?a=1&b=2" in text
    assert len(await _sources(bot)) == 300
