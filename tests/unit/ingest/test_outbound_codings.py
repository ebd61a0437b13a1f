"""Content codings: one at most, decoded a bounded piece at a time within the cap."""

from __future__ import annotations

import gzip
import zlib

import pytest

from ingest.net.codings import BodyDecoder, coding_of
from ingest.net.errors import BadCoding, TooLarge


@pytest.mark.parametrize(
    ("values", "coding"),
    [
        ([], None),
        (["identity"], None),
        (["GZIP"], "gzip"),
        (["x-gzip"], "gzip"),
        (["deflate"], "deflate"),
    ],
)
def test_one_known_coding_is_read(values: list[str], coding: str | None) -> None:
    assert coding_of(values) == coding


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (["gzip, gzip"], "stacked content codings (gzip, gzip) are refused"),
        (["gzip", "deflate"], "stacked content codings (gzip, deflate) are refused"),
        (["br"], "unsupported content coding 'br' (only gzip and deflate)"),
        (["compress"], "unsupported content coding 'compress'"),
    ],
)
def test_stacked_and_unknown_codings_are_refused_with_the_reason(
    values: list[str], reason: str
) -> None:
    with pytest.raises(BadCoding, match=reason.replace("(", r"\(").replace(")", r"\)")):
        coding_of(values)


def test_a_small_body_that_inflates_past_the_cap_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000
    decoder = BodyDecoder("gzip", 1_000_000)
    decoder.feed(bomb[:200])  # a few hundred bytes on the wire are well within the cap
    with pytest.raises(TooLarge, match="over the 1,000,000-byte limit"):
        decoder.feed(bomb[200:])
    assert decoder.size == 1_000_001  # asked zlib for one byte past the cap, no more


def test_bodies_within_the_cap_come_back_whole() -> None:
    text = b"<rss>" + b"news " * 10_000 + b"</rss>"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    cases = {
        "gzip": gzip.compress(text) + gzip.compress(b"!"),  # two members: one body
        "deflate": zlib.compress(text),
    }
    for coding, body in cases.items():
        decoder = BodyDecoder(coding, len(text) + 1)
        decoder.feed(body[:100])
        decoder.feed(body[100:])
        assert decoder.finish().startswith(text)
    decoder = BodyDecoder("deflate", len(text))
    decoder.feed(raw.compress(text) + raw.flush())  # raw deflate, as many servers send
    assert decoder.finish() == text


def test_a_corrupt_body_says_so() -> None:
    decoder = BodyDecoder("gzip", 1000)
    with pytest.raises(BadCoding, match="the gzip body is corrupt"):
        decoder.feed(b"not gzip at all")
