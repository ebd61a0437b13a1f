"""`newsbot summarize FILE|-`: the summariser from a shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ._api import summarize
from ._methods import DEFAULT_METHOD, METHODS
from ._select import DEFAULT_MAX_WORDS

__all__ = ["build_parser", "cli_main"]


def build_parser(prog: str = "newsbot summarize") -> argparse.ArgumentParser:
    """The argument parser, for embedding as a sub-command of a larger CLI."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Print an extractive summary of an article (text or HTML)."
    )
    parser.add_argument("file", help="article file, or - for standard input")
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
