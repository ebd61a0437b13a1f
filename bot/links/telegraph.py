"""Telegraph's API (https://telegra.ph/api): creating the pages of "Read here".

Telegraph is an endpoint the operator chose (``NEWSBOT_TELEGRAPH_URL``), like Telegram,
so its requests do not go through the outbound-fetch policy meant for publishers' and
readers' URLs; httpx honours the standard ``HTTPS_PROXY``/``NO_PROXY`` variables. The
access token travels in the POST body, never in a URL, so httpx's request log lines
(INFO) and our errors never show it.

Pages are created with ``return_content=false``: the answer is only the page's path and
URL, whatever the size of the article.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

#: A Telegraph content node: text, or {"tag": …, "attrs": {…}, "children": [nodes]}.
Node = str | dict[str, Any]

#: Telegraph's bounds on createPage's fields (https://telegra.ph/api#createPage).
TITLE_MAX = 256
AUTHOR_NAME_MAX = 128
AUTHOR_URL_MAX = 512
CONTENT_MAX_BYTES = 64 * 1024
#: The tags Telegraph keeps; anything else is refused or dropped by it.
# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "aside", "b", "blockquote", "br", "code", "em", "figcaption", "figure", "h3", "h4",
    "hr", "i", "iframe", "img", "li", "ol", "p", "pre", "s", "strong", "u", "ul", "video",
})
# fmt: on

#: Telegraph answers in well under a second; a reader waits for this at most.
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_FLOOD = re.compile(r"^FLOOD_WAIT_(\d+)$")


class TelegraphError(Exception):
    """Telegraph did not create the page.

    ``kind``: "unavailable" (no answer, a timeout, a 5xx), "refused" (a 4xx or an error
    such as ACCESS_TOKEN_INVALID: the operator's setting or our request is wrong) or
    "flood" (FLOOD_WAIT_x: too many pages too fast; ``retry_after`` seconds).
    """

    def __init__(self, kind: str, detail: str, retry_after: int | None = None) -> None:
        super().__init__(f"telegraph {kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class CreatedPage:
    path: str
    url: str


@dataclass(frozen=True, slots=True)
class PageDraft:
    """A page to create: Telegraph's fields, already within its bounds."""

    title: str
    author_name: str
    author_url: str
    content: Sequence[Node]


def content_bytes(content: Sequence[Node]) -> int:
    """The size Telegraph counts against :data:`CONTENT_MAX_BYTES`: the JSON of the nodes."""
    return len(json.dumps(list(content), ensure_ascii=False, separators=(",", ":")).encode())


class TelegraphClient:
    """createPage over one pooled HTTP client; the token is the operator's account."""

    def __init__(
        self, base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            timeout=TIMEOUT,
            transport=transport,
            headers={"User-Agent": "GetNewsFast/0.1 (Read here pages)"},
        )
        self.locks = KeyedLocks()

    async def create_page(self, draft: PageDraft) -> CreatedPage:
        """Create the page; :class:`TelegraphError` when Telegraph does not."""
        form = {
            "access_token": self._token,
            "title": draft.title[:TITLE_MAX],
            "author_name": draft.author_name[:AUTHOR_NAME_MAX],
            "content": json.dumps(list(draft.content), ensure_ascii=False),
            "return_content": "false",
        }
        if draft.author_url and len(draft.author_url) <= AUTHOR_URL_MAX:
            form["author_url"] = draft.author_url
        try:
            response = await self._http.post("createPage", data=form)
        except httpx.HTTPError as error:
            raise TelegraphError("unavailable", type(error).__name__) from None
        if response.status_code >= 500:
            raise TelegraphError("unavailable", f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            kind = "refused" if response.is_client_error else "unavailable"
            raise TelegraphError(kind, f"HTTP {response.status_code}, not JSON") from None
        if not isinstance(answer, dict):
            raise TelegraphError("unavailable", "an answer that is no JSON object")
        return _created(answer, response.status_code)

    async def aclose(self) -> None:
        await self._http.aclose()


def _created(answer: dict[str, Any], status: int) -> CreatedPage:
    if answer.get("ok") is not True:
        error = str(answer.get("error") or f"HTTP {status}")[:200]
        flood = _FLOOD.match(error)
        if flood:
            raise TelegraphError("flood", error, retry_after=int(flood.group(1)))
        raise TelegraphError("refused", error)
    result = answer.get("result")
    if not isinstance(result, dict):
        raise TelegraphError("unavailable", "an answer without a result")
    path, url = result.get("path"), result.get("url")
    if not (isinstance(path, str) and isinstance(url, str) and path and url):
        raise TelegraphError("unavailable", "a page without a path or URL")
    return CreatedPage(path=path, url=url)


class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it, so two presses
    of one article's button in this process create one page, not two."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
