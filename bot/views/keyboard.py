"""Inline keyboards as plain data, so views stay pure and testable without the library.

``bot.delivery.sender.inline_markup`` turns a :data:`Keyboard` into the library's markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        size = len(self.data.encode())
        if not 1 <= size <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data of {size} bytes (Telegram allows 1–64): {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


def keyboard_rows(keyboard: Keyboard | None) -> list[list[list[str]]] | None:
    """``keyboard`` as JSON-ready rows of [label, data] (stored with digest messages)."""
    if not keyboard:
        return None
    return [[[b.label, b.data] for b in row] for row in keyboard]


def keyboard_from_rows(stored: object) -> Keyboard | None:
    """The keyboard :func:`keyboard_rows` stored; None for nothing (or anything else)."""
    if not isinstance(stored, list) or not stored:
        return None
    return tuple(tuple(Button(str(label), str(data)) for label, data in row) for row in stored)


def rows(buttons: Sequence[Button], per_row: int) -> Keyboard:
    """Lay buttons out ``per_row`` to a row."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
