"""bot.i18n: which locale a Telegram language_code gets, and how a Translator fills,
escapes and isolates messages, writes dates and says how long ago."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.i18n import Translator, locale_of, negotiate, translator
from bot.i18n.translator import FSI, PDI
from bot.views.html import bold
from tests.support.i18n import catalog_translator


@pytest.mark.parametrize(
    ("language_code", "locale"),
    [
        ("pt-br", "pt_BR"),
        ("pt", "pt_BR"),
        ("PT-BR", "pt_BR"),
        ("es-419", "es"),
        ("de-AT", "de"),
        ("fa", "fa"),
        ("uk", "uk"),
        ("zh", "en"),
        ("zh-hans", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_telegrams_language_code_picks_a_shipped_locale(
    language_code: str | None, locale: str
) -> None:
    assert negotiate(language_code) == locale


def test_an_unknown_stored_code_reads_as_english() -> None:
    assert translator("xx").code == "en"
    assert locale_of("pt_BR").native_name == "Português (Brasil)"


def _translator(
    code: str, translations: dict[str | tuple[str, str], str | tuple[str, ...]]
) -> Translator:
    """A translator over an in-memory catalog (the shipped ones may be empty)."""
    return catalog_translator(translations, code=code)


def test_named_values_go_where_the_translation_puts_them() -> None:
    t = _translator("de", {"{name} follows {topic}.": "{topic} wird von {name} verfolgt."})
    assert t.gettext("{name} follows {topic}.", name="Ana", topic="Sport") == (
        "Sport wird von Ana verfolgt."
    )
    # A message without a translation stays English.
    assert t.gettext("Unknown {x}.", x=1) == "Unknown 1."


def test_html_escapes_the_translation_but_not_the_markup_values() -> None:
    t = _translator("de", {"You follow {topic}.": "Du folgst {topic} <jetzt> & immer."})
    assert t.html("You follow {topic}.", topic=bold("A & B")) == (
        "Du folgst <b>A &amp; B</b> &lt;jetzt&gt; &amp; immer."
    )
    # Plain text (buttons, pop-ups) is not escaped: Telegram shows it as it is.
    assert t.gettext("You follow {topic}.", topic="A & B") == "Du folgst A & B <jetzt> & immer."


def test_plural_forms_follow_the_languages_rule() -> None:
    forms = ("{count} история", "{count} истории", "{count} историй")
    t = _translator("ru", {("{count} story", "{count} stories"): forms})
    said = {
        n: t.ngettext("{count} story", "{count} stories", n, count=n) for n in (1, 3, 5, 21, 111)
    }
    assert said == {
        1: "1 история",
        3: "3 истории",
        5: "5 историй",
        21: "21 история",
        111: "111 историй",
    }
    assert translator("en").nhtml("{count} story", "{count} stories", 1, count=bold("1")) == (
        "<b>1</b> story"
    )


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_right_to_left_locales_isolate_every_value(code: str) -> None:
    t = translator(code)
    assert t.gettext("{source}: {url}", source="BBC News", url="https://bbc.co.uk") == (
        f"{FSI}BBC News{PDI}: {FSI}https://bbc.co.uk{PDI}"
    )
    assert t.html("{topic}", topic=bold("World")) == f"{FSI}<b>World</b>{PDI}"


@pytest.mark.parametrize("code", ["en", "ru", "de", "uk", "tr"])
def test_left_to_right_locales_leave_values_alone(code: str) -> None:
    text = translator(code).gettext("{source}: {url}", source="BBC", url="https://bbc.co.uk")
    assert text == "BBC: https://bbc.co.uk"
    assert FSI not in text and PDI not in text


def test_persian_dates_are_solar_hijri_with_persian_digits() -> None:
    t = translator("fa")
    assert t.long_date(date(2026, 12, 6)) == "یک‌شنبه ۱۵ آذر ۱۴۰۵"
    assert t.short_date(date(2026, 12, 6), with_year=False) == "۱۵ آذر"
    assert t.short_date(date(2026, 3, 21), with_year=True) == "۱ فروردین ۱۴۰۵"  # Nowruz
    assert t.number(1234) == "۱,۲۳۴"


def test_other_dates_are_gregorian_in_the_language() -> None:
    assert translator("en").long_date(date(2026, 12, 6)) == "Sunday, December 6, 2026"
    assert (
        translator("ru").long_date(date(2026, 12, 6)) == "воскресенье, 6 декабря 2026\u202fг."
    )  # CLDR: a narrow no-break space
    assert translator("de").short_date(date(2026, 12, 6), with_year=False) == "6 Dez."


NOW = datetime(2026, 12, 6, 12, 0)


@pytest.mark.parametrize(
    ("code", "ago", "said"),
    [
        ("en", timedelta(seconds=20), "just now"),
        ("en", timedelta(minutes=5), "5 min. ago"),
        ("en", timedelta(hours=3), "3 hr. ago"),
        ("en", timedelta(days=2), "2 days ago"),
        ("en", timedelta(days=9), "27 Nov"),
        ("en", timedelta(days=400), "1 Nov 2025"),
        ("ru", timedelta(minutes=5), "5 мин. назад"),
        ("de", timedelta(days=2), "vor 2 Tagen"),
        ("fa", timedelta(hours=3), "۳ ساعت پیش"),
        ("fa", timedelta(days=9), "۶ آذر"),
    ],
)
def test_relative_times_are_said_as_people_say_them(code: str, ago: timedelta, said: str) -> None:
    assert translator(code).relative(NOW - ago, NOW) == said
