"""`split_sentences`: each script's terminators, abbreviations, quotes, numbers, glue."""

from __future__ import annotations

import pytest

from summarizer import split_sentences


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Arabic-script question mark and full stop.
        ("fa", "این چیست؟ من نمی‌دانم. او رفت.", ["این چیست؟", "من نمی‌دانم.", "او رفت."]),
        ("ar", "هل جاء الوزير؟ نعم، وصل صباحا.", ["هل جاء الوزير؟", "نعم، وصل صباحا."]),
        ("ur", "وہ آیا۔ پھر چلا گیا۔", ["وہ آیا۔", "پھر چلا گیا۔"]),
        # The danda, and an abbreviation that is not an end.
        (
            "hi",
            "यह पहला वाक्य है। क्या यह दूसरा है? डॉ. शर्मा आए।",
            ["यह पहला वाक्य है।", "क्या यह दूसरा है?", "डॉ. शर्मा आए।"],
        ),
        # No spaces: full-width terminators end sentences, a decimal point does not,
        # and a closing corner bracket stays with its sentence.
        (
            "zh",
            "他说：「我们来了。」然后走了。价格是3.5元！好吗？",
            ["他说：「我们来了。」", "然后走了。", "价格是3.5元！", "好吗？"],
        ),
        # A sentence glued to the next without a space.
        (
            "tr",
            "Kazada 3 kişi yaralandı.Kazayı gören oldu.",
            ["Kazada 3 kişi yaralandı.", "Kazayı gören oldu."],
        ),
        # A quotation followed by who said it, in lower case, is one sentence.
        (
            "tr",
            '"Bunu biz yaptık." demişti. Sonra gitti.',
            ['"Bunu biz yaptık." demişti.', "Sonra gitti."],
        ),
        # Abbreviations before a name or a number.
        (
            "uk",
            "Відповідно до ст. 5 закону, збори відбулися на вул. Шевченка. Усі прийшли.",
            ["Відповідно до ст. 5 закону, збори відбулися на вул. Шевченка.", "Усі прийшли."],
        ),
        (
            "id",
            "PT Sampoerna menjual saham ke Asia Pte. Ltd. pada 2007. Nilainya Rp 2,5 triliun.",
            ["PT Sampoerna menjual saham ke Asia Pte. Ltd. pada 2007.", "Nilainya Rp 2,5 triliun."],
        ),
        (
            "ru",
            "Его задержали 5 мая. «Мы не знали», — сказал он. Дело передано в суд.",
            ["Его задержали 5 мая.", "«Мы не знали», — сказал он.", "Дело передано в суд."],
        ),
        # Units before a lower-case word do not end a sentence; at the end they do.
        (
            "uk",
            "Виробили 454 тис. тонн зерна. Урожай склав 63 тис. Тобто 2%.",
            ["Виробили 454 тис. тонн зерна.", "Урожай склав 63 тис.", "Тобто 2%."],
        ),
        # An ellipsis ending a word, then a capital, ends a sentence; a spaced one
        # inside a title does not.
        ("tr", "Faraş... Faraş... Altı ayaklı.", ["Faraş...", "Faraş...", "Altı ayaklı."]),
        (
            "en",
            "They stay in I'm A Celebrity ... Get Me Out Of Here. Nobody left.",
            ["They stay in I'm A Celebrity ... Get Me Out Of Here.", "Nobody left."],
        ),
        # Decimals and URLs are not ends, in any Latin-script language.
        (
            "en",
            "Inflation was 3.5 per cent, see www.example.com for data. Prices rose.",
            ["Inflation was 3.5 per cent, see www.example.com for data.", "Prices rose."],
        ),
        # French quotation marks keep a quoted sentence whole.
        (
            "fr",
            "Il a dit : « Nous partons. Nous ne reviendrons pas. » Puis il est sorti.",
            ["Il a dit : « Nous partons. Nous ne reviendrons pas. »", "Puis il est sorti."],
        ),
    ],
)
def test_each_script_is_split_where_its_readers_see_sentences(
    language: str, text: str, expected: list[str]
) -> None:
    assert split_sentences(text, language) == expected


def test_paragraphs_never_share_a_sentence_and_nothing_is_dropped() -> None:
    text = "First paragraph without a stop\n\nShare this article\n\nLast one here."
    assert split_sentences(text, "en") == [
        "First paragraph without a stop",
        "Share this article",
        "Last one here.",
    ]


def test_an_unknown_language_still_splits_on_latin_rules() -> None:
    assert split_sentences("Sentence one. Sentence two!", "xx") == [
        "Sentence one.",
        "Sentence two!",
    ]


def test_an_unknown_language_in_another_script_still_ends_sentences_at_its_terminators() -> None:
    # Bengali is not supported: the neutral rules know every script's own marks.
    assert split_sentences("আমি ভাত খাই। তুমি কি খাও? সে বাড়ি যায়।", "bn") == [
        "আমি ভাত খাই।",
        "তুমি কি খাও?",
        "সে বাড়ি যায়।",
    ]
