"""`newsbot summarize FILE|URL|-`: print the summary of a file, a web page or stdin."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.links.fetch import LinkError, LinkFetcher
from bot.links.summary import NothingToSummarise, summarise_page
from bot.runtime.settings import Settings
from summarizer import build_parser, cli_main


def register(subparsers: Any) -> None:
    # The summariser owns its options (--sentences, --method, --language, --title,
    # --max-words); forward everything so `newsbot summarize --help` shows them.
    parser = subparsers.add_parser(
        "summarize",
        help="print the summary of a text or HTML file, a web page (URL), or - for stdin",
        description="Summarise a text or HTML file, or a web page, and print the sentences.",
        add_help=False,
    )
    parser.set_defaults(handler=handle, passthrough=True)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    arguments: list[str] = args.passthrough_arguments
    options = build_parser().parse_args(arguments)
    if not options.file.lower().startswith(("http://", "https://")):
        return cli_main(arguments)
    return _summarize_link(options.file, options.sentences, settings)


def _summarize_link(link: str, sentences: int, settings: Settings) -> int:
    """Fetch a page as a reader's /summarize would (same address rules and limits)."""
    fetcher = LinkFetcher(
        timeout_seconds=settings.fetch_timeout_seconds,
        max_bytes=settings.fetch_max_bytes,
        allowed_private_hosts=settings.allowed_private_hosts,
    )
    try:
        page = asyncio.run(fetcher.fetch(link))
        summary = summarise_page(page, sentences=sentences)
    except LinkError as error:
        print(f"newsbot summarize: cannot summarise {link}: {error}", file=sys.stderr)
        return 1
    except NothingToSummarise:
        print(f"newsbot summarize: {link} has no article text to summarise", file=sys.stderr)
        return 1
    if summary.title:
        print(summary.title)
        print()
    for sentence in summary.sentences:
        print(sentence)
    return 0
