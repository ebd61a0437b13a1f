"""/language and /languages: naming a language, the buttons and their callback data, and
the command menus Telegram is given per language."""

from __future__ import annotations

import pytest

from bot.actions.languages import locale_named
from bot.app import menu, menu_language_codes
from bot.i18n import LOCALES, translator
from bot.telegram import callbacks
from bot.telegram.commands import ALL_COMMANDS
from bot.views import language as views


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("fa", "fa"),
        ("FA", "fa"),
        ("pt-br", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("pt", "pt_BR"),
        ("de", "de"),
        ("de-AT", "de"),
        ("Deutsch", "de"),
        ("русский", "ru"),
        ("فارسی", "fa"),
        ("Persian", "fa"),
        ("  ukrainian ", "uk"),
    ],
)
def test_a_language_is_named_by_code_native_or_english_name(typed: str, locale: str) -> None:
    assert locale_named(typed) == locale


@pytest.mark.parametrize("typed", ["", "xx", "ja", "klingon", "fa fa", "<b>"])
def test_anything_else_names_no_language(typed: str) -> None:
    assert locale_named(typed) is None


def test_each_language_button_is_labelled_in_its_own_language_with_a_check_on_the_current() -> None:
    keyboard = views.language_keyboard("fa")
    buttons = [b for row in keyboard for b in row]
    assert [b.label for b in buttons] == [
        f"✓ {x.native_name}" if x.code == "fa" else x.native_name for x in LOCALES
    ]
    for button, locale in zip(buttons, LOCALES, strict=True):
        assert callbacks.language_from_data(button.data) == locale.code
        assert len(button.data.encode()) <= 64


def test_news_languages_are_named_in_the_readers_language_with_done_last() -> None:
    keyboard = views.news_languages_keyboard(translator("en"), ["de", "ru", "en", "zz"], {"de"})
    labels = [b.label for row in keyboard for b in row]
    assert labels == ["English", "✓ German", "Russian", "zz", "Done"]
    russian = views.news_languages_keyboard(translator("ru"), ["de"], {"de"})
    assert russian[0][0].label == "✓ Немецкий"
    data = [b.data for row in keyboard for b in row]
    assert data[-1] == callbacks.NEWS_LANGUAGES_DONE
    assert [callbacks.news_language_from_data(d) for d in data[:-1]] == ["en", "de", "ru", "zz"]


def test_the_confirmation_is_said_in_the_new_language() -> None:
    text = views.language_changed_text(translator("fa"))
    assert "فارسی" in text


def test_the_usage_reply_lists_every_code_telegram_style() -> None:
    text = views.language_usage_text(translator("en"), "<xx>")
    for locale in LOCALES:
        assert locale.code.lower().replace("_", "-") in text
    assert "&lt;xx&gt;" in text and "<xx>" not in text


def test_a_menu_is_set_for_each_shipped_language_under_a_two_letter_code() -> None:
    codes = menu_language_codes()
    assert set(codes.values()) == {x.code for x in LOCALES} - {"en"}
    assert all(len(code) == 2 and code.isalpha() and code.islower() for code in codes)
    assert codes["pt"] == "pt_BR"


@pytest.mark.parametrize("locale", [x.code for x in LOCALES])
def test_each_menu_has_every_command_described_through_the_catalog(locale: str) -> None:
    t = translator(locale)
    commands = menu(admin=True, locale=locale)
    assert [c.command for c in commands] == [c.name for c in ALL_COMMANDS]
    assert [c.description for c in commands] == [t.gettext(c.description) for c in ALL_COMMANDS]
    assert all(3 <= len(c.description) <= 256 for c in commands)
