"""The catalog gate: the committed template is the code's, and every shipped locale is
complete, consistent with the English and within Telegram's limits.

The checks live in ``checks.py`` and take a directory; ``test_catalog_checks.py`` runs
them on a throwaway catalog to show each one catches what it claims. What to do when one
fails is in docs/translations.md (usually: ``python -m bot.i18n.catalog all``, translate,
commit the .po and .mo).
"""

from __future__ import annotations

import gettext
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.i18n import DEFAULT_LOCALE, LOCALES, Translator, locale_of, translator
from bot.i18n.catalog import ROOT, TEMPLATE
from bot.i18n.catalogs import LOCALE_DIR
from bot.telegram.commands import ALL_COMMANDS
from bot.views import forget, schedule, stories, topics
from bot.views.keyboard import Keyboard
from tests.unit.i18n import checks

SHIPPED = [locale.code for locale in LOCALES if locale.code != DEFAULT_LOCALE]
#: Telegram's setMyCommands: a description is 3–256 characters.
DESCRIPTION = (3, 256)
#: Our cap on a button's label. The Bot API states none, but a phone shows two buttons a
#: row in about 30 characters each and cuts the rest with "…"; 64 (the size of a button's
#: callback data) is far past readable, so a label over it is a translation to shorten.
LABEL_MAX = 64


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What extraction gives from the code as it is now."""
    return checks.extract(ROOT, tmp_path_factory.mktemp("pot") / "current.pot", "bot")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return checks.load(TEMPLATE)


def _po(code: str) -> Catalog:
    return checks.load(checks.po_path(LOCALE_DIR, code), locale=code)


def test_the_template_holds_exactly_the_messages_of_the_code(
    template: Catalog, extracted: Catalog
) -> None:
    assert checks.template_differences(template, extracted) == []


def test_messages_have_named_placeholders_and_no_tags(extracted: Catalog) -> None:
    assert checks.source_problems(extracted) == []


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated(code: str, template: Catalog) -> None:
    assert checks.completeness_problems(_po(code), template) == []


@pytest.mark.parametrize("code", SHIPPED)
def test_translations_keep_the_placeholders_of_the_english(code: str) -> None:
    assert checks.placeholder_problems(_po(code)) == []


@pytest.mark.parametrize("code", SHIPPED)
def test_translations_add_no_html_tags(code: str) -> None:
    assert checks.html_problems(_po(code)) == []


@pytest.mark.parametrize("code", SHIPPED)
def test_plural_forms_are_the_languages_own(code: str) -> None:
    assert checks.plural_header_problems(_po(code), code) == []


@pytest.mark.parametrize("code", SHIPPED)
def test_the_compiled_catalog_is_current(code: str) -> None:
    assert checks.mo_problems(checks.po_path(LOCALE_DIR, code)) == []


@pytest.mark.parametrize("code", [locale.code for locale in LOCALES])
def test_command_descriptions_fit_telegrams_menu(code: str) -> None:
    t = translator(code)
    described = [(f"/{c.name}", t.gettext(c.description)) for c in ALL_COMMANDS]
    assert checks.too_long(described, *DESCRIPTION) == []


def _with_t(t: Translator, view: Callable[..., Keyboard]) -> Callable[..., Keyboard]:
    """``view`` called with ``t`` first when it takes one (views that say words do)."""
    parameters = list(inspect.signature(view).parameters)
    if parameters and parameters[0] == "t":
        return lambda *args: view(t, *args)
    return view


def sample_keyboards(t: Translator) -> Iterator[tuple[str, Keyboard]]:
    """The keyboards readers see, with the longest values they hold in practice."""
    names = ["World", "Science", "Technology", "Business", "Politics", "Sport", "Health"]
    items = [topics.TopicItem(name.lower(), t.gettext(name)) for name in names]
    yield "topics", _with_t(t, topics.topic_keyboard)(items, {items[0].slug})
    subscriptions = [
        topics.SubscriptionItem(1, t.gettext("Technology"), None),
        topics.SubscriptionItem(2, None, "renewable energy storage"),
    ]
    yield "mysubs", _with_t(t, topics.subscriptions_keyboard)(subscriptions)
    yield "forget", _with_t(t, forget.confirm_keyboard)()
    yield "time", _with_t(t, schedule.time_keyboard)()
    yield "zone", _with_t(t, schedule.zone_keyboard)()
    yield "length", _with_t(t, schedule.length_keyboard)(3)
    yield "more", _with_t(t, stories.more_keyboard)("more:latest:1")


@pytest.mark.parametrize("code", [locale.code for locale in LOCALES])
def test_button_labels_stay_short(code: str) -> None:
    labels = [
        (name, button.label)
        for name, keyboard in sample_keyboards(translator(code))
        for row in keyboard
        for button in row
    ]
    assert labels  # the sample did render buttons
    assert checks.too_long(labels, 1, LABEL_MAX) == []


def test_the_template_is_where_the_tooling_writes_it() -> None:
    assert TEMPLATE == LOCALE_DIR / "newsbot.pot"
    assert Path(ROOT / "bot").is_dir()


class _Longer(gettext.NullTranslations):
    """Every message 40% longer, as German and Russian run: what must still fit."""

    def gettext(self, message: str) -> str:
        return message + "~" * (len(message) * 2 // 5)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def test_limits_hold_for_a_language_forty_percent_longer() -> None:
    t = Translator(locale_of("de"), _Longer())
    described = [(f"/{c.name}", t.gettext(c.description)) for c in ALL_COMMANDS]
    assert checks.too_long(described, *DESCRIPTION) == []
    labels = [
        (name, button.label)
        for name, keyboard in sample_keyboards(t)
        for row in keyboard
        for button in row
    ]
    assert checks.too_long(labels, 1, LABEL_MAX) == []
