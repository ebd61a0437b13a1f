"""An asyncio TCP server in a thread of its own, with its own event loop.

The test servers (the fake Bot API, the feed server) run this way so that they serve a
client in the test's event loop, in another thread or in a subprocess alike, and so
that a blocked test loop never stalls them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Self


class ThreadedServer:
    """Subclasses implement :meth:`_serve_connection`; :meth:`_on_loop_start` is a hook."""

    thread_name = "test-server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host, self._port = host, port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"{self.thread_name} did not start")

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def _on_loop_start(self) -> None:
        """Create loop-bound objects (events) in the server's loop, before serving."""

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        raise AssertionError("subclasses serve connections")  # pragma: no cover

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._on_loop_start()
        server = loop.run_until_complete(
            asyncio.start_server(
                self._serve_connection, self._host, self._port, limit=2**22, backlog=1024
            )
        )
        self._port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            with contextlib.suppress(Exception):
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()
