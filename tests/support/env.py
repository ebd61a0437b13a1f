"""The environment variables our settings read, so tests can start from a clean slate."""

from __future__ import annotations

import os
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
