"""The `newsbot` command configures logging with every secret of its settings."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.env import SETTING_NAMES
from tests.support.log_capture import preserved_logging


@pytest.fixture
def restored_logging() -> Iterator[None]:
    with preserved_logging():
        yield


def test_the_cli_redacts_the_database_password_and_webhook_secret(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    restored_logging: None,
) -> None:
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://newsbot:Long%2FSecret-pw@db/newsbot")
    monkeypatch.setenv("NEWSBOT_WEBHOOK_SECRET", "hook-secret-0123")
    # `run` without a token stops after logging is configured: exit 2 and one line.
    assert main(["run"]) == 2
    logging.getLogger("tests.ops.cli").warning(
        "pool to postgresql://newsbot:Long%2FSecret-pw@db/newsbot, secret hook-secret-0123"
    )
    err = capsys.readouterr().err
    assert "pool to postgresql://newsbot:[REDACTED]@db/newsbot, secret [REDACTED]" in err
    assert "Secret-pw" not in err
    assert "hook-secret" not in err
