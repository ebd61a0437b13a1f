"""`newsbot summarize FILE|-`: print the summary of a text or HTML file."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "summarize",
        help="print the summary of a text or HTML file (or - for standard input)",
        description="Summarise a text or HTML file and print the summary sentences.",
    )
    parser.add_argument("file", help="a text or HTML file, or - for standard input")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli._summarize import summarize_file

    return summarize_file(args)
