"""`newsbot digest --chat ID [--preview]`: what a reader would get now."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="send the digest a reader would get now, or with --preview only print it",
        description="Compose the digest a reader would get now.",
    )
    parser.add_argument("--chat", type=int, required=True, help="the reader's chat id")
    parser.add_argument(
        "--preview", action="store_true", help="print it without sending or recording anything"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli._digest import digest_for_chat

    return digest_for_chat(args, settings)
