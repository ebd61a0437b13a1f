"""Replies to /summarize: the summary of a page or a text, or why there is none."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.i18n import Translator
from bot.links.fetch import LinkReason
from bot.views.html import bold, bold_link, esc, italic
from bot.views.pack import pack_messages, truncate_text

TITLE_MAX = 300
SENTENCE_MAX = 1000


def summary_messages(
    t: Translator, sentences: Sequence[str], *, title: str | None, url: str | None
) -> list[str]:
    """The summary as bullet points under the (linked) title, in as few messages as fit."""
    heading = truncate_text(" ".join((title or "").split()), TITLE_MAX)
    # Translators: the heading of the summary of a text that has no title.
    untitled = t.gettext("Summary")
    header = bold_link(url, heading or _host(url)) if url else bold(heading or untitled)
    items = [f"• {esc(truncate_text(' '.join(s.split()), SENTENCE_MAX))}" for s in sentences]
    if url:
        items.append(italic(_host(url)))
    return pack_messages(items, header=header, separator="\n")


def link_refused_text(t: Translator, reason: LinkReason) -> str:
    """Why a link is not summarised, as one sentence in the reader's language."""
    match reason.kind:
        case "other_scheme":
            # Translators: this and the next sentences answer a link sent to /summarize that
            # the bot did not read; each starts the same way on purpose.
            return t.html(
                "I can't summarise that link: only http:// and https:// links can be summarised."
            )
        case "not_an_address":
            return t.html("I can't summarise that link: that is not a web address I can read.")
        case "no_host":
            return t.html("I can't summarise that link: that link has no host name.")
        case "private_address":
            return t.html(
                "I can't summarise that link: {host} is a private or local address, and I only "
                "read public web pages.",
                host=esc(reason.host),
            )
        case "redirect_not_a_page":
            return t.html(
                "I can't summarise that link: the link redirects to something that is not a "
                "web page."
            )
        case "host_not_found":
            return t.html(
                "I can't summarise that link: the host {host} could not be found.",
                host=esc(reason.host),
            )
        case "bad_status":
            # Translators: {status} is an HTTP status code such as 404.
            return t.html(
                "I can't summarise that link: the site answered {status}.", status=reason.status
            )
        case "bad_redirect":
            return t.html("I can't summarise that link: the site redirects to an invalid address.")
        case "too_many_redirects":
            return t.nhtml(
                "I can't summarise that link: the link redirects more than {count} time.",
                "I can't summarise that link: the link redirects more than {count} times.",
                reason.limit,
                count=t.number(reason.limit),
            )
        case "timed_out":
            return t.nhtml(
                "I can't summarise that link: the site did not answer within {seconds} second.",
                "I can't summarise that link: the site did not answer within {seconds} seconds.",
                _plural_count(reason.seconds),
                seconds=format(reason.seconds, "g"),
            )
        case "too_large":
            # Translators: {size} is a whole number of megabytes.
            return t.nhtml(
                "I can't summarise that link: that page is larger than {size} MB.",
                "I can't summarise that link: that page is larger than {size} MB.",
                reason.limit,
                size=t.number(reason.limit),
            )
        case "stacked_coding":
            # Translators: {codings} names compression methods, such as "gzip, gzip".
            return t.html(
                "I can't summarise that link: the site sent that page compressed more than "
                "once ({codings}), which I refuse to unpack.",
                codings=esc(reason.codings),
            )
        case "unknown_coding":
            return t.html(
                "I can't summarise that link: the site sent that page in a compression I do "
                "not read ({codings}).",
                codings=esc(reason.codings),
            )
        case "damaged_coding":
            return t.html("I can't summarise that link: the site sent a damaged compressed page.")
        case "not_a_page" if reason.content_type:
            # Translators: {type} is a media type such as application/pdf.
            return t.html(
                "I can't summarise that link: that link is {type}; I can only summarise web "
                "pages and plain text.",
                type=esc(reason.content_type),
            )
        case "not_a_page":
            return t.html(
                "I can't summarise that link: that link is not a web page; I can only "
                "summarise web pages and plain text."
            )
        case "unreachable":
            return t.html(
                "I can't summarise that link: the site could not be reached (connection "
                "refused or failed)."
            )


def _plural_count(seconds: float) -> int:
    """The number that picks the plural form for ``seconds``: itself when whole; a
    fraction ("0.5 seconds") reads with the form for several in English."""
    return int(seconds) if seconds == int(seconds) else 2


def nothing_to_summarise_text(t: Translator) -> str:
    return t.html("I found no article text on that page to summarise.")


def too_short_text(t: Translator) -> str:
    return t.html("That text is already short; there is nothing to condense.")


def still_working_text(t: Translator) -> str:
    return t.html("I'm still reading the previous one; send this again in a moment.")


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def not_a_link_reason(t: Translator) -> str:
    # Translators: shown as a sentence of its own before how to use /summarize
    # (capitalised, with a full stop added).
    return t.gettext("that is not a link")


def what_to_summarise_reason(t: Translator) -> str:
    # Translators: shown as a sentence of its own before how to use /summarize
    # (capitalised, with a full stop added).
    return t.gettext("send a link, or use /summarize in reply to a message with a link or a text")
