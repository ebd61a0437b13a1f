"""`newsbot`: the command line, one subcommand per module of this package.

Each subcommand module has ``register(subparsers)``, which adds its parser and sets
``handler(args, settings) -> exit code``. Settings are loaded once here; a bad setting
prints one line naming it and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import copy_database, digest, health, ingest, migrate, run, sources, summarize
from bot.logs import configure_logging, settings_secrets
from bot.services import DatabaseUnavailable, SchemaOutdated
from bot.settings import SettingsError, load_settings

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_SUBCOMMANDS = (run, ingest, sources, summarize, digest, migrate, copy_database, health)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description=(
            "Get News Fast: a Telegram bot that summarises the news and sends each reader "
            "a digest of their topics at their local time. Settings come from the "
            "environment and .env (see .env.example)."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script."""
    # Opt in to timedelta durations in python-telegram-bot 22 (its future default).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    parser = build_parser()
    # A subcommand marked `passthrough` parses its own options (summarize hands them to
    # the summariser's parser); every other subcommand gets the strict parse.
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "passthrough", False):
        args.passthrough_arguments = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    secrets = settings_secrets(settings)  # token, webhook secret, database password
    configure_logging(level=settings.log_level, fmt=settings.log_format, secrets=secrets)
    try:
        code: int = args.handler(args, settings)
    except SettingsError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except (DatabaseUnavailable, SchemaOutdated) as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code
