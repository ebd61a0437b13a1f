"""Fetching the pages readers send: untrusted URLs, fetched defensively.

A reader's link must never make the bot reach into the operator's network (the cloud
metadata service at 169.254.169.254, a database on 127.0.0.1, a router on 10.0.0.1).
The rules are the project's one outbound-fetch policy (:mod:`ingest.net`), the same as
for every feed, article page and redirect that ingest fetches: only ``http`` and
``https``; every hop (the first and each redirect) resolved, refused unless every
address is public or the host is in ``NEWSBOT_ALLOWED_PRIVATE_HOSTS``, and connected to
the address that was checked (no window for DNS rebinding); one deadline; a byte cap
counted after decompression, at most one content coding. This module adds what is
particular to a reader's link: parsing what a person typed, only HTML or plain text,
a bound on fetches at once, and reasons worded for the reader.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection
from dataclasses import dataclass

import httpx

from ingest.net import (
    BadCoding,
    BadRedirect,
    BadStatus,
    NotResolved,
    OutboundClient,
    OutboundError,
    OutboundPolicy,
    Refused,
    Resolver,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    Unacceptable,
    is_public_address,
    system_resolver,
)

__all__ = [
    "FetchedPage",
    "LinkError",
    "LinkFetcher",
    "LinkRefused",
    "LinkUnavailable",
    "LinkUnsupported",
    "Resolver",
    "is_public_address",
    "parse_link",
    "system_resolver",
]

MAX_REDIRECTS = 5
#: Reader links fetched at once, whoever sent them: bounds memory (each body may reach the
#: byte cap) and keeps a flood of links from becoming a flood of outgoing connections.
MAX_CONCURRENT_FETCHES = 8
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
    """Fetches reader links under the outbound policy (see the module docstring)."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        max_bytes: int,
        allowed_private_hosts: Collection[str] = (),
        resolver: Resolver = system_resolver,
        transport: httpx.AsyncBaseTransport | None = None,
        max_redirects: int = MAX_REDIRECTS,
        policy: OutboundPolicy | None = None,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.max_bytes = max_bytes
        self.policy = policy or OutboundPolicy(
            allowed_private_hosts=allowed_private_hosts, resolver=resolver
        )
        self.transport = transport
        self.max_redirects = max_redirects
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_FETCHES)

    async def fetch(self, link: str) -> FetchedPage:
        """Fetch ``link``; raise a :class:`LinkError` whose message the reader can read."""
        url = parse_link(link)
        content_types: list[str] = []

        def only_pages(response: httpx.Response) -> None:
            content_type = _content_type(response)
            if content_type not in _ACCEPTED_TYPES:
                raise Unacceptable(
                    f"that link is {content_type or 'not a web page'}; I can only summarise web "
                    "pages and plain text"
                )
            content_types.append(content_type)

        # A pool per fetch, closed with it: a reader's fetch shares no connection with
        # another's, and nothing is left open when the bot stops.
        client = OutboundClient(
            self.policy,
            user_agent=USER_AGENT,
            timeout_seconds=self.timeout_seconds,
            max_redirects=self.max_redirects,
            max_connections=4,
            transport=self.transport,
        )
        try:
            async with self._slots, asyncio.timeout(self.timeout_seconds):
                fetched = await client.get(
                    url,
                    max_bytes=self.max_bytes,
                    headers={"Accept": "text/html,application/xhtml+xml,text/plain;q=0.8"},
                    check=only_pages,
                )
        except (TimeoutError, TimedOut):
            raise LinkUnavailable(
                f"the site did not answer within {self.timeout_seconds:g} seconds"
            ) from None
        except OutboundError as error:
            raise self._for_reader(error) from None
        finally:
            await client.aclose()
        return FetchedPage(
            url=fetched.final_url,
            content_type=content_types[-1],
            body=fetched.body,
            charset=fetched.charset,
        )

    def _for_reader(self, error: OutboundError) -> LinkError:
        """The policy's verdict, worded for the reader who sent the link."""
        match error:
            case Refused(host=host) if host:
                return LinkRefused(
                    f"{host} is a private or local address, and I only read public web pages"
                )
            case Refused():
                return LinkRefused("the link redirects to something that is not a web page")
            case NotResolved(host=host):
                return LinkUnavailable(f"the host {host} could not be found")
            case BadStatus(status=status):
                return LinkUnavailable(f"the site answered {status}")
            case BadRedirect():
                return LinkUnavailable("the site redirects to an invalid address")
            case TooManyRedirects():
                return LinkUnavailable(f"the link redirects more than {self.max_redirects} times")
            case TooLarge():
                return LinkUnsupported(self._too_large())
            case BadCoding(kind="stacked", codings=codings):
                return LinkUnsupported(
                    f"the site sent that page compressed more than once ({codings}), "
                    "which I refuse to unpack"
                )
            case BadCoding(kind="unknown", codings=codings):
                return LinkUnsupported(
                    f"the site sent that page in a compression I do not read ({codings})"
                )
            case BadCoding():
                return LinkUnsupported("the site sent a damaged compressed page")
            case Unacceptable():
                return LinkUnsupported(str(error))
        return LinkUnavailable("the site could not be reached (connection refused or failed)")

    def _too_large(self) -> str:
        return f"that page is larger than {self.max_bytes // 1_000_000 or 1} MB"


def _content_type(response: httpx.Response) -> str:
    raw = response.headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    # A page without a type is treated as HTML: trafilatura copes, and many servers omit it.
    return media or "text/html"
