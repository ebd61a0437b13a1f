"""`newsbot summarize FILE|-`: print the summary of a text or HTML file."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings
from summarizer import cli_main


def register(subparsers: Any) -> None:
    # The summariser owns its options (--sentences, --method, --language, --title,
    # --max-words); forward everything so `newsbot summarize --help` shows them.
    parser = subparsers.add_parser(
        "summarize",
        help="print the summary of a text or HTML file (or - for standard input)",
        description="Summarise a text or HTML file and print the summary sentences.",
        add_help=False,
    )
    parser.set_defaults(handler=handle, passthrough=True)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    return cli_main(args.passthrough_arguments)
