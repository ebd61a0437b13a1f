"""When something happened or will happen, in the operator's words: ``never`` or
:meth:`bot.i18n.Translator.relative` (``5 min. ago``, ``in 20 min.``).

The admin views (/sources, /stats) show past moments (last success) and coming ones (next
fetch); readers' stories only past ones. Both say it through the one ``relative``.
"""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator


def elapsed(t: Translator, moment: datetime | None, now: datetime) -> str:
    """``5 min. ago``, ``in 2 hr.``, a date after a week; ``never`` for no moment."""
    if moment is None:
        # Translators: when something (a fetch, a digest) happened or will happen: never.
        return t.gettext("never")
    return t.relative(moment, now)
