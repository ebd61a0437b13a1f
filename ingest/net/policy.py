"""The outbound-fetch policy: where the bot may connect, decided before every hop.

One :class:`OutboundPolicy` (built by the composition root from the settings) serves
feeds, article pages, every redirect, reader links, and the checks of `/addsource` and
OPML imports. For a URL it:

1. accepts only ``http`` and ``https``;
2. resolves the host (through an injectable :data:`Resolver`, so tests map names to
   addresses without DNS) and refuses it unless *every* address is public
   (:mod:`ingest.net.addresses`), unless the host is listed in
   ``NEWSBOT_ALLOWED_PRIVATE_HOSTS`` (by name, or by literal address as written in the
   URL); ``localhost`` and ``*.localhost`` are loopback by definition and refused too;
3. returns the address that was checked, and the client connects to that address (so a
   second DNS answer, "DNS rebinding", is never used).

Behind a proxy (``NEWSBOT_FEED_PROXY``) the proxy resolves names and connects, so step 2
can only judge what the URL itself says: literal addresses and ``localhost`` names are
refused, names are passed on unresolved. See docs/security.md.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass

import httpx

from ingest.net.addresses import not_public_reason
from ingest.net.errors import NotResolved, Refused

#: Maps a host name and port to the addresses to connect to (IPv4 or IPv6 text).
Resolver = Callable[[str, int], Awaitable[list[str]]]

SCHEMES = ("http", "https")
#: Addresses of one host tried in turn before a connection counts as failed.
MAX_ADDRESSES = 4


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system's resolver, off the event loop."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    """A URL that passed the policy, and where to connect for it."""

    url: httpx.URL
    host: str
    #: The checked address to connect to; None when a proxy connects by name.
    address: str | None
    #: The host's other checked addresses, tried in order when ``address`` refuses the
    #: connection (an AAAA answer on a host without IPv6 routes, a dead server).
    fallbacks: tuple[str, ...] = ()


def host_of_url(url: httpx.URL) -> str:
    """The URL's host as written, lower case, without a trailing dot or IPv6 brackets."""
    return url.raw_host.decode("ascii", errors="replace").lower().rstrip(".").strip("[]")


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class OutboundPolicy:
    """Decides, hop by hop, whether and where a fetch may connect."""

    def __init__(
        self,
        *,
        allowed_private_hosts: Collection[str] = (),
        resolver: Resolver = system_resolver,
        via_proxy: bool = False,
    ) -> None:
        self.allowed_private_hosts = frozenset(
            h.lower().rstrip(".").strip("[]") for h in allowed_private_hosts
        )
        self.resolver = resolver
        self.via_proxy = via_proxy

    def allows_private(self, host: str) -> bool:
        return host in self.allowed_private_hosts

    async def check(self, url: httpx.URL) -> Target:
        """The target for ``url``; Refused or NotResolved when it may not be fetched."""
        if url.scheme not in SCHEMES:
            raise Refused(f"the scheme {url.scheme or '(none)'}: is not http or https")
        host = host_of_url(url)
        if not host:
            raise Refused("the URL has no host")
        port = url.port or (443 if url.scheme == "https" else 80)
        literal = _literal(host)
        if self.via_proxy and literal is None:
            if not self.allows_private(host) and _is_localhost(host):
                raise Refused(_not_public(host, "localhost"), host=host, address=host)
            return Target(url=url, host=host, address=None)
        if literal is not None:
            addresses = [literal]
        elif _is_localhost(host) and not self.allows_private(host):
            # Never asked of DNS: the name means this machine (RFC 6761).
            raise Refused(_not_public(host, "localhost"), host=host, address=host)
        else:
            try:
                addresses = await self.resolver(host, port)
            except (OSError, UnicodeError):
                raise NotResolved(host) from None
            if not addresses:
                raise NotResolved(host)
        if not self.allows_private(host):
            for address in addresses:
                reason = not_public_reason(address)
                if reason is not None:
                    shown = address.split("%", 1)[0]
                    why = reason if literal is not None else f"{shown}: {reason}"
                    raise Refused(_not_public(host, why), host=host, address=shown)
        if self.via_proxy:
            return Target(url=url, host=host, address=None)
        checked = list(dict.fromkeys(a.split("%", 1)[0] for a in addresses))
        return Target(
            url=url, host=host, address=checked[0], fallbacks=tuple(checked[1:MAX_ADDRESSES])
        )

    async def refusal(self, url: str) -> str | None:
        """Why ``url`` is refused by what it says itself (a one-line reason), or None.

        For checks ahead of time (an OPML import): the scheme, a literal address, a
        ``localhost`` name. Names are not resolved here: an import of hundreds of feeds
        would be hundreds of lookups, and an answer now proves nothing about the next
        fetch, which resolves and checks again, every time.
        """
        try:
            parsed = httpx.URL(url)
            await OutboundPolicy(
                allowed_private_hosts=self.allowed_private_hosts, via_proxy=True
            ).check(parsed)
        except Refused as refused:
            return str(refused)
        except (httpx.InvalidURL, ValueError):
            return "not a valid URL"
        return None


def _is_localhost(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


def _not_public(host: str, why: str) -> str:
    return f"{host} is a private or local address ({why})"
