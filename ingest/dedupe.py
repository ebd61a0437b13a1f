"""Duplicates and stories.

Three levels, cheapest first:

1. The same article: the same canonical URL, or the same guid from the same source,
   is looked up before anything is fetched or summarised.
2. The same content under another URL: a SHA-256 of the normalised text
   (``articles.content_hash`` is unique), so it is stored once.
3. The same story told by another outlet: MinHash over the article's *story words*
   (title and opening, stop words removed), split into LSH bands. Each band is one
   ``story_keys`` row; a new article is compared only with articles that share a band
   key *and* were published within :data:`STORY_WINDOW`, through the index on
   ``(key, published_at)``. Candidates are confirmed with the exact Jaccard similarity
   of their story words, at most three articles per story. Nothing is compared
   all-pairs: the cost per new article is 24 index probes into a two-day slice plus a
   few dozen set comparisons, from a thousand stored articles to a million.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from storage.articles import terms_of

#: Articles further apart than this are different stories, however alike.
STORY_WINDOW = timedelta(hours=48)
#: Jaccard similarity of story words from which two articles tell the same story.
SAME_STORY = 0.3
#: Opening words that join the title in an article's story words.
STORY_OPENING_WORDS = 60
#: MinHash: BANDS × ROWS hash functions, one story key per band. A pair shares a key with
#: probability 1 − (1 − J³)^24: 0.48 at Jaccard 0.3, 0.96 at 0.5, 1.00 at 0.7 — and 0.0002
#: for unrelated news (J ≈ 0.02), so a new article meets ~0.05 % of the window's articles
#: as candidates. (Two rows per band found every pair of the development data but made
#: 1 % of all pairs candidates: 15 times the work, growing with the window.)
BANDS = 24
ROWS = 3
_MASK63 = (1 << 63) - 1
_SPACE = re.compile(r"\s+")


def _coefficients(count: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Fixed odd multipliers and offsets: deterministic across processes and runs."""
    a, b = [], []
    for i in range(count):
        digest = hashlib.blake2b(f"newsbot-minhash-{i}".encode(), digest_size=16).digest()
        a.append(int.from_bytes(digest[:8], "big") | 1)
        b.append(int.from_bytes(digest[8:], "big"))
    return np.array(a, dtype=np.uint64)[:, None], np.array(b, dtype=np.uint64)[:, None]


_A, _B = _coefficients(BANDS * ROWS)


def normalised_text(text: str) -> str:
    return _SPACE.sub(" ", text.casefold()).strip()


def content_hash(*, title: str, text: str, url: str) -> str:
    """SHA-256 of the article's normalised text.

    Very short texts (headline-only items, "click to read more" teasers) are not
    distinctive, so the title and URL join them: two different short items never
    collapse into one.
    """
    body = normalised_text(text)
    if len(body.split()) < 40:
        body = f"{normalised_text(title)}\n{body}\n{url}"
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def story_words(title: str, text: str) -> frozenset[str]:
    """The words that say what the story is: title and opening, without stop words."""
    opening = " ".join(text.split(maxsplit=STORY_OPENING_WORDS)[:STORY_OPENING_WORDS])
    return frozenset(terms_of(f"{title} {opening}"))


def _base_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def minhash(words: Iterable[str]) -> list[int]:
    """The MinHash signature of a set of words (empty set → empty signature).

    Multiply-shift hashing (``(a·x + b) mod 2⁶⁴``, top 32 bits) is a universal family
    that numpy computes for all hash functions and words at once, wrapping on overflow.
    """
    bases = np.array([_base_hash(w) for w in words], dtype=np.uint64)
    if bases.size == 0:
        return []
    with np.errstate(over="ignore"):
        values = (_A * bases[None, :] + _B) >> np.uint64(32)
    return [int(v) for v in values.min(axis=1)]


def band_keys(signature: Sequence[int]) -> list[int]:
    """One 63-bit key per LSH band (stored in ``story_keys``); none for an empty signature."""
    if not signature:
        return []
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        data = band.to_bytes(2, "big") + b"".join(r.to_bytes(4, "big") for r in rows)
        digest = hashlib.blake2b(data, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") & _MASK63)
    return keys


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_story(a: frozenset[str], b: frozenset[str]) -> bool:
    # Too few words say nothing reliable ("Live: updates"): never merge on them.
    if min(len(a), len(b)) < 5:
        return False
    return jaccard(a, b) >= SAME_STORY
