"""`newsbot health`: ask the running bot's /healthz; the container's HEALTHCHECK."""

from __future__ import annotations

import argparse
from typing import Any

from bot.runtime.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "health",
        help="ask the running bot's health endpoint (exit 0 when it answers 200)",
        description=(
            "Ask the running bot's /healthz on NEWSBOT_METRICS_HOST:NEWSBOT_METRICS_PORT and "
            "print its verdict. Exit 0 when it answers 200 (ok or degraded), 1 when it "
            "does not answer or its database is unreachable."
        ),
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.health_endpoint import probe, probe_url

    code, line = probe(probe_url(settings))
    print(line)
    return code
