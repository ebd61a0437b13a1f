"""An article's language: declared by the operator, the feed or the page; detected last."""

from __future__ import annotations

import re

#: Shortest text worth running detection on; shorter guesses are noise.
MIN_DETECT_CHARS = 40
_CODE = re.compile(r"^[a-z]{2,3}$")


def normalise(code: str | None) -> str | None:
    """``"en-GB"`` → ``"en"``; None for anything that is not a language code."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if _CODE.match(primary) else None


def detect(text: str) -> str | None:
    """py3langid's guess for ``text`` (ISO 639-1), or None when the text is too short."""
    sample = text[:2000]
    if len(sample.strip()) < MIN_DETECT_CHARS:
        return None
    import py3langid  # loaded in the worker processes only; its model takes a moment

    code, _score = py3langid.classify(sample)
    return normalise(str(code))


def choose_language(*declared: str | None, text: str) -> str | None:
    """The first declared language that is a real code, else the detected one."""
    for code in declared:
        normalised = normalise(code)
        if normalised:
            return normalised
    return detect(text)
