"""Content codings, decoded incrementally so the byte cap counts *decoded* bytes.

httpx decodes every coding a server lists, stacked ones included, and hands over a
whole decompressed chunk at a time: a few kilobytes sent as ``Content-Encoding: gzip,
gzip`` become gigabytes before a cap can look at them. Here a response may have at most
one coding, gzip or deflate (the ones we advertise in Accept-Encoding; Brotli would need
a decoder we do not otherwise depend on), and zlib is asked for at most the bytes the
cap still allows, so memory stays bounded by the cap whatever the ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from ingest.net.errors import BadCoding, TooLarge

#: What we send as Accept-Encoding: exactly the codings :class:`BodyDecoder` reads.
ACCEPT_ENCODING = "gzip, deflate"
_ALIASES = {"x-gzip": "gzip"}
_SUPPORTED = frozenset({"gzip", "deflate"})


def coding_of(values: Sequence[str]) -> str | None:
    """The one content coding of a response, from its Content-Encoding header values.

    None means the body is sent as is. Raises BadCoding for stacked or unknown codings.
    """
    codings = [
        _ALIASES.get(c.strip().lower(), c.strip().lower())
        for value in values
        for c in value.split(",")
    ]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > 1:
        listed = ", ".join(codings)
        raise BadCoding(
            f"stacked content codings ({listed}) are refused: at most one compression per response",
            kind="stacked",
            codings=listed,
        )
    if not codings:
        return None
    if codings[0] not in _SUPPORTED:
        raise BadCoding(
            f"unsupported content coding {codings[0]!r} (only gzip and deflate)",
            kind="unknown",
            codings=codings[0],
        )
    return codings[0]


class BodyDecoder:
    """Decodes one response body chunk by chunk, raising TooLarge past ``cap`` bytes."""

    def __init__(self, coding: str | None, cap: int) -> None:
        self.coding = coding
        self.cap = cap
        self.size = 0
        self._chunks: list[bytes] = []
        self._inflate: zlib._Decompress | None = None
        self._started = False
        if coding == "gzip":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS)

    def feed(self, data: bytes) -> None:
        if self._inflate is None:
            self._keep(data)
            return
        try:
            self._decompress(data)
        except zlib.error as error:
            if self.coding == "deflate" and not self._started:
                # "deflate" should be zlib-wrapped, but many servers send raw deflate
                # (as browsers and httpx accept): start over without the wrapper.
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                self.feed(data)
                return
            raise BadCoding(
                f"the {self.coding} body is corrupt ({error})",
                kind="corrupt",
                codings=self.coding or "",
            ) from None
        self._started = True

    def _decompress(self, data: bytes) -> None:
        assert self._inflate is not None
        while data:
            # One byte more than the cap allows: getting it proves the body is too large.
            room = self.cap - self.size + 1
            out = self._inflate.decompress(data, room)
            self._keep(out)
            data = self._inflate.unconsumed_tail
            if self._inflate.eof:
                rest = self._inflate.unused_data
                if not rest.strip(b"\0"):
                    return
                if self.coding != "gzip":
                    return  # bytes after a deflate stream's end are ignored, as zlib does
                # Concatenated gzip members are one gzip body (RFC 1952).
                self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
                data = rest

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            self._chunks.clear()
            raise TooLarge(self.cap)
        if data:
            self._chunks.append(data)

    def feed_all(self, data: bytes) -> bytes:
        self.feed(data)
        return self.finish()

    def finish(self) -> bytes:
        """The whole decoded body (a compressed body cut short gives what decoded, as
        browsers and httpx do: the transport already failed a short Content-Length)."""
        body = b"".join(self._chunks)
        self._chunks.clear()
        return body
