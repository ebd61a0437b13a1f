"""How long ago or how soon, in the operator's words: ``5 min ago``, ``in 2 h``, ``never``.

The admin views (/sources, /stats) show both past moments (last success) and coming ones
(next fetch), which ``Translator.relative`` (past only, for readers' stories) does not.
Each unit is its own plural message so every language gets its own forms.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.i18n import Translator


def elapsed(t: Translator, moment: datetime | None, now: datetime) -> str:
    """``5 min ago``, ``3 h ago``, ``4 days ago``, ``in 2 h``; ``never`` for no moment."""
    if moment is None:
        # Translators: when something (a fetch, a digest) happened or will happen: never.
        return t.gettext("never")
    delta = moment - now
    seconds = abs(delta.total_seconds())
    future = delta > timedelta(0)
    if seconds < 60:
        # Translators: a moment less than a minute away (a coming fetch).
        return t.gettext("now") if future else t.gettext("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        if future:
            return t.ngettext("in {count} min", "in {count} min", minutes, count=t.number(minutes))
        return t.ngettext("{count} min ago", "{count} min ago", minutes, count=t.number(minutes))
    if seconds < 2 * 86400:
        hours = int(seconds // 3600)
        if future:
            return t.ngettext("in {count} h", "in {count} h", hours, count=t.number(hours))
        return t.ngettext("{count} h ago", "{count} h ago", hours, count=t.number(hours))
    days = int(seconds // 86400)
    if future:
        return t.ngettext("in {count} day", "in {count} days", days, count=t.number(days))
    return t.ngettext("{count} day ago", "{count} days ago", days, count=t.number(days))
