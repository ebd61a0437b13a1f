"""`newsbot summarize FILE|URL|-`: the summariser from a shell (bot/cli fetches URLs)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ._api import summarize
from ._languages import FALLBACK_LANGUAGE, normalize_language
from ._methods import DEFAULT_METHOD, METHODS
from ._select import DEFAULT_MAX_WORDS

__all__ = ["build_parser", "cli_main"]


def build_parser(prog: str = "newsbot summarize") -> argparse.ArgumentParser:
    """The argument parser, for embedding as a sub-command of a larger CLI."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Print an extractive summary of an article: a text or HTML file, a web page "
            "(an http:// or https:// URL, fetched with the same rules as a reader's "
            "/summarize), or - for standard input. Example: newsbot summarize "
            "https://example.org/news/story.html --sentences 2"
        ),
    )
    parser.add_argument(
        "file", metavar="FILE|URL|-", help="a text or HTML file, a URL, or - for standard input"
    )
    parser.add_argument("--sentences", type=int, default=3, help="at most this many (default 3)")
    parser.add_argument(
        "--method", choices=METHODS, default=DEFAULT_METHOD, help=f"default {DEFAULT_METHOD}"
    )
    parser.add_argument(
        "--language", default="english", help='ISO code or name, e.g. "de" (default english)'
    )
    parser.add_argument("--title", default=None, help="the headline, if known")
    parser.add_argument(
        "--max-words",
        type=int,
        default=DEFAULT_MAX_WORDS,
        help=f"word budget for up to 3 sentences, 0 for none (default {DEFAULT_MAX_WORDS})",
    )
    return parser


def cli_main(
    argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Run the command; print one sentence per line. Returns the exit status."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.sentences < 1:
        parser.error("--sentences must be at least 1")
    if args.file == "-":
        text = stdin.read()
    else:
        try:
            with open(args.file, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError as error:
            print(f"newsbot summarize: {error}", file=sys.stderr)
            return 1
    if not text.strip():
        where = "standard input" if args.file == "-" else args.file
        print(f"newsbot summarize: {where} is empty: nothing to summarise", file=sys.stderr)
        return 2
    if normalize_language(args.language) == FALLBACK_LANGUAGE:
        print(
            f"newsbot summarize: warning: unknown language {args.language!r}; using "
            "language-neutral rules (give an ISO code such as en, de, fr)",
            file=sys.stderr,
        )
    summary = summarize(
        text,
        title=args.title,
        language=args.language,
        sentences=args.sentences,
        method=args.method,
        max_words=args.max_words or None,
    )
    for sentence in summary.sentences:
        print(sentence, file=stdout)
    return 0
