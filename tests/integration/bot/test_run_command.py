"""`newsbot run` as an operator starts it: a real process against the fake Bot API.

It must answer readers, register its menu, serve /healthz when asked to, and exit cleanly
(code 0, no traceback) on SIGTERM and SIGINT.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.env import environment_without_settings
from tests.support.fake_bot_api import Chat, FakeBotApi


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_run_serves_readers_and_stops_cleanly_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        metrics_port = probe.getsockname()[1]
    sources = tmp_path / "sources.toml"
    sources.write_text("# no feeds: this test must not reach the internet\n")
    with FakeBotApi() as fake:
        env = {
            **environment_without_settings(),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": fake.base_url,
            "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
            "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
            "NEWSBOT_SOURCES": str(sources),
            "NEWSBOT_METRICS_PORT": str(metrics_port),
        }
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
