"""Fetching the pages readers send: untrusted URLs, fetched defensively.

A reader's link must never make the bot reach into the operator's network (the cloud
metadata service at 169.254.169.254, a database on 127.0.0.1, a router on 10.0.0.1).
So every hop, the first and each redirect, is checked the same way:

1. only ``http`` and ``https``;
2. the host is resolved (through an injectable :data:`Resolver`, so tests map names to
   addresses without touching the network) and *every* address must be public: not
   loopback, private, link-local, shared (CGNAT), multicast, reserved or unspecified,
   including IPv4 addresses wrapped in IPv6 — unless the operator named the host in
   ``NEWSBOT_ALLOWED_PRIVATE_HOSTS``;
3. the connection goes to the address that was checked, not to a second DNS answer:
   the request URL carries the IP, the ``Host`` header and the TLS server name (SNI, and
   so certificate verification) carry the name. There is no window for DNS rebinding.

Redirects are followed here, by hand, so each Location is checked before it is fetched.
The whole fetch has one deadline and a byte cap (counted after decompression), and only
HTML or plain text is accepted. Sources the operator configured are trusted and fetched
by ``ingest``; nothing here is used for them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from functools import cache
from ssl import SSLContext

import httpx

#: Maps a host name and port to the addresses to connect to (IPv4 or IPv6 text).
Resolver = Callable[[str, int], Awaitable[list[str]]]

MAX_REDIRECTS = 5
#: Reader links fetched at once, whoever sent them: bounds memory (each body may reach the
#: byte cap) and keeps a flood of links from becoming a flood of outgoing connections.
MAX_CONCURRENT_FETCHES = 8
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPTED_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
USER_AGENT = "GetNewsFast/0.1 (link summary for a Telegram reader)"


class LinkError(Exception):
    """A reader's link we will not or cannot fetch; ``str()`` is the reason, for the reader."""


class LinkRefused(LinkError):
    """The link points somewhere we never go (a private address, another scheme)."""


class LinkUnavailable(LinkError):
    """The site could not be reached or answered with an error."""


class LinkUnsupported(LinkError):
    """The site answered, but not with a page we can summarise (a PDF, too large…)."""


@dataclass(frozen=True)
class FetchedPage:
    url: str
    """The final URL, after redirects."""
    content_type: str
    body: bytes
    charset: str | None

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8, else Windows-1252."""
        if self.charset:
            try:
                return self.body.decode(self.charset, errors="replace")
            except LookupError:
                pass
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.body.decode("cp1252", errors="replace")


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the operating system's resolver, off the event loop."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 64:ff9b::a00:1 reach IPv4 hosts: judge the IPv4 inside.
        if ip.ipv4_mapped is not None:
            return is_public_address(str(ip.ipv4_mapped))
        if ip.sixtofour is not None:
            return is_public_address(str(ip.sixtofour))
        if ip in _NAT64:
            return is_public_address(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)


def parse_link(text: str) -> httpx.URL:
    """Parse a reader's link; LinkRefused when it is not an http(s) URL with a host."""
    candidate = text.strip()
    if "://" not in candidate:
        if _OTHER_SCHEME.match(candidate):  # mailto:…, javascript:… (not host:port)
            raise LinkRefused("only http:// and https:// links can be summarised")
        candidate = "https://" + candidate
    try:
        url = httpx.URL(candidate)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise LinkRefused("that is not a web address I can read") from None
    if url.scheme not in ("http", "https"):
        raise LinkRefused("only http:// and https:// links can be summarised")
    if not url.raw_host:
        raise LinkRefused("that link has no host name")
    return url


class LinkFetcher:
    """Fetches one reader link at a time under the rules in the module docstring."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        max_bytes: int,
        allowed_private_hosts: Collection[str] = (),
        resolver: Resolver = system_resolver,
        transport: httpx.AsyncBaseTransport | None = None,
        max_redirects: int = MAX_REDIRECTS,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.max_bytes = max_bytes
        self.allowed_private_hosts = frozenset(h.lower().rstrip(".") for h in allowed_private_hosts)
        self.resolver = resolver
        self.transport = transport
        self.max_redirects = max_redirects
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_FETCHES)

    async def fetch(self, link: str) -> FetchedPage:
        """Fetch ``link``; raise a :class:`LinkError` whose message the reader can read."""
        url = parse_link(link)
        try:
            async with (
                self._slots,
                asyncio.timeout(self.timeout_seconds),
                self._client() as client,
            ):
                for _hop in range(self.max_redirects + 1):
                    page_or_next = await self._hop(client, url)
                    if isinstance(page_or_next, FetchedPage):
                        return page_or_next
                    url = page_or_next
        except TimeoutError:
            raise LinkUnavailable(
                f"the site did not answer within {self.timeout_seconds:g} seconds"
            ) from None
        raise LinkUnavailable(f"the link redirects more than {self.max_redirects} times")

    def _client(self) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.timeout_seconds)
        if self.transport is not None:
            return httpx.AsyncClient(transport=self.transport, timeout=timeout, trust_env=False)
        # trust_env=False: an HTTP(S)_PROXY in the environment would connect for us,
        # by name, and undo the pinning.
        return httpx.AsyncClient(verify=_ssl_context(), timeout=timeout, trust_env=False)

    async def _pinned_address(self, url: httpx.URL) -> str:
        host = url.raw_host.decode("ascii").lower().rstrip(".")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                addresses = await self.resolver(host, port)
            except (OSError, UnicodeError):
                raise LinkUnavailable(f"the host {host} could not be found") from None
        if not addresses:
            raise LinkUnavailable(f"the host {host} could not be found")
        if host not in self.allowed_private_hosts:
            for address in addresses:
                if not is_public_address(address):
                    raise LinkRefused(
                        f"{host} is a private or local address, and I only read public web pages"
                    )
        return addresses[0].split("%", 1)[0]

    async def _hop(self, client: httpx.AsyncClient, url: httpx.URL) -> FetchedPage | httpx.URL:
        if url.scheme not in ("http", "https"):
            raise LinkRefused("the link redirects to something that is not a web page")
        address = await self._pinned_address(url)
        host_header = url.netloc.decode("ascii").rsplit("@", 1)[-1]
        extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
        request = client.build_request(
            "GET",
            url.copy_with(host=address, username=None, password=None, fragment=None),
            headers={
                "Host": host_header,
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8",
            },
            extensions=extensions,
        )
        try:
            response = await client.send(request, stream=True)
        except httpx.HTTPError as error:
            raise LinkUnavailable(f"the site could not be reached ({_kind(error)})") from None
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                try:
                    return url.join(response.headers["location"])
                except (httpx.InvalidURL, ValueError):
                    raise LinkUnavailable("the site redirects to an invalid address") from None
            if response.status_code >= 400:
                raise LinkUnavailable(f"the site answered {response.status_code}")
            content_type, charset = _content_type(response)
            if content_type not in _ACCEPTED_TYPES:
                raise LinkUnsupported(
                    f"that link is {content_type or 'not a web page'}; I can only summarise web "
                    "pages and plain text"
                )
            body = await self._read_capped(response)
        finally:
            await response.aclose()
        return FetchedPage(url=str(url), content_type=content_type, body=body, charset=charset)

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            raise LinkUnsupported(self._too_large())
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise LinkUnsupported(self._too_large())
                chunks.append(chunk)
        except httpx.HTTPError as error:
            raise LinkUnavailable(f"the page could not be read ({_kind(error)})") from None
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"that page is larger than {self.max_bytes // 1_000_000 or 1} MB"


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    # A page without a type is treated as HTML: trafilatura copes, and many servers omit it.
    return (media or "text/html"), response.charset_encoding


def _kind(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return "connection refused or failed"
    return type(error).__name__


@cache
def _ssl_context() -> SSLContext:
    # Built once, on first use: loading the CA bundle costs tens of milliseconds.
    return httpx.create_ssl_context()
