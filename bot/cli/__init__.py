"""`newsbot`: the command line, one subcommand per module of this package.

Each subcommand module has ``register(subparsers)``, which adds its parser and sets
``handler(args, settings) -> exit code``. Settings are loaded once here. Every command
ends with one line, never a traceback: exit 2 for a bad setting, a database that cannot
be used or a missing driver (what the operator must fix before anything runs), exit 1
for a failure while working (a read-only database, a full disk).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from bot.cli import copy_database, digest, healthcheck, ingest, migrate, run, sources, summarize
from bot.runtime.logs import configure_logging, settings_secrets
from bot.runtime.services import DatabaseUnavailable, SchemaOutdated
from bot.runtime.setting_values import where_read
from bot.runtime.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot.cli")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_SUBCOMMANDS = (run, ingest, sources, summarize, digest, migrate, copy_database, healthcheck)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description=(
            "Get News Fast: a Telegram bot that summarises the news and sends each reader "
            "a digest of their topics at their local time. Settings come from the "
            "environment and .env (see .env.example)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _SUBCOMMANDS:
        module.register(subparsers)
    return parser


def _version() -> str:
    try:
        return version("get-news-fast")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


#: Database drivers by the module name a missing one raises, with the URL they serve.
_DRIVERS = {"asyncpg": "postgresql://", "aiosqlite": "sqlite://", "psycopg2": "postgresql://"}


def _first_line(error: BaseException) -> str:
    """The error's own first line: for a database error the driver's message, without
    SQLAlchemy's "[SQL: …] [parameters: …]" lines, which may carry readers' data."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _missing_module(error: ModuleNotFoundError) -> str:
    name = (error.name or "").split(".")[0]
    if name in _DRIVERS:
        return (
            f"the database driver {name} (for {_DRIVERS[name]} URLs) is not installed: "
            f"pip install {name}, or reinstall Get News Fast (pip install .)"
        )
    return f"the package {name or error} is missing: reinstall Get News Fast (pip install .)"


def _with_origin(message: str, settings: Settings) -> str:
    """A message about a setting says where settings were read: which `.env` counts
    depends on the working directory, and that is easy to get wrong."""
    names_a_setting = re.search(r"\b(NEWSBOT_|TELEGRAM_|DATABASE_URL)", message)
    if not names_a_setting or where_read(settings.env_file) in message:
        return message
    return f"{message} ({where_read(settings.env_file)})"


def _database(settings: Settings) -> str:
    return make_url(settings.effective_database_url).render_as_string(hide_password=True)


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
    for warning in settings.warnings:
        log.warning("%s", warning)
    try:
        code: int = args.handler(args, settings)
    except SettingsError as error:
        print(f"newsbot: {_with_origin(str(error), settings)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except (DatabaseUnavailable, SchemaOutdated) as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ModuleNotFoundError as error:
        print(f"newsbot: {_missing_module(error)}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as error:  # read-only, disk full, connection lost mid-way
        print(
            f"newsbot: the database {_database(settings)} failed: {_first_line(error)}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except OSError as error:  # a full disk or a vanished directory outside the database
        where = f" ({error.filename})" if error.filename else ""
        print(f"newsbot: {error.strerror or _first_line(error)}{where}", file=sys.stderr)
        return EXIT_FAILURE
    return code
