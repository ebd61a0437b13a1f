"""An offline tokenizer with the interface sumy's parsers and documents expect.

sumy's own `Tokenizer` splits sentences with NLTK's Punkt and words with
`nltk.word_tokenize`, both of which need NLTK data that is downloaded at run
time. This one splits sentences with the `punkt` package's bundled models and
words with a regular expression, so it needs nothing but installed code. It
plugs into sumy unchanged: `PlaintextParser(text, OfflineTokenizer("en"))`.

Punkt decides one period at a time and knows nothing of quotations, so two of
its decisions are repaired afterwards, where news text shows them wrong:

- a dotted initialism the model does not know ("B.B.", "J.R.") before a name
  ("Blues legend B.B. King was...") is not a sentence end;
- a quotation is not cut into pieces: a piece that leaves a quotation open is
  joined with the following pieces up to the one that closes it, so '"I would
  not work at a place like this. Makes my skin crawl."' stays one sentence.

A piece that still begins inside a quotation (its first quotation mark closes
one, because the opening was in another paragraph or never matched) is a
fragment of someone's words: `is_quote_fragment` tells the summariser not to
pick it on its own.
"""

from __future__ import annotations

import re

import regex

from ._languages import Language, get_language
from ._split import glue_fix, lowercase_start, split_after_ellipses

__all__ = ["OfflineTokenizer", "is_quote_fragment", "words_of"]

# What sumy counts as a word (`sumy.nlp.tokenizers.Tokenizer._is_word`): letters,
# with inner apostrophes and hyphens ("don't", "state-run"). Digits and
# punctuation never become words, so they never count as content.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# The same for every other script: letters with their combining marks (the
# vowel signs of Devanagari, Arabic harakat are marks, not letters), and the
# zero-width non-joiner inside a Persian word ("می‌شود") as part of it.
_UNICODE_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’\-\u200c][\p{L}\p{M}]+)*")

# Scripts without spaces: a run of ideographs (or kana) becomes its overlapping
# character pairs, any other run of letters a word.
_HAN_RUN = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}ー]+|(?:(?![\p{Han}\p{Hiragana}\p{Katakana}])[\p{L}\p{M}])+"
)
_HAN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


#: How many following pieces may be joined to close one quotation; a longer run
#: is more likely an unmatched mark than a quotation of five sentences.
_QUOTE_REACH = 4

# A dotted initialism ending a piece: "B.B.", "J.R.R.", "(U.N.". Punkt splits
# after one it does not know as an abbreviation whatever follows.
_INITIALISM_END = re.compile(r"(?:^|[\s(\"'“‘])((?:[A-Z]\.){2,})$")
_FIRST_WORD = re.compile(r"[\"'“‘(]*([^\W\d_][\w'’-]*)")

# Quotation marks, classified by what surrounds them. Double marks: an opening
# one follows the start, a space or an opening bracket and precedes text; a
# closing one follows text and precedes the end, a space or punctuation.
# Single marks double as apostrophes ("don't", "Jones' house", "'90s"), so only
# these shapes count: an opening one between a space and a letter; a closing
# one right after the punctuation that ends the quoted words, or after a word
# when a single quotation is open in the same piece ('close to the end').
_QUOTE_CHAR = re.compile("[\"“”„«»‚'‘’]")
_DOUBLE_OPENING = frozenset('"“„«')
_DOUBLE_CLOSING = frozenset('"”“»')
_SINGLE_OPENING = frozenset("'‘‚")
_SINGLE_CLOSING = frozenset("'’")
_BEFORE_OPENING = frozenset("([—–-")
_AFTER_CLOSING = frozenset(",.;:!?)]—–-")


def _marks(text: str) -> list[tuple[str, bool]]:
    """The quotation marks of `text` in order: ("d" or "s", whether it opens)."""
    found: list[tuple[str, bool]] = []
    last = len(text) - 1
    single_open = False
    for match in _QUOTE_CHAR.finditer(text):
        at = match.start()
        char = text[at]
        before = text[at - 1] if at else ""
        after = text[at + 1] if at < last else ""
        opens_here = not before or before.isspace() or before in _BEFORE_OPENING
        closes_here = not after or after.isspace() or after in _AFTER_CLOSING
        if char in _DOUBLE_OPENING and opens_here and after and not after.isspace():
            found.append(("d", True))
        elif char in _DOUBLE_CLOSING and before and not before.isspace() and closes_here:
            found.append(("d", False))
        # French sets guillemets off with a space inside: « Nous partons. »
        elif char == "«" and opens_here and after:
            found.append(("d", True))
        elif char == "»" and before and closes_here:
            found.append(("d", False))
        elif char in _SINGLE_OPENING and opens_here and after.isalpha():
            found.append(("s", True))
            single_open = True
        elif (
            char in _SINGLE_CLOSING
            and before
            and closes_here
            and (before in ".!?," or (single_open and before.isalnum()))
        ):
            found.append(("s", False))
            single_open = False
    return found


def _quote_state(text: str) -> tuple[dict[str, bool], dict[str, bool]]:
    """For double and single marks: does `text` start inside a quotation, end inside one?

    Returns two dicts keyed "d" and "s": whether the first mark of that kind
    closes a quotation, and whether the last one leaves a quotation open.
    """
    starts_inside: dict[str, bool] = {}
    open_at_end: dict[str, bool] = {}
    for family, is_open in _marks(text):
        if family not in starts_inside:
            starts_inside[family] = not is_open
        open_at_end[family] = is_open
    return starts_inside, open_at_end


def is_quote_fragment(sentence: str) -> bool:
    """Whether a sentence begins in the middle of a quotation ('...being here."').

    Such a piece is someone's words cut off from their opening and from who
    said them; it is never a summary sentence by itself.
    """
    if _QUOTE_CHAR.search(sentence) is None:
        return False
    starts_inside, _ = _quote_state(sentence)
    return any(starts_inside.values())


def _join_initialisms(pieces: list[str], language: Language) -> list[str]:
    params = language.splitter.params
    result: list[str] = []
    for piece in pieces:
        previous = result[-1] if result else ""
        # Cheap test first: the previous piece ends like "B.B.".
        if previous[-3:-2] == "." and previous[-2:-1].isupper() and previous[-1:] == ".":
            match = _INITIALISM_END.search(previous)
            first = _FIRST_WORD.match(piece)
            if (
                match
                and first
                and first.group(1)[:1].isupper()
                and first.group(1).lower() not in language.stop_words
                and not params.is_abbrev(match.group(1)[:-1].lower())
            ):
                result[-1] = f"{result[-1]} {piece}"
                continue
        result.append(piece)
    return result


def _join_quotations(pieces: list[str]) -> list[tuple[str, bool]]:
    """Join the pieces of each quotation; each sentence comes with `is_quote_fragment`."""
    states = [_quote_state(piece) if _QUOTE_CHAR.search(piece) else ({}, {}) for piece in pieces]
    result: list[tuple[str, bool]] = []
    index = 0
    while index < len(pieces):
        current = pieces[index]
        starts_inside, open_at_end = states[index]
        index += 1
        while index < len(pieces):
            families = [f for f, is_open in open_at_end.items() if is_open]
            if not families:
                break
            # Find the piece whose first mark of that kind closes the quotation;
            # a piece that opens a new one first means the old one never closed.
            end = None
            for ahead in range(index, min(index + _QUOTE_REACH, len(pieces))):
                starts_inside = states[ahead][0]
                verdicts = [starts_inside[f] for f in families if f in starts_inside]
                if not verdicts:
                    continue
                if any(verdicts):
                    end = ahead
                break
            if end is None:
                break
            current = " ".join([current, *pieces[index : end + 1]])
            starts_inside, open_at_end = _quote_state(current)
            index = end + 1
        result.append((current, any(starts_inside.values())))
    return result


def words_of(text: str) -> tuple[str, ...]:
    """Return the words of `text` as sumy would keep them (Latin-script languages)."""
    return tuple(_WORD.findall(text))


def character_bigrams(text: str) -> tuple[str, ...]:
    """Words for scripts without spaces: overlapping pairs of characters.

    The standard unit of Chinese and Japanese retrieval when no dictionary
    is loaded (Lucene's CJK analyzer): "国务卿会见" -> 国务 务卿 卿会 会见. A
    pair that crosses a word boundary matches rarely and weighs little under
    tf-idf, so sentence similarity comes out close to a segmenter's.
    """
    result: list[str] = []
    for run in _HAN_RUN.findall(text):
        if len(run) > 1 and _HAN.match(run):
            result.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            result.append(run)
    return tuple(result)


def _join_lowercase_starts(pieces: list[str]) -> list[str]:
    """Join a piece that starts in lower case to the one before (cased scripts)."""
    result: list[str] = []
    for piece in pieces:
        if result and lowercase_start(piece):
            result[-1] = f"{result[-1]} {piece}"
        else:
            result.append(piece)
    return result


class OfflineTokenizer:
    """Sentence and word splitting from installed packages only.

    Stateless after construction, so one instance can serve several threads.
    """

    __slots__ = ("_language", "_words")

    def __init__(self, language: str | Language = "english") -> None:
        self._language = language if isinstance(language, Language) else get_language(language)
        if self._language.unspaced:
            self._words = character_bigrams
        elif self._language.name in _LATIN_WORDS:
            self._words = words_of
        else:
            self._words = _unicode_words

    @property
    def language(self) -> str:
        return self._language.name

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences (stripped, none empty)."""
        return tuple(sentence for sentence, _ in self.split(paragraph))

    def split(self, paragraph: str) -> list[tuple[str, bool]]:
        """`to_sentences`, each sentence with whether it is a quote fragment."""
        language = self._language
        text = glue_fix(paragraph, caseless=not language.cased)
        pieces = [s.strip() for s in language.splitter.tokenize(text)]
        pieces = [s for s in pieces if s]
        if language.cased:
            pieces = split_after_ellipses(pieces)
        if len(pieces) > 1:
            if language.cased:
                pieces = _join_lowercase_starts(pieces)
            return _join_quotations(_join_initialisms(pieces, language))
        return [(piece, is_quote_fragment(piece)) for piece in pieces]

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, dropping numbers and punctuation."""
        return self._words(sentence)


def _unicode_words(text: str) -> tuple[str, ...]:
    return tuple(_UNICODE_WORD.findall(text))


# Languages whose words are what sumy's own tokenizer keeps, as measured on the
# English sets; every other script goes through `_UNICODE_WORD`.
_LATIN_WORDS = frozenset(
    {"czech", "english", "french", "german", "greek", "italian", "polish", "portuguese"}
    | {"slovak", "spanish", "swedish"}
)
