"""Muted words: does a story say a phrase the reader muted? Pure functions, no I/O.

A phrase matches as **whole words, consecutive**, on the story's title and summary (every
stored summary sentence, whatever length the reader reads), ignoring case and accents:

- both sides are folded the same way (:func:`fold`): Unicode compatibility forms
  (NFKD), accents and vowel marks dropped (Latin, Greek and Cyrillic diacritics, Arabic
  harakat and tatweel, Hebrew points), case folded (``ß`` → ``ss``), Turkish dotted and
  dotless i made one (``İ``, ``I``, ``ı``, ``i`` → ``i``), the Arabic and Persian forms of
  yeh and kaf made one, Arabic-Indic and Persian digits read as 0–9. The Cyrillic
  letters with a breve (``й``, ``ў``) stay letters of their own: they are not ``и``/``у``
  with an accent. Marks of scripts where they are vowels (Devanagari, Thai…) stay.
- then cut into words: runs of letters, marks and digits (the ``regex`` package's
  Unicode properties). Everything else is a word break, so "rain" never matches
  "Ukraine", and punctuation between words does not matter: "climate change" matches
  "Climate-change" and "climate, change"; "covid-19" matches "COVID 19"; "ukraine"
  matches "Ukraine's". The Persian zero-width non-joiner is a break too, so "کتاب"
  matches "کتاب‌ها".
- **Scripts written without spaces** (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
  have no word breaks to find: a phrase with any of their letters matches wherever its
  folded text appears (a substring), so "東京" matches "東京都".

No regular expression of the reader's ever runs: phrases are data, compared as words
or substrings. A :class:`MuteMatcher` is built once per reader per digest; a
:class:`StoryText` once per story, shared by every reader who might get it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from stories import Story

#: Letters, marks and digits: what a word is made of, in every script.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
#: Scripts written without spaces between words.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}ー]")


def _drop(*ranges: tuple[int, int]) -> dict[int, None]:
    return {code: None for low, high in ranges for code in range(low, high + 1)}


# What folding removes or unifies, in one table for str.translate (one pass, in C).
_FOLD_TABLE: dict[int, str | None] = {
    # Combining diacritics of Latin, Greek and Cyrillic (and their extensions).
    **_drop((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF)),
    **_drop((0xFE20, 0xFE2F)),
    # Hebrew points and cantillation.
    **_drop((0x0591, 0x05BD), (0x05BF, 0x05BF), (0x05C1, 0x05C2), (0x05C4, 0x05C5)),
    **_drop((0x05C7, 0x05C7)),
    # Arabic harakat, Quranic marks, superscript alef and tatweel (kashida).
    **_drop((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED)),
    **_drop((0x0640, 0x0640)),
    # Persian/Arabic letter forms: yeh (and alef maksura) and kaf, one form each.
    0x06CC: "\u064a",
    0x0649: "\u064a",
    0x06A9: "\u0643",
    # Turkish dotless i: its capital is the ASCII I, which folds to i.
    0x0131: "i",
    # The zero-width non-joiner and joiner: a break between the parts of a compound.
    0x200C: " ",
    0x200D: " ",
    # Arabic-Indic and Persian digits.
    **{0x0660 + d: str(d) for d in range(10)},
    **{0x06F0 + d: str(d) for d in range(10)},
}
#: The Cyrillic letters with a breve, decomposed: they must survive the table above.
_BREVE = "\u0306"
_KEEP_BREVE = {"и" + _BREVE: "й", "у" + _BREVE: "ў"}


def fold(text: str) -> str:
    """``text`` in the form matching compares: no case, no accents, one form per letter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if _BREVE in decomposed:
        for pair, letter in _KEEP_BREVE.items():
            decomposed = decomposed.replace(pair, letter)
    # Compose again: Hangul syllables, kana with voicing marks, and whatever NFKD split
    # that the table kept, read as one letter each.
    return unicodedata.normalize("NFC", decomposed.translate(_FOLD_TABLE))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    found: list[str] = _WORD.findall(fold(text))
    return found


def folded_phrase(phrase: str) -> str:
    """The stored, compared form of a muted phrase: its folded words, one space apart
    (empty when it has no letter or digit)."""
    return " ".join(words(phrase))


def unspaced(folded: str) -> bool:
    """Whether a folded phrase is matched as a substring (a script without spaces)."""
    return _UNSPACED.search(folded) is not None


@dataclass(frozen=True, slots=True)
class StoryText:
    """A story's title and summary, folded once for every phrase and reader."""

    words: frozenset[str]
    #: The words one space apart, with a space at each end: a phrase ``" a b "`` inside
    #: it is the words a, b consecutive; an unspaced phrase is looked for as it is. The
    #: title and each sentence are kept apart by a "|", so no phrase runs across two.
    joined: str

    @classmethod
    def of(cls, story: Story) -> StoryText:
        parts = [words(part) for part in (story.title, *story.summary)]
        every = frozenset(word for part in parts for word in part)
        return cls(every, f" {' | '.join(' '.join(part) for part in parts if part)} ")


class MuteMatcher:
    """One reader's muted phrases, compiled for many stories.

    A one-word phrase is a set lookup; a longer one is first screened by its rarest-looking
    (longest) word, then found in the story's joined words; an unspaced phrase is a
    substring. Phrases come folded (:func:`folded_phrase`), as stored.
    """

    __slots__ = ("_phrases", "_single", "_unspaced")

    def __init__(self, folded: Iterable[str]) -> None:
        single: set[str] = set()
        phrases: list[tuple[str, str]] = []
        unspaced_ones: list[str] = []
        for phrase in folded:
            if not phrase:
                continue
            if unspaced(phrase):
                unspaced_ones.append(phrase)
            elif " " in phrase:
                phrases.append((max(phrase.split(), key=len), f" {phrase} "))
            else:
                single.add(phrase)
        self._single = frozenset(single)
        self._phrases = tuple(phrases)
        self._unspaced = tuple(unspaced_ones)

    def __bool__(self) -> bool:
        return bool(self._single or self._phrases or self._unspaced)

    def matches(self, text: StoryText) -> bool:
        """Whether the story says any of the phrases."""
        if not self._single.isdisjoint(text.words):
            return True
        for screen, needle in self._phrases:
            if screen in text.words and needle in text.joined:
                return True
        return any(phrase in text.joined for phrase in self._unspaced)


#: Nothing muted: matches no story.
NO_MUTES = MuteMatcher(())


class StoryTexts:
    """Folded texts of stories by article, computed once per digest tick or request."""

    def __init__(self) -> None:
        self._texts: dict[int, StoryText] = {}

    def of(self, story: Story) -> StoryText:
        text = self._texts.get(story.article_id)
        if text is None:
            text = self._texts[story.article_id] = StoryText.of(story)
        return text

    def muted(self, matcher: MuteMatcher, story: Story) -> bool:
        """Whether ``matcher`` mutes ``story`` (no folding at all when nothing is muted)."""
        return bool(matcher) and matcher.matches(self.of(story))
