"""DNS and outbound policies for tests: names map to loopback, nothing asks real DNS.

Every test server listens on 127.0.0.0/8, which the outbound policy refuses like any
private address. A test says explicitly what it lets through: ``127.0.0.1`` (the feed
server) allow-listed as an operator would, or public-looking names that the injected
resolver maps to 127.0.0.1 and that the test allow-lists. The "internal service" of the
hostile tests listens on 127.0.0.2 and is never allow-listed.
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Mapping, Sequence

from ingest.net import OutboundPolicy

#: The address of the internal service the hostile tests must never reach.
INTERNAL = "127.0.0.2"


class StaticDns:
    """A resolver that answers from a table and records every question."""

    def __init__(self, hosts: Mapping[str, str | Sequence[str]] | None = None) -> None:
        self.table = {
            name.lower(): [a] if isinstance(a, str) else list(a)
            for name, a in (hosts or {}).items()
        }
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        try:
            return list(self.table[host.lower()])
        except KeyError:
            raise OSError(f"unknown host {host}") from None


def loopback_policy(
    allowed: Collection[str] = ("127.0.0.1",),
    hosts: Mapping[str, str | Sequence[str]] | None = None,
) -> OutboundPolicy:
    """The policy a test's fetcher runs under: ``allowed`` hosts only, DNS from ``hosts``."""
    return OutboundPolicy(allowed_private_hosts=allowed, resolver=StaticDns(hosts))


def double_gzip(body: bytes) -> bytes:
    """``body`` gzipped twice: served with ``Content-Encoding: gzip, gzip`` it is a bomb."""
    return gzip.compress(gzip.compress(body, compresslevel=9), compresslevel=9)


#: The header that says a body is compressed twice.
STACKED = {"Content-Encoding": "gzip, gzip"}
