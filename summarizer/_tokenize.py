"""An offline tokenizer with the interface sumy's parsers and documents expect.

sumy's own `Tokenizer` splits sentences with NLTK's Punkt and words with
`nltk.word_tokenize`, both of which need NLTK data that is downloaded at run
time. This one splits sentences with the `punkt` package's bundled models and
words with a regular expression, so it needs nothing but installed code. It
plugs into sumy unchanged: `PlaintextParser(text, OfflineTokenizer("en"))`.
"""

from __future__ import annotations

import re

from ._languages import Language, get_language

__all__ = ["OfflineTokenizer", "words_of"]

# What sumy counts as a word (`sumy.nlp.tokenizers.Tokenizer._is_word`): letters,
# with inner apostrophes and hyphens ("don't", "state-run"). Digits and
# punctuation never become words, so they never count as content.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def words_of(text: str) -> tuple[str, ...]:
    """Return the words of `text` as sumy would keep them."""
    return tuple(_WORD.findall(text))


class OfflineTokenizer:
    """Sentence and word splitting from installed packages only.

    Stateless after construction, so one instance can serve several threads.
    """

    __slots__ = ("_language",)

    def __init__(self, language: str | Language = "english") -> None:
        self._language = language if isinstance(language, Language) else get_language(language)

    @property
    def language(self) -> str:
        return self._language.name

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentences (stripped, none empty)."""
        pieces = (s.strip() for s in self._language.splitter.tokenize(paragraph))
        return tuple(s for s in pieces if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into words, dropping numbers and punctuation."""
        return words_of(sentence)
