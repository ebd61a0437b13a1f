"""Variables that look like settings but are none: a typo, named with the closest setting."""

from __future__ import annotations

import difflib
from pathlib import Path

#: Variables with our prefixes that are not settings on purpose: the test suite's.
_NOT_SETTINGS = ("NEWSBOT_SHARED_DATA", "NEWSBOT_TEST_", "NEWSBOT_REQUIRE_POSTGRES")
_PREFIXES = ("NEWSBOT_", "TELEGRAM_")


def unknown_setting_warnings(
    environment: dict[str, str],
    dotenv: dict[str, str | None],
    env_file: Path | None,
    known: list[str],
) -> list[str]:
    """One line per NEWSBOT_*/TELEGRAM_* variable that no setting reads (a typo, mostly).

    ``known``: every variable a setting reads (``bot.runtime.settings.setting_names``).
    """
    found: dict[str, list[str]] = {}
    for origin, names in (("the environment", environment), (str(env_file), dotenv)):
        for name in names:
            upper = name.upper()
            if not upper.startswith(_PREFIXES) or upper.startswith(_NOT_SETTINGS):
                continue
            if upper not in known:
                found.setdefault(name, []).append(origin)
    # Compared without the prefix: every name shares "NEWSBOT_", which would make any two
    # look alike, and a setting given the other prefix (TELEGRAM_ADMIN_IDS) is still found.
    bare = {_without_prefix(k): k for k in known}
    lines = []
    for name, origins in found.items():
        close = difflib.get_close_matches(_without_prefix(name.upper()), bare, n=1, cutoff=0.6)
        hint = f"did you mean {bare[close[0]]}?" if close else "see .env.example for the settings"
        lines.append(f"{name} (in {' and '.join(origins)}) is not a setting and is ignored: {hint}")
    return lines


def _without_prefix(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name
