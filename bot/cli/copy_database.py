"""`newsbot copy-database --to URL`: move the bot's data to another database.

The way from SQLite to PostgreSQL (or back): stop the bot, copy, point DATABASE_URL at
the new database, start the bot. Readers, their topics and schedules, the delivery
ledger, sources and stored articles all come along.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sqlalchemy.engine import make_url

from bot.runtime.setting_values import normalise_database_url
from bot.runtime.settings import Settings, SettingsError

EXAMPLE = "newsbot copy-database --to postgresql://newsbot:password@localhost/newsbot"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "copy-database",
        help="copy all data into another (empty) database, e.g. from SQLite to PostgreSQL",
        description=(
            "Copy everything from this bot's database (DATABASE_URL, or the SQLite file in "
            "NEWSBOT_DATA_DIR) into the empty database at --to, after upgrading its schema. "
            "Stop the bot first; then set DATABASE_URL to the new database and start it. "
            f"Example: {EXAMPLE}"
        ),
    )
    parser.add_argument("--to", required=True, metavar="URL", help="the target database URL")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    try:
        target = normalise_database_url(args.to)
    except ValueError as error:
        raise SettingsError(f"--to {error} (example: {EXAMPLE})") from None
    if make_url(target) == make_url(settings.effective_database_url):
        raise SettingsError("--to names the database the bot already uses; name another one")
    return asyncio.run(_copy(settings, target))


async def _copy(settings: Settings, target_url: str) -> int:
    from sqlalchemy.exc import DBAPIError

    from bot.runtime.services import DatabaseUnavailable, database_problem, open_services
    from storage import open_database, upgrade_database
    from storage.transfer import TargetNotEmpty, copy_database

    shown = make_url(target_url).render_as_string(hide_password=True)
    async with open_services(settings) as services:
        target = open_database(target_url)
        try:
            await upgrade_database(target)
            copied = await copy_database(
                services.db,
                target,
                progress=lambda table, rows: print(f"{table}: {rows} rows", flush=True),
            )
        except TargetNotEmpty as error:
            print(f"newsbot: {error}; copy into an empty database", file=sys.stderr)
            return 1
        except (OSError, DBAPIError) as error:  # the target is unreachable or refuses us
            raise DatabaseUnavailable(database_problem(target_url, error)) from None
        finally:
            await target.dispose()
    print(
        f"copied {sum(copied.values())} rows into {shown}; set DATABASE_URL to it and start the bot"
    )
    return 0
