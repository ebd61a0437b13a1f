"""`newsbot digest --chat ID [--preview]`: what a reader would get now."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.runtime.settings import Settings
from storage.keys import ReaderKey


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="send the digest a reader would get now, or with --preview only print it",
        description=(
            "Compose the digest a reader would get now. Without --preview it is sent and "
            "recorded exactly like /digest (the scheduled digest then holds only what is "
            "newer). Example: newsbot digest --chat 123456789 --preview"
        ),
    )
    parser.add_argument("--chat", type=int, required=True, help="the reader's chat id")
    parser.add_argument(
        "--thread",
        type=int,
        default=0,
        help="the forum topic (message_thread_id) of the reader inside the chat; "
        "0 (the default) is the chat itself",
    )
    parser.add_argument(
        "--preview", action="store_true", help="print it without sending or recording anything"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    if not args.preview:
        settings.token()  # no token: one line telling how to get one, exit 2
    reader = ReaderKey(args.chat, args.thread)
    return asyncio.run(_digest(reader, preview=args.preview, settings=settings))


async def _digest(chat_id: ReaderKey, *, preview: bool, settings: Settings) -> int:
    from bot.delivery.composer import preview_digest
    from bot.delivery.engine import DigestEngine
    from bot.delivery.sender import RealClock
    from bot.runtime.services import open_services
    from bot.telegram.jobs.digest import transport_for
    from bot.views.pack import visible_length

    clock = RealClock()
    async with open_services(settings) as services:
        if preview:
            messages = await preview_digest(services, chat_id, clock.now())
            if messages is None:
                return _unknown(chat_id)
            for number, message in enumerate(messages, start=1):
                print(
                    f"--- message {number} of {len(messages)} "
                    f"({visible_length(message)} characters, Telegram HTML) ---"
                )
                print(message)
            return 0
        engine = DigestEngine(services, transport_for(settings), clock=clock)
        report = await engine.digest_now(chat_id)
        if report is None:
            return _unknown(chat_id)
        print(
            f"{chat_id}: {report.messages} message(s) sent, "
            f"{'failed' if report.failed else 'delivered'}"
            + (f", {report.uncertain} uncertain" if report.uncertain else "")
        )
        return 1 if report.failed else 0


def _unknown(chat_id: ReaderKey) -> int:
    print(
        f"newsbot: no reader in {chat_id} (they must send /start to the bot first)",
        file=sys.stderr,
    )
    return 1
