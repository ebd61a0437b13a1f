"""Buttons and replies as pure data: callback data within 64 bytes, valid Telegram HTML."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import menu
from bot.i18n import translator
from bot.links.fetch import LinkReason
from bot.telegram import callbacks
from bot.telegram.commands import ALL_COMMANDS
from bot.views import forget, schedule, summary, topics
from bot.views.help import help_text, usage_text, welcome_text
from bot.views.keyboard import Button, Keyboard
from bot.views.pack import TELEGRAM_LIMIT, visible_length
from bot.views.topics import SubscriptionItem, TopicItem
from tests.support.fake_bot_api import telegram_html_to_text

NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
EN = translator("en")


def _valid(text: str) -> str:
    assert visible_length(text) <= TELEGRAM_LIMIT
    return telegram_html_to_text(text)


def _data(keyboard: Keyboard) -> list[str]:
    return [b.data for row in keyboard for b in row]


def test_a_button_refuses_callback_data_telegram_would_refuse() -> None:
    with pytest.raises(ValueError, match="64"):
        Button("x", "a" * 65)
    with pytest.raises(ValueError, match="1–64"):
        Button("x", "")


def test_topic_buttons_round_trip_even_for_a_slug_too_long_for_64_bytes() -> None:
    slugs = ["world", "s" * 64, "ü" * 40]
    for slug in slugs:
        data = callbacks.topic_data(slug)
        assert len(data.encode()) <= 64
        assert callbacks.topic_from_data(data, slugs) == slug
    assert callbacks.topic_data("world") == "tp:world"
    assert callbacks.topic_from_data("tp:gone", slugs) is None


def test_other_callback_data_round_trips_and_refuses_forgeries() -> None:
    assert callbacks.time_from_data(callbacks.time_data(time(7, 5))) == time(7, 5)
    assert callbacks.time_from_data("tm:2561") is None
    assert callbacks.length_from_data(callbacks.length_data(4)) == 4
    assert callbacks.length_from_data("ln:9") is None
    assert callbacks.subscription_from_data(callbacks.unsubscribe_data(12)) == 12
    assert callbacks.subscription_from_data("us:-1") is None
    assert callbacks.subscription_from_data("us:" + "9" * 30) is None
    more = callbacks.latest_more_data(5, 123456789, "technology")
    assert more is not None and callbacks.latest_more_from_data(more) == (
        5,
        123456789,
        "technology",
    )
    assert callbacks.latest_more_from_data(str(callbacks.latest_more_data(3, 7, None))) == (
        3,
        7,
        None,
    )
    assert callbacks.latest_more_data(5, 1, "t" * 60) is None  # no button rather than a bad one
    assert callbacks.latest_more_from_data("lt:5:" + "9" * 30 + ":") is None
    assert callbacks.latest_more_from_data("lt:x:1:") is None


def test_the_topic_keyboard_marks_what_is_followed() -> None:
    items = [TopicItem("world", "World"), TopicItem("tech", "Technology & <Science>")]
    keyboard = topics.topic_keyboard(EN, items, {"tech"})
    assert [[b.label for b in row] for row in keyboard] == [
        ["World", "✓ Technology & <Science>"],
        ["Done"],
    ]
    assert _data(keyboard) == ["tp:world", "tp:tech", "tp!"]


def test_every_keyboard_fits_telegram() -> None:
    keyboards = [
        schedule.time_keyboard(),
        schedule.zone_keyboard(EN),
        schedule.length_keyboard(EN, 3),
        forget.confirm_keyboard(EN),
        topics.subscriptions_keyboard(EN, [SubscriptionItem(10**17, None, "x" * 100)]),
    ]
    for keyboard in keyboards:
        assert all(1 <= len(d.encode()) <= 64 for d in _data(keyboard))


def test_help_and_menu_cover_every_command() -> None:
    text = _valid(help_text(EN, admin=True))
    for command in ALL_COMMANDS:
        assert f"{command.usage} — {command.description}" in text
        assert command.example in text
        assert 3 <= len(command.description) <= 256
    assert [c.command for c in menu(admin=True)] == [c.name for c in ALL_COMMANDS]


def test_usage_shows_the_reason_the_form_and_an_example() -> None:
    from bot.telegram.commands import command

    assert _valid(usage_text(EN, command("settime"), "“25:00” is not a time")).splitlines() == [
        "“25:00” is not a time.",
        "",
        "Use: /settime HH:MM",
        "Example: /settime 07:30",
    ]


@given(
    name=st.text(max_size=300),
    typed=st.text(max_size=5000),
    labels=st.lists(st.text(min_size=1, max_size=100), max_size=25),
)
def test_replies_with_reader_text_stay_valid_and_short(
    name: str, typed: str, labels: list[str]
) -> None:
    items = [SubscriptionItem(i, None, label) for i, label in enumerate(labels)]
    texts = [
        welcome_text(
            EN,
            name=name,
            created=True,
            zone_label="UTC",
            at=time(7, 30),
            group=False,
            has_topics=True,
        ),
        topics.unknown_topic_text(EN, typed, [TopicItem("a", typed[:100])], typed[:100]),
        topics.quotes_hint(EN, typed),
        topics.subscribed_text(EN, typed, already=False, now_command="/search " + typed),
        topics.not_following_text(EN, typed),
        topics.subscriptions_text(EN, items),
        topics.done_text(EN, items),
        schedule.unknown_zone_text(EN, typed, ["Etc/GMT-3"]),
        summary.link_refused_text(EN, LinkReason("private_address", host=typed)),
        summary.link_refused_text(EN, LinkReason("not_a_page", content_type=typed)),
        *summary.summary_messages(EN, [typed] * 5, title=typed, url="https://x.test/?a=1&b=<2>"),
    ]
    for text in texts:
        _valid(text)
    assert all(1 <= len(d.encode()) <= 64 for d in _data(topics.subscriptions_keyboard(EN, items)))


def test_the_schedule_reads_in_local_time() -> None:
    text = schedule.schedule_text(
        EN,
        zone="Europe/Berlin",
        at=time(7, 30),
        next_at=datetime(2026, 3, 30, 5, 30, tzinfo=UTC),
        paused=False,
        now=NOW,
    )
    assert _valid(text) == (
        "Your digest comes every day at 07:30 (Europe/Berlin, UTC+02:00). "
        "Next one: tomorrow at 07:30."
    )


def test_the_next_digest_is_today_tomorrow_or_a_date_in_the_readers_zone() -> None:
    def next_line(next_at: datetime, zone: str = "Europe/Berlin") -> str:
        return _valid(schedule.next_digest_line(EN, next_at, zone, NOW))

    # 06:00 UTC is 08:00 in Berlin: 21:00 UTC is still today there, not in Tokyo.
    assert next_line(datetime(2026, 3, 29, 19, 0, tzinfo=UTC)) == "Next one: today at 21:00."
    assert next_line(datetime(2026, 3, 29, 19, 0, tzinfo=UTC), "Asia/Tokyo") == (
        "Next one: tomorrow at 04:00."
    )
    assert next_line(datetime(2026, 4, 2, 5, 30, tzinfo=UTC)) == "Next one: 2 Apr at 07:30."
    assert next_line(datetime(2027, 1, 2, 6, 30, tzinfo=UTC)) == "Next one: 2 Jan 2027 at 07:30."
