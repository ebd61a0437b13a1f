"""Languages: codes and names, the supported set, and the fallback."""

from __future__ import annotations

import pytest

from summarizer import FALLBACK_LANGUAGE, normalize_language, summarize, supported_languages
from summarizer._languages import get_language

SAMPLES = {
    "english": "Dr. Smith arrived at the hospital on Monday morning. He said the new wing "
    "would open in May. Patients welcomed the news after years of waiting for beds.",
    "german": "Dr. Müller kam am Montag z. B. mit dem Zug in die Stadt. Er sagte, der neue "
    "Flügel werde im Mai eröffnet. Die Patienten begrüßten die Nachricht nach Jahren.",
    "french": "M. Dupont est arrivé à l'hôpital lundi matin avec sa famille. Il a dit que la "
    "nouvelle aile ouvrira en mai prochain. Les patients ont salué la nouvelle avec joie.",
    "spanish": "El Sr. García llegó al hospital el lunes por la mañana con su familia. Dijo "
    "que el nuevo edificio abrirá en mayo próximo. Los pacientes celebraron mucho la noticia.",
}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en", "english"),
        ("EN", "english"),
        ("en-GB", "english"),
        ("eng", "english"),
        ("english", "english"),
        ("German", "german"),
        ("de", "german"),
        ("deu", "german"),
        ("pt_BR", "portuguese"),
        ("sk", "slovak"),
        ("klingon", FALLBACK_LANGUAGE),
        ("", FALLBACK_LANGUAGE),
    ],
)
def test_codes_and_names_resolve_to_sumy_names(given: str, expected: str) -> None:
    assert normalize_language(given) == expected


def test_the_main_european_languages_are_fully_supported() -> None:
    expected = {"english", "german", "french", "spanish", "italian", "portuguese", "swedish"}
    assert expected | {"czech", "slovak"} <= set(supported_languages())


@pytest.mark.parametrize(
    ("name", "words", "terms"),
    [
        ("english", ["Houses", "the"], ["hous"]),
        ("german", ["Häuser", "der"], ["haus"]),
        ("spanish", ["Casas", "las"], ["cas"]),
    ],
)
def test_supported_languages_stem_and_drop_stop_words(
    name: str, words: list[str], terms: list[str]
) -> None:
    language = get_language(name)
    assert language.supported
    assert language.content_terms(words) == terms


@pytest.mark.parametrize(("name", "text"), SAMPLES.items())
def test_abbreviations_do_not_end_sentences(name: str, text: str) -> None:
    # "lead" keeps every candidate sentence, so the count is the splitter's alone.
    summary = summarize(text, language=name, sentences=5, method="lead", max_words=None)
    assert summary.language == name
    assert len(summary.sentences) == 3
    assert summary.sentences[0].endswith(".")


@pytest.mark.parametrize("code", ["xx", "hu", "ru", "nl", "uk", "zh", "ja"])
def test_other_languages_fall_back_without_crashing(code: str) -> None:
    summary = summarize(SAMPLES["english"], language=code)
    assert summary.sentences


def test_resources_are_shared_not_rebuilt() -> None:
    assert get_language("de") is get_language("german")
