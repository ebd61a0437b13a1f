"""Turning a fetched page, or a text a reader forwarded, into a summary.

Synchronous and CPU-bound (trafilatura, the summariser): handlers run it off the event
loop with ``asyncio.to_thread`` so other readers are answered meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from bot.links.fetch import FetchedPage
from ingest.extract import page_language, word_count
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
        text, title = _extract(page)
        declared = page_language(page.body)
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


def _extract(page: FetchedPage) -> tuple[str, str | None]:
    """The main text and the title, in one parse.

    Not ``ingest.extract.extract_page``: that asks trafilatura to deduplicate, which keeps
    a process-wide cache of texts seen, so the second reader to send a popular link
    would get "no article text". A reader's link is summarised however often it comes.
    """
    document = trafilatura.bare_extraction(
        page.body,
        url=page.url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    if document is None:
        return "", None
    text = str(getattr(document, "text", None) or "")
    title = " ".join(str(getattr(document, "title", None) or "").split())
    return text, title or None
