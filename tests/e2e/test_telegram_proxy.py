"""All Telegram traffic through NEWSBOT_TELEGRAM_PROXY: an HTTP forward proxy and SOCKS5.

The bot is told that Telegram lives at ``api.telegram.invalid``, a name that resolves
nowhere: replies and digests can only reach the fake Bot API through the proxy, and the
proxy's own log shows the ``sendMessage`` calls. The proxies run on loopback in the test.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.runtime.settings import SettingsError, load_settings
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.digest_world import add_sources, add_story
from tests.support.env import free_port, newsbot_run_env
from tests.support.fake_bot_api import Chat, FakeBotApi
from tests.support.forward_proxy import ForwardProxy
from tests.support.socks_proxy import Socks5Proxy

READER = Chat(42)
TELEGRAM = "http://api.telegram.invalid"


@contextmanager
def _proxy(
    kind: str, upstream_port: int
) -> Iterator[tuple[str, list[str], Callable[[], set[str]]]]:
    """The proxy URL (with a password), the proxy's log of the requests it carried, and
    the hosts clients asked it for."""
    if kind == "http":
        with ForwardProxy(upstream_port) as http_proxy:
            yield (
                f"http://newsbot:s3cret-pw@127.0.0.1:{http_proxy.port}",
                http_proxy.requested,
                lambda: {urlsplit(r).hostname or "" for r in http_proxy.requested},
            )
    else:
        with Socks5Proxy(upstream_port) as socks:
            yield (
                f"socks5h://newsbot:s3cret-pw@127.0.0.1:{socks.port}",
                socks.requests,
                lambda: {host for host, _port in socks.destinations},
            )


async def _scheduled_digest(bot: RunningBot) -> None:
    job_queue = bot.application.job_queue
    assert job_queue is not None
    [job] = job_queue.get_jobs_by_name("digest")
    await job.run(bot.application)


@pytest.mark.parametrize("kind", ["http", "socks5h"])
async def test_commands_and_the_scheduled_digest_go_through_the_proxy(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeBotApi() as fake, _proxy(kind, fake.port) as (proxy_url, carried, hosts):
        async with running_bot(
            tmp_path,
            fake=fake,
            telegram_base_url=f"{TELEGRAM}/bot",
            telegram_base_file_url=f"{TELEGRAM}/file/bot",
            telegram_proxy=proxy_url,
        ) as bot:
            now = bot.clock.now()
            async with bot.services.db.sessions.begin() as session:
                sources = await add_sources(session, 1, now)
                await add_story(
                    session,
                    title="Rivers rise after a week of rain",
                    topics=["world"],
                    sources=sources,
                    published_at=now - timedelta(hours=1),
                )
            welcome = await bot.send(READER, "/start")
            assert welcome.plain_text.startswith("Welcome")
            await bot.send(READER, "/subscribe world")
            replies = [r for r in carried if r.endswith("/sendMessage")]
            assert len(replies) >= 2

            bot.clock.set(now.replace(hour=7, minute=30))
            before = len(bot.fake.messages(READER.id))
            await _scheduled_digest(bot)
            [digest] = bot.fake.messages(READER.id)[before:]
            assert "Rivers rise after a week of rain" in digest.plain_text
            bot.assert_no_errors()
    # The digest's sendMessage is in the proxy's log too, after the replies', and the
    # bot never reached Telegram another way (api.telegram.invalid resolves nowhere).
    sends = [r for r in carried if r.endswith("/sendMessage")]
    assert len(sends) == len(replies) + 1
    assert any(r.endswith("/getUpdates") for r in carried)
    assert hosts() == {"api.telegram.invalid"}
    assert "s3cret-pw" not in caplog.text


def test_a_proxy_url_that_is_not_one_is_refused_in_one_line_without_its_password() -> None:
    for bad in ("ftp://user:pw-123@proxy.example:21", "socks5://user:pw-123@proxy.example"):
        with pytest.raises(SettingsError) as refused:
            load_settings(_env_file=None, telegram_proxy=bad)
        message = str(refused.value)
        assert message.startswith("invalid setting NEWSBOT_TELEGRAM_PROXY:")
        assert "pw-123" not in message and "\n" not in message


@pytest.mark.slow
async def test_a_bot_behind_an_unreachable_proxy_says_so_in_one_line(tmp_path: Path) -> None:
    dead = free_port()
    with FakeBotApi() as fake:
        env = newsbot_run_env(
            tmp_path,
            token=fake.token,
            base_url=fake.base_url,
            NEWSBOT_TELEGRAM_PROXY=f"socks5://newsbot:s3cret-pw@127.0.0.1:{dead}",
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
        _out, raw_err = await asyncio.wait_for(process.communicate(), timeout=60)
    err = raw_err.decode()
    assert process.returncode == 1, err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "ERROR" in line]
    assert f"cannot reach the Telegram Bot API through the proxy socks5://127.0.0.1:{dead}" in line
    assert "s3cret-pw" not in err and fake.token not in err
    assert not fake.calls()  # nothing went around the proxy
