"""Which forum topic an update belongs to, and what a topic's refusal means."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import BadRequest

from bot.delivery.sender import Outcome, classify
from bot.telegram.handlers.common import chat_ref, thread_of

WHEN = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
FORUM = Chat(-1005001, Chat.SUPERGROUP, title="Newsroom", is_forum=True)
PLAIN = Chat(-1006001, Chat.SUPERGROUP, title="Plain")
USER = User(10, "Admin", is_bot=False)


def _message(chat: Chat, **kw: Any) -> Message:
    return Message(1, WHEN, chat, from_user=USER, text="/latest", **kw)


def test_a_message_in_a_forum_topic_belongs_to_that_topic() -> None:
    update = Update(1, message=_message(FORUM, message_thread_id=11, is_topic_message=True))
    assert thread_of(update) == 11
    ref = chat_ref(update)
    assert (ref.id, ref.thread_id, ref.group) == (FORUM.id, 11, True)
    assert tuple(ref.key) == (FORUM.id, 11)


def test_the_general_topic_and_reply_chains_are_the_chat_itself() -> None:
    assert thread_of(Update(1, message=_message(FORUM))) == 0
    # Outside forums a reply chain has a message_thread_id but is no topic.
    assert thread_of(Update(2, message=_message(PLAIN, message_thread_id=5))) == 0


def test_a_button_belongs_to_the_topic_of_the_message_it_is_under() -> None:
    under = _message(FORUM, message_thread_id=12, is_topic_message=True)
    query = CallbackQuery("q", USER, chat_instance="c", message=under, data="x")
    assert thread_of(Update(3, callback_query=query)) == 12


@pytest.mark.parametrize(
    "description", ["Message thread not found", "TOPIC_CLOSED", "Topic_deleted"]
)
def test_a_deleted_or_closed_topic_is_gone_for_that_topic_only(description: str) -> None:
    assert classify(BadRequest(description)).outcome is Outcome.THREAD_GONE


def test_a_missing_chat_is_still_gone_for_the_whole_chat() -> None:
    assert classify(BadRequest("Chat not found")).outcome is Outcome.GONE
