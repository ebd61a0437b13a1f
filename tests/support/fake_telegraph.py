"""A fake Telegraph (https://telegra.ph/api) on 127.0.0.1, for "Read here" tests.

``POST /createPage`` checks what the real one checks (the access token, the title and
author bounds, content as a JSON array of nodes with only Telegraph's tags and
attributes, at most 64 KB) and answers ``{"ok": true, "result": {"path", "url"}}``; the
page is then served at ``GET /<path>`` as JSON (title, author, nodes) and as plain text
(``page_text``), so a test reads back what a reader would see. Failures are injected with
:meth:`FakeTelegraph.fail_next` ("down": HTTP 502, "flood": FLOOD_WAIT_x, "hang": no
answer until the client gives up, or any Telegraph error code).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from tests.support.threaded_server import ThreadedServer

TOKEN = "d3b25feccb89e508a9114afb82aa421fe2a9712b963b387cc5ad71e58722"
#: Telegraph's tags, as its documentation lists them (not imported from the code under test).
# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "aside", "b", "blockquote", "br", "code", "em", "figcaption", "figure", "h3", "h4",
    "hr", "i", "iframe", "img", "li", "ol", "p", "pre", "s", "strong", "u", "ul", "video",
})
# fmt: on
ALLOWED_ATTRS = frozenset({"href", "src"})


@dataclass
class Page:
    path: str
    url: str
    title: str
    author_name: str
    author_url: str
    content: list[Any]

    @property
    def text(self) -> str:
        """The page's words: one line per top-level node."""
        return "\n".join(_text(node) for node in self.content)

    def links(self) -> list[str]:
        found: list[str] = []
        _links(self.content, found)
        return found


def _text(node: Any) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.get("children", []))


def _links(nodes: Sequence[Any], found: list[str]) -> None:
    for node in nodes:
        if isinstance(node, dict):
            if node.get("tag") == "a":
                found.append(str(node.get("attrs", {}).get("href")))
            _links(node.get("children", []), found)


def _node_problem(node: Any, depth: int = 0) -> str | None:
    if isinstance(node, str):
        return None
    if not isinstance(node, dict) or depth > 20:
        return "CONTENT_FORMAT_INVALID"
    if node.get("tag") not in ALLOWED_TAGS:
        return "CONTENT_TAG_INVALID"
    attrs = node.get("attrs", {})
    if not isinstance(attrs, dict) or set(attrs) - ALLOWED_ATTRS:
        return "CONTENT_ATTR_INVALID"
    children = node.get("children", [])
    if not isinstance(children, list):
        return "CONTENT_FORMAT_INVALID"
    for child in children:
        problem = _node_problem(child, depth + 1)
        if problem:
            return problem
    return None


class FakeTelegraph(ThreadedServer):
    thread_name = "fake-telegraph"

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.pages: dict[str, Page] = {}
        #: createPage calls, whatever their outcome.
        self.create_calls = 0
        #: The raw form fields of every createPage call (to check what was sent).
        self.requests: list[dict[str, str]] = []
        #: Seconds each createPage answer waits (to make two presses overlap).
        self.delay = 0.0
        self._failures: list[str] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, *failures: str) -> None:
        """The next createPage calls fail, one per item ("down", "flood", "hang", or an
        error code such as "ACCESS_TOKEN_INVALID")."""
        with self._lock:
            self._failures.extend(failures)

    def page(self, url: str) -> Page:
        return self.pages[url.rsplit("/", 1)[-1]]

    # --- HTTP -------------------------------------------------------------------------

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                method, target = line.decode("latin-1").split()[:2]
                headers: dict[str, str] = {}
                while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = raw.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, answer = await self._answer(method, target, body)
                if status == 0:
                    return  # "hang": close without answering, after the client gave up
                data = json.dumps(answer, ensure_ascii=False).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        except asyncio.CancelledError:
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _answer(self, method: str, target: str, body: bytes) -> tuple[int, Any]:
        path = unquote(target.split("?", 1)[0]).lstrip("/")
        if method == "GET":
            page = self.pages.get(path)
            if page is None:
                return 404, {"ok": False, "error": "PAGE_NOT_FOUND"}
            return 200, {"ok": True, "result": page.__dict__}
        if path != "createPage":
            return 404, {"ok": False, "error": "METHOD_NOT_FOUND"}
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        with self._lock:
            self.create_calls += 1
            self.requests.append(form)
            failure = self._failures.pop(0) if self._failures else None
        if self.delay:
            await asyncio.sleep(self.delay)
        if failure == "hang":
            await asyncio.sleep(30)
            return 0, None
        if failure == "down":
            return 502, {"error": "bad gateway"}
        if failure == "flood":
            return 200, {"ok": False, "error": "FLOOD_WAIT_7"}
        if failure is not None:
            return 200, {"ok": False, "error": failure}
        return 200, self._create(form)

    def _create(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("access_token") != self.token:
            return {"ok": False, "error": "ACCESS_TOKEN_INVALID"}
        title = form.get("title", "")
        if not 1 <= len(title) <= 256:
            return {"ok": False, "error": "TITLE_INVALID"}
        if len(form.get("author_name", "")) > 128:
            return {"ok": False, "error": "AUTHOR_NAME_INVALID"}
        if len(form.get("author_url", "")) > 512:
            return {"ok": False, "error": "AUTHOR_URL_INVALID"}
        raw = form.get("content", "")
        if len(raw.encode()) > 64 * 1024:
            return {"ok": False, "error": "CONTENT_TOO_BIG"}
        try:
            content = json.loads(raw)
        except ValueError:
            return {"ok": False, "error": "CONTENT_FORMAT_INVALID"}
        if not isinstance(content, list) or not content:
            return {"ok": False, "error": "CONTENT_REQUIRED"}
        for node in content:
            problem = _node_problem(node)
            if problem:
                return {"ok": False, "error": problem}
        with self._lock:
            path = f"{'-'.join(title.split())[:40]}-12-06-{len(self.pages) + 1}"
            page = Page(
                path=path,
                url=f"https://telegra.ph/{path}",
                title=title,
                author_name=form.get("author_name", ""),
                author_url=form.get("author_url", ""),
                content=content,
            )
            self.pages[path] = page
        return {"ok": True, "result": {"path": path, "url": page.url}}
