"""Loader for the dirty-article corpus in tests/fixtures/dirty/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DIRTY_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "dirty"
_MARKED = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class DirtyArticle:
    name: str
    text: str
    title: str | None
    language: str
    junk: tuple[str, ...]


def load(path: Path) -> DirtyArticle:
    raw = path.read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    if path.suffix == ".txt":
        head, sep, body = raw.partition("\n\n")
        lines = head.splitlines()
        if sep and lines and all(re.match(r"^[A-Z][a-z]+: ", line) for line in lines):
            headers = dict(line.split(": ", 1) for line in lines)
            raw = body
    return DirtyArticle(
        name=path.name,
        text=_MARKED.sub(lambda m: m.group(1), raw),
        title=headers.get("Title"),
        language=headers.get("Language", "english"),
        junk=tuple(" ".join(m.split()) for m in _MARKED.findall(raw)),
    )


def corpus() -> list[DirtyArticle]:
    return [load(p) for p in sorted(DIRTY_DIR.iterdir()) if p.suffix in {".txt", ".html"}]
