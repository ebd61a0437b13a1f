"""Extractive summaries of news articles, built on sumy, with no downloads.

    >>> from summarizer import summarize
    >>> summary = summarize(article_text, title=headline, language="en")
    >>> summary.sentences            # up to 3 sentences, in the article's order
    >>> split_sentences(text, "fa")  # the splitter summarize uses

Pure, synchronous, deterministic and thread-safe. Plain text or HTML (HTML goes
through trafilatura first). Page furniture is removed before ranking; the
default method (`"news"`) is position-aware and beats taking the first three
sentences; every sumy method stays selectable by name (`METHODS`).
"""

from ._api import MIN_WORDS, Summary, shorten, split_sentences, summarize
from ._clean import clean_text, is_junk
from ._cli import build_parser, cli_main
from ._languages import FALLBACK_LANGUAGE, normalize_language, supported_languages
from ._methods import DEFAULT_METHOD, METHODS
from ._select import DEFAULT_MAX_WORDS
from ._tokenize import OfflineTokenizer

__all__ = [
    "DEFAULT_MAX_WORDS",
    "DEFAULT_METHOD",
    "FALLBACK_LANGUAGE",
    "METHODS",
    "MIN_WORDS",
    "OfflineTokenizer",
    "Summary",
    "build_parser",
    "clean_text",
    "cli_main",
    "is_junk",
    "normalize_language",
    "shorten",
    "split_sentences",
    "summarize",
    "supported_languages",
]
