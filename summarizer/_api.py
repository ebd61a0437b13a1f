"""`summarize`: text (or HTML) in, a few of its sentences out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

from ._clean import blocks, is_junk, paragraphs, to_plain_text
from ._languages import Language, get_language
from ._methods import DEFAULT_METHOD, METHODS, rank, rank_news
from ._select import DEFAULT_MAX_WORDS, select
from ._tokenize import OfflineTokenizer

__all__ = ["MIN_WORDS", "Summary", "shorten", "split_sentences", "summarize"]

#: Sentences shorter than this many words (or its equivalent in characters,
#: for scripts without spaces) are never picked: they are fragments
#: ("Ukraine sends.", "Watch the video:"), not news.
MIN_WORDS = 6

#: Sentences considered per article. A news article's summary lives in its
#: first few hundred sentences; the bound keeps the quadratic stock methods and
#: pathological inputs (a whole forum thread) fast.
MAX_SENTENCES = 250

#: A paragraph of at most this many words whose first sentence is furniture is
#: dropped whole (cookie notices and comment forms run over several sentences).
FURNITURE_BLOCK = 60

#: Two picked sentences sharing more than this share of the shorter one's
#: content words say the same thing; the second is skipped (default method).
REDUNDANCY = 0.6


@dataclass(frozen=True, slots=True)
class Summary:
    """A summary: sentences of the article, in the article's order."""

    sentences: list[str]
    method: str
    language: str
    #: Indices into `sentences`, best first: `shorten` keeps a prefix of it.
    ranking: tuple[int, ...] = ()
    #: Where each of `sentences` stands among the article's sentences (0 = first).
    positions: tuple[int, ...] = ()

    @property
    def word_count(self) -> int:
        return sum(len(s.split()) for s in self.sentences)

    @property
    def ranked(self) -> list[str]:
        """The sentences best first: store these, and the first k are the k-sentence summary."""
        return [self.sentences[i] for i in self.ranking]

    @property
    def ranked_positions(self) -> list[int]:
        """Article positions of `ranked`, to put any prefix of it back in reading order."""
        return [self.positions[i] for i in self.ranking]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def shorten(summary: Summary, sentences: int) -> Summary:
    """Keep the best `sentences` of a summary, still in the article's order.

    `shorten(summarize(text, sentences=5), k)` equals
    `summarize(text, sentences=k)`, so a summary can be computed once and
    stored, and every reader can have their own length.
    """
    keep = sorted(summary.ranking[:sentences])
    position = {old: new for new, old in enumerate(keep)}
    return Summary(
        sentences=[summary.sentences[i] for i in keep],
        method=summary.method,
        language=summary.language,
        ranking=tuple(position[i] for i in summary.ranking[:sentences]),
        positions=tuple(summary.positions[i] for i in keep) if summary.positions else (),
    )


def summarize(
    text: str,
    *,
    title: str | None = None,
    language: str = "english",
    sentences: int = 3,
    method: str = DEFAULT_METHOD,
    max_words: int | None = DEFAULT_MAX_WORDS,
) -> Summary:
    """Summarise an article given as plain text or HTML.

    :param title: the headline; used as a heading (it helps rank the body) and
        never returned as a summary sentence.
    :param language: an ISO 639 code ("en", "deu", "fa") or a name ("german");
        an unknown one falls back to language-neutral processing, and
        `Summary.language` then says "unknown".
    :param sentences: how many sentences at most.
    :param method: one of `METHODS`.
    :param max_words: word budget for up to three sentences (more sentences
        get proportionally more); `None` for no limit. In scripts without
        spaces it counts characters, `CHARACTERS_PER_WORD` to the word.

    Pure, deterministic and safe to call from several threads.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if sentences < 1:
        raise ValueError("sentences must be at least 1")
    lang = get_language(language)
    tokenizer = OfflineTokenizer(lang)
    document = _document(to_plain_text(text), title, tokenizer, lang)
    candidates = document.sentences
    lengths = [lang.length(str(s)) for s in candidates]
    budget = None if max_words is None else lang.budget_units(max_words)
    if method == DEFAULT_METHOD:
        ranking, weak = rank_news(document, lang)
        redundant = _redundancy_check(candidates, lang)
        picked = select(ranking, lengths, sentences, budget, redundant, weak)
    else:
        picked = select(rank(method, document, lang), lengths, sentences, budget)
    in_order = sorted(picked)
    position = {old: new for new, old in enumerate(in_order)}
    return Summary(
        sentences=[str(candidates[i]) for i in in_order],
        method=method,
        language=lang.name,
        ranking=tuple(position[i] for i in picked),
        positions=tuple(in_order),
    )


def split_sentences(text: str, language: str = "english") -> list[str]:
    """The sentences of `text` (plain text), as `summarize` splits them.

    Paragraphs are separated by a blank line (lines inside one are joined when
    hard-wrapped, as `summarize` reads them); no sentence crosses a paragraph.
    Nothing is dropped: furniture removal is `clean_text`'s job, not this one's.

        >>> split_sentences("Kaza oldu.Kazayı gören 3 kişi yaralandı.", "tr")
        ['Kaza oldu.', 'Kazayı gören 3 kişi yaralandı.']
    """
    tokenizer = OfflineTokenizer(get_language(language))
    return [sentence for block in blocks(text) for sentence in tokenizer.to_sentences(block)]


def _key(text: str) -> str:
    """What two copies of a sentence (or a sentence and the title) share."""
    return " ".join(text.lower().split()).rstrip(".!?…")


def _document(text: str, title: str | None, tokenizer: OfflineTokenizer, lang: Language) -> Any:
    """Build sumy's document from cleaned text, keeping only candidate sentences.

    Built directly rather than through `PlaintextParser`, which re-joins and
    re-scans every line; the result is the same kind of object, so every sumy
    summariser reads it unchanged. The title becomes a heading of the first
    paragraph, which is where sumy's own parser puts headings.
    """
    heading_key = _key(title) if title else ""
    shortest = lang.budget_units(MIN_WORDS)
    block_limit = lang.budget_units(FURNITURE_BLOCK)
    seen: set[str] = {heading_key} if heading_key else set()
    built: list[list[Sentence]] = []
    count = 0
    for paragraph in paragraphs(text):
        kept: list[Sentence] = []
        split = tokenizer.split(paragraph)
        if split and is_junk(split[0][0]) and lang.length(paragraph) <= block_limit:
            # A short block that opens as furniture is furniture throughout:
            # "We use cookies... If you continue to use this site, ..."
            continue
        for sentence, quote_fragment in split:
            if count >= MAX_SENTENCES:
                break
            # A fragment of a quotation ('...being here."') is never picked alone.
            if quote_fragment or lang.length(sentence) < shortest or is_junk(sentence):
                continue
            key = _key(sentence)
            if key in seen:
                continue
            seen.add(key)
            kept.append(Sentence(sentence, tokenizer))
            count += 1
        if kept:
            built.append(kept)
    if title and title.strip():
        heading = Sentence(" ".join(title.split()), tokenizer, is_heading=True)
        built = [[heading, *built[0]], *built[1:]] if built else [[heading]]
    return ObjectDocumentModel(Paragraph(p) for p in built)


def _redundancy_check(candidates: Sequence[Any], lang: Language) -> Any:
    terms: dict[int, frozenset[str]] = {}

    def content(index: int) -> frozenset[str]:
        found = terms.get(index)
        if found is None:
            found = terms[index] = frozenset(lang.content_terms(candidates[index].words))
        return found

    def redundant(index: int, chosen: Sequence[int]) -> bool:
        mine = content(index)
        for other in chosen:
            theirs = content(other)
            smaller = min(len(mine), len(theirs))
            if smaller and len(mine & theirs) > REDUNDANCY * smaller:
                return True
        return False

    return redundant
