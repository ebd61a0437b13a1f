"""Index terms: the same words at ingest and in a reader's query."""

from __future__ import annotations

from storage.articles import query_terms, terms_of


def test_possessives_stay_one_word_and_lose_their_s() -> None:
    # Both apostrophes readers and feeds use; no stray "s" or "t" terms.
    assert terms_of("Ukraine’s ceasefire holds; Ukraine's army don’t move") == {
        "ukraine",
        "ceasefire",
        "hold",
        "army",
        "don't",
        "move",
    }


def test_a_query_finds_what_the_index_holds() -> None:
    assert set(query_terms("UKRAINE'S Ceasefires")) <= terms_of("Ukraine’s ceasefire holds")
    assert set(query_terms("don't")) <= terms_of("They don’t agree")
    assert query_terms("the and of") == []
