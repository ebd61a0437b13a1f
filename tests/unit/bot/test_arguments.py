"""What readers type after a command, read without the network."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.arguments import (
    ArgumentError,
    LatestRequest,
    SubscriptionTarget,
    command_argument,
    command_link,
    first_link,
    message_link,
    parse_latest,
    parse_quiet_hours,
    parse_subscription,
    parse_summary_length,
    parse_time_of_day,
)
from tests.support.i18n import marked_messages

#: The messages of bot.parsing.arguments that reach the catalogs.
MARKED = marked_messages("bot/parsing/arguments.py")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/latest tech 3", "tech 3"),
        ("/latest@get_news_fast_bot  tech  ", "tech"),
        ('/subscribe\n"climate change"', '"climate change"'),
        ("/help", ""),
        (None, ""),
    ],
)
def test_the_argument_is_everything_after_the_command(text: str | None, expected: str) -> None:
    assert command_argument(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:30", time(7, 30)),
        ("7.05", time(7, 5)),
        ("0730", time(7, 30)),
        ("7", time(7, 0)),
        ("19h30", time(19, 30)),
        ("7am", time(7, 0)),
        ("7:30 PM", time(19, 30)),
        ("12 am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("23:59", time(23, 59)),
        ("0:00", time(0, 0)),
    ],
)
def test_times_of_day_in_the_forms_people_write(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:60", "13pm", "0am", "soon", "", "7:3", "-1", "9999"])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ArgumentError):
        parse_time_of_day(text)


def test_summary_length_is_one_to_five() -> None:
    assert [parse_summary_length(str(n)) for n in range(1, 6)] == [1, 2, 3, 4, 5]
    for wrong in ("0", "6", "two", "-1", "", "³"):
        with pytest.raises(ArgumentError):
            parse_summary_length(wrong)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", LatestRequest(None, 5)),
        ("3", LatestRequest(None, 3)),
        ("tech", LatestRequest("tech", 5)),
        ("science and environment 2", LatestRequest("science and environment", 2)),
    ],
)
def test_latest_takes_a_topic_and_a_count_both_optional(text: str, expected: LatestRequest) -> None:
    assert parse_latest(text) == expected


@pytest.mark.parametrize("text", ["0", "11", "tech -2", "tech 99999999999999999999"])
def test_latest_counts_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(ArgumentError, match="1 to 10"):
        parse_latest(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("technology", SubscriptionTarget("topic", "technology")),
        ("  Science   and  Environment ", SubscriptionTarget("topic", "Science and Environment")),
        ('"Climate Change"', SubscriptionTarget("query", "climate change")),
        ("“ukraine, ceasefire!”", SubscriptionTarget("query", "ukraine ceasefire")),
        ("«Brexit»", SubscriptionTarget("query", "brexit")),
        ("'solar", SubscriptionTarget("query", "solar")),
    ],
)
def test_subscriptions_are_topics_or_quoted_words(text: str, expected: SubscriptionTarget) -> None:
    assert parse_subscription(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Say which topic"),
        ('""', "at least one word"),
        ('"the and of"', "too common"),
        ('"one two three four five six seven"', "at most 6 words"),
        ("x" * 101, "too long"),
    ],
)
def test_bad_subscriptions_say_why(text: str, reason: str) -> None:
    with pytest.raises(ArgumentError, match=reason):
        parse_subscription(text)


def test_links() -> None:
    assert message_link(" https://example.com/a?b=1 ") == "https://example.com/a?b=1"
    assert message_link("www.example.com/news") == "www.example.com/news"
    assert message_link("see https://example.com") is None
    assert message_link("example.com") is None  # a bare name in chat is not a request
    assert command_link("example.com/news/1") == "example.com/news/1"
    assert command_link("ftp://example.com/file") == "ftp://example.com/file"  # refused later
    assert command_link("not a link") is None
    assert command_link("hello") is None
    assert first_link("Read this: https://example.com/a, it's good.") == "https://example.com/a"
    assert first_link("(https://example.com/b)") == "https://example.com/b"
    assert first_link("no link here") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-07:00", (time(22), time(7))),
        ("22 - 7", (time(22), time(7))),
        ("10pm to 6:30am", (time(22), time(6, 30))),
        ("13:00–14:00", (time(13), time(14))),
        ("off", None),
        ("OFF", None),
        ("none", None),
    ],
)
def test_quiet_hours_in_the_forms_people_write(
    text: str, expected: tuple[time, time] | None
) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("22:00", "is not two times"),
        ("22:00-", "is not two times"),
        ("7-7", "different times"),
        ("25:00-07:00", "is not a time of day"),
    ],
)
def test_bad_quiet_hours_say_why(text: str, reason: str) -> None:
    with pytest.raises(ArgumentError, match=reason):
        parse_quiet_hours(text)


@given(st.text(max_size=300))
def test_parsers_raise_nothing_but_argument_errors(text: str) -> None:
    for parse in (
        parse_time_of_day,
        parse_summary_length,
        parse_latest,
        parse_subscription,
        parse_quiet_hours,
    ):
        refusal: ArgumentError | None = None
        try:
            parse(text)
        except ArgumentError as error:
            refusal = error
        if refusal is not None:
            assert str(refusal), "every refusal says why"
            # …in words the catalogs hold, so every reader gets them in their language.
            assert refusal.message in MARKED, refusal.message
    command_argument(text)
    message_link(text)
    command_link(text)
    first_link(text)
