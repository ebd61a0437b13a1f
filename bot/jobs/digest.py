"""The digest tick and /digest inside `newsbot run` (being built for the digest issue)."""

from __future__ import annotations

from typing import Any

from bot.services import Services


def install(application: Any, services: Services) -> None:
    """Schedule the digest tick and register /digest."""
