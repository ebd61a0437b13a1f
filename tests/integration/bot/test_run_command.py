"""`newsbot run` as an operator starts it: a real process against the fake Bot API.

It must answer readers, register its menu, serve /healthz when asked to, and exit cleanly
(code 0, no traceback) on SIGTERM and SIGINT.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.databases import temporary_database_url
from tests.support.env import environment_without_settings, free_port, newsbot_run_env, run_newsbot
from tests.support.fake_bot_api import Chat, FakeBotApi


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_run_serves_readers_and_stops_cleanly_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    metrics_port = free_port()
    with FakeBotApi() as fake:
        env = newsbot_run_env(
            tmp_path,
            token=fake.token,
            base_url=fake.base_url,
            TELEGRAM_BASE_FILE_URL=fake.base_file_url,
            NEWSBOT_METRICS_PORT=str(metrics_port),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await fake.wait_for(lambda: bool(fake.commands), timeout=30, what="the menu")
            reply = await fake.reply_to(Chat(42), "/start", timeout=30)
            assert reply.plain_text.startswith("Welcome")
            async with httpx.AsyncClient() as client:
                health = await client.get(f"http://127.0.0.1:{metrics_port}/healthz")
            assert health.status_code == 200
            process.send_signal(stop_signal)
            started = time.monotonic()
            _out, raw_err = await asyncio.wait_for(process.communicate(), timeout=30)
            err = raw_err.decode()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == 0, err
    assert time.monotonic() - started < 15
    assert "Traceback" not in err
    assert "running (long polling)" in err and "stopping" in err
    assert fake.token not in err
    assert (tmp_path / "data" / "newsbot.db").exists()


@pytest.mark.slow
async def test_a_worker_runs_the_jobs_without_asking_for_updates(tmp_path: Path) -> None:
    """Beside the one process that polls, workers on PostgreSQL share digests and ingest."""
    sources = tmp_path / "sources.toml"
    sources.write_text("# no feeds: this test must not reach the internet\n")
    async with temporary_database_url("postgresql", tmp_path) as url:
        with FakeBotApi() as fake:
            env = {
                "TELEGRAM_BOT_TOKEN": fake.token,
                "TELEGRAM_BASE_URL": fake.base_url,
                "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
                "DATABASE_URL": url,
                "NEWSBOT_SOURCES": str(sources),
            }
            assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--worker",
                cwd=tmp_path,
                env={**environment_without_settings(), **env},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                assert process.stderr is not None
                started = await asyncio.wait_for(_line_with(process.stderr, "running"), 60)
                assert "worker: digests and ingest only" in started
                fake.user_sends(Chat(42), "/start")
                await asyncio.sleep(1)
                process.send_signal(signal.SIGTERM)
                _out, raw_err = await asyncio.wait_for(process.communicate(), timeout=30)
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
            assert process.returncode == 0, raw_err.decode()
            assert fake.calls("getUpdates") == []
            assert fake.calls("setWebhook") == []
            assert fake.messages(42) == []
            assert fake.token not in raw_err.decode()


async def _line_with(stream: asyncio.StreamReader, text: str) -> str:
    while True:
        line = (await stream.readline()).decode()
        if not line:
            raise AssertionError(f"the process ended before logging {text!r}")
        if text in line:
            return line


def test_a_worker_on_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_newsbot(
        "run",
        "--worker",
        env={"TELEGRAM_BOT_TOKEN": "123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsbot: newsbot run --worker shares the work of other processes through "
        "PostgreSQL; with SQLite (DATABASE_URL unset) run one `newsbot run` instead "
        f"(no .env file in {tmp_path.resolve()}; only the environment was read)"
    ]
