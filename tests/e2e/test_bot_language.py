"""The bot in the reader's language, through the real application and the fake Bot API.

A reader whose Telegram speaks Russian is answered in Russian from the first message;
/language switches the interface (buttons, or a code), /languages chooses the languages
of the news; the command menu is registered for every shipped language.

The Russian and Persian checks need real words, so they fail if a catalog loses its
translations or a view stops going through the reader's translator.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.i18n import LOCALES, translator
from bot.telegram.commands import READER_COMMANDS
from bot.views import language as language_views
from storage.models import Source
from storage.readers import get_reader
from storage.subscriptions import subscribed_topic_slugs
from tests.support.bot_harness import RunningBot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat, Message, User

RUSSIAN_CHAT, ENGLISH_CHAT = Chat(42), Chat(43)
RUSSIAN, ENGLISH = User(42, language_code="ru"), User(43, language_code="en")
GROUP = Chat(-1001, type="supergroup", title="Reading Club")
ADMIN, MEMBER = User(10, language_code="de"), User(11, language_code="ru")
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{4,}")
PERSIAN_DIGITS = re.compile(r"[۰-۹]")


async def _news(bot: RunningBot, *languages: str | None) -> None:
    """One World story per language: "World news in <language>"."""
    now = bot.clock.now()
    async with bot.services.db.sessions.begin() as session:
        sources = list(await session.scalars(select(Source.id).order_by(Source.id)))
        if not sources:
            sources = await add_sources(session, 4, now)
        for position, language in enumerate(languages):
            await add_story(
                session,
                title=f"World news in {language}",
                topics=["world"],
                sources=[sources[position]],
                published_at=now - timedelta(hours=2, minutes=position),
                language=language,
            )


async def _digest(bot: RunningBot, chat: Chat, user: User) -> str:
    messages = await bot.send_and_collect(chat, "/digest", user=user)
    assert messages, "no digest"
    return "\n".join(m.plain_text for m in messages)


def _in_russian(text: str, english: str) -> None:
    assert text != english
    assert CYRILLIC_WORD.search(text), text


# --- the interface language ------------------------------------------------------------


async def test_a_reader_whose_telegram_speaks_russian_is_answered_in_russian(
    bot: RunningBot,
) -> None:
    for command in ("/start", "/help", "/topics"):
        russian = await bot.send(RUSSIAN_CHAT, command, user=RUSSIAN)
        english = await bot.send(ENGLISH_CHAT, command, user=ENGLISH)
        _in_russian(russian.plain_text, english.plain_text)
        russian_buttons = [b["text"] for row in russian.buttons for b in row]
        english_buttons = [b["text"] for row in english.buttons for b in row]
        if english_buttons:
            assert russian_buttons != english_buttons, command
    bot.assert_no_errors()


async def test_a_topic_typed_in_russian_is_followed_and_shown(bot: RunningBot) -> None:
    russian_name = translator("ru").gettext("Technology")
    assert russian_name != "Technology"
    reply = await bot.send(RUSSIAN_CHAT, f"/subscribe {russian_name.lower()}", user=RUSSIAN)
    assert russian_name in reply.plain_text
    async with bot.services.db.sessions() as session:
        assert await subscribed_topic_slugs(session, 42) == {"tech"}
    listed = await bot.send(RUSSIAN_CHAT, "/mysubs", user=RUSSIAN)
    assert russian_name in listed.plain_text and "Technology" not in listed.plain_text
    bot.assert_no_errors()


async def test_a_new_chat_starts_in_the_senders_telegram_language(bot: RunningBot) -> None:
    await bot.send(RUSSIAN_CHAT, "/start", user=RUSSIAN)
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    await bot.send(GROUP, "/start", user=ADMIN)
    async with bot.services.db.sessions() as session:
        private, group = await get_reader(session, 42), await get_reader(session, GROUP.id)
    assert private is not None and (private.language, private.language_chosen) == ("ru", False)
    assert group is not None and (group.language, group.language_chosen) == ("de", False)
    # Telegram switched to Ukrainian: the private chat follows; the group keeps German.
    await bot.send(RUSSIAN_CHAT, "/help", user=User(42, language_code="uk"))
    await bot.send(GROUP, "/help", user=MEMBER)
    async with bot.services.db.sessions() as session:
        private, group = await get_reader(session, 42), await get_reader(session, GROUP.id)
    assert private is not None and private.language == "uk"
    assert group is not None and group.language == "de"


async def test_language_buttons_switch_at_once_and_the_choice_outlasts_telegrams(
    bot: RunningBot,
) -> None:
    prompt = await bot.send(RUSSIAN_CHAT, "/language", user=RUSSIAN)
    labels = [b["text"] for row in prompt.buttons for b in row]
    assert labels == [f"✓ {x.native_name}" if x.code == "ru" else x.native_name for x in LOCALES]
    answer = await bot.press(RUSSIAN_CHAT, prompt, "Deutsch", user=RUSSIAN)
    assert answer["text"] == language_views.language_changed_answer(translator("de"))
    [edited] = [m for m in bot.fake.messages(42) if m.message_id == prompt.message_id]
    assert edited.text == language_views.language_changed_text(translator("de"))
    assert edited.buttons == []
    # Chosen: Telegram's Russian no longer decides.
    again = await bot.send(RUSSIAN_CHAT, "/language", user=RUSSIAN)
    assert "✓ Deutsch" in [b["text"] for row in again.buttons for b in row]
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 42)
    assert reader is not None and (reader.language, reader.language_chosen) == ("de", True)
    assert bot.refused_calls() == []


async def test_language_with_a_code_switches_directly_and_a_bad_one_gets_the_codes(
    bot: RunningBot,
) -> None:
    switched = await bot.send(ENGLISH_CHAT, "/language fa", user=ENGLISH)
    assert switched.text == language_views.language_changed_text(translator("fa"))
    assert "فارسی" in switched.plain_text
    brazil = await bot.send(ENGLISH_CHAT, "/language pt-br", user=ENGLISH)
    assert brazil.text == language_views.language_changed_text(translator("pt_BR"))
    bad = await bot.send(ENGLISH_CHAT, "/language klingon", user=ENGLISH)
    assert bad.text == language_views.language_usage_text(translator("pt_BR"), "klingon")
    for code in ("en", "ru", "uk", "fa", "ar", "es", "pt-br", "id", "tr", "de"):
        assert code in bad.plain_text
    async with bot.services.db.sessions() as session:
        reader = await get_reader(session, 43)
    assert reader is not None and reader.language == "pt_BR"


async def test_in_groups_only_admins_change_the_language(bot: RunningBot) -> None:
    bot.fake.add_chat(GROUP, admins={ADMIN.id})
    await bot.send(GROUP, "/start", user=ADMIN)
    refused = await bot.send(GROUP, "/language ru", user=MEMBER)
    assert refused.text != language_views.language_changed_text(translator("ru"))
    prompt = await bot.send(GROUP, "/language", user=ADMIN)
    answer = await bot.press(GROUP, prompt, "Türkçe", user=MEMBER)
    assert answer["show_alert"] is True
    async with bot.services.db.sessions() as session:
        group = await get_reader(session, GROUP.id)
    assert group is not None and (group.language, group.language_chosen) == ("de", False)
    await bot.press(GROUP, prompt, "Türkçe", user=ADMIN)
    async with bot.services.db.sessions() as session:
        group = await get_reader(session, GROUP.id)
    assert group is not None and (group.language, group.language_chosen) == ("tr", True)


# --- digests in the reader's language --------------------------------------------------


async def test_a_russian_readers_digest_is_in_russian(bot: RunningBot) -> None:
    await _news(bot, "en", None)
    for chat, user in ((RUSSIAN_CHAT, RUSSIAN), (ENGLISH_CHAT, ENGLISH)):
        await bot.send(chat, "/subscribe world", user=user)
    russian = await _digest(bot, RUSSIAN_CHAT, RUSSIAN)
    english = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    assert "World news in en" in russian and "World news in None" in russian
    _in_russian(russian, english)
    assert translator("ru").long_date(bot.clock.now().date()) in russian


async def test_after_language_fa_the_digest_header_has_a_persian_date(bot: RunningBot) -> None:
    await _news(bot, None)
    await bot.send(ENGLISH_CHAT, "/subscribe world", user=ENGLISH)
    english = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    await bot.send(ENGLISH_CHAT, "/language fa", user=ENGLISH)
    await bot.send(ENGLISH_CHAT, "/subscribe politics", user=ENGLISH)
    await _news(bot, None)  # something new for the next digest
    persian = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    header = persian.splitlines()[0]
    # The Solar Hijri date in Persian digits (29 March 2026 is 9 Farvardin 1405).
    assert translator("fa").long_date(bot.clock.now().date()) in persian
    assert "فروردین" in header and PERSIAN_DIGITS.search(header), header
    assert header != english.splitlines()[0]


async def test_the_persian_digest_header_is_in_persian_words(bot: RunningBot) -> None:
    await _news(bot, None)
    await bot.send(ENGLISH_CHAT, "/subscribe world", user=ENGLISH)
    english = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    await bot.send(ENGLISH_CHAT, "/language fa", user=ENGLISH)
    await _news(bot, None)
    persian = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    english_words = set(re.findall(r"[A-Za-z]{4,}", english.splitlines()[0]))
    assert not english_words & set(re.findall(r"[A-Za-z]{4,}", persian.splitlines()[0]))


# --- the languages of the news ---------------------------------------------------------


def _labels(message: Message) -> list[str]:
    return [b["text"] for row in message.buttons for b in row]


async def test_languages_limits_the_digest_to_the_chosen_news_languages(bot: RunningBot) -> None:
    await _news(bot, "en", "de", None)
    await bot.send(ENGLISH_CHAT, "/subscribe world", user=ENGLISH)
    # The default of an English reader: English news (and news of unknown language).
    first = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    assert "World news in en" in first and "World news in None" in first
    assert "World news in de" not in first

    picker = await bot.send(ENGLISH_CHAT, "/languages", user=ENGLISH)
    assert _labels(picker) == ["✓ English", "German", "Done"]
    answer = await bot.press(ENGLISH_CHAT, picker, "German", user=ENGLISH)
    assert answer["text"] == language_views.news_language_toggled_answer(
        translator("en"), "de", on=True
    )
    await bot.press(ENGLISH_CHAT, picker, "English", user=ENGLISH)
    [shown] = [m for m in bot.fake.messages(43) if m.message_id == picker.message_id]
    assert _labels(shown) == ["English", "✓ German", "Done"]
    await bot.press(ENGLISH_CHAT, shown, "Done", user=ENGLISH)
    [done] = [m for m in bot.fake.messages(43) if m.message_id == picker.message_id]
    assert done.text == language_views.news_languages_done_text(translator("en"), {"de"})

    await _news(bot, "en", "de", None)  # new stories for the next digest
    second = await _digest(bot, ENGLISH_CHAT, ENGLISH)
    assert "World news in de" in second and "World news in None" in second
    assert "World news in en" not in second

    # /latest and /search follow the same choice.
    latest = "\n".join(
        m.plain_text for m in await bot.send_and_collect(ENGLISH_CHAT, "/latest", user=ENGLISH)
    )
    assert "World news in de" in latest and "World news in en" not in latest
    found = "\n".join(
        m.plain_text
        for m in await bot.send_and_collect(ENGLISH_CHAT, "/search world news", user=ENGLISH)
    )
    assert "World news in de" in found and "World news in en" not in found
    assert bot.refused_calls() == []


async def test_a_russian_readers_news_default_to_russian_and_english(bot: RunningBot) -> None:
    await _news(bot, "en", "ru", "de")
    await bot.send(RUSSIAN_CHAT, "/subscribe world", user=RUSSIAN)
    digest = await _digest(bot, RUSSIAN_CHAT, RUSSIAN)
    assert "World news in en" in digest and "World news in ru" in digest
    assert "World news in de" not in digest
    picker = await bot.send(RUSSIAN_CHAT, "/languages", user=RUSSIAN)
    ru = translator("ru")
    expected = sorted(
        [
            ("✓ " + language_views.language_name(ru, "en"), "en"),
            (language_views.language_name(ru, "de"), "de"),
            ("✓ " + language_views.language_name(ru, "ru"), "ru"),
        ],
        key=lambda pair: language_views.language_name(ru, pair[1]).casefold(),
    )
    assert _labels(picker)[:-1] == [label for label, _code in expected]
    assert "✓ Русский" in _labels(picker)


# --- the command menu ------------------------------------------------------------------


async def test_the_command_menu_is_set_in_every_shipped_language(bot: RunningBot) -> None:
    assert bot.fake.menu_languages() == {"", "ru", "uk", "fa", "ar", "es", "pt", "id", "tr", "de"}
    for code, locale in (("ru", "ru"), ("pt", "pt_BR"), ("fa", "fa")):
        t = translator(locale)
        menu = bot.fake.commands_for(None, code)
        assert [c["command"] for c in menu] == [c.name for c in READER_COMMANDS]
        assert [c["description"] for c in menu] == [
            t.gettext(c.description) for c in READER_COMMANDS
        ]
    assert [c["command"] for c in bot.fake.commands] == [c.name for c in READER_COMMANDS]


async def test_the_russian_command_menu_is_in_russian(bot: RunningBot) -> None:
    russian = bot.fake.commands_for(None, "ru")
    english = bot.fake.commands
    for mine, theirs in zip(russian, english, strict=True):
        _in_russian(mine["description"], theirs["description"])
