"""`newsbot ingest`: run one ingest cycle and print what it did."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="fetch every due source once, store and summarise new articles, print counts",
        description="Run one ingest cycle and print what it did.",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli._ingest import ingest_once

    return ingest_once(args, settings)
