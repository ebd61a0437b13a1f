"""Boilerplate removal: everything on a news page that is not the article.

Scraped text carries page furniture (share bars, comment forms, captchas,
cookie notices, "Related articles", menus joined with `|`), and some of it is
glued to the article text itself ("...Copy this linkHowever, since 1987...").
It is removed in three places, cheapest first:

1. `_GLUED` cuts furniture out of running text before anything is split.
2. `_paragraphs` drops whole lines that are furniture (`is_junk`) and joins
   hard-wrapped lines back into paragraphs.
3. After sentence splitting, `is_junk` runs again on every sentence, because a
   paragraph can hold furniture that only shows once it is split.

The patterns are English-first but cover the common furniture of the other
supported languages' news sites where it is the same few words (cookies, share,
newsletter). Every pattern is anchored or specific enough that a normal news
sentence does not match it; the dirty-article corpus in tests/fixtures/dirty/
is the regression test for both directions.
"""

from __future__ import annotations

import re
import string

import regex

__all__ = ["blocks", "clean_text", "is_junk", "looks_like_html", "paragraphs"]

_SOCIAL = (
    r"e-?mail|facebook|messenger|twitter|x\.com|pinterest|whatsapp|linkedin|reddit|telegram"
    r"|tumblr|flipboard|pocket|sms|print|copy(?: this)? link|copied|tweet|share|shares"
)

# Furniture that is glued into running text, removed wherever it appears. Each
# pattern comes with a substring that must be present for it to match at all:
# testing for it first is far cheaper than running the regex over every article.
_GLUED: list[tuple[str | None, re.Pattern[str]]] = [
    # "Share this withEmailFacebookMessengerTwitter...Copy this link" (BBC).
    (
        "hare ",
        re.compile(
            r"Share (?:this|the article|on)(?: with)?(?:\s*(?:" + _SOCIAL + r"))+",
            re.IGNORECASE,
        ),
    ),
    ("croll down", re.compile(r"\bScroll down for (?:video|more)\b\.?\s*", re.IGNORECASE)),
    # "18 March 2014 Last updated at 09:22 GMT"
    (
        "Last updated",
        re.compile(
            r"(?:\b\d{1,2} [A-Z][a-z]+ \d{4}\s*)?"
            r"\bLast updated (?:at|on) [\d:.]+\s*(?:GMT|BST|UTC)?"
        ),
    ),
    # Datelines: "New Delhi, India (CNN)", "LONDON (Reuters) -", "(AP) —".
    (
        ")",
        re.compile(
            r"^[^\S\n]*(?:[A-Z][\w.'’-]*(?:,?[^\S\n]+[\w.'’-]+){0,5},?[^\S\n]*)?"
            r"\((?:CNN|AP|AFP|Reuters|UPI|dpa|Xinhua|PA|Bloomberg)\)[^\S\n]*(?:[-–—]+[^\S\n]*)?",
            re.MULTILINE,
        ),
    ),
    ("pic.twitter", re.compile(r"\bpic\.twitter\.com/\S+")),
]

# A period glued to the next sentence: "in 2007.The company". Requires a
# lower-case letter or digit before the period so initialisms ("U.S.The") are
# left alone for Punkt to judge. (The sentence splitter repairs the same in
# every script, "yaralandı.Kazayı"; this one keeps `clean_text` readable.)
_MISSING_SPACE = re.compile(r"(?<=[a-z0-9)\]\"”’])([.!?])(?=[A-Z][a-z])")

# Lines or sentences that are furniture whatever follows: these openings do not
# start news sentences. Matched case-insensitively at the start.
_JUNK_START = re.compile(
    r"^\W*(?:"
    # sharing and social
    r"(?:share|tweet|pin it|email|print)(?: (?:this|on|via|the|article|story|page|post))*\W*$"
    r"|(?:follow|like|join) us (?:on|at)\b|share (?:this|the) (?:article|story|page|post)"
    r"|copy (?:this )?link"
    # comment forms
    r"|leave a (?:reply|comment)|cancel reply|post (?:a )?comment\b|add (?:a )?comment\b"
    r"|your email address will not be published|required fields are marked"
    r"|save my name,? email|you must be logged in|log ?in to (?:reply|comment)"
    r"|(?:\d+ )?comments?\W*$|be the first to comment|join the (?:conversation|discussion)\W*$"
    r"|notify me of (?:new|follow)"
    # captchas
    r"|\d+\s*[-+×x*/]\s*\d+\s*=\s*\S{0,3}\s*$|what is \d+\s*[-+×x*]\s*\d+"
    r"|i'?m not a robot|(?:re)?captcha\b|δ\s*$"
    # captchas as machine translation renders them ("Please call to receive
    # the robot.") and their requests ("Please confirm that you are not a robot")
    r"|please\b[^.!?]{0,40}\brobot\b|(?:confirm|prove|verify)\b[^.!?]{0,20}\byou(?:'re| are) "
    r"(?:not a robot|(?:a )?human)"
    # navigation
    r"|back to top|scroll to top|skip to (?:main )?content|jump to\b|go to (?:top|menu)"
    r"|(?:main )?menu\W*$|search\W*$|home\W*$|close\W*$|loading\W*$|next\W*$|previous\W*$"
    # bylines, credits, timestamps
    r"|publisher\b|author:|source:|(?:photo|image|picture|credit|photograph)s?(?: by| credit)?:"
    r"|(?:published|updated|last updated|last modified)\s*:?\s*(?:\d|on \d|at \d|[a-z]+ \d)"
    r"|(?:getty images|ap photo|reuters|afp|shutterstock|alamy|pa wire|epa)\W*$"
    r"|all rights reserved|copyright (?:©|\d{4})|©"
    # cookies and consent
    r"|(?:we|this (?:web)?site|our (?:web)?site) uses? cookies|we use cookies"
    r"|(?:accept|reject|allow|manage) (?:all )?(?:cookies|preferences|consent)"
    r"|by (?:continuing|using) (?:to (?:use|browse) )?(?:this|our) (?:web)?site"
    r"|if you continue (?:to use|to browse|browsing|using) (?:this|our|the) (?:web)?site"
    r"|cookie (?:policy|settings|notice|preferences)"
    r"|nous utilisons des cookies|wir verwenden cookies|utilizamos cookies"
    r"|utilizziamo (?:i )?cookie"
    # calls to action
    r"|read (?:more|also|next)\s*:|related\s*:|see also\s*:|more\s*:|watch\s*:|video\s*:"
    r"|sign up (?:for|to|now)|subscribe (?:to|now|for|today)\b|click here|tap here"
    r"|download (?:our|the) app|support (?:our|independent) journalism"
    r"|already (?:a subscriber|have an account)|create (?:a free )?account"
    r"|advertisement\W*$|ad choices|(?:continue reading|story continues|article continues)\b"
    r"|scroll down for|watch(?: the)? video|play video|view (?:gallery|slideshow|comments)"
    r"|image \d+ of \d+|\d+ photos?\W*$|you (?:may|might) also like\b"
    r")",
    re.IGNORECASE,
)

# Openings that are furniture only when the line makes no statement ("Related
# articles", "Also on BBC News", "Most read"), but can start a real sentence
# ("Also on Tuesday, the bank...", "Promoted to captain in May, she...").
_FURNITURE_START = re.compile(
    r"^\W*(?:related|also on|read (?:more|also|next)|see also|more (?:from|on|stories|news)"
    r"|recommended|most (?:popular|read|viewed|shared)|trending|you (?:may|might) also"
    r"|don'?t miss|top stories|latest (?:news|stories)|editor'?s picks?|sponsored|promoted"
    r"|paid (?:post|content)|newsletter|subscribe|donate|posted (?:by|on|in)|published by"
    r"|written by|(?-i:[Bb]y [A-Z][\w'’-]+ [A-Z][\w'’-]+)|copyright|follow us|share)\b",
    re.IGNORECASE,
)
_SHORT_LINE = 12

# A line of several short items joined by `|`, `•` or `·`: a menu, a tag list
# or an ad strip ("Home | News | Sport", "Deals | Shop now | Free delivery").
_SEPARATORS = re.compile(r"\s[|•·]\s|\|")
_URL = re.compile(r"https?://|www\.\w|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_SOCIAL_WORD = re.compile(r"\b(?:" + _SOCIAL + r")\b", re.IGNORECASE)
# Letters with their combining marks: Devanagari vowel signs are marks.
_NOT_LETTERS = regex.compile(r"[^\p{L}\p{M}]+")
# The non-letters of ordinary sentences, deleted by `str.translate`, which is
# several times faster than `_NOT_LETTERS.sub`; when anything else is left
# that is not a letter, the regex decides.
_COMMON_NOT_LETTERS = str.maketrans(
    "", "", string.punctuation + string.digits + string.whitespace + "‘’“”«»„‚–—…•·£€¥°©®™ "
)
# Sentence ends in every supported script: Latin, the Arabic question mark and
# full stop, the danda, and the full-width marks (and closing brackets) of Chinese.
_TERMINAL = ".!?…\"'”’»)]:;" + "\u061f\u06d4\u0964\u0965" + "。！？」』）"
_HTML = re.compile(
    r"^\s*(?:<!doctype|<html|<head|<body|<\?xml)|<(?:p|div|article|br|span|h[1-6]|section)\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether `text` is markup rather than plain text."""
    return _HTML.search(text[:5000]) is not None


def is_junk(text: str) -> bool:
    """Whether a line or sentence is page furniture rather than article text.

    Runs on every sentence of every article, so the expensive checks are
    guarded by cheap substring tests.
    """
    stripped = text.strip()
    if not stripped:
        return True
    if _JUNK_START.match(stripped):
        return True
    if ("@" in stripped or "http" in stripped or "www." in stripped) and _URL.search(stripped):
        return True
    if ("|" in stripped or "•" in stripped or "·" in stripped) and (
        len(_SEPARATORS.findall(stripped)) >= 2
    ):
        return True
    words = stripped.split()
    short = len(words) <= _SHORT_LINE
    # Weak openers are furniture when they do not make a statement: no full
    # stop ("Related articles", "Most read") or a call to action ("... now!").
    if _FURNITURE_START.match(stripped) and (
        stripped[-1] not in _TERMINAL or stripped[-1] == "!" or (short and ":" in stripped)
    ):
        return True
    letters = stripped.translate(_COMMON_NOT_LETTERS)
    if not letters.isalpha():
        letters = _NOT_LETTERS.sub("", stripped)
    # Mostly not letters: tables, scores, prices, timestamps.
    if len(letters) < 0.5 * (len(stripped) - stripped.count(" ")):
        return True
    # A run of share-button names ("Share Tweet Email WhatsApp").
    if short and len(_SOCIAL_WORD.findall(stripped)) * 2 >= len(words):
        return True
    # Shouted lines are banners ("BREAKING NEWS", "SUBSCRIBE NOW FOR $1").
    return len(words) >= 3 and letters.isupper()


def _is_heading(line: str) -> bool:
    """A single unit that does not end like a sentence: a heading, caption or menu item.

    A longer paragraph whose last sentence lost its full stop is not a heading;
    its sentences are judged one by one later.
    """
    return line[-1:] not in _TERMINAL and not _SENTENCE_END_INSIDE.search(line)


_SENTENCE_END_INSIDE = re.compile(
    r"[.!?…\u061f\u06d4\u0964\u0965][\"'”’)»]?\s+\S|[。！？][」』”）]?[^\s」』”）]"
)


def paragraphs(text: str) -> list[str]:
    """Split plain text into cleaned paragraphs.

    A blank line always separates paragraphs. Inside a block, a line is joined
    to the next only when it looks hard-wrapped (no sentence end, and the next
    line starts in lower case); otherwise each line is its own paragraph, which
    is how scraped pages put one block per line. Furniture lines and lines that
    do not end like a sentence (headings, menu items, captions) are dropped.
    """
    for guard, pattern in _GLUED:
        if guard is None or guard in text:
            text = pattern.sub(" ", text)
    text = _MISSING_SPACE.sub(r"\1 ", text)
    # A paragraph of several sentences is judged sentence by sentence later:
    # one URL or one "Share" must not take a whole article with it.
    return [
        p
        for p in blocks(text)
        if _SENTENCE_END_INSIDE.search(p) or not (is_junk(p) or _is_heading(p))
    ]


def blocks(text: str) -> list[str]:
    """Plain text as paragraphs, nothing dropped: each line is one, unless hard-wrapped.

    A blank line always separates paragraphs; a line is joined to the one
    before when that one does not end a sentence and this one starts in lower case.
    """
    result: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        merged: list[str] = []
        for line in lines:
            if not line:
                continue
            if merged and merged[-1][-1:] not in _TERMINAL and line[0].islower():
                merged[-1] = f"{merged[-1]} {line}"
            else:
                merged.append(line)
        result.extend(merged)
    return result


def _html_to_text(html: str) -> str:
    import trafilatura  # imported lazily: lxml and friends cost 0.3 s to import

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not extracted:
        extracted = trafilatura.html2txt(html) or ""
    # trafilatura puts one block per line; make them paragraphs.
    return "\n\n".join(extracted.splitlines())


def to_plain_text(text: str) -> str:
    """HTML goes through trafilatura; plain text passes through unchanged."""
    return _html_to_text(text) if looks_like_html(text) else text


def clean_text(text: str) -> str:
    """Return the article text of `text` (plain or HTML) without page furniture.

    Paragraphs are separated by a blank line. Sentence-level furniture is
    removed later, when the summariser splits sentences; this is the part that
    works on lines.
    """
    return "\n\n".join(paragraphs(to_plain_text(text)))
