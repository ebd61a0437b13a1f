"""The ingest tick inside `newsbot run` (being built for the ingest issue)."""

from __future__ import annotations

from typing import Any

from bot.services import Services


def install(application: Any, services: Services) -> None:
    """Schedule the ingest cycle on the application's JobQueue."""
