"""The fetcher's limits, through httpx's MockTransport and the local feed server."""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest

from ingest import Fetcher, FetchError, FetchLimits
from tests.support.feed_server import FeedServer, Resource
from tests.support.outbound import loopback_policy

#: What the injected DNS answers for the public-looking test names (never connected to:
#: the MockTransport answers instead).
PUBLIC = "93.184.216.34"
ADDRESSES = {"a.test": PUBLIC, "b.test": "93.184.216.35", "c.test": "2606:4700::6810:84e5"}


async def test_concurrency_is_capped_per_host_and_overall() -> None:
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.headers["host"]
        assert request.url.host == ADDRESSES[host]  # connected to the checked address
        active[host] = active.get(host, 0) + 1
        overall["now"] += 1
        peak[host] = max(peak.get(host, 0), active[host])
        overall["peak"] = max(overall["peak"], overall["now"])
        await asyncio.sleep(0.005)  # let the others pile up
        active[host] -= 1
        overall["now"] -= 1
        return httpx.Response(200, content=b"<rss/>")

    limits = FetchLimits(concurrency=3, per_host=2)
    policy = loopback_policy((), ADDRESSES)
    async with Fetcher(limits, policy=policy, transport=httpx.MockTransport(handler)) as fetcher:
        urls = [f"https://{host}.test/{i}" for host in ("a", "b", "c") for i in range(6)]
        await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    assert set(peak) == set(ADDRESSES)
    assert max(peak.values()) == 2
    assert overall["peak"] == 3


async def test_conditional_requests_carry_the_validators() -> None:
    seen: list[httpx.Headers] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(304)

    policy = loopback_policy((), {"a.test": PUBLIC})
    async with Fetcher(
        FetchLimits(), policy=policy, transport=httpx.MockTransport(handler)
    ) as fetcher:
        result = await fetcher.fetch(
            "https://a.test/rss", etag='"v1"', last_modified="Wed, 25 Nov 2026 08:00:00 GMT"
        )
    assert result.not_modified and result.body == b""
    assert result.etag == '"v1"'
    assert seen[0]["if-none-match"] == '"v1"'
    assert seen[0]["if-modified-since"] == "Wed, 25 Nov 2026 08:00:00 GMT"
    assert seen[0]["user-agent"].startswith("GetNewsFast/")


async def test_compressed_feeds_are_read_and_a_compression_bomb_is_cut() -> None:
    with FeedServer() as server:
        small = server.add("/gz.xml", Resource(body=b"<rss>" + b"x" * 5000 + b"</rss>", gzip=True))
        bomb = server.add("/bomb.xml", Resource(body=b"\0" * 3_000_000, gzip=True))
        limits = FetchLimits(max_bytes=1_000_000, timeout_seconds=5)
        async with Fetcher(limits, policy=loopback_policy()) as fetcher:
            result = await fetcher.fetch(small)
            assert result.body.startswith(b"<rss>") and len(result.body) == 5011
            with pytest.raises(FetchError, match="over the 1,000,000-byte limit"):
                await fetcher.fetch(bomb)
    # The bomb is tiny on the wire: only decompressed bytes could have tripped the cap.
    assert len(gzip.compress(b"\0" * 3_000_000, compresslevel=1)) < 100_000


async def test_a_declared_oversize_body_is_refused_before_reading_it() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "50000000"}, content=b"")

    limits = FetchLimits(max_bytes=1_000_000)
    policy = loopback_policy((), {"a.test": PUBLIC})
    async with Fetcher(limits, policy=policy, transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError, match="body of 50,000,000 bytes is over the"):
            await fetcher.fetch("https://a.test/big")
