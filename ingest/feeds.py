"""Feeds (RSS 0.9x/1.0/2.0, Atom) into plain entries, with feedparser.

Pure and synchronous: bytes and headers in, :class:`ParsedFeed` out, so it runs in the
worker processes. Broken feeds are parsed as far as feedparser can; a body that yields
no feed at all (an HTML page, an empty answer) is a :class:`FeedError` with a reason.
Dates are the feed's own (published, else updated); nothing is guessed from the text.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from ingest.canonical import canonical_url
from ingest.sanitize import (
    CATEGORIES,
    CATEGORY_CHARS,
    TITLE_CHARS,
    clean_text,
    clean_title,
    cut,
    defuse_references,
    is_clean,
)

MAX_GUID = 1024
MAX_URL = 2048


class FeedError(Exception):
    """The body is not a feed we can read; ``str()`` is one line saying why."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    guid: str | None
    title: str
    published_at: datetime | None
    #: The richest HTML (or text) the feed carries for the entry: content, else summary.
    content: str
    categories: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    language: str | None
    entries: list[FeedEntry]
    #: Why the feed is malformed, when feedparser had to recover; None when clean.
    problem: str | None = None
    #: Entries dropped because they had no usable link.
    skipped: int = 0
    #: Entries dropped because they could not be read safely (a link with control
    #: characters, an entry feedparser handed over malformed); their neighbours are kept.
    invalid: int = 0
    charset_note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
# A tag starts with a letter, "/", "!" or "?" right after "<" (as in HTML's own
# tokenizer): "5 < 6 and 7 > 3" in an HTML title is text, not a tag.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*|[!?])[^>]*>")
_SPACE = re.compile(r"\s+")
#: Elements inside a word ("<b>Big</b>gest"): removed without leaving a space.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    ]
)
#: feedparser's types for a value that is markup, not text.
_MARKUP_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def corrected_content_type(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    """The Content-Type to hand feedparser, and a note when the declared charset lied.

    Servers often declare ISO-8859-1 for UTF-8 feeds (or the reverse). Valid UTF-8 with
    non-ASCII bytes is almost never an accident, so it wins over a single-byte charset;
    a body that is not UTF-8 loses a UTF-8 declaration and feedparser falls back to the
    XML declaration or Windows-1252.
    """
    if not content_type:
        return content_type, None
    match = _CHARSET.search(content_type)
    if not match:
        return content_type, None
    declared = match.group(1).lower().replace("_", "-")
    is_ascii = body.isascii()
    if declared in {"utf-8", "utf8"}:
        if is_ascii or _is_utf8(body[:2_000_000]):
            return content_type, None
        fixed = _CHARSET.sub("", content_type).rstrip(" ;")
        return fixed, f"declared charset {declared} but the body is not UTF-8"
    if not is_ascii and _is_utf8(body[:2_000_000]):
        return _CHARSET.sub("charset=utf-8", content_type), (
            f"declared charset {declared} but the body is UTF-8"
        )
    return content_type, None


def _tag_gap(match: re.Match[str]) -> str:
    return "" if match.group(2).lower() in _INLINE else " "


def plain(text: str) -> str:
    """The text of an HTML fragment: tags removed, entities decoded once, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(_tag_gap, text))).strip()


def text_of(value: object, detail: object) -> str:
    """What a reader should see of a feed's title: ``value`` as feedparser decoded it.

    feedparser has already undone the XML escaping, and its ``*_detail`` says whether
    the result is text or markup (Atom declares it; for RSS feedparser looks for real
    HTML: closing tags or entities). Text is shown as it is: "Plan for a <park>",
    "AT&T" and "x &lt; y" written about HTML keep every character. Markup
    ("A &lt;b&gt;bold&lt;/b&gt; move", a CDATA title with <b>) loses its tags and has its
    entities decoded once.
    """
    if not isinstance(value, str):
        return ""
    kind = detail.get("type") if isinstance(detail, dict) else None
    if kind in _MARKUP_TYPES:
        return plain(value)
    return _SPACE.sub(" ", value).strip()


def _date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _link(entry: Any) -> str | None:
    link = entry.get("link")
    if isinstance(link, str) and link.strip().startswith(("http://", "https://")):
        return link.strip()
    for candidate in entry.get("links", []) or []:
        href = candidate.get("href", "")
        if candidate.get("rel", "alternate") == "alternate" and href.startswith("http"):
            return str(href).strip()
    guid = entry.get("id")
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        return guid.strip()
    return None


def _content(entry: Any) -> str:
    best = ""
    for part in entry.get("content", []) or []:
        value = part.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _language(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        code = value.strip().split("-")[0].split("_")[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", code):
            return code
    return None


def _entry_language(entry: Any) -> str | None:
    for part in entry.get("content", []) or []:
        code = _language(part.get("language"))
        if code:
            return code
    detail = entry.get("title_detail") or {}
    return _language(detail.get("language"))


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``; raise FeedError when it holds no feed."""
    if not body.strip():
        raise FeedError("empty body")
    body = defuse_references(body)
    fixed_type, charset_note = corrected_content_type(body, content_type)
    headers = {"content-location": url}
    if fixed_type:
        headers["content-type"] = fixed_type
    # Content is only ever turned into plain text (never shown as HTML), so feedparser's
    # HTML sanitiser and URI resolution, half of its parsing time, buy nothing here.
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    problem: str | None = None
    exception = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # A missing or generic Content-Type is no fault of the feed itself.
    if exception is not None and not isinstance(exception, feedparser.NonXMLContentType):
        problem = f"{type(exception).__name__}: {plain(str(exception))[:200]}"
    entries_raw = parsed.get("entries", []) or []
    if not parsed.get("version") and not entries_raw:
        looks_html = b"<html" in body[:4096].lower() or (
            content_type is not None and "html" in content_type.lower()
        )
        if looks_html:
            raise FeedError("not an RSS or Atom feed: the address returns an HTML page")
        raise FeedError(f"not an RSS or Atom feed ({problem or 'no feed elements found'})")
    feed = parsed.get("feed", {}) or {}
    feed_language = _language(feed.get("language"))
    entries: list[FeedEntry] = []
    skipped = 0
    seen: set[str] = set()
    invalid = 0
    for raw in entries_raw:
        try:
            entry = _entry(raw, feed_language)
        except Exception:  # one bad entry must never cost the feed its neighbours
            invalid += 1
            continue
        if entry is None:
            skipped += 1
            continue
        if entry.url in seen:  # the same item listed twice in one document
            continue
        seen.add(entry.url)
        entries.append(entry)
    return ParsedFeed(
        title=cut(clean_title(text_of(feed.get("title"), feed.get("title_detail"))), TITLE_CHARS),
        language=feed_language,
        entries=entries,
        problem=problem,
        skipped=skipped,
        invalid=invalid,
        charset_note=charset_note,
    )


class _UnusableEntry(Exception):
    """The entry's link holds characters no real address has."""


def _entry(raw: Any, feed_language: str | None) -> FeedEntry | None:
    """One entry, its text sanitised and capped; None when it has no link at all."""
    link = _link(raw)
    if link is None:
        return None
    if not is_clean(link):
        raise _UnusableEntry(link)
    canonical = canonical_url(link)[:MAX_URL]
    if not is_clean(canonical):
        raise _UnusableEntry(canonical)
    content = clean_text(_content(raw))
    # Spaces collapsed again: a removed character must not leave a double space.
    title = " ".join(clean_title(text_of(raw.get("title"), raw.get("title_detail"))).split())
    title = cut(title, TITLE_CHARS)
    if not title:
        title = cut(clean_title(plain(content)), 120) or canonical
    guid = raw.get("id")
    categories = [
        cut(clean_text(plain(t.get("term") or "")), CATEGORY_CHARS)
        for t in raw.get("tags", []) or []
        if t.get("term")
    ]
    return FeedEntry(
        url=canonical,
        guid=clean_text(str(guid).strip())[:MAX_GUID] or None if guid else None,
        title=title,
        published_at=_date(raw),
        content=content,
        categories=tuple(categories[:CATEGORIES]),
        language=_entry_language(raw) or feed_language,
    )
