"""/language (the interface language) and /languages (the languages of news): words and
keyboards.

Each interface language's button is labelled in that language (a reader who cannot read
the current one still finds theirs); news languages are named in the reader's language,
by Babel's data (CLDR), falling back to the code for a language it does not know.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.lists import format_list

from bot.i18n import LOCALES, Translator
from bot.telegram import callbacks
from bot.views.html import bold, code, echo, esc
from bot.views.keyboard import Button, Keyboard, rows

CHECK = "✓"
#: Buttons per row: two keep the native names (up to "Bahasa Indonesia") readable.
PER_ROW = 2


def language_name(t: Translator, language: str, *, in_sentence: bool = False) -> str:
    """``language`` (an ISO 639-1 code such as ``pt``) named in the reader's language.

    CLDR writes names as they stand inside a sentence, lower case in some languages
    ("русский", "inglés"); a label on its own (a button, a pop-up) starts upper case.
    """
    try:
        name = BabelLocale.parse(language).get_display_name(t.code)
    except (UnknownLocaleError, ValueError):
        return language
    if not name:
        return language
    return name if in_sentence else name[0].upper() + name[1:]


def _checked(label: str, on: bool) -> str:
    return f"{CHECK} {label}" if on else label


# --- /language ----------------------------------------------------------------------


def language_prompt_text(t: Translator) -> str:
    return t.html("Which language should I speak with you? Your choice is kept for this chat.")


def language_keyboard(current: str) -> Keyboard:
    """One button per shipped language, in its own language; ✓ on the current one."""
    buttons = [
        Button(
            _checked(locale.native_name, locale.code == current),
            callbacks.language_data(locale.code),
        )
        for locale in LOCALES
    ]
    return rows(buttons, PER_ROW)


def language_changed_text(t: Translator) -> str:
    """Said in the NEW language (``t`` is its translator)."""
    # Translators: {language} is this language's own name (Русский, فارسی…).
    return t.html(
        "Done: I speak {language} with you now. /languages chooses the languages of the news.",
        language=bold(t.locale.native_name),
    )


def language_changed_answer(t: Translator) -> str:
    # Translators: a short pop-up after switching; {language} is the language's own name.
    return t.gettext("Language: {language}", language=t.locale.native_name)


def language_usage_text(t: Translator, typed: str | None = None) -> str:
    """The usage reply: what was not understood, the form, and every code."""
    codes = ", ".join(
        f"{code(locale.code.lower().replace('_', '-'))} ({esc(locale.native_name)})"
        for locale in LOCALES
    )
    if typed:
        return t.html(
            "I don't know the language {typed}. Send /language and press a button, or "
            "name one: /language followed by a code from this list: {codes}",
            typed=bold(echo(typed)),
            codes=codes,
        )
    return t.html(
        "Send /language and press a button, or name a language: /language followed by a "
        "code from this list: {codes}",
        codes=codes,
    )


# --- /languages ---------------------------------------------------------------------


def news_languages_text(t: Translator, chosen: Collection[str] | None) -> str:
    """The prompt above the toggles: what the reader gets now."""
    if chosen is None:
        return t.html(
            "You get news in every language. Press languages to get only those in your "
            "digests, /latest and /search."
        )
    return t.html(
        "You get news in: {languages}. Press a language to add or remove it; news whose "
        "language is unknown is always included.",
        languages=bold(_names(t, chosen)),
    )


def no_news_languages_text(t: Translator) -> str:
    return t.html("There is no news stored yet, so there are no languages to choose from.")


def news_languages_keyboard(
    t: Translator, on_offer: Iterable[str], chosen: Collection[str] | None
) -> Keyboard:
    """A toggle per language on offer (✓ on those the reader gets), then Done."""
    chosen_set = set(chosen or ())
    named = sorted(on_offer, key=lambda c: language_name(t, c).casefold())
    buttons = [
        Button(_checked(language_name(t, c), c in chosen_set), callbacks.news_language_data(c))
        for c in named
    ]
    # Translators: the button that closes the news-language picker.
    done = Button(t.gettext("Done"), callbacks.NEWS_LANGUAGES_DONE)
    return (*rows(buttons, PER_ROW), (done,))


def news_language_toggled_answer(t: Translator, language: str, *, on: bool) -> str:
    name = language_name(t, language)
    if on:
        return t.gettext("Added: {language}", language=name)
    return t.gettext("Removed: {language}", language=name)


def news_language_gone_answer(t: Translator) -> str:
    return t.gettext("That language is no longer on offer. Send /languages again.")


def news_languages_done_text(t: Translator, chosen: Collection[str] | None) -> str:
    if chosen is None:
        return t.html("Saved: your news comes in every language.")
    return t.html("Saved: your news comes in {languages}.", languages=bold(_names(t, chosen)))


def _names(t: Translator, languages: Collection[str]) -> str:
    """The languages named and listed as the reader's language lists them ("A, B and C")."""
    names = sorted((language_name(t, c, in_sentence=True) for c in languages), key=str.casefold)
    return format_list(names, locale=t.code)
