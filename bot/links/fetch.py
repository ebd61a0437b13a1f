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
a bound on fetches at once, and why a link was refused as a :class:`LinkReason`, which
``bot.views.summary`` words in the reader's language (``str()`` of the error is the
English clause, for logs and the command line).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

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
    "LinkReason",
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


ReasonKind = Literal[
    "other_scheme",
    "not_an_address",
    "no_host",
    "private_address",
    "redirect_not_a_page",
    "host_not_found",
    "bad_status",
    "bad_redirect",
    "too_many_redirects",
    "timed_out",
    "too_large",
    "stacked_coding",
    "unknown_coding",
    "damaged_coding",
    "not_a_page",
    "unreachable",
]


@dataclass(frozen=True)
class LinkReason:
    """Why a link is not summarised: a kind and the values its sentence names.

    Values, not words: the reader's sentence is chosen and translated in
    ``bot.views.summary.link_refused_text``; :meth:`english` is the operator's wording.
    """

    kind: ReasonKind
    host: str = ""
    status: int = 0
    #: Redirects allowed (too_many_redirects), megabytes (too_large).
    limit: int = 0
    seconds: float = 0.0
    #: The content codings as the server listed them ("gzip, gzip").
    codings: str = ""
    #: The media type the site answered with ("" when it sent none we could read).
    content_type: str = ""

    def english(self) -> str:
        """The reason as a clause in English, for logs and ``newsbot summarize``."""
        match self.kind:
            case "other_scheme":
                return "only http:// and https:// links can be summarised"
            case "not_an_address":
                return "that is not a web address I can read"
            case "no_host":
                return "that link has no host name"
            case "private_address":
                return (
                    f"{self.host} is a private or local address, and I only read public web pages"
                )
            case "redirect_not_a_page":
                return "the link redirects to something that is not a web page"
            case "host_not_found":
                return f"the host {self.host} could not be found"
            case "bad_status":
                return f"the site answered {self.status}"
            case "bad_redirect":
                return "the site redirects to an invalid address"
            case "too_many_redirects":
                return f"the link redirects more than {self.limit} times"
            case "timed_out":
                return f"the site did not answer within {self.seconds:g} seconds"
            case "too_large":
                return f"that page is larger than {self.limit} MB"
            case "stacked_coding":
                return (
                    f"the site sent that page compressed more than once ({self.codings}), "
                    "which I refuse to unpack"
                )
            case "unknown_coding":
                return f"the site sent that page in a compression I do not read ({self.codings})"
            case "damaged_coding":
                return "the site sent a damaged compressed page"
            case "not_a_page":
                return (
                    f"that link is {self.content_type or 'not a web page'}; I can only "
                    "summarise web pages and plain text"
                )
            case "unreachable":
                return "the site could not be reached (connection refused or failed)"


class LinkError(Exception):
    """A reader's link we will not or cannot fetch, and :attr:`reason` why.

    ``str()`` is the reason in English (logs, the command line); readers are told it
    in their language by ``bot.views.summary.link_refused_text``.
    """

    def __init__(self, reason: LinkReason) -> None:
        super().__init__(reason.english())
        self.reason = reason


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
            raise LinkRefused(LinkReason("other_scheme"))
        candidate = "https://" + candidate
    try:
        url = httpx.URL(candidate)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise LinkRefused(LinkReason("not_an_address")) from None
    if url.scheme not in ("http", "https"):
        raise LinkRefused(LinkReason("other_scheme"))
    if not url.raw_host:
        raise LinkRefused(LinkReason("no_host"))
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
        """Fetch ``link``; raise a :class:`LinkError` saying why not."""
        url = parse_link(link)
        content_types: list[str] = []
        refused_types: list[str] = []

        def only_pages(response: httpx.Response) -> None:
            content_type = _content_type(response)
            if content_type not in _ACCEPTED_TYPES:
                refused_types.append(content_type)
                raise Unacceptable(LinkReason("not_a_page", content_type=content_type).english())
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
            raise LinkUnavailable(LinkReason("timed_out", seconds=self.timeout_seconds)) from None
        except OutboundError as error:
            raise self._for_reader(error, refused_types) from None
        finally:
            await client.aclose()
        return FetchedPage(
            url=fetched.final_url,
            content_type=content_types[-1],
            body=fetched.body,
            charset=fetched.charset,
        )

    def _for_reader(self, error: OutboundError, refused_types: list[str]) -> LinkError:
        """The policy's verdict, as the reason the reader is told."""
        match error:
            case Refused(host=host) if host:
                return LinkRefused(LinkReason("private_address", host=host))
            case Refused():
                return LinkRefused(LinkReason("redirect_not_a_page"))
            case NotResolved(host=host):
                return LinkUnavailable(LinkReason("host_not_found", host=host))
            case BadStatus(status=status):
                return LinkUnavailable(LinkReason("bad_status", status=status))
            case BadRedirect():
                return LinkUnavailable(LinkReason("bad_redirect"))
            case TooManyRedirects():
                return LinkUnavailable(LinkReason("too_many_redirects", limit=self.max_redirects))
            case TooLarge():
                megabytes = self.max_bytes // 1_000_000 or 1
                return LinkUnsupported(LinkReason("too_large", limit=megabytes))
            case BadCoding(kind="stacked", codings=codings):
                return LinkUnsupported(LinkReason("stacked_coding", codings=codings))
            case BadCoding(kind="unknown", codings=codings):
                return LinkUnsupported(LinkReason("unknown_coding", codings=codings))
            case BadCoding():
                return LinkUnsupported(LinkReason("damaged_coding"))
            case Unacceptable():
                content_type = refused_types[-1] if refused_types else ""
                return LinkUnsupported(LinkReason("not_a_page", content_type=content_type))
        return LinkUnavailable(LinkReason("unreachable"))


def _content_type(response: httpx.Response) -> str:
    raw = response.headers.get("content-type", "")
    media = raw.split(";", 1)[0].strip().lower()
    # A page without a type is treated as HTML: trafilatura copes, and many servers omit it.
    return media or "text/html"
