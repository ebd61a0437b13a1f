"""Digests and /latest really speak the reader's language: every word goes through the
reader's Translator, not only in English.

The shipped catalogs are filled by translators after the code changes, so this builds a
small Russian catalog in memory (compiled with Babel, read by gettext as a real ``.mo``)
holding the messages the views use, and checks what a reader sees: the translated
header, Russian plural forms (one / few / many), the date and ages in Russian.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import LOCALES, Translator, translator
from bot.views.digest import ItemCache, render_digest
from bot.views.pack import TELEGRAM_LIMIT, visible_length
from bot.views.stories import latest_heading, story_messages
from digest.compose import Composition
from stories import Story
from tests.support.fake_bot_api import telegram_html_to_text
from tests.support.i18n import catalog_translator

NOW = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)

#: English message → its Russian translation (a str, or the plural forms one/few/many).
RUSSIAN: dict[str | tuple[str, str], str | tuple[str, str, str]] = {
    "Your digest · {date}": "Ваша сводка · {date}",
    ("{count} story", "{count} stories"): ("{count} история", "{count} истории", "{count} историй"),
    ("{source} · {age} · +{count} more source", "{source} · {age} · +{count} more sources"): (
        "{source} · {age} · ещё {count} источник",
        "{source} · {age} · ещё {count} источника",
        "{source} · {age} · ещё {count} источников",
    ),
    "{source} · {age}": "{source} · {age}",
    "Latest news": "Последние новости",
    "Latest in {topic}": "Последнее в разделе «{topic}»",
}


def russian() -> Translator:
    return catalog_translator(RUSSIAN, code="ru")


def story(n: int, *, outlets: int, hours: int = 3) -> Story:
    return Story(
        article_id=n,
        story_id=n,
        title=f"Story {n}",
        url=f"https://news.test/{n}",
        summary=("One sentence.",),
        source="Outlet",
        published_at=NOW - timedelta(hours=hours),
        outlets=outlets,
    )


def test_a_russian_readers_digest_has_a_russian_header_date_plurals_and_ages() -> None:
    t = russian()
    stories = (story(1, outlets=2), story(2, outlets=3), story(3, outlets=6))
    composition = Composition((("World", stories),))
    [message] = render_digest(t, composition, zone="Asia/Tokyo", sentences=1, items=ItemCache(NOW))
    lines = telegram_html_to_text(message).splitlines()
    # 22:30 UTC on Monday 1 June is Tuesday 2 June in Tokyo, written as Russians write it.
    # Babel writes the year abbreviation after a narrow no-break space, as CLDR says.
    assert lines[0] == "Ваша сводка · вторник, 2 июня 2026\u202fг."
    assert lines[1] == "3 истории"
    footers = [line for line in lines if line.startswith("Outlet")]
    assert footers == [
        "Outlet · 3 ч назад · ещё 1 источник",
        "Outlet · 3 ч назад · ещё 2 источника",
        "Outlet · 3 ч назад · ещё 5 источников",
    ]


def test_one_item_cache_serves_readers_of_different_languages_each_in_theirs() -> None:
    # The tick renders every reader due at one instant with one cache: a story rendered
    # for a Russian reader must not reach an English one, nor the Russian date line.
    items = ItemCache(NOW)
    composition = Composition((("World", (story(1, outlets=3),)),))
    ru = telegram_html_to_text(
        render_digest(russian(), composition, zone="UTC", sentences=1, items=items)[0]
    )
    en = telegram_html_to_text(
        render_digest(translator("en"), composition, zone="UTC", sentences=1, items=items)[0]
    )
    assert ru.startswith("Ваша сводка · понедельник, 1 июня 2026\u202fг.\n1 история")
    assert en.startswith("Your digest · Monday, June 1, 2026\n1 story")
    assert "Outlet · 3 hr. ago · +2 more sources" in en
    assert "источник" not in en and "ago" not in ru


def test_a_latest_page_in_russian() -> None:
    t = russian()
    heading = latest_heading(t, None, continued=False)
    [message] = story_messages(
        t,
        [story(1, outlets=1, hours=26), story(2, outlets=22)],
        heading=heading,
        sentences=1,
        now=NOW,
    )
    text = telegram_html_to_text(message)
    assert text.startswith("Последние новости\n")
    assert "Outlet · 1 дн. назад\n" in text
    assert text.endswith("Outlet · 3 ч назад · ещё 21 источник")
    assert latest_heading(t, "Спорт", continued=False) == "Последнее в разделе «Спорт»"


@pytest.mark.parametrize("code", [locale.code for locale in LOCALES])
def test_long_digests_fit_telegram_in_every_shipped_locale(code: str) -> None:
    # Longer words (German, Russian) and right-to-left isolates (Persian, Arabic) must not
    # push a message past 4096 characters or break its HTML.
    t = translator(code)
    long = "Ein sehr langer Satz der Zusammenfassung mit <Zeichen> & Wörtern. " * 9
    stories = tuple(
        Story(
            article_id=n,
            story_id=n,
            title=f"Überschrift {n} " * 30,
            url=f"https://news.test/{n}?a=1&b=2",
            summary=(long, long, long),
            source="Quelle & Co " * 20,
            published_at=NOW - timedelta(days=n),
            outlets=n + 1,
        )
        for n in range(20)
    )
    composition = Composition((("Welt", stories[:10]), ("“Wörter”", stories[10:])))
    messages = render_digest(t, composition, zone="Asia/Tehran", sentences=3, items=ItemCache(NOW))
    assert len(messages) > 1
    assert all(visible_length(m) <= TELEGRAM_LIMIT for m in messages)
    joined = "\n".join(telegram_html_to_text(m) for m in messages)  # raises on invalid HTML
    # Every story is there, each in one piece (a title is cut to 300 characters).
    assert all(f"Überschrift {n} Überschrift {n} " in joined for n in range(20))
