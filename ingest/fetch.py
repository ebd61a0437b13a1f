"""Fetching feeds and article pages over HTTP, politely and within hard limits.

One :class:`Fetcher` per process (built by the composition root) shares a connection
pool. Every request gets: a global and a per-host concurrency limit; conditional GET
(``If-None-Match``/``If-Modified-Since``, so an unchanged feed costs a 304); an overall
deadline covering connect, headers and the whole body (httpx's own timeouts are per
phase, so a server trickling one byte a second would never trip them); a body cap
enforced while streaming, after decompression; a redirect cap; and an honest
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
    """Concurrency-limited, deadline-bound HTTP GETs over one shared httpx client."""

    def __init__(
        self,
        limits: FetchLimits,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = USER_AGENT,
        proxy: str | None = None,
    ) -> None:
        self.limits = limits
        self._global = asyncio.Semaphore(limits.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        per_phase = httpx.Timeout(limits.timeout_seconds)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=per_phase,
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            limits=httpx.Limits(
                max_connections=limits.concurrency,
                max_keepalive_connections=min(limits.concurrency, 64),
            ),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            # Only the operator's explicit proxy (NEWSBOT_FEED_PROXY), never HTTP(S)_PROXY
            # from the environment: a variable set up for the Telegram client must not
            # silently reroute every feed, and a setting shows in one place what is used.
            proxy=proxy,
            trust_env=False,
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
        """GET ``url``; raise FetchError on any failure, status or limit exceeded."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = self.limits.timeout_seconds
        async with self._slot(url):
            try:
                async with asyncio.timeout(limit):
                    return await self._get(url, headers)
            except TimeoutError:
                raise FetchError(f"no complete answer within {limit:g} s") from None
            except httpx.TooManyRedirects:
                raise FetchError(
                    f"more than {self.limits.max_redirects} redirects (a redirect loop?)"
                ) from None
            except httpx.TimeoutException:
                raise FetchError(f"no complete answer within {limit:g} s") from None
            except httpx.ConnectError as error:
                raise FetchError(f"cannot connect: {_reason(error)}") from None
            except httpx.DecodingError as error:
                raise FetchError(f"undecodable body: {_reason(error)}") from None
            except httpx.InvalidURL as error:
                raise FetchError(f"invalid URL: {_reason(error)}") from None
            except httpx.HTTPError as error:
                raise FetchError(f"{type(error).__name__}: {_reason(error)}") from None

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult:
        async with self._client.stream("GET", url, headers=headers) as response:
            final_url = str(response.url)
            if response.status_code == 304:
                return FetchResult(
                    url=url,
                    final_url=final_url,
                    status=304,
                    body=b"",
                    content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag") or headers.get("If-None-Match"),
                    last_modified=response.headers.get("last-modified")
                    or headers.get("If-Modified-Since"),
                )
            if not 200 <= response.status_code < 300:
                phrase = response.reason_phrase or ""
                raise FetchError(f"HTTP {response.status_code} {phrase}".rstrip())
            body = await self._read_capped(response)
            return FetchResult(
                url=url,
                final_url=final_url,
                status=response.status_code,
                body=body,
                content_type=response.headers.get("content-type"),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
        if declared.isascii() and declared.isdigit() and int(declared) > cap and not encoded:
            raise FetchError(f"body of {int(declared):,} bytes is over the {cap:,}-byte limit")
        chunks: list[bytes] = []
        size = 0
        # aiter_bytes yields decompressed bytes: a small gzip bomb is capped too.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(f"body is over the {cap:,}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
