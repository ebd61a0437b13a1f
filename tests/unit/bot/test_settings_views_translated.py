"""Onboarding, help, topics, schedule, /stop and argument errors speak the reader's language.

Each test gives a view a translator built from a few messages in memory (a tiny Russian,
German or Persian catalog) and checks the words came back translated, with the values in
place and the buttons' callback data untouched.
"""

from __future__ import annotations

import ast
import gettext
import re
import tomllib
from datetime import UTC, datetime, time

import pytest

from bot.i18n import Locale, Translator, translator
from bot.i18n.translator import FSI, PDI
from bot.parsing.arguments import ArgumentError, parse_summary_length, parse_time_of_day
from bot.telegram.commands import ALL_COMMANDS, command
from bot.views import forget, help, schedule, topics
from bot.views.keyboard import Keyboard
from bot.views.pack import TELEGRAM_LIMIT, visible_length
from bot.views.topics import SubscriptionItem, TopicItem
from tests.support.fake_bot_api import telegram_html_to_text
from tests.support.i18n import ROOT, catalog_translator, marked_messages

NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
CATALOGUE = [TopicItem("world", "World"), TopicItem("technology", "Technology")]
#: The view modules of this part of the bot, and the modules whose constants they show.
VIEWS = (
    "bot/views/topics.py",
    "bot/views/schedule.py",
    "bot/views/forget.py",
    "bot/views/help.py",
    "bot/views/topic_names.py",
)


def _catalogue() -> list[TopicItem]:
    with (ROOT / "ingest" / "topics.toml").open("rb") as catalogue:
        return [TopicItem(t["slug"], t["name"]) for t in tomllib.load(catalogue)["topic"]]


def _labels(keyboard: Keyboard) -> list[str]:
    return [button.label for row in keyboard for button in row]


def _data(keyboard: Keyboard) -> list[str]:
    return [button.data for row in keyboard for button in row]


def test_the_topic_picker_shows_catalogue_topics_in_the_readers_language() -> None:
    t = catalog_translator({"World": "Мир", "Technology": "Технологии", "Done": "Готово"})
    picker = [*CATALOGUE, TopicItem("woodwork", "Woodwork")]
    keyboard = topics.topic_keyboard(t, picker, {"technology"})
    assert _labels(keyboard) == ["Мир", "✓ Технологии", "Woodwork", "Готово"]
    english = topics.topic_keyboard(translator("en"), picker, {"technology"})
    assert _data(keyboard) == _data(english) == ["tp:world", "tp:technology", "tp:woodwork", "tp!"]


def test_labels_longer_in_german_leave_callback_data_alone_and_are_clipped() -> None:
    long_name = "Wissenschafts- und Technologienachrichten aus aller Welt"
    t = catalog_translator({"Technology": long_name, "Yes, forget me": "Ja, vergiss mich"})
    keyboard = topics.topic_keyboard(t, CATALOGUE, set())
    assert _data(keyboard) == _data(topics.topic_keyboard(translator("en"), CATALOGUE, set()))
    label = _labels(keyboard)[1]
    assert label.startswith("Wissenschafts") and len(label) == topics.LABEL_MAX
    assert _labels(forget.confirm_keyboard(t))[0] == "Ja, vergiss mich"
    assert _data(forget.confirm_keyboard(t)) == ["st:yes", "st:no"]


def test_subscriptions_name_topics_translated_and_words_as_typed_in_local_quotes() -> None:
    t = catalog_translator(
        {
            "World": "Мир",
            "“{words}”": "«{words}»",
            "You follow": "Вы следите за",
            "Stopped following {name}": "Больше не следите за {name}",
        }
    )
    items = [SubscriptionItem(1, "World", None), SubscriptionItem(2, None, "climate change")]
    text = telegram_html_to_text(topics.subscriptions_text(t, items))
    assert text.splitlines()[:3] == ["Вы следите за", "• Мир", "• «climate change»"]
    assert _labels(topics.subscriptions_keyboard(t, items)) == ["✕ Мир", "✕ «climate change»"]
    assert topics.removed_answer(t, items[0]) == "Больше не следите за Мир"


def test_an_unknown_topic_lists_translated_names_with_what_to_type() -> None:
    t = catalog_translator(
        {
            "World": "Мир",
            "Technology": "Технологии",
            "There is no topic called {typed}. Did you mean {topic}?": (
                "Темы {typed} нет. Может быть, {topic}?"
            ),
            "Topics: {topics}.": "Темы: {topics}.",
        }
    )
    text = telegram_html_to_text(
        topics.unknown_topic_text(t, "Tehcnology", CATALOGUE, "Technology")
    )
    # The translated name reads well; the slug is what /subscribe understands.
    assert text.splitlines() == [
        "Темы Tehcnology нет. Может быть, Технологии (technology)?",
        "Темы: Мир (world) и Технологии (technology).",
    ]


def test_an_argument_error_is_answered_in_the_readers_language_with_its_values() -> None:
    t = catalog_translator(
        {
            "“{typed}” is not a time of day.": "«{typed}» — это не время суток.",
            "Use: {usage}": "Формат: {usage}",
            "Example: {example}": "Пример: {example}",
            "/settime HH:MM": "/settime ЧЧ:ММ",
        }
    )
    with pytest.raises(ArgumentError) as refused:
        parse_time_of_day("soon")
    reason = help.argument_reason(t, refused.value)
    assert reason == "«soon» — это не время суток."
    assert telegram_html_to_text(help.usage_text(t, command("settime"), reason)).splitlines() == [
        "«soon» — это не время суток.",
        "",
        "Формат: /settime ЧЧ:ММ",
        "Пример: /settime 07:30",
    ]


def test_every_refusal_of_the_parsers_is_a_marked_message() -> None:
    marked = marked_messages("bot/parsing/arguments.py")
    for parse, text in ((parse_time_of_day, "25:00"), (parse_summary_length, "9")):
        with pytest.raises(ArgumentError) as refused:
            parse(text)
        assert refused.value.message in marked
    # str() stays English with the values in, for logs.
    assert str(refused.value) == "The number of sentences is between 1 and 5."


def test_help_translates_descriptions_forms_and_examples() -> None:
    t = catalog_translator(
        {
            "Follow a topic, or words in quotes": "Следить за темой или словами в кавычках",
            '/subscribe <topic> or /subscribe "words"': '/subscribe <тема> или /subscribe "слова"',
            '/subscribe technology   or   /subscribe "climate change"': (
                '/subscribe technology   или   /subscribe "изменение климата"'
            ),
            "e.g.": "напр.",
        }
    )
    text = telegram_html_to_text(help.help_text(t, admin=False))
    assert (
        '/subscribe <тема> или /subscribe "слова" — Следить за темой или словами в кавычках\n'
        '    напр. /subscribe technology   или   /subscribe "изменение климата"'
    ) in text
    assert "For operators" not in text


def test_in_a_right_to_left_language_command_forms_keep_their_own_direction() -> None:
    t = catalog_translator({"Your digest now": "خلاصهٔ شما، همین حالا"}, code="fa", rtl=True)
    line = next(line for line in help.help_text(t, admin=False).splitlines() if "خلاصهٔ" in line)
    # The isolated form leaves the Persian description to set the line's direction.
    assert line == f"{FSI}/digest{PDI} — خلاصهٔ شما، همین حالا"


def test_the_schedule_and_summary_length_use_the_locales_plural_forms() -> None:
    forms = (
        "Теперь в саммари до {count} предложения.",
        "Теперь в саммари до {count} предложений (2–4).",
        "Теперь в саммари до {count} предложений (5–20).",
    )
    t = catalog_translator(
        {
            "Your digest comes every day at {time} ({zone}, {offset}).": (
                "Дайджест приходит каждый день в {time} ({offset}, {zone})."
            ),
            "Next one: tomorrow at {time}.": "Следующий: завтра в {time}.",
        },
        {
            (
                "Summaries will show up to {count} sentence from now on "
                "(fewer when a story is told in less).",
                "Summaries will show up to {count} sentences from now on "
                "(fewer when a story is told in less).",
            ): forms
        },
    )
    text = schedule.schedule_text(
        t,
        zone="Europe/Berlin",
        at=time(7, 30),
        next_at=datetime(2026, 3, 30, 5, 30, tzinfo=UTC),
        paused=False,
        now=NOW,
    )
    assert telegram_html_to_text(text) == (
        "Дайджест приходит каждый день в 07:30 (UTC+02:00, Europe/Berlin). "
        "Следующий: завтра в 07:30."
    )
    # Russian: 2 takes the "few" form, 5 the "many" one.
    assert telegram_html_to_text(schedule.length_text(t, 2)) == forms[1].format(count=2)
    assert telegram_html_to_text(schedule.length_text(t, 5)) == forms[2].format(count=5)


def test_zone_buttons_name_cities_in_the_readers_language_and_carry_the_zone() -> None:
    t = catalog_translator({"Tokyo": "Токио", "New York": "Нью-Йорк"})
    keyboard = schedule.zone_keyboard(t)
    by_data = {button.data: button.label for row in keyboard for button in row}
    assert by_data["tz:Asia/Tokyo"] == "Токио"
    assert by_data["tz:America/New_York"] == "Нью-Йорк"
    assert by_data["tz:UTC"] == "UTC"


def test_a_translation_is_escaped_and_markup_comes_only_from_the_view() -> None:
    t = catalog_translator({"Stopped following {name}.": "<i>Fini</i> & {name}."})
    assert (
        topics.unsubscribed_text(t, "<World>")
        == "&lt;i&gt;Fini&lt;/i&gt; &amp; <b>&lt;World&gt;</b>."
    )


def test_every_command_description_and_form_with_words_reaches_the_catalogs() -> None:
    marked = marked_messages("bot/telegram/commands.py")
    # Topic slugs are typed as they are in every language: no words to translate.
    slugs = "|".join(topic.slug for topic in _catalogue())
    for spec in ALL_COMMANDS:
        assert spec.description in marked, spec.name
        for text in (spec.usage, spec.example):
            words = re.sub(rf"/{spec.name}\b|https?://\S+|\b(?:{slugs})\b", "", text)
            if re.search(r"[A-Za-z]{2,}", words):
                assert text in marked, (spec.name, text)


def test_the_messages_of_these_views_hold_no_html_tags() -> None:
    tagged = [m for m in marked_messages(*VIEWS) if re.search(r"</?[a-z]+[ >]", m)]
    assert not tagged, tagged


_MESSAGE_CALLS = {"gettext": 1, "html": 1, "ngettext": 2, "nhtml": 2, "N_": 1}


def _messages_in_calls(path: str) -> set[str]:
    """The literal messages passed to the translator's methods and N_, as Python reads them
    (f-strings included, where Babel's extractor does not look)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        count = _MESSAGE_CALLS.get(name or "")
        if count is None:
            continue
        for argument in node.args[:count]:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


@pytest.mark.parametrize(
    "path",
    [*VIEWS, "bot/telegram/commands.py", "bot/parsing/arguments.py", "bot/parsing/timezones.py"],
)
def test_every_message_these_modules_translate_is_extracted(path: str) -> None:
    in_code = _messages_in_calls(path)
    assert in_code, f"{path} translates nothing?"
    missing = in_code - marked_messages(path)
    assert not missing, f"{path}: messages the extraction misses: {sorted(missing)}"


class _Longer(gettext.NullTranslations):
    """Every message half as long again, as German and Russian often run (and more)."""

    def gettext(self, message: str) -> str:
        return message + " " + "ж" * (len(message) // 2)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def test_help_and_long_replies_fit_telegram_when_every_message_runs_half_as_long_again() -> None:
    t = Translator(Locale("de", "Deutsch"), _Longer())
    many = [TopicItem(f"topic-{n}", f"Topic number {n}") for n in range(40)]
    items = [SubscriptionItem(n, None, "w" * 100) for n in range(20)]
    replies = [
        help.help_text(t, admin=True),
        topics.unknown_topic_to_follow_text(t, "x" * 500, many, "Topic number 3"),
        topics.subscriptions_text(t, items),
        topics.done_text(t, items),
        help.usage_text(t, command("timezone"), "x" * 300),
    ]
    for reply in replies:
        assert visible_length(reply) <= TELEGRAM_LIMIT
    keyboards = [
        topics.topic_keyboard(t, many, {"topic-1"}),
        topics.subscriptions_keyboard(t, items),
        schedule.zone_keyboard(t),
        forget.confirm_keyboard(t),
    ]
    for keyboard in keyboards:
        assert all(len(button.label) <= 64 for row in keyboard for button in row)
    assert _data(topics.topic_keyboard(t, many, set())) == _data(
        topics.topic_keyboard(translator("en"), many, set())
    )
