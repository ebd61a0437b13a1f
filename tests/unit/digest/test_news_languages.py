"""Which languages of news a reader gets (``digest.languages``)."""

from __future__ import annotations

import pytest

from digest.languages import default_candidates, news_language_of, wanted_news_languages


@pytest.mark.parametrize(
    ("locale", "language"), [("en", "en"), ("pt_BR", "pt"), ("fa", "fa"), ("pt-br", "pt")]
)
def test_an_interface_locale_reads_news_in_its_primary_language(locale: str, language: str) -> None:
    assert news_language_of(locale) == language


def test_by_default_the_interface_language_plus_english_when_there_is_english_news() -> None:
    assert wanted_news_languages(None, "ru", {"ru", "en", "de"}) == frozenset({"ru", "en"})
    assert wanted_news_languages(None, "pt_BR", {"pt", "en"}) == frozenset({"pt", "en"})
    assert wanted_news_languages(None, "en", {"en", "de"}) == frozenset({"en"})


def test_english_is_not_added_when_there_is_no_english_news() -> None:
    assert wanted_news_languages(None, "ru", {"ru", "uk"}) == frozenset({"ru"})


def test_a_default_without_any_news_gives_every_language_rather_than_nothing() -> None:
    assert wanted_news_languages(None, "fa", {"de", "es"}) is None
    assert wanted_news_languages(None, "fa", set()) is None


def test_a_choice_is_kept_as_made_and_an_empty_choice_means_every_language() -> None:
    assert wanted_news_languages(["de"], "ru", {"ru", "en", "de"}) == frozenset({"de"})
    # Chosen languages stand even when no news in them is stored right now.
    assert wanted_news_languages(["tr"], "en", {"en"}) == frozenset({"tr"})
    assert wanted_news_languages([], "ru", {"ru", "en"}) is None


def test_knowing_the_defaults_candidates_is_enough_to_decide_the_default() -> None:
    everything = {"ru", "en", "de", "uk"}
    for interface in ("ru", "de", "fa", "en"):
        among_candidates = default_candidates(interface) & everything
        assert wanted_news_languages(None, interface, among_candidates) == (
            wanted_news_languages(None, interface, everything)
        )
