"""Catalogue topics are shown in the reader's language: every one is marked for the catalogs."""

from __future__ import annotations

import tomllib

from bot.views.topic_names import CATALOGUE_NAMES, catalogue_name, topic_name
from tests.support.i18n import ROOT, catalog_translator, marked_messages


def _catalogue_names() -> list[str]:
    with (ROOT / "ingest" / "topics.toml").open("rb") as catalogue:
        return [topic["name"] for topic in tomllib.load(catalogue)["topic"]]


def test_every_topic_of_the_catalogue_is_marked_for_translation() -> None:
    names = _catalogue_names()
    assert len(names) >= 8
    missing = set(names) - CATALOGUE_NAMES
    assert not missing, f"add N_(…) for {sorted(missing)} to bot/views/topic_names.py"
    unextracted = set(names) - marked_messages("bot/views/topic_names.py")
    assert not unextracted, f"not extracted into the catalogs: {sorted(unextracted)}"


def test_catalogue_names_are_translated_and_other_names_kept_as_written() -> None:
    t = catalog_translator({"World": "Мир", "Done": "Готово"})
    assert topic_name(t, "World") == "Мир"
    # An operator's own topic has no translation; a name that happens to be a message of
    # the bot's ("Done") is still a name, not a button label.
    assert topic_name(t, "Woodwork") == "Woodwork"
    assert topic_name(t, "Done") == "Done"


def test_a_topic_typed_in_the_readers_language_is_found_under_its_catalogue_name() -> None:
    t = catalog_translator({"Technology": "Технологии", "Sport": "Спорт"})
    assert catalogue_name(t, "технологии") == "Technology"
    assert catalogue_name(t, "  Спорт ") == "Sport"
    # English names, slugs and anything else reach the topic lookup as typed.
    assert catalogue_name(t, "technology") == "technology"
    assert catalogue_name(t, "Woodwork") == "Woodwork"
