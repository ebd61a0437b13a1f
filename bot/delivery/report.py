"""What one digest tick did, for logs, metrics and tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TickReport:
    """What one tick did, for logs, metrics and tests."""

    claimed: int = 0
    held_quiet: int = 0
    digests: int = 0
    empty: int = 0
    resumed: int = 0
    sent: int = 0
    uncertain: int = 0
    failed: int = 0
    released: int = 0
    messages: int = 0

    def add(self, other: TickReport) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))
