"""pytest plugin: no log record of the whole test session may show the bot token.

Enable it from ``tests/conftest.py``::

    pytest_plugins = ["tests.support.no_token_in_logs"]

It installs a handler on the root logger for the whole session (and puts it back before
each test, should a test have reconfigured logging) that looks for the fake Bot API's
token, raw and URL-encoded (``:`` as ``%3A`` or ``%3a``), in every record that reaches
the root logger, with two checks:

- **output**: the record formatted exactly as production writes it
  (:func:`bot.runtime.logs.build_formatter`, text and JSON, with the token as the secret) must
  not contain the token: a new formatter field, a new spelling of the token, a broken
  redactor all show up here on the real records the suite produces;
- **our records**: a record from our own code (loggers ``bot``, ``ingest``, ``storage``,
  ``digest``, ``summarizer``, ``newsbot``) must not carry the token even before
  redaction: redaction is the safety net, not the plan. Third-party records (httpx's
  request lines) only need the first check.

A finding fails the session (exit status 1) and is listed in the terminal summary with
the test, the logger and the check, never with the token itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from bot.runtime.logs import JsonFormatter, Redactor, build_formatter
from tests.support.fake_bot_api import DEFAULT_TOKEN

OUR_LOGGERS = ("bot", "ingest", "storage", "digest", "summarizer", "newsbot")


def _spellings(token: str) -> tuple[str, ...]:
    """The token as a log line could show it, in lower case for a case-blind search."""
    return (token.lower(), token.replace(":", "%3A").lower())


def _is_ours(name: str) -> bool:
    return any(name == root or name.startswith(f"{root}.") for root in OUR_LOGGERS)


@dataclass(frozen=True)
class Finding:
    test: str
    logger: str
    level: str
    check: str
    where: str


class TokenWatch(logging.Handler):
    """Checks every record it sees; keeps what it found."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        super().__init__(logging.NOTSET)
        self.spellings = _spellings(token)
        redactor = Redactor([token])
        self.production = (build_formatter("text", redactor), build_formatter("json", redactor))
        self.raw = JsonFormatter()
        self.current_test = "(outside a test)"
        self.findings: list[Finding] = []

    def _leaks(self, text: str) -> bool:
        lowered = text.lower()
        return any(s in lowered for s in self.spellings)

    def _found(self, record: logging.LogRecord, check: str) -> None:
        where = f"{record.pathname}:{record.lineno}"
        self.findings.append(
            Finding(self.current_test, record.name, record.levelname, check, where)
        )

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if any(self._leaks(f.format(record)) for f in self.production):
                self._found(record, "production output shows the token")
            elif _is_ours(record.name) and self._leaks(self.raw.format(record)):
                self._found(record, "our record carries the token before redaction")
        except Exception:  # a record that cannot be formatted is another test's failure
            return


_WATCH_KEY = pytest.StashKey[TokenWatch]()


def _attach(watch: TokenWatch) -> None:
    root = logging.getLogger()
    if watch not in root.handlers:
        root.addHandler(watch)


def pytest_configure(config: pytest.Config) -> None:
    watch = TokenWatch()
    config.stash[_WATCH_KEY] = watch
    _attach(watch)


def pytest_unconfigure(config: pytest.Config) -> None:
    watch = config.stash.get(_WATCH_KEY, None)
    if watch is not None:
        logging.getLogger().removeHandler(watch)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    watch = item.config.stash[_WATCH_KEY]
    _attach(watch)  # a test before this one may have replaced the root handlers
    watch.current_test = item.nodeid
    yield
    _attach(watch)
    watch.current_test = "(outside a test)"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    watch = session.config.stash.get(_WATCH_KEY, None)
    if watch is not None and watch.findings and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    watch = config.stash.get(_WATCH_KEY, None)
    if watch is None or not watch.findings:
        return
    terminalreporter.section("the bot token reached a log record", sep="=", red=True, bold=True)
    for f in watch.findings[:50]:
        terminalreporter.line(f"{f.test}: {f.level} {f.logger} at {f.where}: {f.check}")
    if len(watch.findings) > 50:
        terminalreporter.line(f"… and {len(watch.findings) - 50} more")
