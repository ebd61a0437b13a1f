"""The catalog gate's checks, as functions of a directory so they can be tried on a
throwaway catalog (``test_catalog_checks.py``) as well as on ``bot/locales``.

Each check returns a list of problems, one readable line each; empty means fine. The
tests assert the list is empty, so a failure names every offending message at once.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n.catalog import KEYWORDS
from bot.i18n.catalogs import DOMAIN

#: A message's identity: its msgid, or (msgid, msgid_plural) for a plural one.
MessageId = str | tuple[str, ...]
#: The tags Telegram's HTML knows (``<b>``, ``</a>``, ``<a href="…">``…). Usage forms
#: such as ``/subscribe <topic>`` are plain text that ``esc`` escapes, not tags.
_TELEGRAM_TAGS = "b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|tg-spoiler|tg-emoji|blockquote"
_TAG = re.compile(rf"</?({_TELEGRAM_TAGS})(\s[^>]*)?>", re.IGNORECASE)
#: The counts a plural rule is tried on: every small number, and the round big ones some
#: languages give their own form (Spanish and Portuguese "de" after a million).
SAMPLE_COUNTS = (*range(200), 1000, 1_000_000, 2_000_000)


def po_path(directory: Path, code: str) -> Path:
    return directory / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def messages(catalog: Catalog) -> dict[MessageId, Message]:
    """Every message but the header, by its id."""
    return {_key(m.id): m for m in catalog if m.id}


def _key(message_id: object) -> MessageId:
    return tuple(message_id) if isinstance(message_id, list | tuple) else str(message_id)


def _show(message_id: MessageId) -> str:
    return repr(message_id[0] if isinstance(message_id, tuple) else message_id)


# --- the template against the code -------------------------------------------------------


def extract(root: Path, output: Path, *sources: str) -> Catalog:
    """What ``python -m bot.i18n.catalog extract`` writes, into ``output`` instead of the
    committed template: the same keywords and options, run from ``root``."""
    keywords = [option for keyword in KEYWORDS for option in ("-k", keyword)]
    arguments = [
        "pybabel",
        "-q",
        "extract",
        "--no-default-keywords",
        *keywords,
        "--add-comments=Translators:",
        "--sort-by-file",
        "--no-wrap",
        "-o",
        str(output),
        *sources,
    ]
    cwd = Path.cwd()
    try:
        os.chdir(root)
        CommandLineInterface().run(arguments)  # type: ignore[no-untyped-call]
    finally:
        os.chdir(cwd)
    return load(output)


def template_differences(template: Catalog, extracted: Catalog) -> list[str]:
    """Messages the code has and the template lacks, and the other way round."""
    committed, current = set(messages(template)), set(messages(extracted))
    return [
        f"not in the template (re-extract): {_show(m)}"
        for m in sorted(current - committed, key=str)
    ] + [
        f"in the template, gone from the code (re-extract): {_show(m)}"
        for m in sorted(committed - current, key=str)
    ]


def source_problems(template: Catalog) -> list[str]:
    """The English messages themselves: named placeholders only, no tags (see
    docs/translations.md)."""
    problems = []
    for key in messages(template):
        for text in _forms_of_id(key):
            fields = placeholders(text)
            if fields is None:
                problems.append(f"unbalanced braces: {text!r}")
            elif any(not name.isidentifier() for name in fields):
                problems.append(f"positional or dotted placeholder (use {{name}}): {text!r}")
            if _TAG.search(text):
                problems.append(f"HTML tag inside a message (put tags in values): {text!r}")
    return problems


def _forms_of_id(key: MessageId) -> tuple[str, ...]:
    return key if isinstance(key, tuple) else (key,)


# --- one locale's .po --------------------------------------------------------------------


def completeness_problems(po: Catalog, template: Catalog) -> list[str]:
    """The same messages as the template, each translated, none fuzzy, none obsolete."""
    wanted, present = set(messages(template)), messages(po)
    problems = [f"missing (run update): {_show(m)}" for m in sorted(wanted - set(present), key=str)]
    problems += [f"not in the template: {_show(m)}" for m in sorted(set(present) - wanted, key=str)]
    problems += [f"obsolete entry (#~), delete it: {_show(_key(m))}" for m in po.obsolete]
    for key, message in present.items():
        if message.fuzzy:
            problems.append(f"fuzzy (check, then drop the flag): {_show(key)}")
        forms = _forms(message)
        if isinstance(key, tuple) and len(forms) != po.num_plurals:
            problems.append(
                f"{len(forms)} plural forms, the locale has {po.num_plurals}: {_show(key)}"
            )
        if not forms or any(not form.strip() for form in forms):
            problems.append(f"untranslated: {_show(key)}")
    return problems


def _forms(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, list | tuple) else (str(value or ""),)


def placeholders(text: str) -> set[str] | None:
    """The ``{names}`` of ``text``; None when it is not a valid ``str.format`` template."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return None


def plural_rule(catalog: Catalog) -> Callable[[int], int]:
    return gettext.c2py(catalog.plural_expr)


def counts_of_form(catalog: Catalog) -> dict[int, list[int]]:
    """For each plural form of the catalog, the sample counts its rule gives it."""
    rule = plural_rule(catalog)
    forms: dict[int, list[int]] = {i: [] for i in range(catalog.num_plurals)}
    for n in SAMPLE_COUNTS:
        forms.setdefault(rule(n), []).append(n)
    return forms


def placeholder_problems(po: Catalog) -> list[str]:
    """Each translation uses only its message's placeholders and keeps those the English
    says for the same counts (so "1 story" may drop nothing English keeps), except
    ``{count}`` in a plural form used for a single number."""
    problems = []
    forms_counts = counts_of_form(po)
    for key, message in messages(po).items():
        english = _forms_of_id(key)
        allowed = set().union(*(placeholders(text) or set() for text in english))
        for index, form in enumerate(_forms(message)):
            if not form:
                continue  # completeness_problems says it
            used = placeholders(form)
            if used is None:
                problems.append(f"unbalanced braces in {form!r} ({_show(key)})")
                continue
            if used - allowed:
                problems.append(f"unknown placeholder {sorted(used - allowed)} in {form!r}")
            if isinstance(key, tuple):
                # English: msgid for n == 1, msgid_plural otherwise.
                counts = forms_counts.get(index) or [2]
                shown = {english[0] if n == 1 else english[1] for n in counts}
            else:
                shown = {key}
            required = set().union(*(placeholders(text) or set() for text in shown))
            if isinstance(key, tuple) and len(forms_counts.get(index) or []) == 1:
                # A form for one number only (Arabic's zero and dual: «لا أخبار», «خبران»)
                # says the number in its words: the count itself may go.
                required.discard("count")
            if required - used:
                problems.append(f"drops placeholder {sorted(required - used)} in {form!r}")
    return problems


def tags(text: str) -> Counter[str]:
    return Counter(match.group(0) for match in _TAG.finditer(text))


def html_problems(po: Catalog) -> list[str]:
    """No tags in translations, unless the English has exactly the same ones."""
    problems = []
    for key, message in messages(po).items():
        english = tags(" ".join(_forms_of_id(key)))
        for form in _forms(message):
            found = tags(form)
            if found and any(found[tag] > english[tag] for tag in found):
                problems.append(f"HTML tags {sorted(found)} not in the English: {form!r}")
    return problems


def plural_header_problems(po: Catalog, code: str) -> list[str]:
    """The .po's Plural-Forms is the one CLDR (Babel) gives the language."""
    babel = get_plural(code)
    if (po.num_plurals, po.plural_expr) != (babel.num_plurals, babel.plural_expr):
        return [
            f"{code}: Plural-Forms is nplurals={po.num_plurals}; plural={po.plural_expr}, "
            f"Babel says {babel.plural_forms}"
        ]
    return []


def compiled(po: Catalog) -> dict[MessageId, object]:
    """The messages a compilation of ``po`` holds, as ``read_mo`` reads them back."""
    buffer = io.BytesIO()
    write_mo(buffer, po)
    buffer.seek(0)
    return _mo_messages(read_mo(buffer))


def _mo_messages(catalog: Catalog) -> dict[MessageId, object]:
    return {_key(m.id): _forms(m) for m in catalog if m.id}


def mo_problems(po_file: Path) -> list[str]:
    """The committed .mo is what compiling the .po gives now."""
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.exists():
        return [f"{mo_file} is missing (run python -m bot.i18n.catalog compile)"]
    with mo_file.open("rb") as file:
        committed = _mo_messages(read_mo(file))
    current = compiled(load(po_file))
    stale = sorted(
        (k for k in {*committed, *current} if committed.get(k) != current.get(k)), key=str
    )
    if stale:
        shown = ", ".join(_show(k) for k in stale[:5])
        return [f"{mo_file} is stale (run python -m bot.i18n.catalog compile): {shown}"]
    return []


def too_long(labels: Iterable[tuple[str, str]], low: int, high: int) -> list[str]:
    """``(where, text)`` pairs whose text is not ``low``–``high`` characters long."""
    return [
        f"{where}: {len(text)} characters: {text!r}"
        for where, text in labels
        if not low <= len(text) <= high
    ]
