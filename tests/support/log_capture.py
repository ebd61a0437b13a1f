"""Run code under the production logging configuration and read what it wrote.

``captured_logs`` calls :func:`bot.runtime.logs.configure_logging` exactly as the CLI does, with
an in-memory stream, and puts every piece of global logging state it touches back
afterwards (root handlers and level, the levels of the quietened loggers, warnings
capture, ``sys.excepthook``), so one test's configuration never leaks into the next.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.runtime.logs import configure_logging

#: Loggers whose level configure_logging sets; restored on exit.
_TOUCHED_LOGGERS = ("httpx", "httpcore", "alembic")


@dataclass
class CapturedLogs:
    """What the production handler wrote, as text, lines, or parsed JSON objects."""

    stream: io.StringIO = field(default_factory=io.StringIO)
    #: The handler configure_logging installed (to attach to a non-propagating logger).
    handler: logging.Handler | None = None

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def json_lines(self) -> list[dict[str, Any]]:
        """Every line parsed as JSON (fails the test on a line that is not JSON)."""
        return [json.loads(line) for line in self.lines]


@contextmanager
def preserved_logging() -> Iterator[None]:
    """Put back, on exit, all the global logging state configure_logging changes.

    For tests that run the CLI in-process (``bot.cli.main`` configures logging).
    """
    root = logging.getLogger()
    saved_handlers = list(root.handlers)
    saved_level = root.level
    saved_levels = {name: logging.getLogger(name).level for name in _TOUCHED_LOGGERS}
    saved_excepthook = sys.excepthook
    # logging keeps the replaced warnings.showwarning here while it captures warnings.
    warnings_were_captured = getattr(logging, "_warnings_showwarning", None) is not None
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if handler not in saved_handlers:
                root.removeHandler(handler)  # its stream may be a test's, closed by now
        for old in saved_handlers:
            if old not in root.handlers:
                root.addHandler(old)
        root.setLevel(saved_level)
        for name, old_level in saved_levels.items():
            logging.getLogger(name).setLevel(old_level)
        if not warnings_were_captured:
            logging.captureWarnings(False)
        sys.excepthook = saved_excepthook


@contextmanager
def captured_logs(
    *, secrets: Iterable[str] = (), fmt: str = "text", level: str = "DEBUG"
) -> Iterator[CapturedLogs]:
    """Configure logging as production does, writing to memory; restore it afterwards."""
    with preserved_logging():
        captured = CapturedLogs()
        captured.handler = configure_logging(
            level=level, fmt=fmt, secrets=secrets, stream=captured.stream
        )
        yield captured
