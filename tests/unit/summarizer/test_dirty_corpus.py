"""No page furniture from the dirty-article corpus is ever picked, by any method."""

from __future__ import annotations

import pytest

from summarizer import METHODS, MIN_WORDS, summarize

from ._dirty import DirtyArticle, corpus

ARTICLES = corpus()


def _overlaps(sentence: str, junk: str) -> bool:
    """Whether a picked sentence contains a junk fragment or sits inside one."""
    a, b = " ".join(sentence.split()), " ".join(junk.split())
    return b in a or (len(a.split()) >= 3 and a.rstrip(".!?") in b)


def test_the_corpus_is_dirty_enough_to_mean_something() -> None:
    assert len(ARTICLES) >= 6
    for article in ARTICLES:
        assert article.junk, article.name
    # Junk of six words or more: the length rule alone would not stop it.
    long_junk = [j for a in ARTICLES for j in a.junk if len(j.split()) >= MIN_WORDS]
    assert len(long_junk) >= 10


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("count", [1, 3, 5])
def test_no_junk_is_ever_selected(article: DirtyArticle, method: str, count: int) -> None:
    for max_words in (80, None):
        summary = summarize(
            article.text,
            title=article.title,
            language=article.language,
            sentences=count,
            method=method,
            max_words=max_words,
        )
        assert summary.sentences, "a real article always gets a summary"
        for sentence in summary.sentences:
            for junk in article.junk:
                assert not _overlaps(sentence, junk), f"{method} picked {junk!r}"
            assert len(sentence.split()) >= MIN_WORDS
            if article.title:
                assert sentence.rstrip(".") != article.title


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_the_article_itself_survives_cleaning(article: DirtyArticle) -> None:
    # Cleaning that removed everything would pass the test above trivially.
    # "lead" keeps every candidate, so this counts what cleaning left.
    summary = summarize(
        article.text,
        title=article.title,
        language=article.language,
        sentences=5,
        method="lead",
        max_words=None,
    )
    assert len(summary.sentences) >= 4
