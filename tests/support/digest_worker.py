"""A digest worker in a process of its own, for the crash and several-workers tests.

    python -m tests.support.digest_worker --database URL --bot-api URL --now ISO-TIME
        [--kill-at EVENT:N] [--concurrency K]

Runs one digest tick of the real engine at the simulated instant ``--now`` against the
Bot API at ``--bot-api`` (the fake), with the sending limits off, and prints the tick's
report as JSON. ``--kill-at marked:2`` makes the process SIGKILL itself at the second
"marked" step of the ledger protocol (events: claimed, marked, sent, confirmed), which is
as abrupt as an out-of-memory kill or a power cut: no cleanup, no rollback handler.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from dataclasses import asdict
from datetime import datetime

from bot.delivery.engine import DigestEngine, Event
from bot.delivery.sender import ClockWithNow, Limits
from bot.runtime.logs import configure_logging
from bot.runtime.services import open_services
from bot.runtime.settings import load_settings
from bot.telegram.jobs.digest import transport_for
from tests.support.fake_bot_api import DEFAULT_TOKEN


class Killer:
    """SIGKILL this process at the N-th occurrence of one protocol event."""

    def __init__(self, spec: str | None) -> None:
        self.event: str | None = None
        self.remaining = 0
        if spec:
            event, count = spec.split(":")
            self.event, self.remaining = event, int(count)

    def __call__(self, event: Event, digest_id: int, index: int) -> None:
        if event != self.event:
            return
        self.remaining -= 1
        if self.remaining == 0:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)


async def run(args: argparse.Namespace) -> int:
    # Log as `newsbot run` does (redacted, INFO): the test checks no line shows the token.
    configure_logging(level="INFO", secrets=[DEFAULT_TOKEN])
    settings = load_settings(
        _env_file=None,
        database_url=args.database,
        telegram_bot_token=DEFAULT_TOKEN,
        telegram_base_url=args.bot_api,
    )
    now = datetime.fromisoformat(args.now)
    async with open_services(settings, prepare=False) as services:
        transport = transport_for(settings, connections=8)
        engine = DigestEngine(
            services,
            transport,
            clock=ClockWithNow(lambda: now),
            limits=Limits.off(),
            concurrency=args.concurrency,
            observer=Killer(args.kill_at),
        )
        try:
            report = await engine.tick()
        finally:
            await transport.close()
    print(json.dumps(asdict(report)))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", required=True)
    parser.add_argument("--bot-api", required=True, help="the Bot API base URL (…/bot)")
    parser.add_argument("--now", required=True, help="the simulated instant, ISO 8601 with zone")
    parser.add_argument("--kill-at", default=None, help="EVENT:N, e.g. marked:2")
    parser.add_argument("--concurrency", type=int, default=None)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
