"""Fetching feeds and article pages over HTTP, politely and within hard limits.

One :class:`Fetcher` per process (built by the composition root) shares a connection
pool. Every request goes through the outbound policy (:mod:`ingest.net`: every hop,
redirects included, resolved, refused unless public or allow-listed, pinned to the
checked address; at most one content coding, decoded within the cap) and gets: a global
and a per-host concurrency limit; conditional GET (``If-None-Match``/
``If-Modified-Since``, so an unchanged feed costs a 304); an overall deadline covering
connect, headers and the whole body (httpx's own timeouts are per phase, so a server
trickling one byte a second would never trip them); a redirect cap; and an honest
User-Agent. Failures are :class:`FetchError` with a one-line reason for the logs and
for `newsbot sources`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

import httpx

from ingest.canonical import host_of
from ingest.net import OutboundClient, OutboundError, OutboundPolicy, Refused, TimedOut

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def _user_agent() -> str:
    try:
        ours = version("get-news-fast")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ours = "dev"
    return f"GetNewsFast/{ours} (self-hosted Telegram news bot; feed reader; httpx)"


USER_AGENT = _user_agent()


class FetchError(Exception):
    """A fetch failed; ``str()`` is one line saying why."""


@dataclass(frozen=True)
class FetchLimits:
    timeout_seconds: float = 20.0
    max_bytes: int = 5_000_000
    concurrency: int = 32
    per_host: int = 4
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    """A response that is either 2xx (``body`` read in full) or 304 Not Modified."""

    url: str
    final_url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Concurrency-limited, deadline-bound GETs under the outbound policy, one shared pool."""

    def __init__(
        self,
        limits: FetchLimits,
        *,
        policy: OutboundPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = USER_AGENT,
        proxy: str | None = None,
    ) -> None:
        self.limits = limits
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        # Without a policy given: public addresses only, resolved by the system. A feed on
        # a private host needs its host allow-listed, like any page (docs/security.md).
        self.policy = policy or OutboundPolicy(via_proxy=proxy is not None)
        self._client = OutboundClient(
            self.policy,
            user_agent=user_agent,
            timeout_seconds=limits.timeout_seconds,
            max_redirects=limits.max_redirects,
            max_connections=limits.concurrency,
            transport=transport,
            # Only the operator's explicit proxy (NEWSBOT_FEED_PROXY), never HTTP(S)_PROXY
            # from the environment: a variable set up for the Telegram client must not
            # silently reroute every feed, and a setting shows in one place what is used.
            proxy=proxy,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @contextlib.asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        host = host_of(url)
        per_host = self._hosts.get(host)
        if per_host is None:
            per_host = self._hosts[host] = asyncio.Semaphore(self.limits.per_host)
        async with per_host, self._global:
            yield

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET ``url``; raise FetchError on any failure, status, refusal or limit exceeded."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = self.limits.timeout_seconds
        async with self._slot(url):
            try:
                async with asyncio.timeout(limit):
                    fetched = await self._client.get(
                        url, headers=headers, max_bytes=self.limits.max_bytes
                    )
            except (TimeoutError, TimedOut):
                raise FetchError(f"no complete answer within {limit:g} s") from None
            except Refused as error:
                raise FetchError(f"refused: {error}") from None
            except OutboundError as error:
                raise FetchError(str(error)) from None
        response_headers = fetched.headers
        if fetched.status == 304:
            return FetchResult(
                url=url,
                final_url=fetched.final_url,
                status=304,
                body=b"",
                content_type=response_headers.get("content-type"),
                etag=response_headers.get("etag") or etag,
                last_modified=response_headers.get("last-modified") or last_modified,
            )
        return FetchResult(
            url=url,
            final_url=fetched.final_url,
            status=fetched.status,
            body=fetched.body,
            content_type=response_headers.get("content-type"),
            etag=response_headers.get("etag"),
            last_modified=response_headers.get("last-modified"),
        )
