"""A plain HTTP forward proxy on 127.0.0.1 that sends every request to one upstream server.

Clients configured with it send absolute-form requests (``GET http://feeds.invalid/a.xml``).
The proxy records each requested URL and the ``Proxy-Authorization`` it was given, then
replays the request (with its ``Content-Length`` body: Bot API calls are POSTs) in origin
form to the upstream server (a test's feed server or the fake Bot API) and relays the
answer. Host names never need to resolve: a feed on ``feeds.invalid`` can only be
fetched through the proxy, which is what the tests want to prove.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from tests.support.threaded_server import ThreadedServer


class ForwardProxy(ThreadedServer):
    thread_name = "test-forward-proxy"

    def __init__(self, upstream_port: int) -> None:
        super().__init__()
        self.upstream_port = upstream_port
        #: Absolute URLs requested through the proxy, in order.
        self.requested: list[str] = []
        #: Proxy-Authorization header values, in order (None when absent).
        self.credentials: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while await self._relay_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _relay_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
        method, target, version = request_line.split(" ")
        self.requested.append(target)
        headers: list[str] = []
        authorization = None
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            lowered = name.strip().lower()
            if lowered == "proxy-authorization":
                authorization = value.strip()
            elif lowered not in ("proxy-connection", "connection"):
                headers.append(line)
            if lowered == "content-length":
                length = int(value.strip())
        self.credentials.append(authorization)
        body = await reader.readexactly(length) if length else b""
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port
        )
        try:
            request = [f"{method} {path} {version}", *headers, "Connection: close", "", ""]
            upstream_writer.write("\r\n".join(request).encode("latin-1") + body)
            await upstream_writer.drain()
            answer = await _read_answer(upstream_reader)
        finally:
            upstream_writer.close()
        # The client may keep its connection to the proxy alive only if the answer says
        # how long it is; the test servers always send Content-Length.
        writer.write(answer)
        await writer.drain()
        return b"connection: close" not in answer.split(b"\r\n\r\n", 1)[0].lower()


async def _read_answer(reader: asyncio.StreamReader) -> bytes:
    """One answer: up to its Content-Length when it has one (the fake Bot API keeps its
    connections open), else until the upstream closes."""
    head = await reader.readuntil(b"\r\n\r\n")
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return head + await reader.readexactly(int(value.strip()))
    return head + await reader.read()
