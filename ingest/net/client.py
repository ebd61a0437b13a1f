"""The one HTTP GET of the project: every hop checked by the policy and pinned.

:class:`OutboundClient` follows redirects itself, so each Location goes through
:meth:`OutboundPolicy.check` before anything is sent to it, and connects to the address
that was checked: the request URL carries the IP, the ``Host`` header and the TLS
server name (SNI, and so certificate verification) carry the name. The body is read raw
and decoded by :mod:`ingest.net.codings`, so the cap counts decoded bytes.

Connections: plain HTTP shares one pool (keyed by address; the Host header names the
site). An HTTPS hop gets a connection of its own, because a pool keyed by address would
hand a TLS session verified for one name to a request for another name on the same
address. Behind a proxy the proxy connects by name and the pool is shared.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from ssl import SSLContext

import httpx

from ingest.net.codings import ACCEPT_ENCODING, BodyDecoder, coding_of
from ingest.net.errors import (
    BadRedirect,
    BadStatus,
    OutboundError,
    Refused,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    Unreachable,
)
from ingest.net.policy import OutboundPolicy, Target

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5

#: Called with a response's status and headers before its body is read; raises to refuse.
ResponseCheck = Callable[[httpx.Response], None]


@dataclass(frozen=True)
class Fetched:
    """A 2xx response read in full (decoded), or a 304 with an empty body."""

    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    charset: str | None


@cache
def ssl_context() -> SSLContext:
    # Built once, on first use: loading the CA bundle costs tens of milliseconds.
    return httpx.create_ssl_context()


class OutboundClient:
    """GETs under an :class:`OutboundPolicy`; owns its connection pool (``aclose`` it)."""

    def __init__(
        self,
        policy: OutboundPolicy,
        *,
        user_agent: str,
        timeout_seconds: float,
        max_redirects: int = MAX_REDIRECTS,
        max_connections: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
        proxy: str | None = None,
    ) -> None:
        self.policy = policy
        self.user_agent = user_agent
        self.max_redirects = max_redirects
        self._timeout = httpx.Timeout(timeout_seconds)
        self._transport = transport
        self._shared = httpx.AsyncClient(
            transport=transport,
            timeout=self._timeout,
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=min(max_connections, 64),
            ),
            verify=ssl_context() if transport is None else True,
            # Only an explicit proxy, never HTTP(S)_PROXY from the environment: a proxy
            # picked up by accident would connect by name and undo the pinning.
            proxy=proxy,
            trust_env=False,
        )

    async def aclose(self) -> None:
        await self._shared.aclose()

    async def get(
        self,
        url: str | httpx.URL,
        *,
        max_bytes: int,
        headers: Mapping[str, str] | None = None,
        check: ResponseCheck | None = None,
    ) -> Fetched:
        """GET ``url``, following checked redirects; raise an OutboundError on any failure."""
        try:
            current = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as error:
            raise Refused(f"invalid URL: {_reason(error)}") from None
        for _hop in range(self.max_redirects + 1):
            target = await self.policy.check(current)
            outcome = await self._hop(target, headers or {}, max_bytes, check)
            if isinstance(outcome, Fetched):
                return outcome
            current = outcome
        raise TooManyRedirects(self.max_redirects)

    @contextlib.asynccontextmanager
    async def _client_for(self, target: Target) -> AsyncIterator[httpx.AsyncClient]:
        if target.address is None or target.url.scheme == "http" or self._transport is not None:
            yield self._shared
            return
        async with httpx.AsyncClient(
            verify=ssl_context(), timeout=self._timeout, trust_env=False
        ) as client:
            yield client

    def _request(
        self, client: httpx.AsyncClient, target: Target, headers: Mapping[str, str]
    ) -> httpx.Request:
        url = target.url
        all_headers = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            **headers,
        }
        extensions: dict[str, str] = {}
        if target.address is None:
            wire = url.copy_with(username=None, password=None, fragment=None)
        else:
            wire = url.copy_with(host=target.address, username=None, password=None, fragment=None)
            all_headers["Host"] = url.netloc.decode("ascii").rsplit("@", 1)[-1]
            if url.scheme == "https":
                extensions["sni_hostname"] = url.raw_host.decode("ascii")
        return client.build_request("GET", wire, headers=all_headers, extensions=extensions)

    async def _hop(
        self,
        target: Target,
        headers: Mapping[str, str],
        max_bytes: int,
        check: ResponseCheck | None,
    ) -> Fetched | httpx.URL:
        # Every address was checked: when one refuses the connection, try the next.
        candidates = [target, *(replace(target, address=a) for a in target.fallbacks)]
        for attempt, candidate in enumerate(candidates, start=1):
            async with self._client_for(candidate) as client:
                request = self._request(client, candidate, headers)
                try:
                    response = await client.send(request, stream=True)
                except httpx.ConnectError as error:
                    if attempt < len(candidates):
                        continue
                    raise _network_error(error) from None
                except httpx.HTTPError as error:
                    raise _network_error(error) from None
                try:
                    return await self._answer(target.url, response, max_bytes, check)
                finally:
                    await response.aclose()
        raise AssertionError("unreachable: the last candidate returns or raises")

    async def _answer(
        self,
        url: httpx.URL,
        response: httpx.Response,
        max_bytes: int,
        check: ResponseCheck | None,
    ) -> Fetched | httpx.URL:
        status = response.status_code
        if status in REDIRECTS and "location" in response.headers:
            try:
                return url.join(response.headers["location"])
            except (httpx.InvalidURL, ValueError):
                raise BadRedirect("the server redirects to an invalid address") from None
        final_url = str(url.copy_with(username=None, password=None))
        if status == 304:
            return Fetched(final_url, 304, response.headers, b"", response.charset_encoding)
        if not 200 <= status < 300:
            raise BadStatus(status, response.reason_phrase or "")
        if check is not None:
            check(response)
        body = await read_body(response, max_bytes)
        return Fetched(final_url, status, response.headers, body, response.charset_encoding)


async def read_body(response: httpx.Response, cap: int) -> bytes:
    """The body, decoded, of at most ``cap`` bytes; TooLarge or BadCoding otherwise."""
    coding = coding_of(response.headers.get_list("content-encoding"))
    declared = response.headers.get("content-length", "")
    if coding is None and declared.isascii() and declared.isdigit() and int(declared) > cap:
        raise TooLarge(cap, declared=int(declared))
    decoder = BodyDecoder(coding, cap)
    if response.is_stream_consumed:
        # Only a response built in memory (httpx.MockTransport, in tests) arrives read
        # and already decoded by httpx; a real connection is always streamed raw.
        return BodyDecoder(None, cap).feed_all(response.content)
    try:
        async for raw in response.aiter_raw():
            decoder.feed(raw)
    except httpx.HTTPError as error:
        raise _network_error(error) from None
    return decoder.finish()


def _network_error(error: httpx.HTTPError) -> OutboundError:
    if isinstance(error, httpx.TimeoutException):
        return TimedOut("timed out")
    if isinstance(error, httpx.ConnectError):
        return Unreachable(f"cannot connect: {_reason(error)}")
    if isinstance(error, httpx.InvalidURL):
        return Refused(f"invalid URL: {_reason(error)}")
    return Unreachable(f"{type(error).__name__}: {_reason(error)}")


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
