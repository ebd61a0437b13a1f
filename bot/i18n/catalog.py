"""Keep the catalogs in step with the code: ``python -m bot.i18n.catalog <step>``.

- ``extract``: every message in ``bot/`` into ``bot/locales/newsbot.pot``;
- ``update``: merge the template into each locale's ``.po`` (new messages appear
  untranslated, changed ones marked fuzzy);
- ``compile``: write each ``.mo`` from its ``.po``;
- ``all``: the three in order, what a change of wording needs.

Babel does the work (its extractor knows our keywords below); this only fixes the paths
so nobody has to remember them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from bot.i18n.catalogs import DOMAIN, LOCALE_DIR
from bot.i18n.locales import DEFAULT_LOCALE, LOCALES

#: The functions whose string arguments are messages (``N_`` marks constants).
KEYWORDS = ("gettext", "ngettext:1,2", "html", "nhtml:1,2", "N_")
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The repository: references in the catalogs are relative to it (``bot/views/…:12``).
ROOT = Path(__file__).resolve().parents[2]


def _babel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])  # type: ignore[no-untyped-call]


def extract() -> None:
    LOCALE_DIR.mkdir(exist_ok=True)
    keywords = [option for keyword in KEYWORDS for option in ("-k", keyword)]
    _babel(
        "extract",
        "--no-default-keywords",
        *keywords,
        "--add-comments=Translators:",
        "--sort-by-file",
        "--no-wrap",
        "--project=get-news-fast",
        "-o",
        str(TEMPLATE),
        "bot",
    )


def update() -> None:
    for locale in LOCALES:
        if locale.code == DEFAULT_LOCALE:
            continue
        po = LOCALE_DIR / locale.code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            _babel(
                "update",
                "--no-wrap",
                # A message the code no longer has goes; its translation is in git.
                "--ignore-obsolete",
                "-D",
                DOMAIN,
                "-i",
                str(TEMPLATE),
                "-d",
                str(LOCALE_DIR),
                "-l",
                locale.code,
            )
        else:
            _babel(
                "init",
                "--no-wrap",
                "-D",
                DOMAIN,
                "-i",
                str(TEMPLATE),
                "-d",
                str(LOCALE_DIR),
                "-l",
                locale.code,
            )


def compile_all() -> None:
    _babel("compile", "-D", DOMAIN, "-d", str(LOCALE_DIR))


STEPS = {
    "extract": (extract,),
    "update": (update,),
    "compile": (compile_all,),
    "all": (extract, update, compile_all),
}


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1 or arguments[0] not in STEPS:
        print(f"usage: python -m bot.i18n.catalog {{{'|'.join(STEPS)}}}", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    for step in STEPS[arguments[0]]:
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
