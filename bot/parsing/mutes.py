"""Reading the phrase after /mute and /unmute: pure, no Telegram objects.

A phrase is taken as typed, with quotes optional (``/mute "climate change"`` and
``/mute climate change`` are the same) and spaces collapsed; it is matched as whole
words, never as a pattern (``digest.mutes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import N_
from bot.parsing.arguments import ArgumentError
from digest.mutes import folded_phrase

#: Characters in a muted phrase, as typed (quotes and extra spaces left out).
PHRASE_MIN_CHARS = 2
PHRASE_MAX_CHARS = 60

_QUOTES = "\"'“”„‟«»‹›「」『』"
_QUOTED = re.compile(rf"^[{_QUOTES}](?P<inner>.*?)[{_QUOTES}]$", re.DOTALL)


@dataclass(frozen=True)
class MutePhrase:
    """A phrase to mute or unmute: as the reader wrote it, and as it is compared."""

    phrase: str
    folded: str


def parse_mute_phrase(text: str) -> MutePhrase:
    """``word`` or ``several words`` (in quotes or not)."""
    value = " ".join(text.split())
    quoted = _QUOTED.match(value)
    if quoted:
        value = " ".join(quoted.group("inner").split())
    if not value:
        raise ArgumentError(N_("say which word or phrase"))
    if not PHRASE_MIN_CHARS <= len(value) <= PHRASE_MAX_CHARS:
        # The bounds are written out so the reason is one translatable sentence.
        raise ArgumentError(N_("a muted phrase has 2 to 60 characters"))
    folded = folded_phrase(value)
    if not folded:
        raise ArgumentError(N_("a muted phrase needs at least one letter or digit"))
    return MutePhrase(value, folded)
