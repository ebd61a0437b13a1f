"""Admin commands about sources (being built for the ingest issue)."""

from __future__ import annotations

from typing import Any

from bot.services import Services


def register(application: Any, services: Services) -> None:
    """Register /addsource, /removesource and /sources."""
