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


TELEGRAM_LANGUAGES = {
    "russian": "ru",
    "ukrainian": "uk",
    "persian": "fa",
    "arabic": "ar",
    "turkish": "tr",
    "indonesian": "id",
    "hindi": "hi",
    "chinese": "zh",
}


@pytest.mark.parametrize(("name", "code"), TELEGRAM_LANGUAGES.items())
def test_the_languages_telegram_reads_are_supported_under_their_detected_codes(
    name: str, code: str
) -> None:
    # py3langid's ISO 639-1 codes, as ingest detects them.
    assert normalize_language(code) == name
    assert name in supported_languages()
    language = get_language(code)
    assert language.stop_words


@pytest.mark.parametrize(
    ("name", "words", "terms"),
    [
        # Each with its own Snowball stemmer, never the English one.
        ("russian", ["Домами", "и"], ["дом"]),
        ("turkish", ["evlerden", "ve"], ["ev"]),
        ("indonesian", ["permainan", "dan"], ["main"]),
        ("arabic", ["الكتاب", "في"], ["كتاب"]),
        # No maintained Ukrainian stemmer: lower-cased only.
        ("ukrainian", ["Будинками", "та"], ["будинками"]),
    ],
)
def test_new_languages_stem_with_their_own_stemmer_and_drop_stop_words(
    name: str, words: list[str], terms: list[str]
) -> None:
    assert get_language(name).content_terms(words) == terms


def test_persian_and_arabic_letters_are_unified_for_matching_only() -> None:
    persian = get_language("fa")
    # Arabic yeh and kaf, tatweel and a diacritic: the same word as the Persian spelling.
    arabic_spelling = "كتابـي\u064e"
    assert persian.content_terms([arabic_spelling]) == persian.content_terms(["کتابی"])
    # The zero-width non-joiner stays inside the word.
    assert summarize(
        "دولت می‌گوید که قیمت‌ها در ماه آینده کاهش خواهد یافت و مردم خوشحال هستند.",
        language="fa",
    ).sentences == ["دولت می‌گوید که قیمت‌ها در ماه آینده کاهش خواهد یافت و مردم خوشحال هستند."]


def test_chinese_lengths_count_characters_against_the_word_budget() -> None:
    # Sentences of 44-48 characters: counted as words (one "word" each, no
    # spaces) three would fit 80 "words"; counted as characters only two fit 128.
    sentences = [
        "国家统计局今天发布的数据显示，全国居民消费价格同比上涨百分之二，涨幅比上个月扩大零点三个百分点。",
        "市场分析人士认为，这次物价上涨主要受到猪肉和新鲜蔬菜价格的推动，能源价格的影响相对比较有限。",
        "专家预计随着秋季粮食陆续收获上市，下个月的食品价格将会逐步回落，全年物价总体保持平稳运行。",
        "央行官员表示将继续实施稳健的货币政策，保持流动性合理充裕，同时密切关注国际大宗商品价格走势。",
    ]
    assert all(len(s) >= 44 for s in sentences)
    summary = summarize("".join(sentences), language="zh", sentences=3)
    assert summary.language == "chinese"
    assert len(summary.sentences) == 2
    assert sum(len(s) for s in summary.sentences) <= 80 * 1.6
    # Short sentences are fragments in characters too: under 10 characters, never picked.
    assert summarize("好的。" * 3 + sentences[0], language="zh").sentences == [sentences[0]]


def test_an_unknown_language_says_so() -> None:
    assert summarize(SAMPLES["english"], language="xx").language == FALLBACK_LANGUAGE
