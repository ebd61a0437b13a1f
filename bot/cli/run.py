"""`newsbot run`: the bot, with its ingest and digest jobs."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the bot (long polling, or a webhook when NEWSBOT_WEBHOOK_URL is set)",
        description=(
            "Run the bot with its ingest and digest jobs until SIGINT or SIGTERM. "
            "Needs TELEGRAM_BOT_TOKEN (from @BotFather)."
        ),
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    settings.token()  # no token: one line telling how to get one from @BotFather, exit 2
    from bot.app import run_bot

    return run_bot(settings)
