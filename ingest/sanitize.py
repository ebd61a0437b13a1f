"""Text from a publisher, made safe to store and show: the parser boundary of ingest.

Pure functions, applied once where feed entries and page texts are made (ingest.feeds,
ingest.analyse), so nothing downstream ever sees them:

- characters no database or reader wants: NUL (PostgreSQL refuses it in text), lone
  surrogates such as ``&#xD800;`` (no UTF-8 encoding exists, so SQLite's and asyncpg's
  encoders raise and the whole write fails), C0 and C1 controls except tab and newline;
- in titles also bidi overrides and isolates, which let a title display reversed or
  spill its direction into the text around it (in a digest, into the next item's line);
- sizes: every stored field has a cap (see :data:`TITLE_CHARS` and friends, and
  docs/limits.md); a capped field is cut on a word boundary.
"""

from __future__ import annotations

import re

#: Longest stored title, in characters (a real headline is under 200).
TITLE_CHARS = 2_000
#: Longest stored article text (a page can hold a book: live blogs, transcripts).
TEXT_CHARS = 100_000
#: Longest stored summary sentence.
SENTENCE_CHARS = 2_000
#: Search-index terms stored per article (a real title and summary give under 200).
INDEX_TERMS = 2_000
#: Categories kept per entry, and the longest one.
CATEGORIES = 50
CATEGORY_CHARS = 200

# C0 controls except \t (09) and \n (0A); DEL and the C1 block; every surrogate (a str
# only holds lone ones: paired surrogates are decoded into one code point by Python).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# LRE RLE PDF LRO RLO and LRI RLI FSI PDI.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CR = re.compile("\r\n?")


# A numeric character reference in a feed's bytes: &#xD800; or &#0; (the XML parser
# refuses them, and feedparser's fallback parser raises on a surrogate, losing the feed).
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _unsafe_code_point(code: int) -> bool:
    if code in (0x09, 0x0A, 0x0D):
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF


def _drop_unsafe_reference(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return b"" if _unsafe_code_point(code) else match.group(0)


def defuse_references(body: bytes) -> bytes:
    """``body`` without character references to NUL, controls or lone surrogates.

    Done on the bytes before parsing: one ``&#xD800;`` otherwise makes feedparser raise
    for the whole document, and every entry of the feed is lost every cycle.
    """
    if b"&#" not in body:
        return body
    return _CHAR_REF.sub(_drop_unsafe_reference, body)


def clean_text(text: str) -> str:
    """``text`` without NUL, lone surrogates and control characters (tab, newline kept).

    A carriage return becomes a newline, so "a\\r\\nb" stays two lines, not "ab".
    """
    if text.isascii() and text.isprintable():  # the common case costs one scan
        return text
    return _UNSAFE.sub("", _CR.sub("\n", text))


def clean_title(text: str) -> str:
    """A title: :func:`clean_text` and no bidi overrides or isolates."""
    return _BIDI.sub("", clean_text(text))


def is_clean(text: str) -> bool:
    return not _UNSAFE.search(text)


def cut(text: str, limit: int) -> str:
    """``text`` at most ``limit`` characters long, cut after the last whole word.

    A text without a space in its last fifth (one enormous "word") is cut at the limit.
    """
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    if space >= limit * 4 // 5:
        return head[:space].rstrip()
    return text[:limit]


def first_terms(terms: list[str], limit: int = INDEX_TERMS) -> frozenset[str]:
    """The first ``limit`` distinct terms, in order (a title's come before its summary's)."""
    return frozenset(list(dict.fromkeys(terms))[:limit])
