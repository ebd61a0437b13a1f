"""The gate's checks on a throwaway catalog: a complete one passes, and each kind of
mistake a translator or a developer can make is caught and named.

(The real catalogs are checked by ``test_catalogs.py``; until the translators fill them,
only these tests show the gate works.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

import bot.i18n
from tests.unit.i18n import checks

#: Messages of every shape the code has.
SINGULAR = "Muted “{phrase}”."
PLAIN = "Its articles arrive with the next ingest cycle."
COUNTED = ("{count} day ago", "{count} days ago")
UNCOUNTED_ONE = (
    "I'm already reading a link for you.",
    "I'm already reading {count} links for you.",
)
LOCALES = ("ru", "fa", "ar", "id", "pt_BR")
SHIPPED = [locale.code for locale in bot.i18n.LOCALES if locale.code != bot.i18n.DEFAULT_LOCALE]


def _template() -> Catalog:
    template = Catalog(project="test")
    for message in (SINGULAR, PLAIN, COUNTED, UNCOUNTED_ONE):
        template.add(message, "" if isinstance(message, str) else ("", ""))
    return template


def _translate(code: str) -> Catalog:
    """A complete translation: the English in brackets, every form with every placeholder."""
    po = Catalog(locale=code, project="test")
    for message in _template():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(f"⟦{message.id[1]}⟧" for _ in range(po.num_plurals))
            po.add(message.id, forms)
        else:
            po.add(message.id, f"⟦{message.id}⟧")
    return po


def _save(directory: Path, code: str, po: Catalog, *, compile_it: bool = True) -> Path:
    path = checks.po_path(directory, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, po)
    if compile_it:
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, po)
    return path


def _problems(directory: Path, code: str) -> list[str]:
    """Every check of the gate on one locale of ``directory``."""
    path = checks.po_path(directory, code)
    po = checks.load(path, locale=code)
    return [
        *checks.completeness_problems(po, _template()),
        *checks.placeholder_problems(po),
        *checks.html_problems(po),
        *checks.plural_header_problems(po, code),
        *checks.mo_problems(path),
    ]


@pytest.mark.parametrize("code", LOCALES)
def test_a_complete_catalog_passes(tmp_path: Path, code: str) -> None:
    _save(tmp_path, code, _translate(code))
    assert _problems(tmp_path, code) == []


def _broken(
    tmp_path: Path, code: str, key: str | tuple[str, ...], forms: str | tuple[str, ...]
) -> list[str]:
    po = _translate(code)
    po[key].string = forms
    _save(tmp_path, code, po)
    return _problems(tmp_path, code)


def test_an_untranslated_plural_form_is_caught(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "ru", COUNTED, ("{count} день назад", "", "{count} дней назад"))
    assert problems == ["untranslated: '{count} day ago'"]


def test_a_missing_message_is_caught(tmp_path: Path) -> None:
    po = _translate("de")
    del po[PLAIN]
    _save(tmp_path, "de", po)
    assert _problems(tmp_path, "de") == [f"missing (run update): {PLAIN!r}"]


def test_fuzzy_and_obsolete_entries_are_caught(tmp_path: Path) -> None:
    po = _translate("es")
    po[SINGULAR].flags.add("fuzzy")
    _save(tmp_path, "es", po)
    path = checks.po_path(tmp_path, "es")
    path.write_text(path.read_text() + '\n#~ msgid "Old"\n#~ msgstr "Viejo"\n')
    problems = _problems(tmp_path, "es")
    assert f"fuzzy (check, then drop the flag): {SINGULAR!r}" in problems
    assert "obsolete entry (#~), delete it: 'Old'" in problems


def test_a_placeholder_a_translator_invented_or_renamed_is_caught(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "tr", SINGULAR, "“{ifade}” sessize alındı.")
    assert "unknown placeholder ['ifade'] in '“{ifade}” sessize alındı.'" in problems
    assert "drops placeholder ['phrase'] in '“{ifade}” sessize alındı.'" in problems


def test_unbalanced_braces_are_caught(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "de", SINGULAR, "„{phrase“ stummgeschaltet.")
    assert problems == [f"unbalanced braces in '„{{phrase“ stummgeschaltet.' ({SINGULAR!r})"]


def test_the_one_form_may_drop_the_count_only_where_english_does(tmp_path: Path) -> None:
    # Arabic's second form is for n == 1 alone; English says no number there either.
    forms = ["⟦{count}⟧"] * 6
    forms[1] = "أقرأ رابطًا لك بالفعل."
    assert _broken(tmp_path, "ar", UNCOUNTED_ONE, tuple(forms)) == []
    # Russian's first form is also 21, 31…: the number must be there.
    problems = _broken(
        tmp_path, "ru", COUNTED, ("день назад", "{count} дня назад", "{count} дней назад")
    )
    assert problems == ["drops placeholder ['count'] in 'день назад'"]
    # Indonesian has one form for every n, so it needs the number too.
    problems = _broken(tmp_path, "id", UNCOUNTED_ONE, ("Saya sedang membaca tautan.",))
    assert problems == ["drops placeholder ['count'] in 'Saya sedang membaca tautan.'"]


def test_tags_in_a_translation_are_caught(tmp_path: Path) -> None:
    bolded = "<b>مقاله‌ها</b> در چرخهٔ بعد می‌رسند."
    problems = _broken(tmp_path, "fa", PLAIN, bolded)
    assert problems == [f"HTML tags ['</b>', '<b>'] not in the English: {bolded!r}"]
    # Escaped by t.html, a "<" that is no tag is just text.
    assert _broken(tmp_path, "fa", PLAIN, "مقاله‌ها < ۵ دقیقه بعد می‌رسند.") == []


def test_a_wrong_plural_rule_is_caught(tmp_path: Path) -> None:
    path = _save(tmp_path, "uk", _translate("uk"))
    text = path.read_text()
    assert "nplurals=3;" in text
    rule = text[text.index("nplurals=3;") : text.index("\\n", text.index("nplurals=3;"))]
    path.write_text(text.replace(rule, "nplurals=2; plural=(n != 1);"))
    problems = checks.plural_header_problems(checks.load(path, locale="uk"), "uk")
    assert len(problems) == 1 and problems[0].startswith("uk: Plural-Forms is nplurals=2")


def test_a_stale_or_missing_mo_is_caught(tmp_path: Path) -> None:
    path = _save(tmp_path, "ru", _translate("ru"))
    po = _translate("ru")
    po[PLAIN].string = "Статьи придут со следующим циклом."
    _save(tmp_path, "ru", po, compile_it=False)
    assert checks.mo_problems(path) == [
        f"{path.with_suffix('.mo')} is stale (run python -m bot.i18n.catalog compile): {PLAIN!r}"
    ]
    path.with_suffix(".mo").unlink()
    assert checks.mo_problems(path)[0].endswith(
        "is missing (run python -m bot.i18n.catalog compile)"
    )


def test_a_template_out_of_step_with_the_code_is_caught() -> None:
    committed = _template()
    del committed[PLAIN]
    assert checks.template_differences(committed, _template()) == [
        f"not in the template (re-extract): {PLAIN!r}"
    ]
    assert checks.template_differences(_template(), committed) == [
        f"in the template, gone from the code (re-extract): {PLAIN!r}"
    ]


def test_positional_placeholders_and_tags_in_the_code_are_caught() -> None:
    code = Catalog()
    code.add("Hello {}!", "")
    code.add("You follow <b>{topic}</b>.", "")
    code.add(("{count} story", "{0} stories"), ("", ""))
    assert checks.source_problems(code) == [
        "positional or dotted placeholder (use {name}): 'Hello {}!'",
        "HTML tag inside a message (put tags in values): 'You follow <b>{topic}</b>.'",
        "positional or dotted placeholder (use {name}): '{0} stories'",
    ]
    assert checks.source_problems(_template()) == []


def test_the_extraction_finds_the_code_messages(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "view.py").write_text(
        "def view(t):\n"
        "    # Translators: a reader's words.\n"
        "    return t.html('Muted {phrase}.', phrase='x') + t.nhtml('{count} a', '{count} b', 2)"
        " + N_('World') + t.gettext('Plain') + t.ngettext('{count} c', '{count} d', 3)"
        " + print('not this one')\n"
    )
    found = checks.messages(checks.extract(tmp_path, tmp_path / "out.pot", "bot"))
    assert set(found) == {
        "Muted {phrase}.",
        ("{count} a", "{count} b"),
        "World",
        "Plain",
        ("{count} c", "{count} d"),
    }
    assert found["Muted {phrase}."].auto_comments == ["Translators: a reader's words."]


def test_too_long_names_the_offenders() -> None:
    labels = [("/ok", "Fine"), ("/short", "Hi"), ("/long", "x" * 257)]
    assert checks.too_long(labels, 3, 256) == [
        "/short: 2 characters: 'Hi'",
        f"/long: 257 characters: {'x' * 257!r}",
    ]


def _pseudo(po: Catalog, message_id: str | tuple[str, ...]) -> str | tuple[str, ...]:
    """The English in brackets; each plural form from the English form for its counts."""
    if isinstance(message_id, str):
        return f"⟦{message_id}⟧"
    counts = checks.counts_of_form(po)
    return tuple(
        f"⟦{message_id[0] if counts[i] == [1] else message_id[1]}⟧" for i in range(po.num_plurals)
    )


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    from bot.i18n.catalog import ROOT

    return checks.extract(ROOT, tmp_path_factory.mktemp("code") / "code.pot", "bot")


@pytest.mark.parametrize("code", SHIPPED)
def test_the_code_messages_pass_the_gate_once_translated(
    tmp_path: Path, code: str, code_messages: Catalog
) -> None:
    """What the translators will face: the gate passes on the code's messages translated
    faithfully, so a failure after they are done is theirs to fix, not the gate's."""
    po = Catalog(locale=code, project="test")
    for key in checks.messages(code_messages):
        po.add(key, _pseudo(po, key))
    path = _save(tmp_path, code, po)
    loaded = checks.load(path, locale=code)
    assert checks.completeness_problems(loaded, code_messages) == []
    assert checks.placeholder_problems(loaded) == []
    assert checks.html_problems(loaded) == []
    assert checks.plural_header_problems(loaded, code) == []
    assert checks.mo_problems(path) == []
