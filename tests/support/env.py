"""The environment variables our settings read, so tests can start from a clean slate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from pydantic import AliasChoices

from bot.runtime.settings import Settings

SETTING_NAMES = [
    str(f.validation_alias.choices[0])
    for f in Settings.model_fields.values()
    if isinstance(f.validation_alias, AliasChoices)
]


def environment_without_settings() -> dict[str, str]:
    """``os.environ`` minus every setting, for subprocesses that must see only ours."""
    return {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}


def run_newsbot(
    *args: str, env: dict[str, str] | None = None, cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` (the `newsbot` command) in a clean environment plus ``env``.

    Synchronous on purpose: the command may need the test's own servers, which run in
    threads of their own (the fake Bot API, the feed server) and keep serving meanwhile.
    """
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**environment_without_settings(), **(env or {})},
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (once the probe socket is closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def newsbot_run_env(
    tmp_path: Path, *, token: str, base_url: str, **settings: str
) -> dict[str, str]:
    """The environment of a `newsbot run` against a fake Bot API, with no feeds at all (so
    it never reaches the internet), plus ``settings`` (names as the environment spells them)."""
    sources = tmp_path / "sources.toml"
    sources.write_text("# no feeds: this test must not reach the internet\n")
    return {
        **environment_without_settings(),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": base_url,
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "NEWSBOT_SOURCES": str(sources),
        **settings,
    }
