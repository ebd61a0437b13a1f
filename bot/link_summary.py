"""Turning a fetched page, or a text a reader forwarded, into a summary.

Synchronous and CPU-bound (trafilatura, the summariser): handlers run it off the event
loop with ``asyncio.to_thread`` so other readers are answered meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from bot.link_fetch import FetchedPage
from ingest.extract import extract_page, word_count
from ingest.language import choose_language
from summarizer import summarize

#: Fewer words than this is no article: a title, a cookie wall, a login page.
MIN_ARTICLE_WORDS = 40


@dataclass(frozen=True)
class PageSummary:
    title: str | None
    sentences: list[str]
    url: str | None


class NothingToSummarise(Exception):
    """The page or text has no article text worth condensing; ``str()`` says which."""


def summarise_page(page: FetchedPage, *, sentences: int) -> PageSummary:
    """The summary of a web page (HTML) or a plain-text document."""
    if page.content_type == "text/plain":
        text, declared, title = page.text(), None, None
    else:
        extracted = extract_page(page.body, url=page.url)
        text, declared = extracted.text, extracted.language
        title = _title(page.body)
    if word_count(text) < MIN_ARTICLE_WORDS:
        raise NothingToSummarise("page")
    return PageSummary(
        title=title, sentences=_sentences(text, title, declared, sentences), url=page.url
    )


def summarise_text(text: str, *, sentences: int) -> PageSummary:
    """The summary of a text a reader forwarded or pasted."""
    if word_count(text) < MIN_ARTICLE_WORDS:
        raise NothingToSummarise("text")
    return PageSummary(title=None, sentences=_sentences(text, None, None, sentences), url=None)


def _sentences(text: str, title: str | None, declared: str | None, count: int) -> list[str]:
    language = choose_language(declared, text=text) or "en"
    summary = summarize(text, title=title, language=language, sentences=count)
    if not summary.sentences:
        raise NothingToSummarise("text")
    return summary.sentences


def _title(body: bytes) -> str | None:
    metadata = trafilatura.extract_metadata(body)
    title = getattr(metadata, "title", None) if metadata is not None else None
    return " ".join(str(title).split()) or None if title else None
