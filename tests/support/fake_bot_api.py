"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and benchmarks.

The real python-telegram-bot ``Application`` talks to it over real HTTP through
``TELEGRAM_BASE_URL``. It speaks the Bot API's wire format (form-encoded parameters whose
non-string values are JSON, JSON bodies and multipart uploads; ``{"ok": …, "result": …}``
answers; ``error_code``/``description``/``parameters.retry_after`` on errors) and checks
what Telegram checks and our rules depend on:

- ``parse_mode=HTML`` text must use only Telegram's tags with proper escaping,
  otherwise 400 "can't parse entities" — exactly the reply a real reader would miss;
- a message's text, after entity parsing, is at most 4096 UTF-16 code units;
- callback data is 1–64 bytes.

Tests drive it as readers would (:meth:`FakeBotApi.user_sends`,
:meth:`FakeBotApi.user_presses`) and read what came back (:meth:`FakeBotApi.messages`).
Failures are injected per method and chat (:meth:`FakeBotApi.fail`): 429 with
``retry_after``, 403 "bot was blocked by the user", 5xx.

It runs in a thread with its own event loop, so it serves a bot running in the test's
loop, in another thread, or in a subprocess. ``python -m tests.support.fake_bot_api``
serves it standalone (benchmarks), with ``GET /_stats`` for counters.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import email.parser
import email.policy
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.threaded_server import ThreadedServer

DEFAULT_TOKEN = "123456789:TEST-fake-token-for-the-fake-bot-api_0123"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

#: Parameters the Bot API takes as plain strings; everything else arrives JSON-encoded.
_STRING_PARAMS = {
    "text",
    "parse_mode",
    "callback_query_id",
    "action",
    "url",
    "file_id",
    "secret_token",
    "language_code",
    "caption",
    "inline_message_id",
    "business_connection_id",
    "message_effect_id",
}


class BotApiError(Exception):
    """An error answer: HTTP status, Bot API description and optional retry_after."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


@dataclass(frozen=True)
class User:
    id: int
    first_name: str = "Reader"
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = "en"

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    id: int
    type: str = "private"
    title: str | None = None
    first_name: str | None = "Reader"
    username: str | None = None
    #: A supergroup with forum topics (threads); messages in a topic carry its
    #: ``message_thread_id``, those in the General topic carry none.
    is_forum: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            data["first_name"] = self.first_name or "Reader"
            if self.username:
                data["username"] = self.username
        else:
            data["title"] = self.title or f"Group {self.id}"
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass
class Message:
    """A message in a chat, as the fake keeps it (edits applied, deletions marked)."""

    chat_id: int
    message_id: int
    from_bot: bool
    text: str
    date: int
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    deleted: bool = False
    edits: int = 0
    document: dict[str, Any] | None = None
    #: The forum topic the message is in (None: the chat itself, or a forum's General).
    message_thread_id: int | None = None

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows (empty when none)."""
        if not self.reply_markup:
            return []
        rows: list[list[dict[str, Any]]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains ``label_part``."""
        for row in self.buttons:
            for button in row:
                if label_part in button.get("text", ""):
                    return button
        labels = [b.get("text") for row in self.buttons for b in row]
        raise KeyError(f"no button with {label_part!r} in {labels}")

    @property
    def plain_text(self) -> str:
        """The text as a reader sees it (HTML tags removed, entities decoded)."""
        if self.parse_mode and self.parse_mode.upper() == "HTML":
            return telegram_html_to_text(self.text)
        return self.text


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    #: The error's description when the call was refused.
    error: str | None = None


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None
    remaining: int


# --------------------------------------------------------------------------------------
# Telegram's HTML subset
# --------------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "tg-spoiler": set(),
    "span": {"class"},
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_BAD_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            raise BotApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        for name, _value in attrs:
            if name not in _ALLOWED_TAGS[tag]:
                raise BotApiError(
                    400, f'Bad Request: can\'t parse entities: Unsupported attribute "{name}"'
                )
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise BotApiError(400, "Bad Request: can't parse entities: Unsupported span")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise BotApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise BotApiError(400, f'Bad Request: can\'t parse entities: Unsupported tag "{tag}"')


def telegram_html_to_text(source: str) -> str:
    """Parse Telegram HTML the way the Bot API does; raise BotApiError(400) when invalid."""
    if "<" in re.sub(r"<(/?[a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>", "", source):
        raise BotApiError(400, "Bad Request: can't parse entities: Unexpected '<'")
    if _BAD_AMPERSAND.search(source):
        raise BotApiError(400, "Bad Request: can't parse entities: Unexpected '&'")
    parser = _TelegramHtml()
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise BotApiError(
            400, f'Bad Request: can\'t parse entities: Unclosed start tag "{parser.stack[-1]}"'
        )
    return "".join(parser.text)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_reply_markup(markup: Any) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise BotApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


class FakeBotApi(ThreadedServer):
    """The fake server. Use as a context manager, or call :meth:`start` and :meth:`stop`."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int = 123456789,
        bot_username: str = "get_news_fast_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        record_calls: bool = True,
    ) -> None:
        self.token = token
        self.bot = User(id=bot_id, first_name="Get News Fast", username=bot_username, is_bot=True)
        super().__init__(host, port)
        self._record_calls = record_calls
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        self._messages: dict[int, list[Message]] = {}
        self._message_ids: dict[int, Iterator[int]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._failures: list[_Failure] = []
        self._chats: dict[int, Chat] = {}
        self._admins: dict[int, set[int]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._callback_answers: dict[str, dict[str, Any]] = {}
        #: Command menus by (scope, language_code): the scope's JSON with sorted keys ("" is
        #: the default scope), and "" for the menu of users with no menu in their language.
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._blocked: set[int] = set()
        #: Old group id → the supergroup it became (``migrate_group``).
        self._migrated: dict[int, int] = {}
        #: Forum topics that refuse messages: (chat id, thread id) → Telegram's description
        #: (``delete_topic``, ``close_topic``).
        self._gone_topics: dict[tuple[int, int], str] = {}
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        #: (update_id, HTTP status) of every update POSTed to the webhook; 0 = no answer.
        self.webhook_deliveries: list[tuple[int, int]] = []
        self._in_flight: set[concurrent.futures.Future[None]] = set()
        #: The update types the bot asked for (getUpdates or setWebhook); None = Telegram's
        #: default, every type except chat_member, message_reaction(_count).
        self.allowed_updates: list[str] | None = None
        self.counters: dict[str, int] = {}
        self._new_update: asyncio.Event | None = None

    thread_name = "fake-bot-api"

    def _on_loop_start(self) -> None:
        self._new_update = asyncio.Event()

    @property
    def base_url(self) -> str:
        """What to put in ``TELEGRAM_BASE_URL`` (the library appends the token)."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to put in ``TELEGRAM_BASE_FILE_URL``."""
        return f"http://{self._host}:{self._port}/file/bot"

    # --- driving it as readers ----------------------------------------------------------
    def add_chat(self, chat: Chat, *, admins: set[int] | None = None) -> None:
        with self._lock:
            self._chats[chat.id] = chat
            if admins is not None:
                self._admins[chat.id] = set(admins)

    def set_admins(self, chat_id: int, user_ids: set[int]) -> None:
        with self._lock:
            self._admins[chat_id] = set(user_ids)

    def block_bot(self, chat_id: int) -> None:
        """The reader blocks the bot: every later send to them answers 403."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_bot(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def migrate_group(self, group: Chat, supergroup: Chat, *, announce: bool = True) -> None:
        """``group`` becomes ``supergroup`` (a new id), as when an admin turns on topics.

        Every later send to the old id answers 400 with ``migrate_to_chat_id``, as
        Telegram does. With ``announce`` the bot also gets Telegram's two service
        messages: ``migrate_to_chat_id`` in the old group, ``migrate_from_chat_id`` in
        the supergroup.
        """
        with self._lock:
            self._chats[supergroup.id] = supergroup
            self._migrated[group.id] = supergroup.id
        if not announce:
            return
        for chat, field, value in (
            (group, "migrate_to_chat_id", supergroup.id),
            (supergroup, "migrate_from_chat_id", group.id),
        ):
            with self._lock:
                payload = {
                    "message_id": self._next_message_id(chat.id),
                    "date": int(time.time()),
                    "chat": chat.to_api(),
                    "from": User(id=1, first_name="Admin").to_api(),
                    field: value,
                }
            self._push_update({"message": payload})

    def delete_topic(self, chat: Chat, thread_id: int) -> None:
        """A forum topic is deleted: every later send to it answers 400, as Telegram does."""
        with self._lock:
            self._gone_topics[(chat.id, thread_id)] = "Bad Request: message thread not found"

    def close_topic(self, chat: Chat, thread_id: int) -> None:
        """A forum topic is closed: sends to it answer 400 TOPIC_CLOSED until reopened."""
        with self._lock:
            self._gone_topics[(chat.id, thread_id)] = "Bad Request: TOPIC_CLOSED"

    def reopen_topic(self, chat: Chat, thread_id: int) -> None:
        with self._lock:
            self._gone_topics.pop((chat.id, thread_id), None)

    def user_sends(self, chat: Chat, text: str = "", **options: Any) -> Message:
        """A reader sends a message (a command when it starts with "/"); returns it.

        ``options`` are those of :meth:`message_update`: ``user``, ``reply_to_message_id``,
        ``forward_from_chat``/``forward_from_user`` (a forward), ``sender_chat`` (an
        anonymous group admin writes as the group itself), ``document``, ``thread_id``
        (the forum topic written in).
        """
        message, update = self.message_update(chat, text, **options)
        self._queue(update)
        return message

    def message_update(
        self,
        chat: Chat,
        text: str = "",
        *,
        user: User | None = None,
        reply_to_message_id: int | None = None,
        forward_from_chat: Chat | None = None,
        forward_from_user: User | None = None,
        sender_chat: Chat | None = None,
        document: tuple[str, bytes, str] | None = None,
        thread_id: int | None = None,
    ) -> tuple[Message, dict[str, Any]]:
        """The update a reader's message makes, recorded in the chat but not queued for
        getUpdates: for feeding ``Application.process_update`` directly.

        ``thread_id``: the forum topic the message is written in (``chat`` must be a
        forum); None for the chat itself or a forum's General topic."""
        if thread_id is not None and not chat.is_forum:
            raise ValueError("only a forum supergroup has topics")
        user = user or User(id=chat.id if chat.type == "private" else 1, first_name="Reader")
        if sender_chat is not None:
            # What Telegram sends for a message on behalf of a chat: the GroupAnonymousBot.
            user = User(
                id=1087968824, first_name="Group", username="GroupAnonymousBot", is_bot=True
            )
        with self._lock:
            self._chats.setdefault(chat.id, chat)
            message = Message(
                chat_id=chat.id,
                message_id=self._next_message_id(chat.id),
                from_bot=False,
                text=text,
                date=int(time.time()),
                reply_to_message_id=reply_to_message_id,
                message_thread_id=thread_id,
            )
            payload: dict[str, Any] = {
                "message_id": message.message_id,
                "date": message.date,
                "chat": chat.to_api(),
                "from": user.to_api(),
            }
            if thread_id is not None:
                payload["message_thread_id"] = thread_id
                payload["is_topic_message"] = True
            elif reply_to_message_id is not None and chat.type == "supergroup":
                # Outside forums Telegram names a reply chain by its first message, with
                # no is_topic_message: no place of its own to answer in.
                payload["message_thread_id"] = reply_to_message_id
            if document is not None:
                file_name, content, mime = document
                file_id = f"file-{len(self._files) + 1}"
                self._files[file_id] = (file_name, content)
                payload["document"] = {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "file_name": file_name,
                    "mime_type": mime,
                    "file_size": len(content),
                }
                message.document = payload["document"]
                if text:
                    payload["caption"] = text
            elif text:
                payload["text"] = text
                command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
                if command:
                    payload["entities"] = [
                        {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group(0))}
                    ]
            if reply_to_message_id is not None:
                original = self._find_message(chat.id, reply_to_message_id)
                if original is not None:
                    payload["reply_to_message"] = self._message_to_api(original)
            if sender_chat is not None:
                payload["sender_chat"] = sender_chat.to_api()
            if forward_from_chat is not None:
                payload["forward_origin"] = {
                    "type": "channel" if forward_from_chat.type == "channel" else "chat",
                    "chat": forward_from_chat.to_api(),
                    "sender_chat": forward_from_chat.to_api(),
                    "message_id": 1,
                    "date": message.date - 60,
                }
            elif forward_from_user is not None:
                payload["forward_origin"] = {
                    "type": "user",
                    "sender_user": forward_from_user.to_api(),
                    "date": message.date - 60,
                }
            self._messages.setdefault(chat.id, []).append(message)
            update = {"update_id": next(self._update_ids), "message": payload}
        return message, update

    def user_presses(
        self, chat: Chat, message_id: int, callback_data: str, *, user: User | None = None
    ) -> str:
        """A reader presses an inline button; returns the callback query id."""
        query_id, update = self.callback_update(chat, message_id, callback_data, user=user)
        self._queue(update)
        return query_id

    def callback_update(
        self, chat: Chat, message_id: int, callback_data: str, *, user: User | None = None
    ) -> tuple[str, dict[str, Any]]:
        """The update a button press makes (query id, update), not queued for getUpdates."""
        user = user or User(id=chat.id if chat.type == "private" else 1, first_name="Reader")
        with self._lock:
            message = self._find_message(chat.id, message_id)
            if message is None:
                raise KeyError(f"no message {message_id} in chat {chat.id}")
            query_id = str(next(self._callback_ids))
            update = {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": self._message_to_api(message),
                    "chat_instance": str(chat.id),
                    "data": callback_data,
                },
            }
        return query_id, update

    def bot_status_changes(
        self, chat: Chat, new_status: str, *, old_status: str = "member", by: User | None = None
    ) -> None:
        """The bot's membership changes: "kicked" (blocked, or removed from a group),
        "left", "member"… Telegram tells the bot with a ``my_chat_member`` update."""
        by = by or User(id=chat.id if chat.type == "private" else 1)
        now = int(time.time())
        with self._lock:
            self._chats.setdefault(chat.id, chat)
            if new_status == "kicked" and chat.type == "private":
                self._blocked.add(chat.id)

            def member(status: str) -> dict[str, Any]:
                data: dict[str, Any] = {"status": status, "user": self.bot.to_api()}
                if status == "kicked":
                    data["until_date"] = 0
                return data

            self._push_update(
                {
                    "my_chat_member": {
                        "chat": chat.to_api(),
                        "from": by.to_api(),
                        "date": now,
                        "old_chat_member": member(old_status),
                        "new_chat_member": member(new_status),
                    }
                }
            )

    def press_button(self, chat: Chat, message: Message, label_part: str, **kw: Any) -> str:
        """Press the button whose label contains ``label_part`` under ``message``."""
        data = message.button(label_part)["callback_data"]
        return self.user_presses(chat, message.message_id, data, **kw)

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with an error."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after or 1}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: chat not found",
            }.get(status, "Internal Server Error")
        with self._lock:
            self._failures.append(
                _Failure(method, status, description, retry_after, chat_id, times)
            )

    def add_file(self, file_id: str, file_name: str, content: bytes) -> None:
        with self._lock:
            self._files[file_id] = (file_name, content)

    # --- reading what happened ------------------------------------------------------------
    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self._calls
                if (method is None or c.method == method)
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def messages(
        self,
        chat_id: int,
        *,
        from_bot: bool = True,
        deleted: bool = False,
        thread_id: int | None = None,
    ) -> list[Message]:
        """The bot's messages in a chat, oldest first (edits applied; deleted ones hidden).

        ``thread_id``: only those in that forum topic (0: outside every topic)."""
        with self._lock:
            return [
                m
                for m in self._messages.get(chat_id, [])
                if m.from_bot == from_bot
                and (deleted or not m.deleted)
                and (thread_id is None or (m.message_thread_id or 0) == thread_id)
            ]

    def last_message(self, chat_id: int) -> Message:
        found = self.messages(chat_id)
        if not found:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return found[-1]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._callback_answers.get(query_id)

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The default command menu (what every chat without its own menu sees)."""
        return self.commands_for(None)

    def commands_for(
        self, scope: dict[str, Any] | None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command menu registered for ``scope`` (e.g. ``{"type": "chat", "chat_id": 7}``)
        and ``language_code`` ("" for users whose language has no menu of its own)."""
        with self._lock:
            return list(self._commands.get((_scope_key(scope), language_code), []))

    def menu_languages(self) -> set[str]:
        """Every ``language_code`` a command menu was set for ("" included)."""
        with self._lock:
            return {language for _scope, language in self._commands}

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    async def wait_for(
        self, predicate: Callable[[], bool], *, timeout: float = 10.0, what: str = "condition"
    ) -> None:
        """Wait (in the caller's event loop) until ``predicate()`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if predicate():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            await asyncio.sleep(0.01)

    async def wait_for_messages(
        self, chat_id: int, count: int, *, timeout: float = 10.0
    ) -> list[Message]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``."""
        await self.wait_for(
            lambda: len(self.messages(chat_id)) >= count,
            timeout=timeout,
            what=f"{count} messages in chat {chat_id}",
        )
        return self.messages(chat_id)

    async def reply_to(self, chat: Chat, text: str, *, timeout: float = 10.0, **kw: Any) -> Message:
        """Send ``text`` as a reader and wait for the bot's next message in that chat."""
        before = len(self.messages(chat.id))
        self.user_sends(chat, text, **kw)
        messages = await self.wait_for_messages(chat.id, before + 1, timeout=timeout)
        return messages[before]

    # --- internals --------------------------------------------------------------------
    def _next_message_id(self, chat_id: int) -> int:
        ids = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(ids)

    def _find_message(self, chat_id: int, message_id: int) -> Message | None:
        for message in self._messages.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def _push_update(self, body: dict[str, Any]) -> None:
        self._queue({"update_id": next(self._update_ids), **body})

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self.allowed_updates is None or not self.allowed_updates:
            return kind not in _NOT_BY_DEFAULT
        return kind in self.allowed_updates

    def _queue(self, update: dict[str, Any]) -> None:
        """Hand an update to the bot: POST it to the webhook when one is set (as Telegram
        does), else keep it for getUpdates. Types the bot did not ask for are dropped."""
        with self._lock:
            if not self._wanted(update):
                return
            loop, event, webhook = self._loop, self._new_update, self.webhook_url
            if webhook is None:
                self._updates.append(update)
                if loop is not None and event is not None:
                    loop.call_soon_threadsafe(event.set)
                return
        if loop is None:
            raise RuntimeError("the fake Bot API is not running")
        # Keep a reference: asyncio holds tasks weakly, and a task waiting on a socket
        # is otherwise garbage that the collector may destroy mid-request.
        future = asyncio.run_coroutine_threadsafe(self._post_webhook(webhook, update), loop)
        with self._lock:
            self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)

    async def _post_webhook(self, url: str, update: dict[str, Any]) -> None:
        parts = urlsplit(url)
        body = json.dumps(update).encode()
        headers = [
            f"POST {parts.path or '/'} HTTP/1.1",
            f"Host: {parts.netloc}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            "Connection: close",
        ]
        if self.webhook_secret is not None:
            headers.append(f"X-Telegram-Bot-Api-Secret-Token: {self.webhook_secret}")
        status = 0
        try:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            writer.close()
            await writer.wait_closed()
        except (OSError, IndexError, ValueError):
            status = 0
        with self._lock:
            self.webhook_deliveries.append((update["update_id"], status))

    def _message_to_api(self, message: Message) -> dict[str, Any]:
        chat = self._chats.get(message.chat_id, Chat(message.chat_id))
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.to_api(),
        }
        if message.from_bot:
            data["from"] = self.bot.to_api()
        if message.text:
            data["text"] = (
                telegram_html_to_text(message.text)
                if message.parse_mode and message.parse_mode.upper() == "HTML"
                else message.text
            )
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.document:
            data["document"] = message.document
        if message.edits:
            data["edit_date"] = message.date
        if message.message_thread_id is not None:
            data["message_thread_id"] = message.message_thread_id
            data["is_topic_message"] = True
        return data

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                verb, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                status, content_type, payload = await self._route(verb, target, headers, body)
                writer.write(
                    (
                        f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                        f"Content-Type: {content_type}\r\n"
                        f"Content-Length: {len(payload)}\r\n"
                        "Connection: keep-alive\r\n\r\n"
                    ).encode()
                    + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # The server is stopping with a long poll still open. Ending the task normally
            # keeps asyncio (3.11) from logging the cancellation as an error.
            pass
        finally:
            writer.close()

    async def _route(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        # Clients percent-encode paths (python-telegram-bot sends the token's ':' as '%3A'
        # in file downloads); Telegram decodes them, so the fake does too.
        path = unquote(urlsplit(target).path)
        if path == "/_stats":
            with self._lock:
                stats = dict(self.counters)
            return 200, "application/json", json.dumps(stats).encode()
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            with self._lock:
                for name, content in self._files.values():
                    if path.endswith("/" + name):
                        return 200, "application/octet-stream", content
            return 404, "text/plain", b"Not Found"
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return _error_response(BotApiError(401, "Unauthorized"))
        method = path[len(prefix) :]
        params = _parse_params(urlsplit(target).query, headers.get("content-type", ""), body)
        call = Call(method=method, params=params, at=time.monotonic())
        with self._lock:
            self.counters[method] = self.counters.get(method, 0) + 1
            if self._record_calls:
                self._calls.append(call)
        try:
            result = await self._dispatch(method, params)
        except BotApiError as error:
            call.status, call.error = error.status, error.description
            return _error_response(error)
        return 200, "application/json", json.dumps({"ok": True, "result": result}).encode()

    def _injected_failure(self, method: str, params: dict[str, Any]) -> BotApiError | None:
        chat_id = params.get("chat_id")
        for failure in self._failures:
            if failure.remaining <= 0 or failure.method != method:
                continue
            if failure.chat_id is not None and failure.chat_id != chat_id:
                continue
            failure.remaining -= 1
            return BotApiError(failure.status, failure.description, failure.retry_after)
        if method.startswith(("send", "edit")) and chat_id in self._blocked:
            return BotApiError(403, "Forbidden: bot was blocked by the user")
        thread = params.get("message_thread_id")
        if method.startswith("send") and thread is not None and chat_id is not None:
            gone = self._gone_topics.get((int(chat_id), int(thread)))
            if gone is not None:
                return BotApiError(400, gone)
        if method.startswith(("send", "edit")) and chat_id in self._migrated:
            return BotApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self._migrated[chat_id],
            )
        return None

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return await self._get_updates(params)
        with self._lock:
            failure = self._injected_failure(method, params)
            if failure is not None:
                key = f"error_{failure.status}"
                self.counters[key] = self.counters.get(key, 0) + 1
                raise failure
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise BotApiError(404, "Not Found: method not found")
            return handler(params)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url is not None:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if params.get("allowed_updates") is not None:
            with self._lock:
                self.allowed_updates = list(params["allowed_updates"])
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                if offset:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
                self._new_update.clear()
            if ready or time.monotonic() >= deadline:
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=max(0.0, deadline - time.monotonic())
                )

    # --- Bot API methods (called with the lock held) ------------------------------------
    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise BotApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook_url = url or None
        self.webhook_secret = secret
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise BotApiError(400, "Bad Request: command description is invalid")
        language = _menu_language(params)
        self._commands[(_scope_key(params.get("scope")), language)] = list(commands)
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = (_scope_key(params.get("scope")), _menu_language(params))
        return list(self._commands.get(key, []))

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._require_chat(params)
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        plain = telegram_html_to_text(text) if parse_mode and parse_mode.upper() == "HTML" else text
        if _utf16_len(plain) > MAX_TEXT:
            raise BotApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        _check_reply_markup(markup)
        message = Message(
            chat_id=chat_id,
            message_id=self._next_message_id(chat_id),
            from_bot=True,
            text=text,
            date=int(time.time()),
            parse_mode=parse_mode,
            reply_markup=markup,
            link_preview_options=params.get("link_preview_options"),
            reply_to_message_id=(params.get("reply_parameters") or {}).get("message_id"),
            message_thread_id=self._thread_of(chat_id, params),
        )
        self._messages.setdefault(chat_id, []).append(message)
        return self._message_to_api(message)

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        upload = params.get("document")
        if not isinstance(upload, tuple):
            raise BotApiError(400, "Bad Request: there is no document in the request")
        file_name, content = upload
        file_id = f"sent-{len(self._files) + 1}"
        self._files[file_id] = (file_name, content)
        message = Message(
            chat_id=chat_id,
            message_id=self._next_message_id(chat_id),
            from_bot=True,
            text=params.get("caption", ""),
            date=int(time.time()),
            parse_mode=params.get("parse_mode"),
            document={
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": file_name,
                "file_size": len(content),
            },
        )
        self._messages.setdefault(chat_id, []).append(message)
        return self._message_to_api(message)

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._require_message(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        plain = telegram_html_to_text(text) if parse_mode and parse_mode.upper() == "HTML" else text
        if _utf16_len(plain) > MAX_TEXT:
            raise BotApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        _check_reply_markup(markup)
        if text == message.text and markup == message.reply_markup:
            raise BotApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
        message.link_preview_options = params.get("link_preview_options")
        message.edits += 1
        return self._message_to_api(message)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._require_message(params)
        markup = params.get("reply_markup")
        _check_reply_markup(markup)
        if markup == message.reply_markup:
            raise BotApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return self._message_to_api(message)

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        message = self._require_message(params)
        message.deleted = True
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if not query_id:
            raise BotApiError(400, "Bad Request: query is too old and response timeout expired")
        self._callback_answers[query_id] = params
        return True

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        chat = self._chats.get(chat_id, Chat(chat_id))
        return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11}

    def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        user_id = int(params.get("user_id", 0))
        chat = self._chats.get(chat_id, Chat(chat_id))
        user = User(id=user_id)
        if chat.type == "private" or user_id in self._admins.get(chat_id, set()):
            status = "creator" if chat.type == "private" else "administrator"
        else:
            status = "member"
        member: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            )
        elif status == "creator":
            member["is_anonymous"] = False
        return member

    def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = self._require_chat(params)
        return [
            self._api_getChatMember({"chat_id": chat_id, "user_id": user_id})
            for user_id in sorted(self._admins.get(chat_id, set()))
        ]

    def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise BotApiError(400, "Bad Request: invalid file_id")
        name, content = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"documents/{name}",
        }

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _require_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if not isinstance(chat_id, int):
            raise BotApiError(400, "Bad Request: chat not found")
        params["chat_id"] = chat_id
        return chat_id

    def _thread_of(self, chat_id: int, params: dict[str, Any]) -> int | None:
        """The forum topic a send goes to: only a forum has topics (Telegram refuses a
        thread elsewhere)."""
        thread = params.get("message_thread_id")
        if thread is None:
            return None
        chat = self._chats.get(chat_id)
        if chat is None or not chat.is_forum:
            raise BotApiError(400, "Bad Request: message thread not found")
        return int(thread) or None

    def _require_message(self, params: dict[str, Any]) -> Message:
        chat_id = self._require_chat(params)
        message = self._find_message(chat_id, int(params.get("message_id", 0)))
        if message is None or message.deleted:
            raise BotApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:
            raise BotApiError(400, "Bad Request: message can't be edited")
        return message


#: Update types Telegram sends only to bots that ask for them by name.
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}


def _menu_language(params: dict[str, Any]) -> str:
    """The ``language_code`` of a set/getMyCommands call, as Telegram checks it: empty, or
    a two-letter ISO 639-1 code."""
    language = str(params.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise BotApiError(400, "Bad Request: invalid language code specified")
    return language


def _scope_key(scope: Any) -> str:
    if not scope or scope == {"type": "default"}:
        return ""
    if isinstance(scope, dict) and "chat_id" in scope:
        scope = {**scope, "chat_id": int(scope["chat_id"])}
    return json.dumps(scope, sort_keys=True)


def _error_response(error: BotApiError) -> tuple[int, str, bytes]:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": error.status,
        "description": error.description,
    }
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    if error.migrate_to_chat_id is not None:
        body["parameters"] = {"migrate_to_chat_id": error.migrate_to_chat_id}
    return error.status, "application/json", json.dumps(body).encode()


def _decode_value(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {k: _decode_value(k, v) for k, v in parse_qsl(query)}
    if not body:
        return params
    if content_type.startswith("application/json"):
        params.update(json.loads(body))
    elif content_type.startswith("application/x-www-form-urlencoded"):
        for key, value in parse_qsl(body.decode(), keep_blank_values=True):
            params[key] = _decode_value(key, value)
    elif content_type.startswith("multipart/form-data"):
        raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)  # bytes for a leaf part, None when empty
            payload = decoded if isinstance(decoded, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                params[str(name)] = (filename, payload)
            else:
                params[str(name)] = _decode_value(str(name), payload.decode())
    return params


def escape(text: str) -> str:
    """HTML-escape like the bot must (for building expected texts in tests)."""
    return html.escape(text, quote=False)


def main() -> None:
    """Serve standalone until killed; prints the port on the first line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args()
    fake = FakeBotApi(args.token, host=args.host, port=args.port, record_calls=False)
    fake.start()
    print(fake.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
