"""One reader's language: translated messages, plural forms, dates and relative times.

Views take a :class:`Translator` and never pick a language themselves. Messages are
written in English in the code and looked up in the gettext catalog of the reader's
locale (``bot/locales``); placeholders are named (``{count}``), so a translation may
put them in any order.

Two kinds of message:

- plain text (:meth:`Translator.gettext`, :meth:`Translator.ngettext`): button labels,
  pop-up alerts, command descriptions; values go in as they are;
- Telegram HTML (:meth:`Translator.html`, :meth:`Translator.nhtml`): the translation is
  escaped as text, then the values go in as markup the view built (``bold(name)``,
  ``esc(query)``). Tags stay out of catalogs: a translator never has to balance them and
  a translation cannot break a message.

In a right-to-left locale every value is wrapped in Unicode isolates (FSI … PDI), so an
English source name, a URL or a time inside a Persian sentence keeps its own direction
and does not reorder the words around it.
"""

from __future__ import annotations

import gettext as _gettext
import html as _html
from datetime import date, datetime, timedelta

import jdatetime
from babel import Locale as BabelLocale
from babel.dates import format_date, format_timedelta
from babel.numbers import format_decimal

from bot.i18n.locales import Locale

#: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode bidi, UAX #9).
FSI = "\u2068"
PDI = "\u2069"
#: Persian readers expect Persian digits (۰–۹) in dates and counts.
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def N_(message: str) -> str:
    """Mark a constant for the catalogs; it is translated where it is shown."""
    return message


class Translator:
    """Messages, plurals, dates and numbers in one locale."""

    def __init__(self, locale: Locale, catalog: _gettext.NullTranslations) -> None:
        self.locale = locale
        self._catalog = catalog
        self._babel = BabelLocale.parse(locale.code)

    @property
    def code(self) -> str:
        return self.locale.code

    @property
    def rtl(self) -> bool:
        return self.locale.rtl

    # --- messages --------------------------------------------------------------------

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this locale as plain text, with the named ``values`` put in."""
        return self._fill(self._catalog.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of ``singular``/``plural`` this locale uses for ``n`` (Russian has three,
        Arabic six), as plain text with the named ``values`` put in."""
        return self._fill(self._catalog.ngettext(singular, plural, n), values)

    def html(self, message: str, /, **markup: object) -> str:
        """``message`` as Telegram HTML: its words escaped, ``markup`` values put in as they
        are (build them with ``bot.views.html``)."""
        return self._fill(_escape(self._catalog.gettext(message)), markup)

    def nhtml(self, singular: str, plural: str, n: int, /, **markup: object) -> str:
        """:meth:`ngettext` as Telegram HTML, like :meth:`html`."""
        return self._fill(_escape(self._catalog.ngettext(singular, plural, n)), markup)

    def isolate(self, text: str) -> str:
        """``text`` kept in its own direction inside a right-to-left line."""
        return f"{FSI}{text}{PDI}" if self.rtl else text

    def _fill(self, template: str, values: dict[str, object]) -> str:
        if not values:
            return template
        if self.rtl:
            values = {name: self.isolate(str(value)) for name, value in values.items()}
        return template.format_map(values)

    # --- numbers and time ------------------------------------------------------------

    def number(self, value: int) -> str:
        """``value`` with this locale's grouping (1,234 / 1 234 / 1.234)."""
        return self._digits(format_decimal(value, locale=self._babel))

    def long_date(self, day: date) -> str:
        """Weekday, day, month and year, as this locale writes a date in full.

        Persian uses the Solar Hijri calendar (jdatetime): it is the calendar of daily
        life in Iran and Afghanistan, and Babel formats only the Gregorian one.
        """
        if self.code == "fa":
            persian = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
            return self._digits(persian.strftime("%A %-d %B %Y"))
        return format_date(day, format="full", locale=self._babel)

    def short_date(self, day: date, *, with_year: bool) -> str:
        """Day and abbreviated month (and the year when it is not this year's)."""
        if self.code == "fa":
            persian = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
            return self._digits(persian.strftime("%-d %B %Y" if with_year else "%-d %B"))
        return format_date(day, format="d MMM y" if with_year else "d MMM", locale=self._babel)

    def relative(self, when: datetime, now: datetime) -> str:
        """How long ago or how soon, as people say it: "just now", "5 min. ago", "3 hr.
        ago", "in 20 min."; a date once it is a week or more in the past. CLDR's words
        (Babel), so every locale has its own units and plural forms without a catalog."""
        elapsed = now - when
        if timedelta(0) <= elapsed < timedelta(minutes=1):
            return self.gettext("just now")
        if -timedelta(minutes=1) < elapsed < timedelta(0):
            # Translators: a coming moment less than a minute away (the next feed fetch).
            return self.gettext("now")
        if elapsed >= timedelta(days=7):
            return self.short_date(when.date(), with_year=when.year != now.year)
        spoken = format_timedelta(
            -elapsed, threshold=1, add_direction=True, format="short", locale=self._babel
        )
        return self._digits(spoken)

    def _digits(self, text: str) -> str:
        return text.translate(_PERSIAN_DIGITS) if self.code == "fa" else text


def _escape(text: str) -> str:
    return _html.escape(text, quote=False)
