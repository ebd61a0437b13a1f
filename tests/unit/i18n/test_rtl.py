"""Right-to-left lines stay readable: values inside a Persian or Arabic sentence keep their
own direction.

Telegram lays a message out with the Unicode bidirectional algorithm (UAX #9). Inside a
right-to-left paragraph, the neutral characters at the edge of a left-to-right value (the
"!" of "Yahoo!", the last "/" of a URL, the space before "PM") take the paragraph's
direction and jump to the value's other side. ``Translator`` wraps every value of a
right-to-left locale in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE; this test runs
rendered lines through the algorithm (python-bidi) and reads the visual order back.
"""

from __future__ import annotations

import gettext

import pytest
from bidi import get_display

from bot.i18n import LOCALES, Translator, translator
from bot.i18n.locales import Locale
from bot.i18n.translator import FSI, PDI

MESSAGE = "News from {source} at {url}, {time}."
#: How a Persian translator writes MESSAGE (the shipped catalog may not have it yet).
PERSIAN = "خبر از {source} در {url}، ساعت {time}."
ARABIC = "خبر من {source} على {url}، الساعة {time}."
#: Values whose edges are neutral characters: the cases the isolates are for.
VALUES = {"source": "Yahoo!", "url": "https://example.com/news/", "time": "2:05 PM"}


class _Catalog(gettext.NullTranslations):
    """One translated message, like a compiled catalog would give it."""

    def __init__(self, translation: str) -> None:
        super().__init__()
        self._translation = translation

    def gettext(self, message: str) -> str:
        return self._translation if message == MESSAGE else message


def _visual(line: str) -> str:
    """``line`` in the order the eye reads it on screen, left to right (the paragraph is
    right-to-left: it starts with a Persian or Arabic letter), the invisible isolate
    marks dropped."""
    visual = str(get_display(line, base_dir="R"))
    return visual.replace(FSI, "").replace(PDI, "")


def _unbroken(visual: str) -> list[str]:
    """The values that appear in ``visual`` whole, in their own order."""
    return [name for name, value in VALUES.items() if value in visual]


@pytest.mark.parametrize(("code", "translation"), [("fa", PERSIAN), ("ar", ARABIC)])
def test_values_in_a_right_to_left_sentence_keep_their_own_order(
    code: str, translation: str
) -> None:
    shipped = translator(code).locale
    assert shipped.rtl
    t = Translator(shipped, _Catalog(translation))
    line = t.gettext(MESSAGE, **VALUES)
    assert _unbroken(_visual(line)) == ["source", "url", "time"], _visual(line)
    # The words around the values are still read right to left: the sentence's first
    # word comes last on screen, before the full stop the paragraph ends with.
    first_word = translation.split()[0]
    assert _visual(line).rstrip(".").endswith(first_word[::-1])


@pytest.mark.parametrize(("code", "translation"), [("fa", PERSIAN), ("ar", ARABIC)])
def test_without_the_isolates_the_same_line_would_be_garbled(code: str, translation: str) -> None:
    shipped = translator(code).locale
    left_to_right = Locale(shipped.code, shipped.native_name, rtl=False)
    t = Translator(left_to_right, _Catalog(translation))
    line = t.gettext(MESSAGE, **VALUES)
    assert FSI not in line
    visual = _visual(line)
    # "Yahoo!" shows as "!Yahoo", the URL's last "/" jumps to its front, "PM 2:05".
    assert _unbroken(visual) == [], visual


def test_only_right_to_left_locales_isolate_values() -> None:
    for locale in LOCALES:
        t = translator(locale.code)
        isolated = t.isolate("Yahoo!")
        assert (isolated == f"{FSI}Yahoo!{PDI}") is locale.rtl, locale.code
    assert {locale.code for locale in LOCALES if locale.rtl} == {"fa", "ar"}
