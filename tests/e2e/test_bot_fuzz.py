"""Fuzzed input to every command and button, through the real Application.

Each example is an update built from the fake's JSON and run by
``Application.process_update``; the replies go over HTTP to the fake Bot API, which
refuses (400) invalid Telegram HTML, texts over 4096 characters and bad callback data,
exactly like Telegram. So an example passes only when no handler raised, no request was
refused, and the reader got an answer.

Every test runs once per shipped locale: the fuzzing reader's Telegram speaks it, so
every reply is rendered in it (longer words, right-to-left isolates, other plural forms).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n import LOCALES
from bot.telegram import callbacks
from bot.telegram.commands import ADMIN_COMMANDS, ALIASES, READER_COMMANDS
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, User
from tests.support.fake_telegraph import FakeTelegraph

READER = Chat(42)
OPERATOR = 7
NAMES = sorted({c.name for c in READER_COMMANDS + ADMIN_COMMANDS} | set(ALIASES))
#: Telegram's spelling of each shipped locale (``pt-br``), as a user's app sends it.
TELEGRAM_LANGUAGES = [locale.code.lower().replace("_", "-") for locale in LOCALES]
FUZZ = settings(
    # Per locale: ten locales make 120 examples a test, about what one locale had alone.
    max_examples=12,
    deadline=None,
    # One bot serves every example: starting one per example would take minutes.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

#: Text readers could type: any Unicode, and the characters that matter to HTML, quotes,
#: URLs and numbers, more often than chance would give them.
_SPECIAL = st.sampled_from(
    [
        "<",
        ">",
        "&",
        "&amp;",
        '"',
        "'",
        "“",
        "»",
        "<b>",
        "</i>",
        "http://",
        "https://",
        "www.",
        "127.0.0.1",
        "10.0.0.1",
        "/",
        "@",
        ":",
        "+",
        "-",
        "5",
        "25:00",
        "UTC+3",
        " ",
        "\n",
        "😀",
        "\u200b",
        "#",
        "%",
        "..",
        "\\",
        # Language codes and names /language knows.
        "fa",
        "pt-br",
        "Deutsch",
    ]
)
ARGUMENT = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(_SPECIAL, st.text(max_size=6)), max_size=25).map("".join),
    st.text(min_size=1, max_size=4).map(lambda s: s * 1000),  # long, up to 4000 characters
)


def _refuse_every_connection(request: httpx.Request) -> httpx.Response:
    # A fuzzed link can pass the address checks (a public IP literal); never connect.
    raise httpx.ConnectError("no network in tests", request=request)


@pytest.fixture(params=TELEGRAM_LANGUAGES)
def reader(request: pytest.FixtureRequest) -> User:
    """The fuzzing reader, whose Telegram speaks one shipped language."""
    return User(READER.id, language_code=str(request.param))


@pytest.fixture
async def bot(tmp_path: Path, reader: User) -> AsyncIterator[RunningBot]:
    # With a Telegraph token (a fake Telegraph on loopback): "Read here" buttons are live.
    with FakeTelegraph() as telegraph:
        async with running_bot(
            tmp_path,
            admin_ids={OPERATOR},
            link_transport=httpx.MockTransport(_refuse_every_connection),
            telegraph_token=telegraph.token,
            telegraph_url=telegraph.url,
        ) as running:
            now = running.clock.now()
            async with running.services.db.sessions.begin() as session:
                # News in two languages (and one unknown), so /languages has toggles to press.
                sources = await add_sources(session, 3, now)
                for source, language in zip(sources, ("en", "de", None), strict=True):
                    await add_story(
                        session,
                        title=f"News in {language}",
                        topics=["world"],
                        sources=[source],
                        published_at=now,
                        language=language,
                    )
            await running.send(READER, "/start", user=reader)
            yield running


def _check_answered(bot: RunningBot, before_calls: int) -> None:
    bot.assert_no_errors()
    refused = [(c.method, c.status, c.error) for c in bot.refused_calls(since=before_calls)]
    assert not refused, refused


@FUZZ
@given(name=st.sampled_from(NAMES), argument=ARGUMENT, mention=st.booleans())
async def test_any_argument_to_any_command_gets_a_valid_answer(
    bot: RunningBot, reader: User, name: str, argument: str, mention: bool
) -> None:
    command = f"/{name}@get_news_fast_bot" if mention else f"/{name}"
    text = f"{command} {argument}"[:4096]
    before_calls, before_messages = len(bot.fake.calls()), len(bot.fake.messages(42))
    _message, update = bot.fake.message_update(READER, text, user=reader)
    await bot.process(update)
    _check_answered(bot, before_calls)
    assert len(bot.fake.messages(42)) > before_messages, f"no answer to {text!r}"


FORUM = Chat(-1005001, type="supergroup", title="Newsroom", is_forum=True)


@FUZZ
@given(
    name=st.sampled_from(NAMES),
    argument=ARGUMENT,
    thread=st.sampled_from([None, 11, 12]),
    admin=st.booleans(),
)
async def test_any_command_in_a_forum_topic_is_answered_in_that_topic(
    bot: RunningBot, reader: User, name: str, argument: str, thread: int | None, admin: bool
) -> None:
    """In a forum, each topic is a reader of its own; every answer stays in the topic the
    command was written in (None: the General topic, answered outside every topic)."""
    bot.fake.add_chat(FORUM, admins={reader.id} if admin else set())
    text = f"/{name} {argument}"[:4096]
    before_calls = len(bot.fake.calls())
    before = {t: len(bot.fake.messages(FORUM.id, thread_id=t)) for t in (0, 11, 12)}
    _message, update = bot.fake.message_update(FORUM, text, user=reader, thread_id=thread)
    await bot.process(update)
    _check_answered(bot, before_calls)
    after = {t: len(bot.fake.messages(FORUM.id, thread_id=t)) for t in (0, 11, 12)}
    answered_in = [t for t in after if after[t] > before[t]]
    assert answered_in == [thread or 0], f"{text!r} in topic {thread} answered in {answered_in}"


@FUZZ
@given(
    name=st.sampled_from([c.name for c in ADMIN_COMMANDS]),
    # /addsource fetches a feed the operator names (trusted, so not confined to public
    # addresses): no URLs here, this test must not reach any network.
    argument=ARGUMENT.filter(lambda a: "://" not in a),
)
async def test_any_argument_to_an_operator_command_gets_a_valid_answer(
    bot: RunningBot, reader: User, name: str, argument: str
) -> None:
    operator = Chat(OPERATOR)
    before_calls = len(bot.fake.calls())
    before_messages = len(bot.fake.messages(OPERATOR))
    _message, update = bot.fake.message_update(
        operator,
        f"/{name} {argument}"[:4096],
        user=User(OPERATOR, language_code=reader.language_code),
    )
    await bot.process(update)
    _check_answered(bot, before_calls)
    assert len(bot.fake.messages(OPERATOR)) > before_messages


@FUZZ
@given(text=ARGUMENT)
async def test_any_plain_message_gets_a_valid_answer(
    bot: RunningBot, reader: User, text: str
) -> None:
    before_calls, before_messages = len(bot.fake.calls()), len(bot.fake.messages(42))
    _message, update = bot.fake.message_update(READER, text[:4096], user=reader)
    await bot.process(update)
    _check_answered(bot, before_calls)
    if text.strip() and not text.startswith("/"):
        assert len(bot.fake.messages(42)) > before_messages, f"no answer to {text!r}"


@FUZZ
@given(
    data=st.one_of(
        st.text(min_size=1, max_size=64).filter(lambda d: 1 <= len(d.encode()) <= 64),
        st.sampled_from(
            [
                "tp:",
                "tp#",
                "tp!",
                "us:",
                "tz:",
                "tm:",
                "ln:",
                "st:",
                "lt:",
                "mu:",
                "read:",
                "lg:",
                "nl:",
                "nl!",
            ]
        ).flatmap(lambda prefix: st.text(max_size=20).map(lambda rest: (prefix + rest)[:30])),
        # The language buttons as the bot draws them: switching, toggling, Done.
        st.sampled_from(
            [callbacks.language_data(locale.code) for locale in LOCALES]
            + [callbacks.news_language_data(code) for code in ("en", "de", "fa", "xx")]
            + [callbacks.NEWS_LANGUAGES_DONE]
        ),
        # A "More" button's shape with any numbers and topic: stale, forged or huge.
        st.builds(
            lambda count, after, topic: f"lt:{count}:{after}:{topic}"[:64],
            st.integers(-5, 200),
            st.integers(-(2**70), 2**70),
            st.text(max_size=20),
        ),
        # An unmute button's shape with any number: stale, forged or huge.
        st.integers(-(2**70), 2**70).map(lambda n: f"mu:{n}"[:64]),
        # A "Read here" button of any article id: pruned, never stored, huge or negative.
        st.integers(-(2**70), 2**70).map(lambda n: f"read:{n}"[:64]),
    )
)
async def test_any_button_data_gets_an_answer(bot: RunningBot, reader: User, data: str) -> None:
    message = bot.fake.messages(42)[0]
    before_calls = len(bot.fake.calls())
    query_id, update = bot.fake.callback_update(READER, message.message_id, data, user=reader)
    await bot.process(update)
    answer = bot.fake.callback_answer(query_id)
    assert answer is not None and answer["callback_query_id"] == query_id
    _check_answered(bot, before_calls)


@FUZZ
@given(phrase=ARGUMENT)
async def test_any_muted_phrase_is_listed_and_its_button_unmutes_it(
    bot: RunningBot, phrase: str
) -> None:
    """/mute anything, then /mutes and its ✕ button: every answer valid Telegram."""
    before_calls = len(bot.fake.calls())
    for text in (f"/mute {phrase}"[:4096], "/mutes"):
        _message, update = bot.fake.message_update(READER, text)
        await bot.process(update)
    _check_answered(bot, before_calls)
    listing = bot.fake.last_message(42)
    buttons = [b for row in listing.buttons for b in row]
    if buttons:
        query_id, update = bot.fake.callback_update(
            READER, listing.message_id, buttons[0]["callback_data"]
        )
        await bot.process(update)
        assert bot.fake.callback_answer(query_id) is not None
        _check_answered(bot, before_calls)
        after = bot.fake.messages(42)
        [redrawn] = [m for m in after if m.message_id == listing.message_id]
        assert len([b for row in redrawn.buttons for b in row]) == len(buttons) - 1
