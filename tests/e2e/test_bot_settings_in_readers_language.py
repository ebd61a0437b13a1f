"""A reader whose Telegram speaks Russian gets /start, the topic picker, /help, a refused
argument, /timezone's buttons and /stop in Russian, while an English reader, at the same
time, gets English.

The shipped catalogs are filled by translators after these messages exist, so the bot
here reads a small Russian test catalog: what is checked is that every handler of
onboarding, topics, schedule and /stop answers through the reader's translator.
"""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.i18n import translator as shipped_translator
from bot.telegram import context as bot_context
from tests.support.bot_harness import RunningBot
from tests.support.fake_bot_api import Chat, User
from tests.support.i18n import catalog_translator

RUSSIAN_READER = Chat(51)
RUSSIAN = User(51, first_name="Аня", language_code="ru")
ENGLISH_READER = Chat(52)

RU = catalog_translator(
    {
        "Welcome, {name}!": "Добро пожаловать, {name}!",
        "World": "Мир",
        "Technology": "Технологии",
        "Done": "Готово",
        "Following {topic}": "Вы следите за темой {topic}",
        "Saved. You follow: {names}.\n/latest shows the newest stories now; /mysubs to review.": (
            "Сохранено. Вы следите за: {names}.\n/latest покажет свежие новости; /mysubs — список."
        ),
        "What I can do, with examples": "Что я умею, с примерами",
        "“{typed}” is not a time of day.": "«{typed}» — это не время суток.",
        "Use: {usage}": "Формат: {usage}",
        "Example: {example}": "Пример: {example}",
        "/settime HH:MM": "/settime ЧЧ:ММ",
        "Tokyo": "Токио",
        "Yes, forget me": "Да, забудь меня",
        "Cancel": "Отмена",
        "Nothing was deleted.": "Ничего не удалено.",
        "I don't know the command {command}. Send /help to see what I can do.": (
            "Я не знаю команду {command}. /help покажет, что я умею."
        ),
    }
)


def _translator(code: str) -> Translator:
    return RU if code == "ru" else shipped_translator(code)


@pytest.fixture(autouse=True)
def russian_test_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot_context, "translator", _translator)


def _labels(message: object) -> list[str]:
    buttons = getattr(message, "buttons", [])
    return [button["text"] for row in buttons for button in row]


async def test_onboarding_and_topics_in_russian(bot: RunningBot) -> None:
    welcome = await bot.send(RUSSIAN_READER, "/start", user=RUSSIAN)
    assert welcome.plain_text.startswith("Добро пожаловать, Аня!")
    assert _labels(welcome)[0] == "Мир" and _labels(welcome)[-1] == "Готово"

    answer = await bot.press(RUSSIAN_READER, welcome, "Технологии", user=RUSSIAN)
    assert answer["text"] == "Вы следите за темой Технологии"
    picker = bot.fake.last_message(51)
    assert picker.button("✓ Технологии")
    await bot.press(RUSSIAN_READER, picker, "Готово", user=RUSSIAN)
    assert bot.fake.last_message(51).plain_text.startswith("Сохранено. Вы следите за: Технологии.")

    english = await bot.send(ENGLISH_READER, "/start")
    assert english.plain_text.startswith("Welcome, Reader!")
    assert _labels(english)[0] == "World" and _labels(english)[-1] == "Done"


async def test_help_refusals_and_buttons_in_russian(bot: RunningBot) -> None:
    help_text = (await bot.send(RUSSIAN_READER, "/help", user=RUSSIAN)).plain_text
    assert "/help — Что я умею, с примерами" in help_text

    refused = await bot.send(RUSSIAN_READER, "/settime soon", user=RUSSIAN)
    assert refused.plain_text.splitlines() == [
        "«soon» — это не время суток.",
        "",
        "Формат: /settime ЧЧ:ММ",
        "Пример: /settime 07:30",
    ]

    zones = await bot.send(RUSSIAN_READER, "/timezone", user=RUSSIAN)
    assert zones.button("Токио")["callback_data"] == "tz:Asia/Tokyo"

    unknown = await bot.send(RUSSIAN_READER, "/frobnicate", user=RUSSIAN)
    assert unknown.plain_text == "Я не знаю команду /frobnicate. /help покажет, что я умею."

    confirm = await bot.send(RUSSIAN_READER, "/stop", user=RUSSIAN)
    assert _labels(confirm) == ["Да, забудь меня", "Отмена"]
    await bot.press(RUSSIAN_READER, confirm, "Отмена", user=RUSSIAN)
    assert bot.fake.last_message(51).plain_text == "Ничего не удалено."
