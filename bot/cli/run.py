"""`newsbot run`: the bot, with its ingest and digest jobs."""

from __future__ import annotations

import argparse
from typing import Any

from bot.runtime.settings import Settings, SettingsError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the bot (long polling, or a webhook when NEWSBOT_WEBHOOK_URL is set)",
        description=(
            "Run the bot with its ingest and digest jobs until SIGINT or SIGTERM. "
            "Needs TELEGRAM_BOT_TOKEN (from @BotFather)."
        ),
    )
    parser.add_argument(
        "--worker",
        action="store_true",
        help=(
            "run only the digest and ingest jobs, receiving no updates: the extra "
            "processes beside the one that polls (PostgreSQL only)"
        ),
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    settings.token()  # no token: one line telling how to get one from @BotFather, exit 2
    if args.worker and settings.is_embedded_database:
        raise SettingsError(
            "newsbot run --worker shares the work of other processes through PostgreSQL; "
            "with SQLite (DATABASE_URL unset) run one `newsbot run` instead"
        )
    from bot.app import run_bot

    return run_bot(settings, worker=args.worker)
