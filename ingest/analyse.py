"""The CPU-bound half of ingest, run in worker processes: parse feeds, analyse articles.

Everything here is pure and synchronous, takes and returns small picklable values, and
never touches the network or the database: the pipeline hands it bytes and gets back
what to store. Analysing an article means: full text (feed content, or the extracted
page when the feed had a teaser), the summariser's cleaning, language, topics, the
summary, the content hash and the story keys.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ingest.dedupe import band_keys, content_hash, minhash, story_words
from ingest.extract import extract_page, html_to_text, word_count
from ingest.language import choose_language
from ingest.sanitize import INDEX_TERMS, SENTENCE_CHARS, TEXT_CHARS, clean_text, cut, first_terms
from ingest.topics import TopicRules
from storage.articles import terms_in_order

log = logging.getLogger(__name__)

#: text, title, language code (or None) → up to five (position in the article, sentence)
#: pairs, best first (see ingest.summary).
Summarise = Callable[[str, str | None, str | None], Sequence[tuple[int, str]]]

SUMMARY_SENTENCES = 5
MAX_TEXT_CHARS = TEXT_CHARS
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")


@dataclass(frozen=True)
class Candidate:
    """A new feed entry, with its page when the feed only had a teaser."""

    url: str
    guid: str | None
    title: str
    published_at: datetime
    content: str
    categories: tuple[str, ...]
    source_topics: tuple[str, ...]
    #: Languages in order of trust: the operator's, the entry's or feed's.
    declared_languages: tuple[str | None, ...]
    page: bytes | None = None


@dataclass(frozen=True)
class Analysed:
    url: str
    guid: str | None
    title: str
    published_at: datetime
    text: str
    #: Best first; ``summary_positions`` says where each stands in the article.
    summary: tuple[str, ...]
    summary_positions: tuple[int, ...]
    language: str | None
    topics: tuple[str, ...]
    terms: frozenset[str]
    content_hash: str
    story_words: frozenset[str]
    story_keys: tuple[int, ...]
    #: Something went wrong but the article is stored anyway (for the log line).
    problem: str | None = None


def lead_sentences(text: str, count: int = SUMMARY_SENTENCES) -> list[str]:
    """The first sentences of ``text``: the fallback when the summariser fails."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()][:count]


def article_text(candidate: Candidate, clean: Callable[[str], str]) -> tuple[str, str | None]:
    """The article's text and the page's declared language (when the page was used)."""
    feed_text = clean(html_to_text(candidate.content)) if candidate.content else ""
    if candidate.page:
        page = extract_page(candidate.page, url=candidate.url)
        # A page is the publisher's too: the same sanitising as the feed's text.
        page_text = clean(clean_text(page.text)) if page.text else ""
        if word_count(page_text) > word_count(feed_text):
            return page_text, page.language
    return feed_text, None


def analyse(
    candidate: Candidate,
    *,
    rules: TopicRules,
    summarise: Summarise,
    clean: Callable[[str], str],
) -> Analysed:
    """Everything ingest stores about one article, computed from the candidate alone."""
    problem: str | None = None
    try:
        text, page_language = article_text(candidate, clean)
    except Exception as error:  # a hostile page must not lose the entry
        problem = f"page extraction failed: {type(error).__name__}: {error}"
        text, page_language = html_to_text(candidate.content), None
    # A page can hold a book (a live blog, a transcript): store and summarise a bounded
    # prefix, which is where news puts what matters anyway.
    text = cut(text, MAX_TEXT_CHARS)
    language = choose_language(*candidate.declared_languages, page_language, text=text)
    ranked: list[tuple[int, str]] = []
    if text:
        try:
            ranked = list(summarise(text, candidate.title, language))[:SUMMARY_SENTENCES]
        except Exception as error:
            problem = f"summariser failed: {type(error).__name__}: {error}"
            ranked = list(enumerate(lead_sentences(text)))
    summary = [cut(sentence, SENTENCE_CHARS) for _, sentence in ranked]
    topics = rules.topics_for(
        title=candidate.title,
        text=text,
        categories=candidate.categories,
        source_topics=candidate.source_topics,
    )
    words = story_words(candidate.title, text)
    return Analysed(
        url=candidate.url,
        guid=candidate.guid,
        title=candidate.title,
        published_at=candidate.published_at,
        text=text,
        summary=tuple(summary),
        summary_positions=tuple(position for position, _ in ranked),
        language=language,
        topics=topics,
        # Capped: one title of a million distinct words must not write a million index
        # rows (and stall every reader of a SQLite database behind that write).
        terms=first_terms(terms_in_order(" ".join([candidate.title, *summary])), INDEX_TERMS),
        content_hash=content_hash(title=candidate.title, text=text, url=candidate.url),
        story_words=words,
        story_keys=tuple(band_keys(minhash(words))),
        problem=problem,
    )
