"""Languages: names, codes, and the per-language resources the summariser needs.

A language needs a sentence splitter (Punkt, from the `punkt` package, with
the script's own rules: `summarizer._split`), a way to cut sentences into
words (a regular expression, or overlapping character pairs for Chinese and
Japanese, written without spaces), stop words and, where a maintained one
exists, a stemmer. Nothing is ever downloaded: the models, lists and stemmers
are installed code and package data.

- The languages sumy covers keep sumy's stop words and stemmers (NLTK's
  Snowball ports), as measured on the English sets.
- Russian, Ukrainian, Persian, Arabic, Turkish, Indonesian, Hindi and Chinese
  take their stop words from stopwords-iso (`stopwordsiso`, a maintained list
  package that ships its data in the wheel) and their stemmer from
  `snowballstemmer` (Russian, Persian, Arabic, Turkish, Indonesian, Hindi).
  Ukrainian and Chinese have no maintained stemmer: their words are only
  lower-cased. An English stemmer never runs on another language.
- Arabic and Persian words are normalised for matching only (the summary
  shows the article's own letters): tatweel and diacritics dropped, the
  Arabic and Persian forms of yeh and kaf made one, the zero-width non-joiner
  of Persian compounds ("می‌شود") kept inside the word.

A name nobody knows falls back to language-neutral processing (Latin rules,
lower-casing instead of stemming, no stop words) instead of failing, and says
so in `Summary.language`: the ingest pipeline passes whatever its language
detector said.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import punkt
import regex
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from ._split import CASELESS, build_splitter

__all__ = [
    "FALLBACK_LANGUAGE",
    "Language",
    "get_language",
    "normalize_language",
    "supported_languages",
]

# Languages for which sumy ships stop words and a stemmer and `punkt` ships a
# model (Slovak uses the Czech model, as sumy does). Greek and Polish are among
# them only when their optional stemmer packages (greek-stemmer-pos, pystempel)
# are installed; `supported_languages` checks what is really there.
_SUMY_LANGUAGES = (
    "czech",
    "english",
    "french",
    "german",
    "greek",
    "italian",
    "polish",
    "portuguese",
    "slovak",
    "spanish",
    "swedish",
)

# The languages of Telegram's largest news audiences, with their ISO 639-1
# code for stopwords-iso and whether snowballstemmer has a stemmer for them.
_ISO_LANGUAGES: dict[str, tuple[str, bool]] = {
    "arabic": ("ar", True),
    "chinese": ("zh", False),
    "hindi": ("hi", True),
    "indonesian": ("id", True),
    "persian": ("fa", True),
    "russian": ("ru", True),
    "turkish": ("tr", True),
    "ukrainian": ("uk", False),
}

_CANDIDATES = tuple(sorted((*_SUMY_LANGUAGES, *_ISO_LANGUAGES)))

#: Scripts written without spaces between words: lengths count characters,
#: and words are overlapping pairs of characters.
UNSPACED = frozenset({"chinese", "japanese"})

#: Characters of Chinese that carry as much as one English word, for length
#: budgets: a Chinese translation runs to about 1.5-1.8 characters per word of
#: the English original, so "80 words" is 130 characters.
CHARACTERS_PER_WORD = 1.6

#: What `Summary.language` says when the requested language was not recognised.
FALLBACK_LANGUAGE = "unknown"

# ISO 639-1 and 639-3/639-2 codes for every language any of the three resources
# knows. Written out rather than looked up in pycountry: a fixed table is
# thread-safe, fast and obviously complete for what we can actually serve.
_CODES: dict[str, str] = {
    "ar": "arabic", "ara": "arabic",
    "fa": "persian", "fas": "persian", "per": "persian", "farsi": "persian",
    "hi": "hindi", "hin": "hindi",
    "id": "indonesian", "ind": "indonesian",
    "ur": "urdu", "urd": "urdu",
    "ca": "catalan", "cat": "catalan",
    "cs": "czech", "ces": "czech", "cze": "czech",
    "da": "danish", "dan": "danish",
    "de": "german", "deu": "german", "ger": "german",
    "el": "greek", "ell": "greek", "gre": "greek",
    "en": "english", "eng": "english",
    "es": "spanish", "spa": "spanish",
    "et": "estonian", "est": "estonian",
    "fi": "finnish", "fin": "finnish",
    "fr": "french", "fra": "french", "fre": "french",
    "he": "hebrew", "heb": "hebrew",
    "hu": "hungarian", "hun": "hungarian",
    "it": "italian", "ita": "italian",
    "ja": "japanese", "jpn": "japanese",
    "ko": "korean", "kor": "korean",
    "ml": "malayalam", "mal": "malayalam",
    "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "nor": "norwegian",
    "nl": "dutch", "nld": "dutch", "dut": "dutch",
    "pl": "polish", "pol": "polish",
    "pt": "portuguese", "por": "portuguese",
    "ro": "romanian", "ron": "romanian", "rum": "romanian",
    "ru": "russian", "rus": "russian",
    "sk": "slovak", "slk": "slovak", "slo": "slovak",
    "sl": "slovene", "slv": "slovene", "slovenian": "slovene",
    "sv": "swedish", "swe": "swedish",
    "th": "thai", "tha": "thai",
    "tr": "turkish", "tur": "turkish",
    "uk": "ukrainian", "ukr": "ukrainian",
    "zh": "chinese", "zho": "chinese", "chi": "chinese",
}  # fmt: skip

_KNOWN_NAMES = frozenset(_CODES.values())

# sumy's stemmers for these need third-party packages or are mere lower-casing;
# lower-casing is what we do anyway when no stemmer exists.
_NO_STEMMER = frozenset({"hebrew", "chinese", "japanese", "korean", "thai", "arabic"})

# Arabic-script normalisation for matching: tatweel and the harakat, Quranic
# marks and superscript alef go; yeh and kaf take one form per language (the
# Arabic forms for Arabic, whose stemmer expects them; the Persian forms for
# Persian and Urdu). The zero-width non-joiner stays.
_ARABIC_MARKS = regex.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_TO_ARABIC = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})
_TO_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
_NORMALISERS: dict[str, str] = {"arabic": "arabic", "persian": "persian", "urdu": "persian"}


# Bound on the per-language word -> term cache; news vocabularies stay far below.
_TERM_CACHE_SIZE = 500_000


@dataclass(frozen=True, slots=True)
class Language:
    """Everything language-specific, resolved once and shared between threads."""

    name: str
    splitter: punkt.PunktSentenceTokenizer
    stem: Callable[[str], str]
    stop_words: frozenset[str]
    has_model: bool
    has_stemmer: bool
    #: Lower-casing plus, for Arabic script, the matching normalisation.
    fold: Callable[[str], str] = str.lower
    #: Whether the script has upper and lower case.
    cased: bool = True
    #: Whether lengths count characters (scripts without spaces) or words.
    unspaced: bool = False
    #: Whether the news ranker's forward centrality leaves stop words out.
    #: Measured: yes with sumy's short lists of function words (English
    #: CNN/DM R1 41.6 -> 43.0 with them), no with the stopwords-iso lists of
    #: 500-800 words, which also hold content words (Turkish TES R1 40.2 -> 37.8
    #: at one sentence, Indonesian XL-Sum 22.0 -> 21.0 with them).
    stop_words_in_centrality: bool = True
    # word -> stemmed term, or "" for a stop word. Filled as words are met.
    # Reads and single-key writes of a dict are atomic under the GIL, and a
    # race only means a term is computed twice, so no lock is needed.
    _terms: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _all_terms: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def supported(self) -> bool:
        """Whether the language has its own splitting rules, stop words and,
        where a maintained one exists, a stemmer (see `supported_languages`)."""
        needs_stemmer = self.name not in _UNSTEMMED
        return self.has_model and bool(self.stop_words) and (self.has_stemmer or not needs_stemmer)

    def all_terms(self, words: Iterable[str]) -> list[str]:
        """Every word stemmed and folded, stop words included (cached like `content_terms`)."""
        cache = self._all_terms
        terms = []
        for word in words:
            term = cache.get(word)
            if term is None:
                term = self.stem(self.fold(word))
                if len(cache) < _TERM_CACHE_SIZE:
                    cache[word] = term
            terms.append(term)
        return terms

    def length(self, text: str) -> int:
        """Length in the reader's terms: characters without spaces, else words."""
        if self.unspaced:
            return len(text) - text.count(" ")
        return len(text.split())

    def budget_units(self, words: float) -> float:
        """A budget of `words` in the units of `length`."""
        return words * CHARACTERS_PER_WORD if self.unspaced else words

    def content_terms(self, words: Iterable[str]) -> list[str]:
        """The stemmed, lower-cased words that are not stop words.

        The hottest loop of every method that compares sentences, hence one
        cached look-up per word instead of lower-casing, a stop-word test and
        a stemmer call.
        """
        cache = self._terms
        terms = []
        for word in words:
            term = cache.get(word)
            if term is None:
                lowered = self.fold(word)
                term = "" if lowered in self.stop_words else self.stem(lowered)
                if len(cache) < _TERM_CACHE_SIZE:
                    cache[word] = term
            if term:
                terms.append(term)
        return terms


def normalize_language(language: str) -> str:
    """Map an ISO 639 code or a sumy name ("de", "deu", "German") to a sumy name.

    Unrecognised input comes back as `FALLBACK_LANGUAGE`.
    """
    key = language.strip().lower().replace("_", "-")
    if key in _KNOWN_NAMES:
        return key
    # "en-GB", "pt-BR": the region does not change the resources we have.
    key = key.split("-", 1)[0]
    return _CODES.get(key, key if key in _KNOWN_NAMES else FALLBACK_LANGUAGE)


_lock = threading.Lock()
_cache: dict[str, Language] = {}


def supported_languages() -> tuple[str, ...]:
    """Languages with a sentence model, a working stemmer and stop words, here."""
    return tuple(name for name in _CANDIDATES if get_language(name).supported)


def get_language(language: str) -> Language:
    """Return the shared resources for `language` (a code or a name).

    Built on first use, never at import time. Guarded by a lock so that several
    threads asking for a new language at once build it once; later look-ups
    read a dict, which is safe without the lock.
    """
    name = normalize_language(language)
    cached = _cache.get(name)
    if cached is not None:
        return cached
    with _lock:
        cached = _cache.get(name)
        if cached is None:
            cached = _cache[name] = _build(name)
        return cached


# Languages with no maintained stemmer: their words are only lower-cased.
_UNSTEMMED = frozenset(name for name, (_, stems) in _ISO_LANGUAGES.items() if not stems)


def _build(name: str) -> Language:
    splitter, has_model = build_splitter(name)
    stem, has_stemmer = _stemmer(name)
    fold = _fold(name)
    return Language(
        name=name,
        splitter=splitter,
        stem=stem,
        stop_words=frozenset(fold(w) for w in _stop_words(name)),
        has_model=has_model,
        has_stemmer=has_stemmer,
        fold=fold,
        cased=name not in CASELESS,
        unspaced=name in UNSPACED,
        stop_words_in_centrality=name not in _ISO_LANGUAGES,
    )


def _fold(name: str) -> Callable[[str], str]:
    form = _NORMALISERS.get(name)
    if form is None:
        return str.lower
    table = _TO_ARABIC if form == "arabic" else _TO_PERSIAN
    marks = _ARABIC_MARKS

    def fold(word: str) -> str:
        bare: str = marks.sub("", word)
        return bare.translate(table).lower()

    return fold


def _stemmer(name: str) -> tuple[Callable[[str], str], bool]:
    if name in _ISO_LANGUAGES:
        if not _ISO_LANGUAGES[name][1]:
            return str.lower, False
        import snowballstemmer

        snowball = snowballstemmer.stemmer(name)
        # snowballstemmer objects keep state between calls, so each thread
        # would need its own; a lock-free lru_cache in front of a per-call
        # lock keeps the common case (a cached word) free of contention.
        lock = threading.Lock()

        def stem_word(word: str) -> str:
            with lock:
                result: str = snowball.stemWord(word)
            return result

        return lru_cache(maxsize=200_000)(stem_word), True
    if name in _NO_STEMMER or name == FALLBACK_LANGUAGE:
        return str.lower, False
    try:
        stemmer = Stemmer(name)
        # Greek and Polish import an optional package on first use, and fail
        # then; find out now rather than in the middle of a summary.
        stemmer("probe")
    except (LookupError, ImportError, ValueError):
        return str.lower, False
    # Stemming is the hottest call in the summariser and news reuses words
    # heavily; lru_cache is thread-safe. The stemmers are pure functions.
    cached: Callable[[str], str] = lru_cache(maxsize=200_000)(stemmer)
    return cached, True


def _stop_words(name: str) -> frozenset[str]:
    if name in _ISO_LANGUAGES:
        import stopwordsiso

        return frozenset(w.lower() for w in stopwordsiso.stopwords(_ISO_LANGUAGES[name][0]))
    try:
        words: frozenset[str] = get_stop_words(name)
    except LookupError:
        return frozenset()
    return frozenset(w.lower() for w in words)
