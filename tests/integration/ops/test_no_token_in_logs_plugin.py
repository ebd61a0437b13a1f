"""The session-wide token check, run on small test files in a pytest subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.fake_bot_api import DEFAULT_TOKEN

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow


def _run_pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(source), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.support.no_token_in_logs",
            "-p",
            "no:cacheprovider",
            "-q",
            "test_sample.py",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


SAMPLE = f"""
import logging

from bot.runtime.logs import Redactor, configure_logging

URL = "http://127.0.0.1/bot{DEFAULT_TOKEN}/sendMessage"

def test_sender_logs_the_url():
    logging.getLogger("bot.delivery.sender").warning("send failed: %s", URL)

def test_clean_sender():
    logging.getLogger("bot.delivery.sender").warning("send failed: chat 42")

def test_third_party_request_line_redacted_in_production():
    encoded = URL.replace(":", "%3A")
    logging.getLogger("httpx").warning("HTTP Request: POST %s", encoded)

def test_broken_redactor(monkeypatch):
    monkeypatch.setattr(Redactor, "redact", lambda self, text: text)
    logging.getLogger("httpx").error("GET %s", URL)

def test_reconfigures_logging():
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    configure_logging(level="INFO")

def test_leaks_after_reconfiguration():
    logging.getLogger("ingest.fetch").error("fetching %s", URL)
"""


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    return _run_pytest(tmp_path_factory.mktemp("sample"), SAMPLE)


def _findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("test_sample.py::")]


def test_a_finding_fails_an_otherwise_green_session(
    session: subprocess.CompletedProcess[str],
) -> None:
    assert "6 passed" in session.stdout, session.stdout + session.stderr
    assert session.returncode == 1
    assert "the bot token reached a log record" in session.stdout


def test_our_code_logging_the_token_is_reported_even_though_production_redacts_it(
    session: subprocess.CompletedProcess[str],
) -> None:
    (finding,) = [f for f in _findings(session) if "test_sender_logs_the_url" in f]
    assert ": WARNING bot.delivery.sender at " in finding
    assert finding.endswith("our record carries the token before redaction")


def test_third_party_lines_need_only_the_production_redaction(
    session: subprocess.CompletedProcess[str],
) -> None:
    reported = "\n".join(_findings(session))
    assert "test_clean_sender" not in reported
    assert "test_third_party_request_line_redacted_in_production" not in reported


def test_a_broken_redactor_is_reported(session: subprocess.CompletedProcess[str]) -> None:
    (finding,) = [f for f in _findings(session) if "test_broken_redactor" in f]
    assert ": ERROR httpx at " in finding
    assert finding.endswith("production output shows the token")


def test_the_check_survives_a_test_that_replaced_the_root_handlers(
    session: subprocess.CompletedProcess[str],
) -> None:
    (finding,) = [f for f in _findings(session) if "test_leaks_after_reconfiguration" in f]
    assert ": ERROR ingest.fetch at " in finding


def test_the_report_never_shows_the_token(session: subprocess.CompletedProcess[str]) -> None:
    output = session.stdout + session.stderr
    assert DEFAULT_TOKEN not in output
    assert DEFAULT_TOKEN.replace(":", "%3A") not in output
