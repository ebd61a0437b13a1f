"""`newsbot sources`: list the sources with their health."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sources",
        help="list sources with their health",
        description="List the sources with their health.",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli._sources import list_sources

    return list_sources(args, settings)
