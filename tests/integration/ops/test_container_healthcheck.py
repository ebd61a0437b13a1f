"""The container's health probe (docker/healthcheck.py) and `newsbot health` never go
through a proxy: an operator's HTTP_PROXY in .env must not turn a healthy bot unhealthy."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.runtime.health_endpoint import HealthServer
from storage import Database
from tests.integration.ops.test_health_endpoint import _newsbot_health, _serving
from tests.support.env import environment_without_settings
from tests.support.forward_proxy import ForwardProxy

ROOT = Path(__file__).resolve().parents[3]
PROBE = ROOT / "docker" / "healthcheck.py"


async def _probe(env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",  # isolated: the image runs it with nothing of ours on the path either
        str(PROBE),
        env={**environment_without_settings(), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


def _proxy_env(proxy: ForwardProxy) -> dict[str, str]:
    return dict.fromkeys(
        ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"), proxy.url
    )


async def test_the_probe_asks_healthz_directly_whatever_the_proxy_settings(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with ForwardProxy(upstream_port=9) as proxy:
        async with _serving(sqlite_db) as health:
            assert isinstance(health, HealthServer)
            env = {"NEWSBOT_METRICS_PORT": str(health.port), **_proxy_env(proxy)}
            code, out = await _probe(env)
            assert code == 0, out
            assert '"status"' in out
            code, out, err = await _newsbot_health(
                {**env, "NEWSBOT_DATA_DIR": str(tmp_path)}, tmp_path
            )
            assert code == 0, err
        assert proxy.requested == []


async def test_the_probe_fails_when_nothing_answers(tmp_path: Path) -> None:
    code, out = await _probe({"NEWSBOT_METRICS_PORT": "9"})
    assert code == 1
    assert "no answer from http://127.0.0.1:9/healthz" in out
