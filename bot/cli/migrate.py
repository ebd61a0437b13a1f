"""`newsbot migrate`: upgrade the database schema to this version."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.runtime.services import open_services
from bot.runtime.settings import Settings
from storage import upgrade_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="upgrade the database schema (run once before starting a new version on PostgreSQL)",
        description="Upgrade the database schema to the version this code needs.",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_migrate(settings))


async def _migrate(settings: Settings) -> int:
    async with open_services(settings, prepare=False) as services:
        before, after = await upgrade_database(services.db)
    if before == after:
        print(f"database already at {after}")
    else:
        print(f"database upgraded from {before or 'empty'} to {after}", file=sys.stdout)
    return 0
