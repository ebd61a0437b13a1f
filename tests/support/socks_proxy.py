"""A SOCKS5 proxy on 127.0.0.1 that tunnels every CONNECT to one upstream server.

Written here rather than taken from PyPI because the tests need what a general proxy
does not log: which destination each client asked for and the HTTP request lines that
went through the tunnel (the fake Bot API speaks plain HTTP on loopback), so a test can
show that `sendMessage` really travelled through SOCKS. It speaks RFC 1928 with "no
authentication" or RFC 1929 user/password (recorded), CONNECT only; the destination's
name is never resolved (``socks5h://`` hands the proxy a name such as
``api.telegram.invalid``), the tunnel always leads to ``upstream_port`` on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import struct

from tests.support.threaded_server import ThreadedServer

_REQUEST_LINE = re.compile(rb"(GET|POST|HEAD|PUT|DELETE) (\S+) HTTP/1\.[01]\r\n")


class Socks5Proxy(ThreadedServer):
    thread_name = "test-socks5-proxy"

    def __init__(self, upstream_port: int) -> None:
        super().__init__()
        self.upstream_port = upstream_port
        #: (host, port) each CONNECT asked for, in order: a name for socks5h, an address
        #: for socks5.
        self.destinations: list[tuple[str, int]] = []
        #: "METHOD target" of every HTTP request seen inside the tunnels, in order.
        self.requests: list[str] = []
        #: (user, password) of RFC 1929 authentications.
        self.credentials: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            upstream = await self._handshake(reader, writer)
            if upstream is None:
                return
            up_reader, up_writer = upstream
            await asyncio.gather(
                self._pump(reader, up_writer, sniff=True),
                self._pump(up_reader, writer, sniff=False),
            )
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _handshake(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5:
            return None
        if 2 in methods:  # the client has a user and password: take them (RFC 1929)
            writer.write(b"\x05\x02")
            _sub, user_length = await reader.readexactly(2)
            user = (await reader.readexactly(user_length)).decode()
            (password_length,) = await reader.readexactly(1)
            password = (await reader.readexactly(password_length)).decode()
            self.credentials.append((user, password))
            writer.write(b"\x01\x00")
        elif 0 in methods:
            writer.write(b"\x05\x00")
        else:
            writer.write(b"\x05\xff")
            return None
        _version, command, _reserved, kind = await reader.readexactly(4)
        if kind == 1:
            host = ".".join(str(b) for b in await reader.readexactly(4))
        elif kind == 3:
            (length,) = await reader.readexactly(1)
            host = (await reader.readexactly(length)).decode()
        elif kind == 4:
            raw = await reader.readexactly(16)
            host = ":".join(raw[i : i + 2].hex() for i in range(0, 16, 2))
        else:
            return None
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if command != 1:  # CONNECT only
            writer.write(b"\x05\x07\x00\x01" + bytes(4) + b"\x00\x00")
            return None
        self.destinations.append((host, port))
        upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        writer.write(b"\x05\x00\x00\x01" + bytes(4) + b"\x00\x00")
        await writer.drain()
        return upstream

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, sniff: bool
    ) -> None:
        try:
            while data := await source.read(65536):
                if sniff:
                    self.requests += [
                        f"{m.group(1).decode()} {m.group(2).decode()}"
                        for m in _REQUEST_LINE.finditer(data)
                    ]
                sink.write(data)
                await sink.drain()
        except ConnectionError:
            pass
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                sink.close()
