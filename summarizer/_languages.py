"""Languages: names, codes, and the per-language resources the summariser needs.

A language needs three things: a sentence splitter (a Punkt model from the
`punkt` package, bundled as Python data, so nothing is ever downloaded), a
stemmer (sumy's, which wraps NLTK's Snowball stemmers: pure code, no data) and
a stop-word list (sumy ships those as package data). A language with all three
is *supported*. A language with only some of them still works with what exists,
and a name nobody knows falls back to language-neutral processing (rule-based
splitting, lower-casing instead of stemming, no stop words) instead of failing:
the ingest pipeline passes whatever its language detector said.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import punkt
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

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
_CANDIDATES = (
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

#: What `Summary.language` says when the requested language was not recognised.
FALLBACK_LANGUAGE = "unknown"

# ISO 639-1 and 639-3/639-2 codes for every language any of the three resources
# knows. Written out rather than looked up in pycountry: a fixed table is
# thread-safe, fast and obviously complete for what we can actually serve.
_CODES: dict[str, str] = {
    "ar": "arabic", "ara": "arabic",
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

# Where the Punkt model is named differently from the language.
_PUNKT_ALIASES = {"slovak": "czech"}

# sumy's stemmers for these need third-party packages or are mere lower-casing;
# lower-casing is what we do anyway when no stemmer exists.
_NO_STEMMER = frozenset({"hebrew", "chinese", "japanese", "korean", "thai", "arabic"})


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
    # word -> stemmed term, or "" for a stop word. Filled as words are met.
    # Reads and single-key writes of a dict are atomic under the GIL, and a
    # race only means a term is computed twice, so no lock is needed.
    _terms: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def supported(self) -> bool:
        """Whether all three resources exist (see `SUPPORTED_LANGUAGES`)."""
        return self.has_model and self.has_stemmer and bool(self.stop_words)

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
                lowered = word.lower()
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


def _build(name: str) -> Language:
    splitter, has_model = _splitter(name)
    stem, has_stemmer = _stemmer(name)
    return Language(
        name=name,
        splitter=splitter,
        stem=stem,
        stop_words=_stop_words(name),
        has_model=has_model,
        has_stemmer=has_stemmer,
    )


def _splitter(name: str) -> tuple[punkt.PunktSentenceTokenizer, bool]:
    model = _PUNKT_ALIASES.get(name, name)
    has_model = model in punkt.available_languages()
    # Curated non-breaking prefixes fix "Gov. Sam Brownback", "No. 1" and
    # "e.g." in news text; `tokenizer_for` falls back to rules alone (which
    # also covers Chinese and Japanese terminators) when no model is bundled.
    prefix_language = model if punkt.has_prefixes(model) else name
    tokenizer = punkt.tokenizer_for(
        model if has_model else prefix_language,
        prefixes=punkt.has_prefixes(prefix_language),
    )
    return tokenizer, has_model


def _stemmer(name: str) -> tuple[Callable[[str], str], bool]:
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
    try:
        words: frozenset[str] = get_stop_words(name)
    except LookupError:
        return frozenset()
    return frozenset(w.lower() for w in words)
