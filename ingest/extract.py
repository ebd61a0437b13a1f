"""Article text: from the feed's HTML, or from the article page with trafilatura.

Pure and synchronous (runs in the worker processes). A feed entry that carries only a
teaser is completed from its page; everything else uses what the feed gave.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.html  # type: ignore[import-untyped]
import trafilatura
from lxml.etree import ParserError  # type: ignore[import-untyped]

#: Fewer words than this in the feed's content means a teaser: fetch the page.
TEASER_WORDS = 80
_TEASER_ENDINGS = ("…", "...", "[…]", "[...]", "read more", "continue reading")
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "tr",
    "pre",
    "figcaption",
}
_DROP = {"script", "style", "noscript", "iframe", "svg", "form", "button", "figure", "nav"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\n\s*\n\s*")
_HTML_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def html_to_text(fragment: str) -> str:
    """Readable text of an HTML fragment: one paragraph per block, scripts dropped."""
    if "<" not in fragment:
        return _tidy(_unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return _tidy(_unescape(re.sub(r"<[^>]+>", " ", fragment)))
    for element in root.iter(*_DROP):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag == "br":
            continue
        element.text = "\n\n" + (element.text or "")
    return _tidy(root.text_content())


def _unescape(text: str) -> str:
    return html.unescape(text)


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _LINES.sub("\n\n", "\n".join(lines)).strip()


def word_count(text: str) -> int:
    return len(text.split())


def is_teaser(text: str) -> bool:
    """Whether the feed's text is only a teaser of the article (so the page is wanted)."""
    lowered = text.rstrip().lower()
    return word_count(text) < TEASER_WORDS or lowered.endswith(_TEASER_ENDINGS)


def looks_like_teaser(content: str) -> bool:
    """:func:`is_teaser` on feed HTML, cheaply (tags stripped by pattern, not parsed)."""
    return is_teaser(html.unescape(re.sub(r"<[^>]+>", " ", content)))


@dataclass(frozen=True)
class Page:
    text: str
    language: str | None


def page_language(page: bytes) -> str | None:
    """The language the page declares (``<html lang="…">``), if any."""
    match = _HTML_LANG.search(page[:8192])
    return match.group(1).decode("ascii").lower() if match else None


def extract_page(page: bytes, *, url: str) -> Page:
    """The article's main text from its page (empty when trafilatura finds none)."""
    text = trafilatura.extract(
        page,
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # trafilatura's deduplication remembers text across calls in the process: a
        # second outlet's page carrying the same wire copy would come back empty.
        deduplicate=False,
    )
    return Page(text=_tidy(text or ""), language=page_language(page))
