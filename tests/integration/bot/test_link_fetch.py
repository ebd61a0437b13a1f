"""Reader links are fetched defensively: every hop checked, the checked address pinned.

The network is ``httpx.MockTransport`` and DNS a dictionary, so these cases (a public
site redirecting to loopback, DNS rebinding, cloud metadata) run without any network.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from bot.links.fetch import (
    LinkFetcher,
    LinkRefused,
    LinkUnavailable,
    LinkUnsupported,
    is_public_address,
    parse_link,
)

PUBLIC = "93.184.216.34"
PAGE = b"<html><body><p>Hello</p></body></html>"

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class Dns:
    """A resolver that answers from a table and counts the questions."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError("Name or service not known")
        return self.table[host]


def _fetcher(
    handler: Handler,
    dns: Dns,
    *,
    allowed: tuple[str, ...] = (),
    timeout: float = 5.0,
    max_bytes: int = 100_000,
) -> tuple[LinkFetcher, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return await handler(request)

    fetcher = LinkFetcher(
        timeout_seconds=timeout,
        max_bytes=max_bytes,
        allowed_private_hosts=allowed,
        resolver=dns,
        transport=httpx.MockTransport(record),
    )
    return fetcher, seen


async def _html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=PAGE)


async def test_the_connection_goes_to_the_checked_address_with_the_name_in_host_and_sni() -> None:
    fetcher, seen = _fetcher(_html, Dns({"news.example": [PUBLIC]}))
    page = await fetcher.fetch("https://user:secret@news.example/a/b?c=1#frag")
    assert page.body == PAGE and page.charset == "utf-8" and page.text() == PAGE.decode()
    (request,) = seen
    assert str(request.url) == f"https://{PUBLIC}/a/b?c=1"
    assert request.headers["Host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"
    assert "secret" not in str(request.url) and "authorization" not in request.headers


async def test_ipv6_addresses_are_pinned_in_brackets() -> None:
    fetcher, seen = _fetcher(_html, Dns({"v6.example": ["2606:4700::6810:84e5"]}))
    await fetcher.fetch("http://v6.example:8080/x")
    assert str(seen[0].url) == "http://[2606:4700::6810:84e5]:8080/x"
    assert seen[0].headers["Host"] == "v6.example:8080"


async def test_a_public_site_redirecting_to_loopback_is_refused_before_the_second_request() -> None:
    async def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://localhost:6379/"})

    dns = Dns({"news.example": [PUBLIC], "localhost": ["127.0.0.1", "::1"]})
    fetcher, seen = _fetcher(redirect, dns)
    with pytest.raises(LinkRefused, match="localhost is a private or local address"):
        await fetcher.fetch("https://news.example/story")
    assert len(seen) == 1


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://internal.example/",
        "file:///etc/passwd",
        "gopher://news.example/",
    ],
)
async def test_redirects_anywhere_private_or_to_other_schemes_are_refused(location: str) -> None:
    async def redirect(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": location})

    dns = Dns({"news.example": [PUBLIC], "internal.example": ["192.168.1.10"]})
    fetcher, seen = _fetcher(redirect, dns)
    with pytest.raises(LinkRefused):
        await fetcher.fetch("http://news.example/")
    assert len(seen) == 1


async def test_dns_is_asked_once_per_hop_so_a_rebinding_answer_is_never_used() -> None:
    answers = iter([[PUBLIC], ["127.0.0.1"]])

    class Rebinding(Dns):
        async def __call__(self, host: str, port: int) -> list[str]:
            self.asked.append(host)
            return next(answers)

    dns = Rebinding({})
    fetcher, seen = _fetcher(_html, dns)
    await fetcher.fetch("http://rebind.example/")
    assert dns.asked == ["rebind.example"]
    assert seen[0].url.host == PUBLIC


async def test_a_name_with_any_private_address_is_refused() -> None:
    fetcher, seen = _fetcher(_html, Dns({"mixed.example": [PUBLIC, "10.0.0.5"]}))
    with pytest.raises(LinkRefused):
        await fetcher.fetch("http://mixed.example/")
    assert seen == []


async def test_the_operator_may_allow_named_private_hosts_but_not_what_they_redirect_to() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/go":
            return httpx.Response(302, headers={"Location": "http://10.0.0.9/admin"})
        return await _html(request)

    dns = Dns({"intranet.example": ["10.0.0.8"]})
    fetcher, _seen = _fetcher(handler, dns, allowed=("Intranet.Example",))
    page = await fetcher.fetch("http://intranet.example/news")
    assert page.url == "http://intranet.example/news"
    with pytest.raises(LinkRefused, match=r"10\.0\.0\.9"):
        await fetcher.fetch("http://intranet.example/go")


async def test_relative_redirects_are_followed_and_the_final_url_reported() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(308, headers={"Location": "/new?x=1"})
        return await _html(request)

    fetcher, seen = _fetcher(handler, Dns({"news.example": [PUBLIC]}))
    page = await fetcher.fetch("https://news.example/old")
    assert page.url == "https://news.example/new?x=1"
    assert [r.headers["Host"] for r in seen] == ["news.example", "news.example"]


async def test_redirect_loops_end() -> None:
    async def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/again"})

    fetcher, seen = _fetcher(loop, Dns({"news.example": [PUBLIC]}))
    with pytest.raises(LinkUnavailable, match="redirects more than 5 times"):
        await fetcher.fetch("http://news.example/")
    assert len(seen) == 6


async def test_bodies_are_capped_declared_or_not() -> None:
    async def declared(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Type": "text/html", "Content-Length": "999999999"}, content=b""
        )

    async def streamed(request: httpx.Request) -> httpx.Response:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(1000):
                yield b"x" * 1000

        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=chunks())

    for handler in (declared, streamed):
        fetcher, _ = _fetcher(handler, Dns({"news.example": [PUBLIC]}), max_bytes=50_000)
        with pytest.raises(LinkUnsupported, match="larger than"):
            await fetcher.fetch("http://news.example/")


async def test_slow_sites_hit_one_deadline_for_the_whole_fetch() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return await _html(request)

    fetcher, _ = _fetcher(slow, Dns({"news.example": [PUBLIC]}), timeout=0.05)
    with pytest.raises(LinkUnavailable, match=r"did not answer within 0\.05 seconds"):
        await fetcher.fetch("http://news.example/")


@pytest.mark.parametrize(
    ("content_type", "accepted"),
    [
        ("text/html", True),
        ("application/xhtml+xml; charset=utf-8", True),
        ("text/plain", True),
        ("", True),
        ("application/pdf", False),
        ("image/png", False),
        ("application/octet-stream", False),
    ],
)
async def test_only_pages_and_text_are_read(content_type: str, accepted: bool) -> None:
    async def typed(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        return httpx.Response(200, headers=headers, content=PAGE)

    fetcher, _ = _fetcher(typed, Dns({"news.example": [PUBLIC]}))
    if accepted:
        assert (await fetcher.fetch("http://news.example/")).body == PAGE
    else:
        with pytest.raises(LinkUnsupported, match="I can only summarise web pages"):
            await fetcher.fetch("http://news.example/")


async def test_errors_and_unknown_hosts_say_what_happened() -> None:
    async def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    fetcher, _ = _fetcher(missing, Dns({"news.example": [PUBLIC]}))
    with pytest.raises(LinkUnavailable, match="answered 404"):
        await fetcher.fetch("http://news.example/")
    with pytest.raises(LinkUnavailable, match="could not be found"):
        await fetcher.fetch("http://nowhere.example/")


def test_links_without_a_scheme_are_https_and_other_schemes_are_refused() -> None:
    assert str(parse_link("example.com/a")) == "https://example.com/a"
    for link in ("javascript:alert(1)", "file:///etc/passwd", "http://", "mailto:a@b.c"):
        with pytest.raises(LinkRefused):
            parse_link(link)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700::1", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("2002:7f00:1::", False),
        ("not an address", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public_address(address) is public
