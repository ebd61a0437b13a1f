"""The environment variables our settings read, so tests can start from a clean slate."""

from __future__ import annotations

import os

from pydantic import AliasChoices

from bot.settings import Settings

SETTING_NAMES = [
    str(f.validation_alias.choices[0])
    for f in Settings.model_fields.values()
    if isinstance(f.validation_alias, AliasChoices)
]


def environment_without_settings() -> dict[str, str]:
    """``os.environ`` minus every setting, for subprocesses that must see only ours."""
    return {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
