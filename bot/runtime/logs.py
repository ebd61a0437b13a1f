"""Logging: one format for the whole process, secrets redacted on every path.

Bot API URLs carry the bot token (``…/bot<token>/getUpdates``), and the httpx logger
prints request URLs; exceptions from the network can carry them too, and the database
URL carries its password. Redaction therefore works on the *finished* text of each
record: :class:`RedactingFormatter` formats a record (message, arguments, ``extra``
fields, traceback, stack) and only then replaces every secret, in every spelling a log
line may show it in (raw, URL-encoded, JSON- or repr-escaped). Records themselves are not
changed, so other handlers see them untouched.

The paths that bypass formatters are closed too: a record whose arguments do not match
its format string (``logging`` prints the raw arguments to stderr), warnings (routed to
logging) and uncaught exceptions (logged instead of printed).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO
from urllib.parse import quote, quote_plus, unquote, urlsplit

from sqlalchemy.engine import make_url

from bot.runtime.settings import Settings

REDACTED = "[REDACTED]"

#: Shorter "secrets" (a database password such as ``pw``) would blank out ordinary words
#: all over the log; they are not redacted, and the README says to use longer ones.
MIN_SECRET_LENGTH = 6

#: Attributes every LogRecord has; anything else was passed in ``extra=`` and is kept.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}

_PERCENT_ESCAPE = re.compile(r"%[0-9A-F]{2}")


def secret_spellings(secret: str) -> set[str]:
    """Every way ``secret`` may be written in a log line.

    URL-encoded as httpx, urllib and SQLAlchemy write it (``:`` becomes ``%3A``, and
    ``%3a`` in lower case), and escaped as ``json.dumps`` and ``repr`` write it.
    """
    encoded = {
        quote(secret, safe=""),
        quote(secret, safe=" +"),  # SQLAlchemy's rendering of a password
        quote(secret, safe=":@"),
        quote_plus(secret, safe=""),
    }
    lower = {_PERCENT_ESCAPE.sub(lambda m: m.group(0).lower(), e) for e in encoded}
    escaped = {json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]}
    escaped.add(repr(secret)[1:-1])
    return {secret} | encoded | lower | escaped


class Redactor:
    """Replaces secrets, in all their spellings, with ``[REDACTED]``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        spellings: set[str] = set()
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                spellings |= secret_spellings(secret)
        # Longest first, so a spelling containing another is replaced whole.
        self._spellings = sorted(spellings, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._spellings)

    def redact(self, text: str) -> str:
        for spelling in self._spellings:
            if spelling in text:
                text = text.replace(spelling, REDACTED)
        return text


def settings_secrets(settings: Settings) -> list[str]:
    """The secrets in ``settings``: bot token, webhook secret, Telegraph token, and the
    passwords of the database and of the feed and Telegram proxies.

    In webhook mode without NEWSBOT_WEBHOOK_SECRET, the secret Telegram sends back is
    derived from the token (``bot.app``); python-telegram-bot logs it at DEBUG among the
    parameters of setWebhook, so it is a secret here too.
    """
    secrets = [
        s.get_secret_value()
        for s in (settings.telegram_bot_token, settings.webhook_secret, settings.telegraph_token)
        if s
    ]
    if settings.webhook_url and settings.webhook_secret is None and settings.telegram_bot_token:
        from bot.app import derived_webhook_secret  # only then: it imports telegram

        secrets.append(derived_webhook_secret(settings.telegram_bot_token.get_secret_value()))
    password = make_url(settings.effective_database_url).password
    if password:
        secrets.append(str(password))
    for proxy in (settings.feed_proxy, settings.telegram_proxy):
        # The code never logs a proxy URL, but an exception from httpx or a library's
        # debug line might; the password in it is redacted like the database's.
        proxy_password = urlsplit(proxy.get_secret_value()).password if proxy else None
        if proxy_password:
            secrets.append(unquote(proxy_password))
    return secrets


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """Formats with ``inner``, then redacts the finished line (traceback included)."""

    def __init__(self, inner: logging.Formatter, redactor: Redactor) -> None:
        super().__init__()
        self.inner = inner
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(self.inner.format(record))


class RedactingStreamHandler(logging.StreamHandler[TextIO]):
    """The process's log handler; its error report never shows raw arguments.

    ``logging.Handler.handleError`` prints a record's message and raw arguments to
    stderr when they do not format (``log.info("%s %s", url)``); those arguments are
    exactly where a URL with the token sits.
    """

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        super().__init__(stream)
        self.redactor = redactor

    def handleError(self, record: logging.LogRecord) -> None:
        if not logging.raiseExceptions:
            return
        error = sys.exc_info()[1]
        line = (
            f"logging error: a record of {record.name} ({record.pathname}:{record.lineno}) "
            f"could not be formatted: {type(error).__name__}: {error}; "
            f"format string {record.msg!r}\n"
        )
        try:
            self.stream.write(self.redactor.redact(line))
            self.flush()
        except (OSError, ValueError):  # the stream is gone: nothing left to tell
            pass


TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def build_formatter(fmt: str, redactor: Redactor) -> logging.Formatter:
    """The production formatter for ``fmt`` (``text`` or ``json``), redacting."""
    inner = JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)
    return RedactingFormatter(inner, redactor)


def _is_replaceable(handler: logging.Handler) -> bool:
    """Ours from an earlier call, or a console handler such as ``basicConfig`` adds.

    Both would print every line a second time, unredacted in the second case. Other
    handlers (a file handler of an embedding program, pytest's capture) are kept.
    """
    if isinstance(handler, RedactingStreamHandler):
        return True
    consoles = (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__)
    return type(handler) is logging.StreamHandler and handler.stream in consoles


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook: an uncaught exception becomes a redacted CRITICAL record."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("newsbot").critical(
        "stopped by an uncaught exception: %s",
        "".join(traceback.format_exception_only(kind, value)).strip(),
        exc_info=(kind, value, tb),
    )


def configure_logging(
    *,
    level: str = "INFO",
    fmt: str = "text",
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Install the process's log handler on the root logger and return it.

    Calling it again replaces the handler it installed before. Warnings and uncaught
    exceptions are routed through it, so they are formatted and redacted like the rest.
    """
    redactor = Redactor(secrets)
    handler = RedactingStreamHandler(stream or sys.stderr, redactor)
    handler.setFormatter(build_formatter(fmt, redactor))
    root = logging.getLogger()
    for old in list(root.handlers):
        if _is_replaceable(old):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request is noise at INFO; failures still surface from our code.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("httpcore").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    # APScheduler (the JobQueue) logs every job it adds and runs at INFO; our jobs log
    # their own one-line summaries instead.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    # Off, then on: logging may believe it still captures while another party (a test
    # harness restoring warnings.showwarning) has taken the hook back since.
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    return handler
